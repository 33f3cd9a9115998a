"""The registry of named data sets, and the one function that reads a dataset name.

``load_dataset(NAME, path=..., split=...)`` returns a list of :class:`~ptst.data.records.Record`. ``NAME`` is a
registered source (the public sets of :mod:`ptst.data.public`: ``gsm8k``, ``advbench``, ``directharm4``,
``gsm-danger``, ``safety-tuned-llamas``; the shipped sets of :mod:`ptst.data.builtin`: ``builtin:*``, ``align:*``)
or the path of a local jsonl/json/csv file read with a column mapping. ``NAME:SPLIT`` picks a split
(``gsm8k:train``, ``builtin:math:test``).

:func:`resolve` is the only place a dataset name is parsed: it returns a :class:`DatasetRef` (the source and the
split asked for, or a local file), and everything else asks the ref or its :class:`~ptst.data.source.Source`
(kind, offline or not, size, categories, default scorers, local copy) instead of looking at the name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ptst.data.arc import SOURCES as ARC_SOURCES
from ptst.data.builtin import SOURCES as SHIPPED_SOURCES
from ptst.data.judge_sets import SOURCES as JUDGE_SOURCES
from ptst.data.public import SOURCES as PUBLIC_SOURCES
from ptst.data.readers import read_records
from ptst.data.records import Record
from ptst.data.source import DEFAULT_HELPFULNESS_SCORERS, Source
from ptst.errors import PtstError

#: suffixes that make a dataset name a local file (an existing path is one too)
FILE_SUFFIXES = (".jsonl", ".json", ".csv", ".tsv")

_SOURCES: dict[str, Source] = {}


def register_source(source: Source, overwrite: bool = False) -> Source:
    if source.name in _SOURCES and not overwrite:
        raise PtstError(f"dataset {source.name!r} is already registered")
    _SOURCES[source.name] = source
    return source


for _s in (*PUBLIC_SOURCES, *ARC_SOURCES, *SHIPPED_SOURCES, *JUDGE_SOURCES):
    register_source(_s)


def _unknown(name: str) -> PtstError:
    return PtstError(f"unknown dataset {name!r}; known: {', '.join(sorted(_SOURCES))}, or a .jsonl/.json/.csv path")


def get_source(name: str) -> Source:
    """The registered source called exactly ``name`` (no split suffix; see :func:`resolve` for that)."""
    try:
        return _SOURCES[name]
    except KeyError:
        raise _unknown(name) from None


def list_sources() -> list[Source]:
    return [_SOURCES[k] for k in sorted(_SOURCES)]


@dataclass(frozen=True)
class DatasetRef:
    """What a dataset name refers to: a registered ``source`` and the ``split`` asked for (None: its default), or,
    with ``source`` None, the local data file ``name``."""

    name: str
    source: Source | None
    split: str | None = None

    @property
    def is_file(self) -> bool:
        return self.source is None

    @property
    def kind(self) -> str:
        """How a benchmark on this set is measured by default: ``safety`` / ``benign`` / ``helpfulness`` (a local
        file: ``safety``)."""
        return self.source.benchmark_kind if self.source is not None else "safety"

    @property
    def helpfulness_scorers(self) -> tuple[str, ...]:
        """The default scorers of a helpfulness benchmark on this set."""
        return self.source.helpfulness_scorers if self.source is not None else DEFAULT_HELPFULNESS_SCORERS

    @property
    def offline(self) -> bool:
        """Shipped with ptst or a local file: never needs the network (a local copy of a public set aside)."""
        return self.source is None or self.source.offline

    def local_copy(self) -> Path | None:
        """The ``$PTST_DATA_DIR`` copy a public set is read from when no path is given (None for the others)."""
        return self.source.local_copy(self.split) if self.source is not None else None

    def readable_offline(self, path: str | Path | None = None) -> bool:
        """Whether loading needs no network: a file, a shipped set, a path given, or a local copy present."""
        return path is not None or self.source is None or self.source.readable_offline(self.split)

    def load(self, path: str | Path | None = None, columns: dict[str, str] | None = None) -> list[Record]:
        """The records (``path``: a local copy of a registered set; for a file dataset it is ignored)."""
        if self.source is not None:
            return self.source.load(path=path, split=self.split, columns=columns)
        p = Path(self.name).expanduser()
        return read_records(p, source=p.name, columns=columns)


def is_file_name(name: str) -> bool:
    """Whether an unregistered dataset name is a local file: a data-file suffix, or an existing path."""
    p = Path(name).expanduser()
    return p.suffix.lower() in FILE_SUFFIXES or p.exists()


def resolve(name: str, split: str | None = None) -> DatasetRef:
    """What ``name`` refers to; the only parser of dataset names.

    A registered name is taken whole; otherwise, when no ``split`` is given, ``NAME:SPLIT`` is the longest
    registered name followed by a colon and the split (``builtin:math:test`` -> ``builtin:math``, ``test``); a
    name with a data-file suffix (or an existing path) is a local file; anything else is a one-line
    :class:`~ptst.errors.PtstError` naming it. The split is checked against the source's splits.
    """
    src = _SOURCES.get(name)
    if src is None and split is None and ":" in name:
        parts = name.split(":")
        for i in range(len(parts) - 1, 0, -1):
            head = ":".join(parts[:i])
            if head in _SOURCES:
                src, split = _SOURCES[head], ":".join(parts[i:])
                break
    if src is None:
        if is_file_name(name):
            return DatasetRef(name, None, split)
        raise _unknown(name)
    src.check_split(split)
    return DatasetRef(name, src, split)


def parse_columns(spec: str | None) -> dict[str, str] | None:
    """``"instruction=prompt,reference=answer"`` -> mapping."""
    if not spec:
        return None
    out = {}
    for part in spec.split(","):
        if "=" not in part:
            raise PtstError(f"column mapping {part!r}: expected FIELD=COLUMN")
        k, v = part.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def load_dataset(
    name: str,
    path: str | Path | None = None,
    split: str | None = None,
    columns: dict[str, str] | None = None,
    limit: int | None = None,
) -> list[Record]:
    """Load a named source or a local file; see the module docstring."""
    records = resolve(name, split).load(path=path, columns=columns)
    if limit is not None:
        if limit < 1:
            raise PtstError(f"--limit must be at least 1, got {limit}")
        records = records[:limit]
    if not records:
        raise PtstError(f"dataset {name!r}: no records")
    return records
