"""The one guard every command runs on its output paths before any work starts.

:func:`check_output` refuses, as one :class:`~ptst.errors.PtstError` line naming the path:

* an output that is, or resolves to (symlinks, ``..``, hard links), a file the command reads: its input data,
  the cache (and its ``-wal``/``-shm`` files), a spec; writing there would replace the user's file;
* a file output that is an existing directory, a directory output that is an existing file, an output below a
  regular file, or below a folder that cannot be written.

:func:`check_own_dir` adds what a command that fills a whole folder needs: a non-empty folder that is not one of
ptst's own is refused unless ``--force``, so results, reports or checkpoints are never written over (or mixed
into) someone else's files. ``ptst run -o DIR`` (:func:`check_study_dir`) and ``ptst train --output-dir`` use it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Literal

from ptst.errors import PtstError

# a study folder: ``ptst run`` creates its lock file before any work (and leaves it); a folder with all of the
# files a finished study writes counts too (copied without the hidden lock). A lone spec.yaml is the user's own.
STUDY_LOCK = ".ptst-run.lock"
STUDY_FILES = ("manifest.json", "spec.yaml", "results.jsonl")


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _resolve(p: str | os.PathLike) -> Path:
    return Path(p).expanduser().resolve()


def _reads(paths: Iterable[str | os.PathLike | None]) -> list[tuple[Path, str]]:
    out = []
    for p in paths:
        if p is None or str(p) == "":
            continue
        r = _resolve(p)
        out.append((r, str(p)))
        if r.suffix in (".sqlite", ".db") or r.name.endswith(".sqlite"):
            for tail in ("-wal", "-shm", "-journal"):
                out.append((r.with_name(r.name + tail), str(p)))
    return out


def check_output(path: str | os.PathLike, *, reads: Iterable[str | os.PathLike | None] = (),
                 kind: Literal["file", "dir"] = "file", option: str = "--out") -> Path:
    """The resolved output path, after the checks above (nothing is created)."""
    if str(path).strip() == "":
        raise PtstError(f"{option}: empty path")
    out = _resolve(path)
    for r, given in _reads(reads):
        if _same(out, r):
            raise PtstError(f"{option} {path}: is the file this command reads ({given}); refusing to overwrite it, "
                            "write the output somewhere else")
    if kind == "file":
        if out.is_dir():
            raise PtstError(f"{option} {path}: is a directory; give a file name")
    elif out.exists() and not out.is_dir():
        raise PtstError(f"{option} {path}: is a file, expected a directory")
    _check_parent_writable(out if kind == "dir" and out.exists() else out.parent, path, option)
    return out


def _check_parent_writable(folder: Path, given: str | os.PathLike, option: str) -> None:
    p = folder
    while not p.exists():
        if p.parent == p:
            break
        p = p.parent
    if p.exists() and not p.is_dir():
        raise PtstError(f"{option} {given}: {p} is a file, not a directory")
    if p.exists() and not os.access(p, os.W_OK | os.X_OK):
        raise PtstError(f"{option} {given}: {p} is not writable")


def is_study_dir(path: Path) -> bool:
    return (path / STUDY_LOCK).is_file() or all((path / m).is_file() for m in STUDY_FILES)


def check_own_dir(path: str | os.PathLike, *, ours: Callable[[Path], bool], what: str, marker: str,
                  reads: Iterable[str | os.PathLike | None] = (), force: bool = False, option: str = "--out") -> Path:
    """``check_output(kind="dir")``, and refuse a non-empty folder that ptst did not make unless ``force``:
    ``ours(folder)`` tells one of ptst's (a ``what``, recognised by its ``marker`` file)."""
    out = check_output(path, reads=reads, kind="dir", option=option)
    if out.is_dir() and not force and not ours(out) and any(out.iterdir()):
        raise PtstError(f"{option} {path}: folder is not empty and is not a {what} (no {marker}); choose a "
                        "new or empty folder, or pass --force to write into it")
    return out


def check_study_dir(path: str | os.PathLike, *, reads: Iterable[str | os.PathLike | None] = (),
                    force: bool = False) -> Path:
    """The output folder of ``ptst run``: a new or empty folder, or a ptst study, or anything with ``force``."""
    return check_own_dir(path, ours=is_study_dir, what="ptst study", marker=STUDY_LOCK, reads=reads, force=force)
