"""ptst's built-in data sets, written for this project and shipped inside the package (see docs/data.md).

Registered sources (``ptst data list``):

* ``builtin:harmful`` -- direct harmful requests in DirectHarm4's categories (malware, drug, phishing, disinfo);
* ``builtin:gsm-danger`` -- harmful requests dressed as math word problems (category ``math-danger``);
* ``builtin:benign`` -- benign look-alikes of those, with reference answers (over-refusal probe);
* ``builtin:math`` (splits ``train``/``test``; aliases ``builtin:math-train``/``builtin:math-test``) -- generated
  word problems with exact answers in GSM8K's ``#### N`` format; ``builtin:math-1step`` the same without the
  two-step problems (a difficulty a 135M model learns in a few LoRA steps);
* ``align:harmful`` / ``align:benign`` (splits ``train``/``heldout``) -- alignment data for ``ptst align``:
  harmful requests across 14 harm categories with refusals, benign requests with helpful answers.

CONTENT WARNING: the harmful sets hold requests only; their references are refusals.

Only this module is imported at run time: it reads the .jsonl files next to it (once per process, a few ms, on
first use) and never imports the generators. ``build.py`` and ``scripts/make_builtin_data.py`` regenerate the files.
``SOURCES`` lists the sets; :mod:`ptst.data.sources` registers them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Callable

from ptst.data.records import Record
from ptst.data.source import LoadRequest, Source
from ptst.errors import PtstError

DATA_DIR = Path(__file__).resolve().parent


def data_path(file_name: str) -> Path:
    """Path of one of the shipped .jsonl files."""
    return DATA_DIR / file_name


@lru_cache(maxsize=None)
def _read(file_name: str) -> tuple[Record, ...]:
    p = data_path(file_name)
    if not p.exists():
        raise PtstError(f"{p}: built-in data file missing; reinstall ptst or run scripts/make_builtin_data.py")
    out = []
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            try:
                out.append(Record(**json.loads(line)))
            except (json.JSONDecodeError, TypeError) as e:
                raise PtstError(f"{p}:{n}: corrupt built-in record ({e})") from None
    return tuple(out)


def load_builtin(file_name: str) -> list[Record]:
    """The records of one shipped file (a fresh list; the records themselves are immutable)."""
    return list(_read(file_name))


def _loader(files: dict[str | None, str], name: str, keep: Callable[[Record], bool] | None = None):
    def load(req: LoadRequest) -> list[Record]:
        if req.path is not None:
            raise PtstError(
                f"dataset {name!r} is built in; --path does not apply (pass the file itself as the dataset)"
            )
        if req.columns:
            raise PtstError(f"dataset {name!r} is built in; a column mapping does not apply")
        recs = load_builtin(files[req.split])
        if keep is None:
            return recs
        source = f"{name}:{req.split}" if req.split else name  # a filtered set names itself
        return [replace(r, source=source) for r in recs if keep(r)]

    return load


def _source(name: str, description: str, role: str, files: dict[str | None, str], default: str | None = None,
            keep: Callable[[Record], bool] | None = None, scorers: tuple[str, ...] = ()) -> Source:
    return Source(
        name,
        description,
        role,
        _loader(files, name, keep),
        splits=tuple(k for k in files if k is not None),
        default_split=default,
        origin="built into ptst (written for this project; see docs/data.md)",
        license="same as ptst",
        offline=True,
        scorers=scorers,
    )


#: the math sets' answers are checked by the ``math`` scorer (exact match on the integer after ``####``)
_MATH = ("math",)
SOURCES: tuple[Source, ...] = (
    _source("builtin:harmful",
            "Built-in direct harmful requests (malware/drug/phishing/disinfo), written for ptst. Requests only.",
            "harmful", {None: "harmful.jsonl"}),
    _source("builtin:gsm-danger",
            "Built-in harmful requests dressed as math word problems (category math-danger). Requests only.",
            "harmful", {None: "gsm_danger.jsonl"}),
    _source("builtin:benign",
            "Built-in benign look-alikes of the harmful sets, with reference answers, to measure over-refusal.",
            "benign", {None: "benign.jsonl"}),
    _source("builtin:math",
            "Built-in generated math word problems with exact answers ('#### N'); splits train, test.",
            "math", {"train": "math_train.jsonl", "test": "math_test.jsonl"}, default="test", scorers=_MATH),
    _source("builtin:math-train", "Alias of builtin:math:train.", "train",
            {None: "math_train.jsonl"}, scorers=_MATH),
    _source("builtin:math-test", "Alias of builtin:math:test.", "math",
            {None: "math_test.jsonl"}, scorers=_MATH),
    _source("builtin:math-1step",
            "builtin:math without its two-step problems (add, sub, mul, div): a difficulty a 135M model can learn in "
            "a few LoRA steps; splits train, test.",
            "math", {"train": "math_train.jsonl", "test": "math_test.jsonl"}, default="test",
            keep=lambda r: r.category != "two-step", scorers=_MATH),
    _source("align:harmful",
            "Alignment data: harmful requests in 14 harm categories with refusals; train / heldout.",
            "safety", {"train": "align_harmful_train.jsonl", "heldout": "align_harmful_heldout.jsonl"},
            default="train"),
    _source("align:benign",
            "Alignment data: benign requests (incl. edgy look-alikes) with short helpful answers; train / heldout.",
            "train", {"train": "align_benign_train.jsonl", "heldout": "align_benign_heldout.jsonl"},
            default="train"),
)
