"""The one record type every dataset loads into."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Record:
    """One item of a dataset.

    ``instruction`` is the query a template wraps (a question, a harmful request, a math problem).
    ``reference`` is the gold completion or answer where there is one (GSM8K's answer, a safety example's reply).
    ``source`` names where it came from (``advbench``, ``gsm8k:test``, a file path), ``id`` is unique within the
    loaded set, ``category`` is the harm category (``malware``...) or a subset label.
    """

    id: str
    source: str
    instruction: str
    reference: str | None = None
    category: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if not d["meta"]:
            d.pop("meta")
        return d
