"""The schema of one ``attacks:`` entry of a study spec (the meaning pass and the attacked benchmarks are in
:mod:`ptst.study.attacks`)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from ptst.attacks import Attack, attack_from_dict
from ptst.config import StrictModel

NAME_RE = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class AttackSpec(StrictModel):
    """One adaptive attack. ``prefill``: ``prefix``; ``gcg``: ``steps``, ``search_width``, ``topk``,
    ``suffix_init``, ``target``, ``seed``. Both: ``benchmarks``, ``requests`` (the first N items of each)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["prefill", "gcg"]
    name: str | None = Field(None, pattern=NAME_RE, description="label suffix in results (default: the kind)")
    benchmarks: list[str] | None = Field(None, description="names of evaluate.benchmarks (default: every safety one)")
    requests: int | None = Field(None, ge=1, description="attack at most the first N items of each benchmark")
    prefix: str | None = Field(None, description="prefill: the forced start of the answer; {target}: the item's own")
    steps: int | None = Field(None, ge=1)
    search_width: int | None = Field(None, ge=1)
    topk: int | None = Field(None, ge=1)
    suffix_init: str | None = None
    target: str | None = Field(None, description="gcg: the optimised target string; {target}: the item's own")
    seed: int | None = None

    @property
    def label(self) -> str:
        return self.name or self.kind

    def build(self) -> Attack:
        d = self.model_dump(exclude_none=True)
        d["name"] = self.label
        return attack_from_dict(d)
