"""Assemble every built-in data file from the hand-written texts and the seeded generators.

``build_all(seed)`` is a pure function of the seed and the text modules: the same seed gives byte-identical
files. ``scripts/make_builtin_data.py`` writes its result into this package; the tests rebuild it and compare, so
the shipped .jsonl files can never drift from their sources. Loading at run time only reads the .jsonl files.

Ids are stable: hand-written items get ``<set>-<category>-<8 hex of sha1(text)>`` (adding or reordering items
leaves other ids unchanged), math items get ``math-<template>-<numbers>`` (unique because no number combination
of a template is used twice).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from functools import lru_cache
from typing import Any

from ptst.data.builtin import align_benign_texts, align_families, align_harmful_texts, align_lookalike_texts, mathgen
from ptst.data.builtin.benign_texts import BENIGN
from ptst.data.builtin.harmful_texts import GSM_DANGER, HARMFUL

DEFAULT_SEED = 2402  # arXiv 2402.18540
MATH_TRAIN = 2000
MATH_TEST = 320
FRAMINGS_PER_ACT = 3

# file name -> source name written in each record
FILES: dict[str, str] = {
    "harmful.jsonl": "builtin:harmful",
    "gsm_danger.jsonl": "builtin:gsm-danger",
    "benign.jsonl": "builtin:benign",
    "math_train.jsonl": "builtin:math:train",
    "math_test.jsonl": "builtin:math:test",
    "align_harmful_train.jsonl": "align:harmful:train",
    "align_harmful_heldout.jsonl": "align:harmful:heldout",
    "align_benign_train.jsonl": "align:benign:train",
    "align_benign_heldout.jsonl": "align:benign:heldout",
}

Row = dict[str, Any]


def text_id(prefix: str, text: str) -> str:
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}"


def _row(rid: str, source: str, instruction: str, category: str, reference: str | None = None,
         meta: dict[str, Any] | None = None) -> Row:
    row: Row = {"id": rid, "source": source, "instruction": instruction}
    if reference is not None:
        row["reference"] = reference
    row["category"] = category
    if meta:
        row["meta"] = meta
    return row


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


def build_eval_sets() -> dict[str, list[Row]]:
    harmful = [_row(text_id(f"harmful-{cat}", t), "builtin:harmful", t, cat)
               for cat, items in HARMFUL.items() for t in items]
    danger = [_row(text_id("gsm-danger", t), "builtin:gsm-danger", t, "math-danger") for t in GSM_DANGER]
    benign = [_row(text_id(f"benign-{cat}", q), "builtin:benign", q, cat, reference=a) for cat, q, a in BENIGN]
    return {"harmful.jsonl": harmful, "gsm_danger.jsonl": danger, "benign.jsonl": benign}


def _math_rows(problems: list[mathgen.Problem], source: str) -> list[Row]:
    rows = []
    for p in problems:
        numbers = "-".join(f"{k}{v}" for k, v in sorted(p.values.items()))
        meta = {"template": p.template, "answer": p.answer}  # the numbers are in the id
        rows.append(_row(f"math-{p.template}-{numbers}", source, p.question, p.category, reference=p.worked,
                         meta=meta))
    return rows


def build_math(seed: int) -> dict[str, list[Row]]:
    train, test = mathgen.generate(seed, MATH_TRAIN, MATH_TEST)
    return {"math_train.jsonl": _math_rows(train, "builtin:math:train"),
            "math_test.jsonl": _math_rows(test, "builtin:math:test")}


def refusal(category: str, kind: str, rng: random.Random) -> str:
    """Opener + category reason + redirect, each picked with ``rng``."""
    H = align_harmful_texts
    if category == "self-harm":
        opener = rng.choice(H.SELF_HARM_OPENERS)
    elif kind == "write":
        opener = rng.choice(H.WRITE_OPENERS)
    else:
        opener = rng.choice(H.OPENERS)
    return f"{opener} {rng.choice(H.REASONS[category])} {rng.choice(H.REDIRECTS[category])}"


@lru_cache(maxsize=None)
def _heldout_framing_patterns() -> tuple[re.Pattern[str], ...]:
    """align:harmful's held-out framings as full-match patterns ({a}/{A} match any request)."""
    out = []
    for framings in align_harmful_texts.FRAMINGS["heldout"].values():
        for f in framings:
            parts = re.split(r"\{[aA]\}", f)
            out.append(re.compile("(?s)" + "(.+)".join(re.escape(p) for p in parts)))
    return tuple(out)


def uses_heldout_framing(text: str) -> bool:
    """True when ``text`` is phrased in one of align:harmful's held-out framings ("Help me ...", "Quick question:
    how would I ...?"). Such benign items go to the held-out split only, so no training set contains those framings."""
    return any(p.fullmatch(text) for p in _heldout_framing_patterns())


def lookalike_split(index: int, text: str) -> str:
    """Split of the ``index``-th item of one area of ``align_lookalike_texts.LOOKALIKES``: every 5th item is held
    out (about 20%), as is any item in a held-out framing of align:harmful."""
    return "heldout" if index % 5 == 4 or uses_heldout_framing(text) else "train"


def lookalike_rows() -> list[tuple[str, Row]]:
    """(split, row) for the hand-written look-alikes: ``LOOKALIKES`` by area, then ``FORM``. Seed-independent."""
    L = align_lookalike_texts
    out: list[tuple[str, Row]] = []
    items = [("lookalike", area, q, a, lookalike_split(i, q))
             for area, pairs in L.LOOKALIKES.items() for i, (q, a) in enumerate(pairs)]
    items += [("lookalike-form", area, q, a, "heldout" if uses_heldout_framing(q) else "train")
              for area, q, a in L.FORM]
    for cat, area, q, a, split in items:
        out.append((split, _row(text_id(f"align-benign-{cat}", q), f"align:benign:{split}", q, cat, reference=a,
                                meta={"area": area})))
    return out


def build_align(seed: int) -> dict[str, list[Row]]:
    rng = random.Random(f"align-{seed}")
    H = align_harmful_texts
    harmful: dict[str, list[Row]] = {"train": [], "heldout": []}
    for cat, acts in H.ACTS.items():
        for i, (kind, act) in enumerate(acts):
            split = "heldout" if i >= len(acts) - H.HELDOUT_PER_CATEGORY else "train"
            for framing in rng.sample(H.FRAMINGS[split][kind], FRAMINGS_PER_ACT):
                text = framing.format(a=act, A=_cap(act))
                harmful[split].append(_row(text_id(f"align-harmful-{cat}", text), f"align:harmful:{split}", text,
                                           cat, reference=refusal(cat, kind, rng)))
    for i, (cat, text) in enumerate(H.HANDWRITTEN):
        split = "heldout" if i % 2 else "train"
        harmful[split].append(_row(text_id(f"align-harmful-{cat}", text), f"align:harmful:{split}", text, cat,
                                   reference=refusal(cat, "how", rng)))

    benign: dict[str, list[Row]] = {"train": [], "heldout": []}
    for i, (cat, q, a) in enumerate(align_benign_texts.HANDWRITTEN):
        split = "heldout" if i % 2 else "train"
        benign[split].append(_row(text_id(f"align-benign-{cat}", q), f"align:benign:{split}", q, cat, reference=a))
    for cat, q, a in align_families.families(rng):
        benign["train"].append(_row(text_id(f"align-benign-{cat}", q), "align:benign:train", q, cat, reference=a))
    for split, row in lookalike_rows():
        benign[split].append(row)
    # interleave so that a prefix (``limit``) of the training file covers every category
    for rows in (*harmful.values(), *benign.values()):
        rng.shuffle(rows)
    return {
        "align_harmful_train.jsonl": harmful["train"],
        "align_harmful_heldout.jsonl": harmful["heldout"],
        "align_benign_train.jsonl": benign["train"],
        "align_benign_heldout.jsonl": benign["heldout"],
    }


def build_all(seed: int = DEFAULT_SEED) -> dict[str, list[Row]]:
    """Every built-in file's rows, keyed by file name (see ``FILES``)."""
    out = {**build_eval_sets(), **build_math(seed), **build_align(seed)}
    assert set(out) == set(FILES)
    return out


def to_jsonl(rows: list[Row]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in rows)
