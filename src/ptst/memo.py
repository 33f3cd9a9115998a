"""Memos: skip recomputing a derived result whose inputs are unchanged and whose files are untouched.

The SQLite cache is the source of truth for generations and judgments; a memo only saves the time of recomputing
something that can always be recomputed. A memo file holds named records; each record keeps the digest of what it
was made from (``key``), the sha256 of the files it describes, and a value::

    memo = Memo(out / ".ptst-figures.json")
    hit = memo.get("heatmap-asr", key)      # the record, if made from ``key`` and its files still have their hashes
    memo.put("heatmap-asr", key, files=[png, svg], value=...)

Three places use it: the up-to-date record of a finished study (:mod:`ptst.study.uptodate`), the report's figures
(:mod:`ptst.report.plots`) and the content hash of a model directory (:func:`ptst.models.content_hash`, keyed by
each file's size and modification time). A memo that cannot be read is no memo; every write is atomic, so a
killed process never leaves a half-written one.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any, Iterable

from ptst.io import atomic_write_json, sha256_file

VERSION = 1


class Memo:
    """The records of one memo file; file names in records are relative to ``root`` (default: the file's folder)."""

    def __init__(self, path: str | Path, root: str | Path | None = None):
        self.path = Path(path)
        self.root = Path(root) if root is not None else self.path.parent

    def records(self) -> dict[str, Any]:
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("version") == VERSION and isinstance(data.get("records"), dict):
                return data["records"]
        return {}

    def record(self, name: str) -> dict[str, Any] | None:
        """The record as stored, whether or not it is still valid."""
        rec = self.records().get(name)
        return rec if isinstance(rec, dict) else None

    def get(self, name: str, key: str) -> dict[str, Any] | None:
        """The record ``name`` if it was made from ``key`` and every file it lists still has its recorded hash."""
        rec = self.record(name)
        if rec is None or rec.get("key") != key or self.changed_file(rec):
            return None
        return rec

    def changed_file(self, rec: dict[str, Any]) -> str:
        """The first file of ``rec`` that is missing or changed ("" if none)."""
        for f, digest in (rec.get("files") or {}).items():
            p = self.root / f
            if not p.is_file() or sha256_file(p) != digest:
                return f
        return ""

    def put(self, name: str, key: str, files: Iterable[str | Path] = (), value: Any = None) -> None:
        recs = self.records()
        recs[name] = {"key": key, "files": {self._rel(f): sha256_file(self.root / self._rel(f)) for f in files},
                      "value": value}
        atomic_write_json(self.path, {"version": VERSION, "records": recs}, indent=None)

    def drop(self) -> None:
        """Delete the memo file (every record)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _rel(self, f: str | Path) -> str:
        p = Path(f)
        return (p.relative_to(self.root) if p.is_absolute() else p).as_posix()
