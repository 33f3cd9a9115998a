"""The durable cache of every generation and every judgment (one SQLite file, WAL mode).

Keys are sha256 hashes of everything a result depends on:

* a generation: the model identity (base + adapter content hashes, see :func:`ptst.models.identity_key`), the
  exact rendered prompt (string or chat messages) and the decoding parameters;
* a judgment: the judge identity (name, version, judge model, rubric hash...) and the scored fields
  (instruction, response, reference).

Each value is written as soon as it is computed, in its own transaction, so an interrupted run loses nothing and
a rerun computes only what is missing. ``stats()`` counts rows; the ``hits``/``computed`` counters of an instance
count what this process looked up and stored, which tests use to prove that a rerun computed nothing.

Counters die with their process, so they cannot show that a run killed and started again never stores the same
result twice. With ``PTST_CACHE_AUDIT=1`` in the environment every stored row is also logged, in the same
transaction, to a ``put_log`` table (kind, key, pid, time); ``put_counts(kind)`` then says how often each key was
stored, across every process that ever wrote the file. It is off by default (it doubles the writes).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ptst.errors import PtstError
from ptst.io import stable_hash
from ptst.paths import cache_db

KINDS = ("generation", "judgment")
AUDIT_ENV = "PTST_CACHE_AUDIT"
# rows stored by this process, per kind, over every Cache instance (what an interrupted command says it kept)
STORED: dict[str, int] = {k: 0 for k in KINDS}


def generation_key(model_key: str, prompt: str | list[dict[str, str]], decoding: dict[str, Any]) -> str:
    return stable_hash({"kind": "generation", "model": model_key, "prompt": prompt, "decoding": decoding})


def judgment_key(judge: dict[str, Any], item: dict[str, Any]) -> str:
    return stable_hash({"kind": "judgment", "judge": judge, "item": item})


@dataclass
class Counters:
    hits: int = 0
    misses: int = 0
    computed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses, "computed": self.computed}


@dataclass
class Cache:
    """A thread-safe SQLite key-value store with one table per kind."""

    path: Path
    counters: dict[str, Counters] = field(default_factory=lambda: {k: Counters() for k in KINDS})

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        if self.path.is_dir():
            raise PtstError(f"{self.path}: cache is a directory, expected an SQLite file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise PtstError(f"{self.path.parent}: cannot create the cache folder ({e.strerror or e})") from None
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(str(self.path), timeout=60.0, check_same_thread=False, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA busy_timeout=60000")
            for kind in KINDS:
                self._conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {kind} (key TEXT PRIMARY KEY, value TEXT NOT NULL, meta TEXT, "
                    "created REAL)"
                )
        except sqlite3.DatabaseError as e:  # not a database, unreadable, read-only folder...
            raise PtstError(f"{self.path}: not a usable ptst cache ({e}); name another file with --cache") from None
        self.seen_keys: dict[str, set[str]] | None = None  # see record_keys()
        self._audit = os.environ.get(AUDIT_ENV, "") not in ("", "0")
        if self._audit:
            self._conn.execute("CREATE TABLE IF NOT EXISTS put_log (kind TEXT, key TEXT, pid INTEGER, created REAL)")

    @classmethod
    def default(cls) -> "Cache":
        return cls(cache_db())

    # ---- access ---------------------------------------------------------------------------------------------
    def get(self, kind: str, key: str) -> Any | None:
        return self.get_many(kind, [key]).get(key)

    def get_many(self, kind: str, keys: Iterable[str]) -> dict[str, Any]:
        self._check(kind)
        keys = list(dict.fromkeys(keys))
        if self.seen_keys is not None:
            self.seen_keys[kind].update(keys)
        out: dict[str, Any] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                q = f"SELECT key, value FROM {kind} WHERE key IN ({','.join('?' * len(chunk))})"
                for k, v in self._conn.execute(q, chunk):
                    out[k] = json.loads(v)
        c = self.counters[kind]
        c.hits += len(out)
        c.misses += len(keys) - len(out)
        return out

    def record_keys(self) -> dict[str, set[str]]:
        """From now on, remember every key looked up (per kind): the set of results a run was built from, which
        ``ptst run`` keeps to check later, without recomputing any key, that they are all still cached."""
        if self.seen_keys is None:
            self.seen_keys = {k: set() for k in KINDS}
        return self.seen_keys

    def count_present(self, kind: str, keys: Iterable[str]) -> int:
        """How many of ``keys`` are stored (values are not read); counted as hits and misses like a lookup."""
        self._check(kind)
        keys = list(dict.fromkeys(keys))
        found = 0
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                q = f"SELECT COUNT(*) FROM {kind} WHERE key IN ({','.join('?' * len(chunk))})"
                found += self._conn.execute(q, chunk).fetchone()[0]
        c = self.counters[kind]
        c.hits += found
        c.misses += len(keys) - found
        return found

    def put(self, kind: str, key: str, value: Any, meta: dict[str, Any] | None = None) -> None:
        self.put_many(kind, [(key, value, meta)])

    def put_many(self, kind: str, rows: Iterable[tuple[str, Any, dict[str, Any] | None]]) -> None:
        self._check(kind)
        data = [(k, json.dumps(v, ensure_ascii=False), json.dumps(m or {}, ensure_ascii=False), time.time())
                for k, v, m in rows]
        if not data:
            return
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    f"INSERT OR REPLACE INTO {kind} (key, value, meta, created) VALUES (?, ?, ?, ?)", data
                )
                if self._audit:
                    self._conn.executemany("INSERT INTO put_log (kind, key, pid, created) VALUES (?, ?, ?, ?)",
                                           [(kind, k, os.getpid(), t) for k, _, _, t in data])
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        self.counters[kind].computed += len(data)
        STORED[kind] += len(data)

    def export(self) -> dict[str, list[tuple[str, Any, dict[str, Any]]]]:
        """Every stored row, per kind, as ``put_many`` takes them (a Ray task's cache, handed to the driver)."""
        out: dict[str, list[tuple[str, Any, dict[str, Any]]]] = {}
        with self._lock:
            for kind in KINDS:
                rows = self._conn.execute(f"SELECT key, value, meta FROM {kind} ORDER BY created, rowid")
                out[kind] = [(k, json.loads(v), json.loads(m) if m else {}) for k, v, m in rows]
        return out

    def put_counts(self, kind: str) -> dict[str, int]:
        """How many times each key of ``kind`` was stored while ``PTST_CACHE_AUDIT`` was on (any process)."""
        self._check(kind)
        with self._lock:
            if not self._conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'put_log'").fetchone():
                return {}
            rows = self._conn.execute("SELECT key, COUNT(*) FROM put_log WHERE kind = ? GROUP BY key", (kind,))
            return {k: n for k, n in rows}

    # ---- maintenance ----------------------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        with self._lock:
            rows = {k: self._conn.execute(f"SELECT COUNT(*) FROM {k}").fetchone()[0] for k in KINDS}
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return {"path": str(self.path), "bytes": size, **rows}

    def clear(self, kind: str | None = None) -> dict[str, int]:
        kinds = [self._check(kind)] if kind else list(KINDS)
        removed = {}
        with self._lock:
            for k in kinds:
                removed[k] = self._conn.execute(f"DELETE FROM {k}").rowcount
            self._conn.execute("VACUUM")
        return removed

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @staticmethod
    def _check(kind: str) -> str:
        if kind not in KINDS:
            raise ValueError(f"unknown cache kind {kind!r}")
        return kind
