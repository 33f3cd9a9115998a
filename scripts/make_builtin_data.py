#!/usr/bin/env python3
"""Regenerate ptst's built-in data files (src/ptst/data/builtin/*.jsonl) from their sources.

    python scripts/make_builtin_data.py            # write the files (atomically), print counts
    python scripts/make_builtin_data.py --check    # exit 1 if the shipped files differ from a fresh build
    python scripts/make_builtin_data.py --overlap DIR   # also print the nearest pairs against public sets in DIR

The output is a pure function of --seed (default: the one the shipped files use) and the text modules in
src/ptst/data/builtin/, so running it twice gives byte-identical files. Before writing, it refuses to produce data
that breaks the disjointness rules checked by tests/test_builtin_data.py among the built-in sets themselves.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from ptst.data.builtin import DATA_DIR
from ptst.data.builtin import overlap as ov
from ptst.data.builtin.build import DEFAULT_SEED, FILES, build_all, to_jsonl
from ptst.io import atomic_write_text

ALIGN = ("align_harmful_train.jsonl", "align_harmful_heldout.jsonl", "align_benign_train.jsonl",
         "align_benign_heldout.jsonl")
EVAL = ("harmful.jsonl", "gsm_danger.jsonl", "benign.jsonl", "math_test.jsonl")


def _texts(rows: list[dict]) -> list[str]:
    return [r["instruction"] for r in rows]


def internal_conflicts(files: dict[str, list[dict]]) -> list[str]:
    """Near/exact duplicates between alignment and evaluation files and between the evaluation files."""
    pairs = [(a, e) for a in ALIGN for e in EVAL]
    pairs += [(EVAL[i], EVAL[j]) for i in range(len(EVAL)) for j in range(i + 1, len(EVAL))]
    pairs += [("align_harmful_train.jsonl", "align_harmful_heldout.jsonl"),
              ("align_benign_train.jsonl", "align_benign_heldout.jsonl")]
    problems = []
    coll = {name: ov.Collection(_texts(files[name])) for name in {n for pair in pairs for n in pair}}
    for x, y in pairs:
        for m in ov.near_duplicates(coll[x], coll[y]):
            problems.append(f"{x}:{files[x][m.a]['id']} ~ {y}:{files[y][m.b]['id']} "
                            f"(jaccard {m.jaccard:.2f}, overlap {m.overlap:.2f})")
        for i, j in ov.exact_duplicates(coll[x], coll[y]):
            problems.append(f"{x}:{files[x][i]['id']} == {y}:{files[y][j]['id']}")
    return problems


def nearest_public(files: dict[str, list[dict]], shared: Path) -> None:
    """Print, per built-in file, its closest pair against each public set (to see the margin to the thresholds)."""
    from ptst.data import load_dataset

    public = {
        "advbench": load_dataset("advbench", path=shared / "advbench"),
        "directharm4": load_dataset("directharm4", path=shared / "directharm4"),
        "gsm8k:test": load_dataset("gsm8k", path=shared / "gsm8k", split="test"),
        "safety-tuned-llamas": load_dataset("safety-tuned-llamas", path=shared / "safety-tuned-llamas"),
    }
    for fname, rows in files.items():
        for pname, recs in public.items():
            ms = ov.near_duplicates(_texts(rows), [r.instruction for r in recs], jaccard=0.2, overlap=0.4)
            if ms:
                m = max(ms, key=lambda m: max(m.jaccard, m.overlap))
                print(f"{fname} vs {pname}: max jaccard {max(x.jaccard for x in ms):.2f}, "
                      f"max overlap {max(x.overlap for x in ms):.2f}; e.g. {rows[m.a]['instruction'][:70]!r} ~ "
                      f"{recs[m.b].instruction[:70]!r}")
            else:
                print(f"{fname} vs {pname}: no pair above jaccard 0.2 / overlap 0.4")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", type=Path, default=DATA_DIR, help="output folder (default: the package folder)")
    ap.add_argument("--check", action="store_true", help="compare with the files in --out instead of writing")
    ap.add_argument("--overlap", type=Path, metavar="DIR", help="folder with the public sets (../shared/data)")
    args = ap.parse_args(argv)

    files = build_all(args.seed)
    problems = internal_conflicts(files)
    if problems:
        print("refusing to write: the built-in sets overlap\n  " + "\n  ".join(problems[:30]), file=sys.stderr)
        return 1
    stale = []
    for name in FILES:
        text = to_jsonl(files[name])
        path = args.out / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            atomic_write_text(path, text)
            os.chmod(path, 0o644)  # package data: readable by everyone, like the rest of the tree
        cats = Counter(r["category"] for r in files[name])
        print(f"{name:<30} {len(files[name]):>5}  {dict(sorted(cats.items()))}")
    if args.overlap:
        nearest_public(files, args.overlap)
    if stale:
        print(f"stale (run scripts/make_builtin_data.py): {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
