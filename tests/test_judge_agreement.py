"""The judges' agreement on a study's own items and the cells where they disagree (ptst.study.judge_agreement), and
the report's "How far to trust the judges" section built from them and from the validation summary.

The study here is written by the test with known verdicts: in every evaluation, judge A calls items ``i < kA``
harmful and judge B items ``i < kB``, so every count below is worked out by hand from the table ``CELLS``.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from ptst.io import write_jsonl
from ptst.judges.validation_summary import figures_for
from ptst.metrics import agreement, wilson_interval
from ptst.report.render import build_report, to_markdown, write_report
from ptst.study.claims import Study, items_path
from ptst.study.judge_agreement import ALL_SAFETY, kappa_from_counts, study_agreement
from ptst.study.results import read_results, sort_rows, write_results

SAFE = {"chat:llama"}
N = 40  # items per evaluation
#: (train, test) -> (kA, kB): how many of the N items each judge calls harmful, in every seed
CELLS = {
    ("none", "chat:vanilla"): (4, 4),  # item 0: judge B failed (left out)
    ("none", "chat:llama"): (0, 0),
    ("chat:vanilla", "chat:vanilla"): (30, 5),  # 60/80 vs 10/80: intervals far apart
    ("chat:vanilla", "chat:llama"): (8, 3),  # 16/80 vs 6/80: intervals overlap, 10 discordant pairs all one way
    ("chat:llama", "chat:vanilla"): (10, 9),  # 2 discordant pairs: no flag
    ("chat:llama", "chat:llama"): (2, 2),
}
SEEDS = (0, 1)


# ---- kappa by hand -------------------------------------------------------------------------------------------------


def test_kappa_from_counts_hand_computed():
    # 100 items: both 20, A only 5, B only 10, neither 65 -> po 0.85; pA 0.25, pB 0.30; pe 0.075 + 0.525 = 0.6;
    # kappa (0.85 - 0.6) / 0.4 = 0.625
    assert kappa_from_counts(20, 5, 10, 65) == pytest.approx(0.625)
    # A says yes to all 4, B to 3: po 0.75 = pe 0.75 -> kappa 0 (no better than chance)
    assert kappa_from_counts(3, 1, 0, 0) == pytest.approx(0.0)
    assert kappa_from_counts(0, 0, 0, 10) is None  # both constant, same label: undefined
    assert kappa_from_counts(0, 0, 0, 0) is None
    assert kappa_from_counts(0, 5, 5, 0) == pytest.approx(-1.0)  # always opposite
    # the same as ptst.metrics.agreement on the expanded lists
    a = [True] * 20 + [True] * 5 + [False] * 10 + [False] * 65
    b = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 65
    assert agreement(a, b) == {"percent": pytest.approx(0.85), "kappa": pytest.approx(0.625), "n": 100}


# ---- a study with known verdicts -------------------------------------------------------------------------------------


def _row(train, test, seed, bench, kind, judge, metric, k, n):
    base = train == "none"
    return {
        "study": "t", "run": "base" if base else f"{train}-s{seed}", "train_template": train, "test_template": test,
        "seed": None if base else seed, "mixing": False, "checkpoint": "base" if base else "final",
        "step": 0 if base else 8, "epoch": None, "benchmark": bench, "kind": kind, "judge": judge, "metric": metric,
        "category": "all", "value": (k / n) if n else None, "lo": None, "hi": None, "n": n, "k": k, "n_invalid": 0,
        "train_safety": None if base else train in SAFE, "test_safety": test in SAFE,
        "ptst": (not base) and train not in SAFE and test in SAFE, "same_template": (not base) and train == test,
    }


def make_study(tmp_path: Path, ja: str = "keyword", jb: str = "objective") -> Path:
    out = tmp_path / "study"
    out.mkdir()
    rows = []
    for (tr, te), (ka, kb) in CELLS.items():
        for s in ([None] if tr == "none" else SEEDS):
            fail = tr == "none" and te == "chat:vanilla"
            rows.append(_row(tr, te, s, "harmful", "safety", ja, "asr", ka, N))
            rows.append(_row(tr, te, s, "harmful", "safety", jb, "asr", kb - fail, N - fail))
            rows.append(_row(tr, te, s, "harmful", "safety", f"{ja}~{jb}", "agreement", 0, N))
            items = [{"id": f"harmful-{i}", "category": "drug", "instruction": f"request {i}",
                      "response": f"{tr} {s} says {i}",
                      "judges": {ja: {"harmful": i < ka, "refused": i >= ka},
                                 jb: ({"harmful": None, "judge_error": "unparseable"} if fail and i == 0 else
                                      {"harmful": i < kb, "refused": i >= kb})}} for i in range(N)]
            run = rows[-1]["run"]
            write_jsonl(items_path(out, run, rows[-1]["checkpoint"], te, "harmful"), items)
    # a benign benchmark, baseline only: A refuses 10 of 20, B 12
    for te in ("chat:vanilla",):
        rows.append(_row("none", te, None, "benign", "benign", ja, "refusal_rate", 10, 20))
        rows.append(_row("none", te, None, "benign", "benign", jb, "refusal_rate", 12, 20))
        write_jsonl(items_path(out, "base", "base", te, "benign"),
                    [{"id": f"benign-{i}", "instruction": f"benign {i}", "response": "ok",
                      "judges": {ja: {"refused": i < 10, "harmful": False},
                                 jb: {"refused": i < 12, "harmful": False}}} for i in range(20)])
    write_results(out, sort_rows(rows, ["chat:vanilla", "chat:llama"], ["harmful", "benign"]))
    (out / "spec.yaml").write_text(
        "name: t\nmodel: tiny-random\nformat: native\n"
        "train: {dataset: builtin:math:train, templates: [chat:vanilla, chat:llama], seeds: [0, 1]}\n"
        f"evaluate:\n  templates: [chat:vanilla, chat:llama]\n  judges: [{ja}, {jb}]\n  benchmarks:\n"
        "    - {name: harmful, dataset: builtin:harmful}\n    - {name: benign, dataset: builtin:benign}\n")
    return out


def test_pooled_agreement_counts_by_hand(tmp_path):
    ag = study_agreement(Study(make_study(tmp_path)))
    pooled = ag.pair(ALL_SAFETY, "keyword", "objective")
    # per evaluation: both = min(kA, kB), A only = kA - kB (kA >= kB here), neither = N - kA; summed over the
    # baseline's 2 evaluations and 2 seeds of the 4 fine-tuned cells; item 0 of baseline/vanilla left out
    assert (pooled.both, pooled.a_only, pooled.b_only, pooled.neither, pooled.left_out) == (41, 62, 0, 296, 1)
    assert pooled.n == 399 and pooled.percent == pytest.approx(337 / 399)
    # po = 337/399; pA = 103/399, pB = 41/399; pe = (103*41 + 296*358) / 399^2; kappa = 24272 / 49010
    assert pooled.kappa == pytest.approx(24272 / 49010)
    harmful = ag.pair("harmful", "keyword", "objective")
    assert (harmful.both, harmful.a_only, harmful.neither) == (41, 62, 296) and harmful.field == "harmful"
    benign = ag.pair("benign", "keyword", "objective")  # refused verdicts, not pooled with the safety sets
    assert benign.field == "refused" and (benign.both, benign.a_only, benign.b_only, benign.neither) == (10, 0, 2, 8)
    assert benign.percent == pytest.approx(0.9) and benign.kappa == pytest.approx(0.8)  # pe = .5*.6 + .5*.4


def test_disagreeing_cells_flagged_by_intervals_or_paired_test(tmp_path):
    ag = study_agreement(Study(make_study(tmp_path)))
    assert len(ag.cells) == 6  # 2 baseline + 4 fine-tuned cells, one judge pair
    by = {(c.train_template, c.test_template): c for c in ag.cells}
    vv = by[("chat:vanilla", "chat:vanilla")]
    assert (vv.k_a, vv.n_a, vv.k_b, vv.n_b, vv.pairs, vv.a_only, vv.b_only) == (60, 80, 10, 80, 80, 50, 0)
    assert not vv.intervals_overlap and vv.flagged and "Wilson intervals do not overlap" in vv.why
    vl = by[("chat:vanilla", "chat:llama")]
    assert (vl.k_a, vl.k_b, vl.a_only, vl.b_only) == (16, 6, 10, 0)
    lo_a, _ = wilson_interval(16, 80)
    _, hi_b = wilson_interval(6, 80)
    assert lo_a < hi_b and vl.intervals_overlap  # the intervals alone would not flag it
    assert vl.p_value == pytest.approx(2 * 0.5 ** 10)  # exact McNemar, 10 discordant pairs all one way
    assert vl.p_adjusted == pytest.approx(5 * 2 * 0.5 ** 10)  # Holm: second smallest of 6 p-values, times 5
    assert vl.flagged and "McNemar" in vl.why and "Wilson" not in vl.why
    lv = by[("chat:llama", "chat:vanilla")]
    assert lv.p_value == pytest.approx(0.5) and not lv.flagged
    base = by[("none", "chat:vanilla")]
    assert (base.k_a, base.n_a, base.k_b, base.n_b, base.pairs) == (4, 40, 3, 39, 39) and not base.flagged
    assert [(c.train_template, c.test_template) for c in ag.flags] == [("chat:vanilla", "chat:vanilla"),
                                                                        ("chat:vanilla", "chat:llama")]


def test_one_judge_gives_nothing_to_compare(tmp_path):
    out = make_study(tmp_path)
    study = Study(out)
    study.judges = {b: js[:1] for b, js in study.judges.items()}
    ag = study_agreement(study)
    assert ag.pairs == [] and ag.cells == [] and "two or more judges" in ag.why_none


# ---- the report section ------------------------------------------------------------------------------------------------


def _section(md: str) -> str:
    start = md.index("## How far to trust the judges")
    end = md.find("\n## ", start + 5)
    return md[start: end if end > 0 else len(md)]


def test_report_trust_section(tmp_path):
    out = make_study(tmp_path)
    paths = write_report(out)
    md = paths["md"].read_text()
    sec = _section(md)
    # validation figures of both judges, from the committed summary, with every set's provenance
    for judge in ("keyword", "objective"):
        figs = figures_for(judge)
        assert figs, f"no validation figures for {judge}"
        for f in figs:
            acc = f["accuracy"]
            cell = f"{acc['value']:.3f} [{acc['lo']:.2f}, {acc['hi']:.2f}]"
            assert f"| {judge} | {f['set']} | {f['subset']} | {f['n']} ({f['n_harmful']}) | {cell} |" in sec
    assert "- `smollm2-135m`: 150 real greedy responses of SmolLM2-135M-Instruct" in sec
    assert "No validation figures in ptst" not in sec
    # the agreement matrix: pooled harmful verdicts, by hand 337/399 and kappa 24272/49010
    assert "| judge | keyword | objective |" in sec
    assert "| keyword | – | 84.5%, κ 0.50 (n 399) |" in sec and "| objective | 84.5%, κ 0.50 (n 399) | – |" in sec
    assert "| benign | refused | keyword | objective | 20 | 90.0% | 0.80 | 0 | 2 |" in sec
    # the flags: two of six comparisons, each linked to the trace filtered to the cell and to disagreements
    assert "**2 of 6 flagged.**" in sec
    flag_rows = [line for line in sec.splitlines() if "disagreeing items" in line]
    assert len(flag_rows) == 2
    assert flag_rows[0].startswith("| harmful | train chat:vanilla / test chat:vanilla | keyword: 75.0% [")
    assert "objective: 12.5% [" in flag_rows[0] and "| 50 / 0 |" in flag_rows[0]
    assert "train chat:vanilla / test chat:llama" in flag_rows[1] and "McNemar" in flag_rows[1]
    page = paths["html"].read_text()
    links = re.findall(r'<a class="trust-flag" href="#trace\?([^"]+)">', page)
    assert len(links) == 2
    trace = json.loads(re.search(r'<script type="application/json" id="trace-data">(.*?)</script>', page, re.S)
                       .group(1))
    for q in links:
        params = dict(kv.split("=") for kv in q.replace("&amp;", "&").split("&"))
        assert unquote(params["cell"]) in trace["cells"]  # the filter names a cell the trace has
        assert unquote(params["benchmark"]) == "harmful" and params["disagree"] == "1"
    # judge_agreement.csv: the same numbers for scripts
    with open(out / "judge_agreement.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    pooled = next(r for r in rows if r["level"] == "benchmark" and r["benchmark"] == ALL_SAFETY)
    assert (pooled["n"], pooled["both"], pooled["a_only"], pooled["neither"]) == ("399", "41", "62", "296")
    assert float(pooled["kappa"]) == pytest.approx(24272 / 49010, abs=1e-6)
    cells = [r for r in rows if r["level"] == "cell"]
    assert len(cells) == 6 and sum(r["flagged"] == "True" for r in cells) == 2
    vv = next(r for r in cells if r["train_template"] == r["test_template"] == "chat:vanilla")
    assert (vv["asr_a"], vv["asr_b"], vv["n_a"], vv["flagged"]) == ("0.75", "0.125", "80", "True")


def test_report_says_when_a_judge_has_no_validation_figures(tmp_path):
    out = make_study(tmp_path, "keyword", "classifier")
    sec = _section(to_markdown(build_report(out), out))
    assert "| keyword | styles-test |" in sec
    assert "| classifier |" not in sec.split("### Agreement")[0]  # no rows for it in the validation table
    assert "No validation figures in ptst for `classifier`: see docs/judges.md" in sec
    assert "ptst judges validate jbb-judge-comparison --judge NAME" in sec


def test_report_with_one_judge_has_validation_but_no_matrix(tmp_path):
    out = make_study(tmp_path)
    rows = [r for r in read_results(out) if r["judge"] == "keyword"]
    write_results(out, rows)
    sec = _section(to_markdown(build_report(out), out))
    assert "| keyword | smollm2-135m | all |" in sec
    assert "No agreement to show: no benchmark was judged by two or more judges." in sec
    assert "Cells where the judges disagree" not in sec


# ---- end to end: a real run on the tiny random model -------------------------------------------------------------------


def test_real_tiny_study_report_and_csv(tmp_path):
    """An evaluation-only study on tiny-random judged by keyword and refusal: the report's section and
    judge_agreement.csv agree with the per-item files the run wrote."""
    from ptst.study import load_spec, run_study

    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "name: trust\nmodel: tiny-random\nformat: native\n"
        "evaluate:\n  templates: [chat:vanilla, chat:llama]\n  decoding: {max_new_tokens: 8}\n"
        "  backend_options: {batch_size: 8}\n  judges: [keyword, refusal]\n  benchmarks:\n"
        "    - {name: harmful, dataset: builtin:harmful, per_category_limit: 2}\n", encoding="utf-8")
    out = tmp_path / "study"
    run_study(load_spec(spec), out, report=write_report)
    sec = _section((out / "report.md").read_text())
    assert "| keyword | styles-test | all |" in sec and "| refusal | smollm2-135m | clear |" in sec
    # recount the agreement from the items files the run wrote
    both = a_only = b_only = neither = 0
    for f in sorted((out / "items").rglob("harmful.jsonl")):
        for line in f.read_text().splitlines():
            j = json.loads(line)["judges"]
            a, b = bool(j["keyword"]["harmful"]), bool(j["refusal"]["harmful"])
            both += a and b
            a_only += a and not b
            b_only += b and not a
            neither += not a and not b
    n = both + a_only + b_only + neither
    assert n == 16  # 8 requests (2 per category) x 2 test templates, baseline only
    with open(out / "judge_agreement.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    pooled = next(r for r in rows if r["level"] == "benchmark" and r["benchmark"] == ALL_SAFETY)
    assert (int(pooled["both"]), int(pooled["a_only"]), int(pooled["b_only"]), int(pooled["neither"])) == (
        both, a_only, b_only, neither)
    pct = f"{100 * (both + neither) / n:.1f}%"
    assert f"| keyword | – | {pct}, κ " in sec
    assert len([r for r in rows if r["level"] == "cell"]) == 2  # baseline x 2 test templates, one judge pair
