"""The tidy results table of a study: ``DIR/results.csv`` and ``DIR/results.jsonl``.

One row per (training template, test template, seed, mixing, checkpoint, benchmark, judge, metric, category), so
pandas/R users can pivot directly, e.g.::

    df = pd.read_csv("runs/smoke/results.csv")
    asr = df[(df.metric == "asr") & (df.category == "all") & (df.checkpoint.isin(["final", "base"]))]
    asr.pivot_table(index="train_template", columns="test_template", values="value", aggfunc=["mean", "std"])

Columns (see docs/study.md): identification (``study, run, train_template, test_template, seed, mixing,
checkpoint, step, epoch``), what was measured (``benchmark, kind, judge, metric, category``), the number
(``value, lo, hi, n, k, n_invalid``) and flags for the paper's reading (``train_safety, test_safety, ptst,
same_template``). The un-fine-tuned baseline has ``train_template = "none"``, ``run = "base"``,
``checkpoint = "base"``, empty ``seed`` and ``mixing = False``.

Rows are sorted and floats rounded, so an interrupted-and-resumed study writes byte-identical files to an
uninterrupted one.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Iterable, Sequence

from ptst.io import atomic_write_text
from ptst.metrics import ROW_FIELDS

#: identification, then what was measured and the number (a :class:`ptst.metrics.MetricRow`), then the flags
COLUMNS = (
    "study", "run", "train_template", "test_template", "seed", "mixing", "checkpoint", "step", "epoch",
    "benchmark", "kind", *ROW_FIELDS,
    "train_safety", "test_safety", "ptst", "same_template",
)
BASELINE = "none"
FLOAT_DIGITS = 6


def _round(v: Any) -> Any:
    if isinstance(v, float):
        return round(v, FLOAT_DIGITS)
    return v


def normalize(row: dict[str, Any]) -> dict[str, Any]:
    """A row with every column, in order, floats rounded."""
    return {c: _round(row.get(c)) for c in COLUMNS}


def sort_rows(rows: Iterable[dict[str, Any]], template_order: Sequence[str] = (),
              benchmark_order: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Stable, run-order-independent order: benchmark, judge, metric, category, training template (baseline
    first), test template, seed, mixing, step."""
    t_idx = {t: i for i, t in enumerate(template_order)}
    b_idx = {b: i for i, b in enumerate(benchmark_order)}

    def key(r: dict[str, Any]):
        tt = r["train_template"]
        return (
            b_idx.get(r["benchmark"], len(b_idx)), str(r["benchmark"]), str(r["judge"]), str(r["metric"]),
            r["category"] != "all", str(r["category"]),
            tt != BASELINE, t_idx.get(tt, len(t_idx)), str(tt),
            t_idx.get(r["test_template"], len(t_idx)), str(r["test_template"]),
            -1 if r["seed"] is None else r["seed"], bool(r["mixing"]), r["step"] or 0, str(r["checkpoint"]),
        )

    return sorted((normalize(r) for r in rows), key=key)


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    return buf.getvalue()


def write_results(out_dir: str | Path, rows: Sequence[dict[str, Any]]) -> None:
    """Write ``results.csv`` and ``results.jsonl`` atomically (each is either the old or the new file)."""
    out = Path(out_dir)
    atomic_write_text(out / "results.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    atomic_write_text(out / "results.csv", to_csv(rows))


#: columns that hold a number (or nothing); a results file with anything else there is refused, not half-read
NUMERIC_COLUMNS = ("seed", "step", "epoch", "value", "lo", "hi", "n", "k", "n_invalid")


def read_results(out_dir: str | Path) -> list[dict[str, Any]]:
    """The rows of ``DIR/results.jsonl``; a row with text where a number belongs is an error naming the line."""
    from ptst.errors import PtstError
    from ptst.io import iter_jsonl

    p = Path(out_dir) / "results.jsonl"
    if not p.exists():
        raise PtstError(f"{out_dir}: no results.jsonl here; run the study first (ptst run SPEC --out {out_dir})")
    rows = []
    for line, row in iter_jsonl(p):
        for col in NUMERIC_COLUMNS:
            v = row.get(col)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                raise PtstError(f"{p}:{line}: column {col!r} must be a number, got {v!r}")
        rows.append(row)
    return rows
