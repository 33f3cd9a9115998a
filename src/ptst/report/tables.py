"""From the tidy results table to the paper's views: template matrices, published numbers, checkpoint curves.

A *cell* is one (training template, test template) pair at one mixing setting and checkpoint. Its number is the
mean over seeds with the standard deviation across seeds (as the paper's tables), and its interval is the Wilson
95% interval of the counts pooled over seeds (shown for a single seed). The paper's claims are decided by paired
comparisons on the shared items, in :mod:`ptst.study.claims`, not by these intervals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from ptst.metrics import mean_interval, wilson_interval
from ptst.study.results import BASELINE

RATE_METRICS = ("asr", "refusal_rate", "accuracy", "parse_failures", "no_answer")


@dataclass
class Cell:
    train: str
    test: str
    values: list[float]
    k: int | None
    n: int | None
    ptst: bool
    same: bool
    mean: float | None = None
    std: float | None = None
    lo: float | None = None
    hi: float | None = None

    def __post_init__(self) -> None:
        spread = mean_interval([v for v in self.values if v is not None])
        self.mean, self.std = spread.value, spread.sd
        if self.k is not None and self.n:
            self.lo, self.hi = wilson_interval(self.k, self.n)

    @property
    def seeds(self) -> int:
        return len([v for v in self.values if v is not None])

    @property
    def pooled(self) -> float | None:
        return self.k / self.n if (self.k is not None and self.n) else self.mean

    @property
    def name(self) -> str:
        return f"train {self.train} / test {self.test}"


@dataclass
class Matrix:
    benchmark: str
    judge: str
    metric: str
    mixing: bool
    rows: list[str]
    cols: list[str]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)

    def get(self, r: str, c: str) -> Cell | None:
        return self.cells.get((r, c))

    @property
    def title(self) -> str:
        what = {"asr": "ASR", "accuracy": "helpfulness (accuracy)", "refusal_rate": "refusal rate"}.get(
            self.metric, self.metric)
        mix = ", safety mixing on" if self.mixing else ""
        return f"{what} on {self.benchmark} ({self.judge}{mix})"

    def fine_tuned(self) -> list[Cell]:
        return [c for (r, _), c in self.cells.items() if r != BASELINE]


def _order(values: Iterable[str], preferred: Sequence[str]) -> list[str]:
    vals = list(dict.fromkeys(values))
    idx = {v: i for i, v in enumerate(preferred)}
    return sorted(vals, key=lambda v: (idx.get(v, len(idx)), v))


def select(rows: Sequence[dict[str, Any]], **eq: Any) -> list[dict[str, Any]]:
    return [r for r in rows if all(r.get(k) == v for k, v in eq.items())]


def build_matrix(rows: Sequence[dict[str, Any]], benchmark: str, judge: str, metric: str, mixing: bool = False,
                 checkpoint: str = "final", category: str = "all", template_order: Sequence[str] = ()) -> Matrix:
    """Rows = training templates (the baseline ``none`` first), columns = test templates."""
    sel = [r for r in rows if r["benchmark"] == benchmark and r["judge"] == judge and r["metric"] == metric
           and r["category"] == category
           and ((r["train_template"] == BASELINE and r["checkpoint"] == "base")
                or (r["train_template"] != BASELINE and r["checkpoint"] == checkpoint and bool(r["mixing"]) == mixing))]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in sel:
        groups[(r["train_template"], r["test_template"])].append(r)
    trains = _order((t for t, _ in groups if t != BASELINE), template_order)
    if any(t == BASELINE for t, _ in groups):
        trains = [BASELINE, *trains]
    tests = _order((t for _, t in groups), template_order)
    m = Matrix(benchmark, judge, metric, mixing, trains, tests)
    for (tr, te), rs in groups.items():
        ks = [r["k"] for r in rs]
        ns = [r["n"] for r in rs]
        pooled_k = sum(ks) if all(isinstance(k, int) for k in ks) and metric in RATE_METRICS else None
        pooled_n = sum(ns) if pooled_k is not None else None
        m.cells[(tr, te)] = Cell(tr, te, [r["value"] for r in rs], pooled_k, pooled_n, bool(rs[0]["ptst"]),
                                 bool(rs[0]["same_template"]))
    return m


def fmt_pct(v: float | None, digits: int = 1) -> str:
    return "n/a" if v is None else f"{100 * v:.{digits}f}"


def format_cell(c: Cell | None, metric: str) -> str:
    """``12.5 ± 3.1`` (percent, mean ± std over seeds) or ``12.5 [6.0, 24.1]`` for a single seed."""
    if c is None or c.mean is None:
        return "–"
    if metric not in RATE_METRICS:
        s = f"{c.mean:.2f}"
        return s + (f" ± {c.std:.2f}" if c.seeds > 1 else "")
    if c.seeds > 1:
        return f"{fmt_pct(c.mean)} ± {fmt_pct(c.std)}"
    if c.lo is not None and c.hi is not None:
        return f"{fmt_pct(c.mean)} [{fmt_pct(c.lo)}, {fmt_pct(c.hi)}]"
    return fmt_pct(c.mean)


# ---- published numbers -----------------------------------------------------------------------------------------


def published_rows(published: Sequence[dict[str, Any]], rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each published number with the measured value of the same setting (mean ± std over seeds)."""
    out = []
    for p in published:
        judge = p.get("judge")
        if p.get("stage") == "before":
            sel = select(rows, train_template=BASELINE, test_template=p["test_template"], benchmark=p["benchmark"],
                         metric=p["metric"], category="all", checkpoint="base")
        else:
            sel = select(rows, train_template=p["train_template"], test_template=p["test_template"],
                         benchmark=p["benchmark"], metric=p["metric"], category="all", checkpoint="final",
                         mixing=False)
        if judge:
            sel = [r for r in sel if r["judge"] == judge]
        judges = list(dict.fromkeys(r["judge"] for r in sel))
        for j in judges or [judge or "-"]:
            rs = [r for r in sel if r["judge"] == j]
            cell = Cell(p["train_template"], p["test_template"], [r["value"] for r in rs], None, None, False, False)
            out.append({**p, "judge": j, "measured": cell.mean, "measured_std": cell.std, "seeds": cell.seeds})
    return out


# ---- early stopping --------------------------------------------------------------------------------------------


def checkpoint_curves(rows: Sequence[dict[str, Any]], benchmark: str, judge: str, metric: str,
                      mixing: bool = False) -> dict[tuple[str, str], list[tuple[int, float, float]]]:
    """(train, test) -> [(step, mean, std)] over every evaluated checkpoint (step 0 = the baseline)."""
    sel = [r for r in rows if r["benchmark"] == benchmark and r["judge"] == judge and r["metric"] == metric
           and r["category"] == "all" and r["train_template"] != BASELINE and bool(r["mixing"]) == mixing]
    by: dict[tuple[str, str, int], list[float]] = defaultdict(list)
    for r in sel:
        if r["value"] is not None and r["step"] is not None:
            by[(r["train_template"], r["test_template"], int(r["step"]))].append(r["value"])
    base = {r["test_template"]: r["value"] for r in rows if r["benchmark"] == benchmark and r["judge"] == judge
            and r["metric"] == metric and r["category"] == "all" and r["train_template"] == BASELINE}
    curves: dict[tuple[str, str], list[tuple[int, float, float]]] = defaultdict(list)
    for (tr, te, step), vals in sorted(by.items()):
        spread = mean_interval(vals)
        curves[(tr, te)].append((step, spread.value, spread.sd))
    for (tr, te), pts in curves.items():
        if te in base and base[te] is not None:
            pts.insert(0, (0, base[te], 0.0))
    return dict(curves)


def has_multiple_checkpoints(rows: Sequence[dict[str, Any]]) -> bool:
    per_run: dict[str, set] = defaultdict(set)
    for r in rows:
        if r["train_template"] != BASELINE:
            per_run[r["run"]].add(r["checkpoint"])
    return any(len(v) > 1 for v in per_run.values())
