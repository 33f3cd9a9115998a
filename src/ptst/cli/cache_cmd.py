"""``ptst cache``: inspect and clear the generation/judgment cache."""

from __future__ import annotations

from typing import Optional

import typer

from ptst.cli.common import echo_json

CACHE_OPTION = typer.Option(None, "--cache", help="SQLite cache file (default: $PTST_CACHE or the ptst cache).")


def _cache_path(cache: Optional[str]):
    from pathlib import Path

    from ptst.paths import cache_db

    return Path(cache).expanduser() if cache else cache_db()


def register(app: typer.Typer) -> None:
    c = typer.Typer(help="Inspect and clear the cache of generations and judgments.", no_args_is_help=True)
    app.add_typer(c, name="cache")

    @c.command("stats")
    def stats_cmd(cache: Optional[str] = CACHE_OPTION) -> None:
        """Print the cache file, its size on disk and its rows per kind, as one JSON object."""
        from ptst.cache import KINDS, Cache

        p = _cache_path(cache)
        if not p.exists():  # do not create an empty database just to report that it is empty
            echo_json({"path": str(p), "exists": False, "bytes": 0, "rows": {k: 0 for k in KINDS}})
            return
        store = Cache(p)
        try:
            s = store.stats()
        finally:
            store.close()
        echo_json({"path": s["path"], "exists": True, "bytes": s["bytes"], "rows": {k: s[k] for k in KINDS}})

    @c.command("clear")
    def clear_cmd(
        kind: Optional[list[str]] = typer.Option(
            None, "--kind", help="Only this kind: generation or judgment (repeatable: each one given is cleared)."),
        yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
        cache: Optional[str] = CACHE_OPTION,
    ) -> None:
        """Delete cached rows (all kinds, or one), then print what was removed as JSON."""
        import sys

        from ptst.cache import KINDS, Cache
        from ptst.errors import PtstError

        kinds = list(dict.fromkeys(kind or []))
        for k in kinds:
            if k not in KINDS:
                raise PtstError(f"--kind: unknown cache kind {k!r}; choose one of: {', '.join(KINDS)}")
        kinds = kinds or list(KINDS)
        p = _cache_path(cache)
        if not p.exists():
            echo_json({"path": str(p), "removed": {k: 0 for k in kinds}})
            return
        what = f"{' and '.join(kinds)} rows" if kind else "all rows"
        if not yes:
            if not sys.stdin.isatty():
                raise PtstError(f"refusing to clear {what} of {p} without --yes")
            typer.confirm(f"Delete {what} of {p}?", abort=True)
        store = Cache(p)
        try:
            removed: dict[str, int] = {}
            for k in kinds:
                removed.update(store.clear(k))
        finally:
            store.close()
        echo_json({"path": str(p), "removed": removed})
