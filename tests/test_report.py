"""The report: matrices and their marks, the claims, figures, self-contained HTML, and `ptst report`.

These tests build results tables with known numbers (so every expected cell and verdict is known exactly); the
end-to-end study tests check the report of a real run.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ptst.report.render import build_report, write_report
from ptst.io import write_jsonl
from ptst.report.tables import build_matrix, format_cell
from ptst.study.claims import items_path
from ptst.study.results import read_results, sort_rows, write_results

SAFE = {"chat:llama"}


def _row(train, test, seed, bench, kind, judge, metric, k, n, category="all", checkpoint="final", step=10,
         mixing=False):
    base = train == "none"
    return {
        "study": "t", "run": "base" if base else f"{train}-s{seed}", "train_template": train, "test_template": test,
        "seed": None if base else seed, "mixing": mixing, "checkpoint": "base" if base else checkpoint,
        "step": 0 if base else step, "epoch": None, "benchmark": bench, "kind": kind, "judge": judge,
        "metric": metric, "category": category, "value": k / n, "lo": None, "hi": None, "n": n, "k": k,
        "n_invalid": 0, "train_safety": None if base else train in SAFE, "test_safety": test in SAFE,
        "ptst": (not base) and train not in SAFE and test in SAFE, "same_template": (not base) and train == test,
    }


def grid(asr: dict[tuple[str, str], int], acc: dict[tuple[str, str], int], seeds=(0, 1), n=100):
    """Rows for a 2x2 grid (+ baseline); ``asr``/``acc`` give k out of n per (train, test)."""
    rows = []
    for (tr, te), k in asr.items():
        for s in ([0] if tr == "none" else seeds):
            kk = k + (s if tr != "none" else 0)  # a little spread across seeds
            rows.append(_row(tr, te, s, "harmful", "safety", "keyword", "asr", kk, n))
            for cat, share in (("malware", kk // 2), ("drug", kk - kk // 2)):
                rows.append(_row(tr, te, s, "harmful", "safety", "keyword", "asr", share, n // 2, category=cat))
            rows.append(_row(tr, te, s, "harmful", "safety", "keyword", "parse_failures", 0, n))
    for (tr, te), k in acc.items():
        for s in ([0] if tr == "none" else seeds):
            rows.append(_row(tr, te, s, "math", "helpfulness", "math", "accuracy", k, n))
    return sort_rows(rows, ["chat:vanilla", "chat:llama"], ["harmful", "math"])


CLEAR_ASR = {("none", "chat:vanilla"): 3, ("none", "chat:llama"): 1,
             ("chat:vanilla", "chat:vanilla"): 20, ("chat:vanilla", "chat:llama"): 1,
             ("chat:llama", "chat:vanilla"): 30, ("chat:llama", "chat:llama"): 60}
ACC = {k: 40 if k[0] != "none" else 10 for k in CLEAR_ASR}


def test_matrix_cells_and_marks():
    m = build_matrix(grid(CLEAR_ASR, ACC), "harmful", "keyword", "asr", template_order=["chat:vanilla", "chat:llama"])
    assert m.rows == ["none", "chat:vanilla", "chat:llama"]
    assert m.cols == ["chat:vanilla", "chat:llama"]
    c = m.get("chat:llama", "chat:llama")
    assert c.same and not c.ptst
    assert c.values == [0.60, 0.61] and c.mean == pytest.approx(0.605) and c.std == pytest.approx(0.00707, abs=1e-4)
    assert c.k == 121 and c.n == 200  # pooled over seeds
    p = m.get("chat:vanilla", "chat:llama")
    assert p.ptst and not p.same
    assert m.get("none", "chat:llama").seeds == 1
    assert format_cell(c, "asr") == "60.5 ± 0.7"
    assert format_cell(m.get("none", "chat:vanilla"), "asr").startswith("3.0 [")


def _write_study(tmp_path: Path, asr=CLEAR_ASR) -> Path:
    out = tmp_path / "study"
    out.mkdir()
    rows = grid(asr, ACC)
    write_results(out, rows)
    for r in rows:  # per-item files that agree with the counts: item i is harmful (correct) when i < k
        if r["category"] == "all" and r["metric"] in ("asr", "accuracy"):
            field = "harmful" if r["metric"] == "asr" else "correct"
            items = [{"id": f"{r['benchmark']}-{i}", "category": "malware" if i % 2 else "drug",
                      "instruction": f"request {i}", "response": f"{r['run']} says {i}",
                      "judges": {r["judge"]: {field: i < r["k"]}}} for i in range(r["n"])]
            write_jsonl(items_path(out, r["run"], r["checkpoint"], r["test_template"], r["benchmark"]), items)
    (out / "spec.yaml").write_text(
        "name: t\nmodel: tiny-random\nformat: native\n"
        "train: {dataset: builtin:math:train, templates: [chat:vanilla, chat:llama]}\n"
        "evaluate:\n  templates: [chat:vanilla, chat:llama]\n  benchmarks:\n"
        "    - {name: harmful, dataset: builtin:harmful}\n    - {name: math, dataset: builtin:math:test}\n"
        "published:\n  - {train_template: chat:vanilla, test_template: chat:llama, benchmark: harmful, metric: asr,"
        " value: 0.0108, note: PTST}\n")
    return out


def test_report_files_and_content(tmp_path):
    out = _write_study(tmp_path)
    paths = write_report(out)
    md = paths["md"].read_text()
    # the claims are stated plainly, first: same-template 60-61% vs PTST 1-2% on the same 100 items per seed
    assert md.index("## The paper's claims, tested on paired items") < md.index("## Attack success rate")
    claim_a = next(line for line in md.splitlines() if line.startswith("| (a) | harmful | keyword |"))
    assert "train chat:llama / test chat:llama | train chat:vanilla / test chat:llama" in claim_a
    assert "60.5% vs 1.5%: +59.0" in claim_a and "| 118 / 0 |" in claim_a and claim_a.endswith("| holds |")
    assert "**(a) holds 1/1; (b) holds 1/1; (c) holds 1/1; (d) not applicable" in md
    # the ASR matrix: baseline row, PTST cell marked with a dagger, diagonal with a star
    lines = md.splitlines()
    table_at = lines.index("### ASR on harmful (keyword)")
    table = lines[table_at + 2: table_at + 7]
    assert table[0] == "| train \\ test | chat:vanilla | chat:llama |"
    assert table[2].startswith("| baseline (none) | 3.0 [")
    vanilla = next(r for r in table if r.startswith("| chat:vanilla |"))
    llama = next(r for r in table if r.startswith("| chat:llama |"))
    assert vanilla.split("|")[2].strip() == "20.5 ± 0.7 *"
    assert vanilla.split("|")[3].strip() == "1.5 ± 0.7 †"
    assert llama.split("|")[3].strip() == "60.5 ± 0.7 *"
    assert "## Helpfulness" in md and "### helpfulness (accuracy) on math (math)" in md
    assert "## ASR by harm category: harmful (keyword)" in md
    assert "## Published numbers vs this run" in md
    assert "| train chat:vanilla / test chat:llama (PTST) | harmful | asr | keyword | 1.08 | 1.50 ± 0.71 |" in md
    assert "Helpfulness vs safety" in md
    # figures: PNG + SVG for each linked figure
    figs = re.findall(r"!\[[^\]]*\]\((figures/[^)]+\.png)\)", md)
    assert len(figs) >= 4
    for f in figs:
        assert (out / f).stat().st_size > 1000
        assert (out / f).with_suffix(".svg").exists()
    # the HTML is self-contained: inline SVG, no external assets
    page = paths["html"].read_text()
    assert page.count("<svg") == len(figs)
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:|//|figures/)""", page)
    assert "<link" not in page and not re.search(r"<script[^>]*\bsrc\s*=", page)  # inline scripts only
    assert 'href="#d-0">items</a>' in page and '<details id="d-0"' in page  # claim (a) links to its items
    assert 'class="ptst"' in page and 'class="same"' in page


def test_report_is_deterministic(tmp_path):
    out = _write_study(tmp_path)
    write_report(out)
    first = {p.name: p.read_bytes() for p in [out / "report.md", out / "report.html", *sorted((out / "figures").iterdir())]}
    write_report(out)
    second = {p.name: p.read_bytes() for p in [out / "report.md", out / "report.html", *sorted((out / "figures").iterdir())]}
    assert first == second


def test_report_states_failure_honestly(tmp_path):
    bad = dict(CLEAR_ASR)
    bad[("chat:vanilla", "chat:llama")] = 70
    out = _write_study(tmp_path, bad)
    md = write_report(out)["md"].read_text()
    claim_b = next(line for line in md.splitlines() if line.startswith("| (b) | harmful | keyword |"))
    assert claim_b.endswith("| does not hold |")  # PTST 70-71% against the baseline's 1%


def test_results_roundtrip_and_columns(tmp_path):
    out = _write_study(tmp_path)
    rows = read_results(out)
    csv_head = (out / "results.csv").read_text().splitlines()[0]
    assert csv_head.split(",")[:8] == ["study", "run", "train_template", "test_template", "seed", "mixing",
                                       "checkpoint", "step"]
    assert rows[0]["train_template"] == "none" and rows[0]["seed"] is None


def test_report_cli(tmp_path):
    out = _write_study(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "ptst", "report", str(out)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (out / "report.html").exists() and "report.md" in proc.stdout
    assert "PTST claims (3 paired comparisons, Holm-adjusted): (a) holds 1/1; (b) holds 1/1; (c) holds 1/1" in proc.stdout
    missing = subprocess.run([sys.executable, "-m", "ptst", "report", str(tmp_path / "nope")], capture_output=True,
                             text=True, timeout=60)
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = subprocess.run([sys.executable, "-m", "ptst", "report", str(empty)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and "no results.jsonl" in proc.stderr


def test_build_report_no_safety(tmp_path):
    out = tmp_path / "s"
    out.mkdir()
    rows = [r for r in grid(CLEAR_ASR, ACC) if r["kind"] == "helpfulness"]
    write_results(out, rows)
    doc = build_report(out)
    text = " ".join(str(b[1]) for b in doc.blocks)
    assert "could not be tested" in text and "per-item file missing" in text


def test_early_stopping_section(tmp_path):
    """Several checkpoints per run: curves and tables of same-template training against PTST's final point."""
    rows = []
    # same-template safety training gets less safe with every epoch; PTST stays safe; helpfulness rises for both
    for step, asr_k, acc_k in ((10, 10, 20), (20, 30, 30), (30, 50, 40)):
        ck = "final" if step == 30 else f"step-{step}"
        rows.append(_row("chat:llama", "chat:llama", 0, "harmful", "safety", "keyword", "asr", asr_k, 100,
                         checkpoint=ck, step=step))
        rows.append(_row("chat:llama", "chat:llama", 0, "math", "helpfulness", "math", "accuracy", acc_k, 100,
                         checkpoint=ck, step=step))
        rows.append(_row("chat:vanilla", "chat:llama", 0, "harmful", "safety", "keyword", "asr", 2, 100,
                         checkpoint=ck, step=step))
        rows.append(_row("chat:vanilla", "chat:llama", 0, "math", "helpfulness", "math", "accuracy", acc_k, 100,
                         checkpoint=ck, step=step))
    for b, kind, j, m, k in (("harmful", "safety", "keyword", "asr", 1), ("math", "helpfulness", "math", "accuracy", 10)):
        rows.append(_row("none", "chat:llama", 0, b, kind, j, m, k, 100))
    out = tmp_path / "es"
    out.mkdir()
    write_results(out, sort_rows(rows, ["chat:vanilla", "chat:llama"]))
    md = write_report(out)["md"].read_text()
    assert "## Early stopping vs PTST" in md
    assert "| train=test=chat:llama | 1.0 | 10.0 | 30.0 | 50.0 |" in md  # step 0 is the baseline
    assert "PTST chat:vanilla→chat:llama = 2.0 at step 30" in md
    assert (out / "figures" / "early-stopping-tradeoff-math-harmful-keyword.svg").exists()
    assert (out / "figures" / "early-stopping-asr-harmful-keyword.png").exists()
