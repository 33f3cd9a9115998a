"""Where ptst keeps its caches (converted models, downloaded data, the generation/judgment cache)."""

from __future__ import annotations

import os
from pathlib import Path

from ptst.errors import PtstError


def home() -> Path:
    """Root of ptst's user cache: ``$PTST_HOME``, else ``$XDG_CACHE_HOME/ptst``, else ``~/.cache/ptst``."""
    if os.environ.get("PTST_HOME"):
        root, var = Path(os.environ["PTST_HOME"]).expanduser(), "$PTST_HOME"
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
        root, var = base / "ptst", "$XDG_CACHE_HOME/ptst" if xdg else "~/.cache/ptst"
    if root.exists() and not root.is_dir():
        raise PtstError(f"{var} ({root}) is a file; ptst keeps its caches in a folder there: point it at a folder")
    return root


def models_dir() -> Path:
    return home() / "models"


def downloads_dir() -> Path:
    return home() / "downloads"


def cache_db() -> Path:
    """Default SQLite file holding every generation and judgment (overridden by ``$PTST_CACHE``)."""
    if os.environ.get("PTST_CACHE"):
        return Path(os.environ["PTST_CACHE"]).expanduser()
    return home() / "cache.sqlite"
