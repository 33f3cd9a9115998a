"""Shared CLI helpers."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from ptst.errors import PtstError


def echo_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False))


def load_templates_option(paths: list[str] | None) -> None:
    if paths:
        from ptst.templates import load_templates_file

        for p in paths:
            load_templates_file(p)


TEMPLATES_FILE_OPTION = typer.Option(
    None, "--templates", help="YAML file of extra templates and safety prompts (repeatable)."
)


def fail(msg: str) -> None:
    raise PtstError(msg)


def eprint(msg: str) -> None:
    print(msg, file=sys.stderr)


# ---- flags mean one thing: shared checks every verb uses ---------------------------------------------------


def at_least_one(**values: int | None) -> None:
    """``--limit 0`` or ``-n -1`` is refused (it would run nothing, or silently drop the last item)."""
    for name, v in values.items():
        if v is not None and v < 1:
            raise PtstError(f"--{name.replace('_', '-')} must be at least 1, got {v}")


def refuse_together(**flags: Any) -> None:
    """Two flags that contradict each other (``--cache F --no-cache``, ``--lora --full``) are refused, not one
    silently taken. Pass each flag's given value (``None``/``False`` = not given)."""
    given = [k for k, v in flags.items() if v not in (None, False)]
    if len(given) > 1:
        names = " and ".join("--" + k.replace("_", "-") for k in given)
        raise PtstError(f"{names} contradict each other; give one")


def refuse_inapplicable(backend: str, applies: dict[str, tuple[str, ...]], given: dict[str, Any]) -> None:
    """A flag for another backend (``--base-url`` with ``--backend hf``) is refused rather than ignored.
    ``applies`` maps a flag to the backends that use it; ``given`` holds the flags the user set (others None)."""
    for flag, value in given.items():
        if value in (None, False):
            continue
        if backend not in applies.get(flag, (backend,)):
            raise PtstError(f"--{flag.replace('_', '-')} does not apply to --backend {backend} (it is for: "
                            f"{', '.join(applies[flag])})")


def refuse_duplicates(option: str, values: list[str]) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise PtstError(f"{option}: {v!r} is given twice")
        seen.add(v)


def cache_file(cache: str | None) -> str:
    """The cache file a command will use: ``--cache``, else ``$PTST_CACHE`` or the ptst cache."""
    from ptst.paths import cache_db

    return str(Path(cache).expanduser()) if cache else str(cache_db())


def input_files(*names: str | None) -> list[str]:
    """The names that are existing local files (a dataset name like ``gsm8k`` is not a file)."""
    return [n for n in names if n and Path(n).expanduser().exists()]


def warn_if_unlike(name: str, split: str | None, path: str | None, records: list) -> str | None:
    """A named dataset read from ``--path`` that does not have the set's published size or categories gets one
    warning line on stderr (``data show directharm4 --path gsm8k.jsonl`` would label math problems DirectHarm4);
    returns the warning (None when it looks right, or no path was given)."""
    from ptst.data import resolve

    if not path:
        return None
    ref = resolve(name, split)
    src = ref.source
    if src is None:
        return None
    problems = []
    want = src.sizes.get(src.split_or_default(ref.split))
    if want and len(records) != want:
        problems.append(f"{len(records)} records, where {src.name} has {want}")
    cats = set(src.categories)
    got = {r.category for r in records if r.category}
    if cats and not got & cats:
        problems.append(f"none of its categories ({', '.join(sorted(cats)[:6])})")
    if not problems:
        return None
    msg = f"ptst: warning: {path} does not look like {src.name}: {'; '.join(problems)}; check --path"
    eprint(msg)
    return msg
