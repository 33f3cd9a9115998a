"""How far a study's judges agree on the study's own items, and the cells where they disagree beyond chance.

* **Agreement** of every two judges of a benchmark, on every item both judged validly (all evaluations of the
  study: the baseline, every seed and checkpoint): percent agreement and Cohen's kappa of the benchmark's primary
  verdict (``harmful`` for a safety benchmark, ``refused`` for a benign one), per benchmark and pooled over the
  safety benchmarks (:data:`ALL_SAFETY`).
* **Disagreeing cells**: for every (training template, test template, mixing) cell at its final checkpoint (and the
  baseline) of a safety benchmark and every two judges, each judge's ASR over its valid verdicts pooled over seeds,
  with Wilson 95% intervals, and the exact McNemar test on the items both judged. A cell is *flagged* when the two
  intervals do not overlap, or when the McNemar p, Holm-adjusted across every cell and judge pair of the study, is
  below alpha (0.05).

``judge_agreement.csv`` (written beside the report by ``ptst run`` / ``ptst report``, or by
:func:`write_judge_agreement`) holds both: rows of ``level`` ``benchmark`` (the agreement) and ``cell`` (the ASR
comparison and its flag).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ptst.errors import PtstError
from ptst.io import atomic_write_text
from ptst.metrics import PRIMARY_FIELD, wilson_interval
from ptst.stats import ALPHA, holm, mcnemar_exact
from ptst.study.claims import CellRef, Study, outcome_of
from ptst.study.results import BASELINE

#: the ``benchmark`` of the agreement pooled over every safety benchmark
ALL_SAFETY = "all safety benchmarks"
FILE = "judge_agreement.csv"


def kappa_from_counts(both: int, a_only: int, b_only: int, neither: int) -> float | None:
    """Cohen's kappa of two binary judgments from their 2x2 counts; None when undefined (no items, or both judges
    constant with the same label)."""
    n = both + a_only + b_only + neither
    if n == 0:
        return None
    po = (both + neither) / n
    pa, pb = (both + a_only) / n, (both + b_only) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return None if pe >= 1.0 else (po - pe) / (1 - pe)


@dataclass
class PairAgreement:
    benchmark: str
    field: str
    judge_a: str
    judge_b: str
    both: int = 0  # both judges say yes (harmful / refused)
    a_only: int = 0
    b_only: int = 0
    neither: int = 0
    left_out: int = 0  # items where either judge gave no verdict

    def add(self, a: bool | None, b: bool | None) -> None:
        if a is None or b is None:
            self.left_out += 1
        elif a and b:
            self.both += 1
        elif a:
            self.a_only += 1
        elif b:
            self.b_only += 1
        else:
            self.neither += 1

    @property
    def n(self) -> int:
        return self.both + self.a_only + self.b_only + self.neither

    @property
    def percent(self) -> float | None:
        return (self.both + self.neither) / self.n if self.n else None

    @property
    def kappa(self) -> float | None:
        return kappa_from_counts(self.both, self.a_only, self.b_only, self.neither)


@dataclass
class CellDisagreement:
    benchmark: str
    train_template: str
    test_template: str
    mixing: bool
    judge_a: str
    judge_b: str
    k_a: int
    n_a: int
    k_b: int
    n_b: int
    pairs: int
    a_only: int
    b_only: int
    p_value: float
    p_adjusted: float | None = None
    alpha: float = ALPHA

    @property
    def label(self) -> str:
        return CellRef(self.train_template, self.test_template, self.mixing).label

    @property
    def baseline(self) -> bool:
        return self.train_template == BASELINE

    def rate(self, which: str) -> tuple[float | None, float, float]:
        k, n = (self.k_a, self.n_a) if which == "a" else (self.k_b, self.n_b)
        lo, hi = wilson_interval(k, n)
        return (k / n if n else None), lo, hi

    @property
    def intervals_overlap(self) -> bool:
        _, lo_a, hi_a = self.rate("a")
        _, lo_b, hi_b = self.rate("b")
        return not (lo_a > hi_b or lo_b > hi_a)

    @property
    def flagged(self) -> bool:
        return (not self.intervals_overlap) or (self.p_adjusted is not None and self.p_adjusted < self.alpha)

    @property
    def why(self) -> str:
        reasons = []
        if not self.intervals_overlap:
            reasons.append("Wilson intervals do not overlap")
        if self.p_adjusted is not None and self.p_adjusted < self.alpha:
            reasons.append(f"paired McNemar p {self.p_adjusted:.2g} (Holm) < {self.alpha:g}")
        return "; ".join(reasons)


@dataclass
class JudgeAgreement:
    judges: dict[str, list[str]]  # benchmark -> its judges
    pairs: list[PairAgreement]
    cells: list[CellDisagreement]
    items_missing: int = 0  # evaluations whose per-item file is missing (left out)
    why_none: str = ""

    @property
    def flags(self) -> list[CellDisagreement]:
        return [c for c in self.cells if c.flagged]

    def pair(self, benchmark: str, a: str, b: str) -> PairAgreement | None:
        for p in self.pairs:
            if p.benchmark == benchmark and {p.judge_a, p.judge_b} == {a, b}:
                return p
        return None


def _judge_pairs(judges: Sequence[str]) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(judges) for b in judges[i + 1:]]


def study_agreement(study: Study, alpha: float | None = None) -> JudgeAgreement:
    """Agreement of every two judges of each safety / benign benchmark of ``study`` and the disagreeing cells."""
    alpha = study.alpha if alpha is None else alpha
    judged = {b: js for b, js in study.judges.items() if study.kinds.get(b) in ("safety", "benign") and len(js) > 1}
    res = JudgeAgreement(judged, [], [])
    if not judged:
        res.why_none = "no benchmark was judged by two or more judges"
        return res
    pairs: dict[tuple[str, str, str], PairAgreement] = {}

    def pair(bench: str, a: str, b: str, field: str) -> PairAgreement:
        key = (bench, a, b)
        if key not in pairs:
            pairs[key] = PairAgreement(bench, field, a, b)
        return pairs[key]

    seen: set[tuple[str, str, str, str]] = set()
    for r in study.rows:
        b = r["benchmark"]
        if b not in judged or "~" in str(r["judge"]):
            continue
        key = (r["run"], r["checkpoint"], r["test_template"], b)
        if key in seen:
            continue
        seen.add(key)
        items = study.items(*key)
        if items is None:
            res.items_missing += 1
            continue
        kind = study.kinds[b]
        field = PRIMARY_FIELD[kind]
        for row in items:
            v = {j: outcome_of(row, j, kind) for j in judged[b]}
            for ja, jb in _judge_pairs(judged[b]):
                pair(b, ja, jb, field).add(v[ja], v[jb])
                if kind == "safety":
                    pair(ALL_SAFETY, ja, jb, field).add(v[ja], v[jb])
    order = [b for b in judged] + [ALL_SAFETY]
    res.pairs = sorted(pairs.values(), key=lambda p: (order.index(p.benchmark), p.judge_a, p.judge_b))
    if any(study.kinds[b] == "safety" for b in judged):
        res.cells = _cells(study, {b: js for b, js in judged.items() if study.kinds[b] == "safety"}, alpha)
    return res


def _cells(study: Study, judged: dict[str, list[str]], alpha: float) -> list[CellDisagreement]:
    out: list[CellDisagreement] = []
    for b, judges in judged.items():
        refs = []
        for r in study.rows:
            if r["benchmark"] != b or r["metric"] != "asr" or r["category"] != "all" or "~" in str(r["judge"]):
                continue
            base = r["train_template"] == BASELINE
            if not base and r["checkpoint"] != "final":
                continue
            ref = CellRef(r["train_template"], r["test_template"], False if base else bool(r["mixing"]))
            if ref not in refs:
                refs.append(ref)
        for ref in refs:
            try:
                units = {j: study.units(ref, b, j) for j in judges}
            except PtstError:
                continue  # a per-item file is missing: counted by the caller's pass over the items
            for ja, jb in _judge_pairs(judges):
                ua, ub = units[ja], units[jb]
                va = [u.outcome for u in ua if u.outcome is not None]
                vb = [u.outcome for u in ub if u.outcome is not None]
                both = [(x.outcome, y.outcome) for x, y in zip(ua, ub) if x.outcome is not None
                        and y.outcome is not None]
                a_only = sum(1 for x, y in both if x and not y)
                b_only = sum(1 for x, y in both if y and not x)
                out.append(CellDisagreement(b, ref.train, ref.test, ref.mixing, ja, jb, sum(va), len(va), sum(vb),
                                            len(vb), len(both), a_only, b_only, mcnemar_exact(a_only, b_only),
                                            alpha=alpha))
    for c, p in zip(out, holm([c.p_value for c in out])):
        c.p_adjusted = p
    return out


# ---- the CSV ----------------------------------------------------------------------------------------------------

COLUMNS = ("level", "benchmark", "field", "train_template", "test_template", "mixing", "judge_a", "judge_b", "n",
           "agreement", "kappa", "both", "a_only", "b_only", "neither", "left_out", "asr_a", "asr_a_lo", "asr_a_hi",
           "n_a", "asr_b", "asr_b_lo", "asr_b_hi", "n_b", "p_mcnemar", "p_adjusted", "intervals_overlap",
           "flagged", "why")


def _fmt(v: Any) -> Any:
    if isinstance(v, float):
        return round(v, 6)
    return "" if v is None else v


def csv_rows(ag: JudgeAgreement) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for p in ag.pairs:
        rows.append({"level": "benchmark", "benchmark": p.benchmark, "field": p.field, "judge_a": p.judge_a,
                     "judge_b": p.judge_b, "n": p.n, "agreement": p.percent, "kappa": p.kappa, "both": p.both,
                     "a_only": p.a_only, "b_only": p.b_only, "neither": p.neither, "left_out": p.left_out})
    for c in ag.cells:
        ra, rb = c.rate("a"), c.rate("b")
        rows.append({"level": "cell", "benchmark": c.benchmark, "field": "harmful", "train_template": c.train_template,
                     "test_template": c.test_template, "mixing": c.mixing, "judge_a": c.judge_a, "judge_b": c.judge_b,
                     "n": c.pairs, "a_only": c.a_only, "b_only": c.b_only, "asr_a": ra[0], "asr_a_lo": ra[1],
                     "asr_a_hi": ra[2], "n_a": c.n_a, "asr_b": rb[0], "asr_b_lo": rb[1], "asr_b_hi": rb[2],
                     "n_b": c.n_b, "p_mcnemar": c.p_value, "p_adjusted": c.p_adjusted,
                     "intervals_overlap": c.intervals_overlap, "flagged": c.flagged, "why": c.why})
    return rows


def agreement_csv(ag: JudgeAgreement) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    w.writeheader()
    for r in csv_rows(ag):
        w.writerow({k: _fmt(r.get(k)) for k in COLUMNS})
    return buf.getvalue()


def write_judge_agreement(out: str | Path, rows: Sequence[dict[str, Any]] | None = None,
                          spec: dict[str, Any] | None = None) -> JudgeAgreement:
    """Write ``DIR/judge_agreement.csv`` atomically (a header only when no benchmark has two judges)."""
    out = Path(out)
    ag = study_agreement(Study(out, rows, spec))
    atomic_write_text(out / FILE, agreement_csv(ag))
    return ag


__all__ = ["ALL_SAFETY", "CellDisagreement", "JudgeAgreement", "PairAgreement", "kappa_from_counts",
           "study_agreement", "write_judge_agreement"]
