"""What a named dataset is: :class:`Source`, the metadata every registered set carries, and its loader interface.

A source answers for itself what callers would otherwise guess from its name: what it is for (``role``) and so how
a benchmark on it is measured (``benchmark_kind``), whether it needs the network (``offline``), its size and
categories, which helpfulness scorers check its answers, its splits, and the local copy it would be read from.
The registry of sources and the one name resolver are in :mod:`ptst.data.sources`.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from ptst.data.records import Record
from ptst.errors import PtstError

#: what a set is for: ``harmful`` (safety benchmark), ``benign`` (over-refusal probe), ``math`` (helpfulness
#: benchmark with exact answers), ``train`` (fine-tuning data), ``safety`` (safety examples to mix into training),
#: ``judge`` (model responses with human verdicts, for validating a judge: ptst.data.judge_sets), ``choice``
#: (multiple-choice helpfulness benchmark scored from the model's loglikelihoods: ptst.data.arc)
ROLES = ("harmful", "benign", "math", "train", "safety", "judge", "choice")
#: how a benchmark on a set of each role is measured (a role not listed, and a local file, count as ``safety``)
BENCHMARK_KIND_OF_ROLE = {"harmful": "safety", "benign": "benign", "math": "helpfulness", "choice": "helpfulness"}
BENCHMARK_KINDS = ("safety", "benign", "helpfulness")
#: the helpfulness scorer of a set that names none (GSM8K's ``#### N`` answer format, which local files use)
DEFAULT_HELPFULNESS_SCORERS: tuple[str, ...] = ("gsm8k",)


@dataclass
class LoadRequest:
    name: str
    path: Path | None = None
    split: str | None = None
    columns: dict[str, str] | None = None


Loader = Callable[[LoadRequest], list[Record]]


@dataclass(frozen=True)
class Source:
    """A named dataset and what is known about it without loading it.

    ``role`` is one of :data:`ROLES`. ``offline`` is true for the sets shipped inside ptst (they never touch the
    network and are covered by the package's content hash); the others come from the network unless a local copy
    is given or found under ``$PTST_DATA_DIR/<name>/`` (``local_names``). ``sizes`` and ``categories`` are the
    published sizes of a network set (per split, ``None`` for a set without splits; per category), so a plan can be
    counted without downloading; the shipped sets are counted instead. ``scorers`` are the helpfulness scorers
    that check the set's reference answers (the default judges of a helpfulness benchmark on it); safety and
    benign sets are judged by the study's safety judges.
    """

    name: str
    description: str
    role: str
    loader: Loader = field(compare=False, repr=False)
    splits: tuple[str, ...] = ()
    default_split: str | None = None
    origin: str = ""
    license: str = ""
    local_names: tuple[str, ...] = ()  # file names looked for under $PTST_DATA_DIR/<name>/
    offline: bool = False
    sizes: Mapping[str | None, int] = field(default_factory=dict)
    categories: Mapping[str, int] = field(default_factory=dict)
    scorers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise PtstError(f"dataset {self.name!r}: unknown role {self.role!r}; use one of {', '.join(ROLES)}")
        if self.default_split is not None and self.default_split not in self.splits:
            raise PtstError(f"dataset {self.name!r}: default split {self.default_split!r} is not one of its splits")

    @property
    def benchmark_kind(self) -> str:
        """``safety`` / ``benign`` / ``helpfulness``: how a benchmark on this set is measured by default."""
        return BENCHMARK_KIND_OF_ROLE.get(self.role, "safety")

    @property
    def helpfulness_scorers(self) -> tuple[str, ...]:
        """The scorers of a helpfulness benchmark on this set: its own, else :data:`DEFAULT_HELPFULNESS_SCORERS`."""
        return self.scorers or DEFAULT_HELPFULNESS_SCORERS

    def split_or_default(self, split: str | None) -> str | None:
        return split or self.default_split

    def check_split(self, split: str | None) -> None:
        """Raise the one-line error for a split this set does not have. A network set that declares no splits
        ignores one (its origin has a single split: ``directharm4:test`` is accepted as before)."""
        if split is None:
            return
        if not self.splits:
            if self.offline:
                raise PtstError(f"dataset {self.name!r} has no split {split!r}")
            return
        if split not in self.splits:
            raise PtstError(f"dataset {self.name!r}: unknown split {split!r}; choose one of {', '.join(self.splits)}")

    def load(self, path: str | Path | None = None, split: str | None = None,
             columns: dict[str, str] | None = None) -> list[Record]:
        split = self.split_or_default(split)
        self.check_split(split)
        p = Path(path).expanduser() if path else self.local_copy(split)
        if p is not None and not p.exists():
            raise PtstError(f"{p}: file not found (dataset {self.name})")
        return self.loader(LoadRequest(self.name, p, split, columns))

    def local_copy(self, split: str | None = None) -> Path | None:
        """The local copy this set is read from when no path is given: the first of ``local_names`` present under
        ``$PTST_DATA_DIR/<name>/`` (None when there is none, or for a shipped set, which needs none)."""
        base = os.environ.get("PTST_DATA_DIR")
        if not base or not self.local_names:
            return None
        split = self.split_or_default(split)
        folder = Path(base).expanduser() / self.name
        for n in self.local_names:
            cand = folder / n.format(split=split)
            if cand.exists():
                return cand
        return None

    def readable_offline(self, split: str | None = None) -> bool:
        """Whether the set can be read without the network: shipped, or a local copy is present."""
        return self.offline or self.local_copy(split) is not None

    def size(self, split: str | None = None) -> int | None:
        """Number of records of a split: counted for a shipped set, the published size otherwise (None if unknown)."""
        split = self.split_or_default(split)
        if self.offline:
            return len(self.load(split=split))
        return self.sizes.get(split)

    def category_sizes(self, split: str | None = None) -> dict[str, int]:
        """Records per category: counted for a shipped set, the published counts otherwise ({} when unknown or the
        set has no categories)."""
        if self.offline:
            return dict(Counter(r.category for r in self.load(split=split) if r.category))
        return dict(self.categories)
