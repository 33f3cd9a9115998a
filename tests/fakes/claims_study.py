"""Write a fake study directory (results rows + per-item files) with chosen per-item outcomes, so the claims,
`ptst compare` and the report can be tested on exactly known tables without running a model."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import yaml

from ptst.io import write_jsonl
from ptst.study.claims import items_path
from ptst.study.results import sort_rows, write_results

SAFE = {"chat:llama"}
FIELD = {"safety": "harmful", "helpfulness": "correct", "benign": "refused"}
METRIC = {"safety": "asr", "helpfulness": "accuracy", "benign": "refusal_rate"}


def _run(train: str, seed: int | None, mixing: bool) -> str:
    return "base" if train == "none" else f"{train.replace(':', '-')}_s{seed}_mix{int(mixing)}_abcd1234"


def write_study(out: Path, cells: dict[tuple, Sequence[Any]], *, judges: Sequence[str] = ("keyword",),
                kinds: dict[str, str] | None = None, spec: dict[str, Any] | None = None,
                steps: dict[str, int] | None = None) -> Path:
    """``cells`` maps ``(benchmark, train, test, mixing, checkpoint, seed)`` to the outcomes of each item (True /
    False / None = the judge failed). Every judge in ``judges`` gives the same verdicts unless an outcome is a dict
    ``{judge: value}``."""
    kinds = kinds or {"harmful": "safety", "math": "helpfulness"}
    steps = steps or {"final": 10}
    rows = []
    for (bench, train, test, mixing, ckpt, seed), outcomes in cells.items():
        kind = kinds[bench]
        base = train == "none"
        run = _run(train, seed, mixing)
        items = []
        for i, o in enumerate(outcomes):
            per = o if isinstance(o, dict) else {j: o for j in judges}
            items.append({"id": f"{bench}-{i}", "category": "c1" if i % 2 else "c2", "instruction": f"request {i}",
                          "reference": None, "prompt": f"<{test}> request {i}", "response": f"{run} answer {i}",
                          "judges": {j: ({"judge_error": "boom"} if v is None else {FIELD[kind]: bool(v)})
                                     for j, v in per.items()}})
        write_jsonl(items_path(out, run, "base" if base else ckpt, test, bench), items)
        for j in judges:
            vals = [(o[j] if isinstance(o, dict) else o) for o in outcomes]
            valid = [v for v in vals if v is not None]
            k, n = sum(bool(v) for v in valid), len(valid)
            rows.append({
                "study": "t", "run": run, "train_template": train, "test_template": test,
                "seed": None if base else seed, "mixing": False if base else mixing,
                "checkpoint": "base" if base else ckpt, "step": 0 if base else steps.get(ckpt, 10), "epoch": None,
                "benchmark": bench, "kind": kind, "judge": j, "metric": METRIC[kind], "category": "all",
                "value": k / n if n else None, "lo": None, "hi": None, "n": n, "k": k,
                "n_invalid": len(vals) - n, "train_safety": None if base else train in SAFE,
                "test_safety": test in SAFE, "ptst": (not base) and train not in SAFE and test in SAFE,
                "same_template": (not base) and train == test,
            })
    out.mkdir(parents=True, exist_ok=True)
    write_results(out, sort_rows(rows))
    data = {"name": "t", "model": "tiny-random", "format": "native",
            "evaluate": {"templates": sorted({k[2] for k in cells}),
                         "benchmarks": [{"name": b, "dataset": b} for b in kinds]}}
    data.update(spec or {})
    (out / "spec.yaml").write_text(yaml.safe_dump(data))
    return out


def outcomes(n: int, true_at: Sequence[int] | range) -> list[bool]:
    s = set(true_at)
    return [i in s for i in range(n)]
