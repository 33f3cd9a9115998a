"""Small, safe file primitives: atomic writes, JSONL with line-numbered errors, hashing, downloads pinned by hash.

Every file ptst writes for a result goes through :func:`atomic_write_text` (temp file in the same directory,
fsync, rename), so a crash leaves either the old file or the new one, never a partial one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

from ptst.errors import PtstError, one_line


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", suffix=".tmp", dir=path.parent)
    except OSError as e:  # a file where a folder belongs, a read-only folder, a full disk...
        raise PtstError(f"{path}: cannot write ({e.strerror or e})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise PtstError(f"{path}: cannot write ({e.strerror or e})") from None
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


# the temp file of an atomic write is ``.<name>.ptst-<8 random>.tmp``: the mark tells ptst's own apart
TEMP_MARK = ".ptst-"
_STALE_TMP = re.compile(r"^\..+\.ptst-[A-Za-z0-9_]{8}\.tmp$")


def remove_stale_temp_files(root: str | os.PathLike) -> int:
    """Delete the temp files of ptst's atomic writes whose process died between writing and renaming (SIGKILL,
    power cut) anywhere under ``root``, a folder ptst made (a study folder); returns how many. Only names with
    ptst's temp mark are touched, never another program's ``.*.tmp``. Call it only while no other process writes
    there (under the study lock): a live writer's temp file looks the same."""
    n = 0
    for p in Path(root).rglob(f".*{TEMP_MARK}*.tmp"):
        if p.is_file() and _STALE_TMP.match(p.name):
            with contextlib.suppress(OSError):
                p.unlink()
                n += 1
    return n


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | os.PathLike, obj: Any, indent: int | None = 2) -> None:
    atomic_write_text(path, json.dumps(obj, indent=indent, ensure_ascii=False, sort_keys=False) + "\n")


def write_jsonl(path: str | os.PathLike, rows: Iterable[dict]) -> None:
    """Write rows as JSON lines, atomically."""
    atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def read_text(path: str | os.PathLike) -> str:
    """Read a UTF-8 text file; a missing file or bad encoding is a one-line :class:`PtstError`."""
    p = Path(path)
    if not p.exists():
        raise PtstError(f"{p}: file not found")
    if p.is_dir():
        raise PtstError(f"{p}: is a directory, expected a file")
    raw = p.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise PtstError(f"{p}:{line}: not valid UTF-8 (byte {e.start}: {raw[e.start:e.start + 1]!r})") from None


def iter_jsonl(path: str | os.PathLike) -> Iterator[tuple[int, dict]]:
    """Yield ``(line_number, object)`` for each non-empty line; malformed lines raise with file and line."""
    text = read_text(path)
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise PtstError(f"{path}:{n}: malformed JSON ({e.msg} at column {e.colno})") from None
        if not isinstance(obj, dict):
            raise PtstError(f"{path}:{n}: expected a JSON object, got {type(obj).__name__}")
        yield n, obj


def read_jsonl(path: str | os.PathLike) -> list[dict]:
    return [obj for _, obj in iter_jsonl(path)]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            block = fh.read(chunk)
            if not block:
                break
            h.update(block)
    return h.hexdigest()


def sha256_tree(path: str | os.PathLike, patterns: tuple[str, ...] = ("*",)) -> str:
    """Content hash of a file, or of every file under a directory (names and bytes, sorted)."""
    p = Path(path)
    if p.is_file():
        return sha256_file(p)
    h = hashlib.sha256()
    files = sorted({f for pat in patterns for f in p.rglob(pat) if f.is_file()})
    for f in files:
        h.update(str(f.relative_to(p)).encode())
        h.update(b"\0")
        h.update(sha256_file(f).encode())
    return h.hexdigest()


def slug(*parts: Any) -> str:
    """A file-name-safe name made of ``parts`` (empty ones skipped, joined by ``-``): ``chat:llama`` ->
    ``chat-llama``, ``("matrix", "asr", "builtin:harmful")`` -> ``matrix-asr-builtin-harmful``; ``_`` if nothing
    is left."""
    joined = "-".join(str(p) for p in parts if p not in (None, ""))
    return re.sub(r"[^A-Za-z0-9._-]+", "-", joined).strip("-") or "_"


def stable_hash(obj: Any) -> str:
    """sha256 of the canonical JSON form of ``obj`` (sorted keys), for cache keys and content hashes."""
    return sha256_bytes(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))


def fetch_pinned(url: str, sha256: str, name: str | None = None) -> Path:
    """Return a local copy of ``url``, downloading it once into the ptst cache and checking its sha256.

    A copy whose hash does not match is refused (and not kept), so a changed upstream file can never silently
    change results.
    """
    from ptst.paths import downloads_dir

    dest = downloads_dir() / sha256[:16] / (name or url.rstrip("/").rsplit("/", 1)[-1])
    if dest.exists() and sha256_file(dest) == sha256:
        return dest
    import httpx

    try:
        resp = httpx.get(url, follow_redirects=True, timeout=60.0)
        resp.raise_for_status()
    except Exception as e:  # network errors are user/environment errors here
        raise PtstError(f"cannot download {url}: {one_line(e, 160)} (offline? pass a local --path instead)") from None
    got = sha256_bytes(resp.content)
    if got != sha256:
        raise PtstError(f"{url}: sha256 {got} does not match the pinned {sha256}; refusing to use it")
    atomic_write_bytes(dest, resp.content)
    return dest
