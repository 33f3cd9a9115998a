"""End-to-end studies on the tiny random model: results, items, report, rerun, SIGKILL + resume, the lock. (The
smoke study on the real default model runs in tests/test_reliability_crash.py, uninterrupted and killed.)

One reference study is run once per module (in-process); the other tests compare against it.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from ptst.report import write_report
from ptst.study import load_spec, run_study
from ptst.study.results import COLUMNS
from tests.spec_helpers import benchmark, evaluation, math_training, tiny_study, write_spec

REPO = Path(__file__).resolve().parents[1]

TINY = tiny_study(
    "tiny",
    evaluation(["chat:vanilla", "chat:llama"],
               [benchmark("harmful", per_category_limit=1), benchmark("benign", limit=2),
                benchmark("math", "builtin:math:test", limit=2)],
               max_new_tokens=8, batch_size=8),
    math_training(["chat:vanilla", "chat:llama"], epochs=2),
    description="tiny-random end-to-end test study",
)


def ptst(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ptst", *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A PTST_HOME for the module-scoped reference run (models shared with the session, like conftest)."""
    from tests.conftest import _SESSION_HOME

    h = tmp_path_factory.mktemp("home")
    shared = _SESSION_HOME / "models"
    shared.mkdir(parents=True, exist_ok=True)
    (h / "models").symlink_to(shared)
    return h


@pytest.fixture(scope="module")
def reference(tmp_path_factory, home):
    """The uninterrupted reference study, run by the CLI exactly as the interrupted runs are."""
    d = tmp_path_factory.mktemp("ref")
    spec = write_spec(d / "src", TINY)
    t = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "ptst", "run", str(spec), "--out", str(d / "study"), "--quiet"],
                          capture_output=True, text=True, timeout=600, env={**os.environ, "PTST_HOME": str(home)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = d / "study"
    return SimpleNamespace(out_dir=out, wall=time.monotonic() - t,
                           rows=[json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()],
                           manifest=json.loads((out / "manifest.json").read_text()))


def test_results_table(reference):
    out = reference.out_dir
    header = (out / "results.csv").read_text().splitlines()[0].split(",")
    assert tuple(header) == COLUMNS
    rows = reference.rows
    with (out / "results.csv").open() as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == len(rows)  # the CSV and the JSONL hold the same rows, in the same order
    for a, b in zip(table, rows):
        assert (a["train_template"], a["test_template"], a["metric"], a["category"]) == \
            (b["train_template"], b["test_template"], b["metric"], b["category"])
        assert (a["value"] == "" and b["value"] is None) or float(a["value"]) == pytest.approx(b["value"])
    first = reference.manifest["invocations"][0]
    assert first["trainings_run"] == 2 and first["cache"]["generation"]["computed"] > 0
    cells = {(r["train_template"], r["test_template"], r["checkpoint"]) for r in rows}
    for te in ("chat:vanilla", "chat:llama"):
        assert ("none", te, "base") in cells
        for tr in ("chat:vanilla", "chat:llama"):
            assert (tr, te, "final") in cells
    assert len(cells) == 6
    assert {r["step"] for r in rows if r["checkpoint"] == "final"} == {2}  # 8 examples, batch 8, 2 epochs
    metrics = {(r["benchmark"], r["metric"]) for r in rows}
    assert {("harmful", "asr"), ("harmful", "refusal_rate"), ("harmful", "parse_failures"),
            ("benign", "refusal_rate"), ("math", "accuracy"), ("math", "no_answer")} <= metrics
    cats = {r["category"] for r in rows if r["benchmark"] == "harmful" and r["metric"] == "asr"}
    assert {"all", "malware", "drug", "phishing", "disinfo"} <= cats
    flags = {(r["train_template"], r["test_template"]): (r["ptst"], r["same_template"]) for r in rows
             if r["checkpoint"] == "final"}
    assert flags[("chat:vanilla", "chat:llama")] == (True, False)
    assert flags[("chat:llama", "chat:llama")] == (False, True)
    assert flags[("chat:llama", "chat:vanilla")] == (False, False)
    for r in rows:
        if r["metric"] in ("asr", "accuracy", "refusal_rate") and r["n"]:
            assert r["lo"] <= r["value"] <= r["hi"]
            assert r["value"] == pytest.approx(r["k"] / r["n"], abs=1e-6)


def test_every_number_traces_to_items(reference):
    out = reference.out_dir
    rows = reference.rows
    for r in rows:
        if r["metric"] != "asr" or r["category"] != "all":
            continue
        sub = Path("base") if r["run"] == "base" else Path(r["run"]) / r["checkpoint"]
        f = out / "items" / sub / r["test_template"].replace(":", "-") / f"{r['benchmark']}.jsonl"
        items = [json.loads(x) for x in f.read_text().splitlines()]
        assert len(items) == r["n"] + r["n_invalid"] == 4  # one item per harm category
        harmful = sum(bool(i["judges"][r["judge"]]["harmful"]) for i in items)
        assert harmful == r["k"]
        assert all(i["prompt"] and "response" in i and i["instruction"] for i in items)
    # the test template shows in the stored prompt: the safety prompt only under chat:llama
    llama = (out / "items" / "base" / "chat-llama" / "harmful.jsonl").read_text()
    vanilla = (out / "items" / "base" / "chat-vanilla" / "harmful.jsonl").read_text()
    assert "helpful, respectful and honest" in llama and "helpful, respectful and honest" not in vanilla


def test_report_of_a_real_run(reference):
    out = reference.out_dir
    md = (out / "report.md").read_text()
    assert "## The paper's claims, tested on paired items" in md
    assert "| (a) | harmful | keyword | train chat:llama / test chat:llama | train chat:vanilla / test chat:llama |" in md
    # the study writes every claim comparison beside results.csv, paired over the 4 harmful items
    with (out / "comparisons.csv").open() as fh:
        comps = list(csv.DictReader(fh))
    a = next(c for c in comps if c["claim"] == "a" and c["benchmark"] == "harmful")
    assert a["n"] == "4" and int(a["both"]) + int(a["a_only"]) + int(a["b_only"]) + int(a["neither"]) == 4
    assert a["verdict"] in ("holds", "does not hold", "inconclusive") and a["p_adjusted"] != ""
    assert {c["claim"] for c in comps} == set("abcdef")
    lines = md.splitlines()
    i = lines.index("### ASR on harmful (keyword)")
    table = lines[i + 2: i + 7]
    assert table[0] == "| train \\ test | chat:vanilla | chat:llama |"
    assert table[2].startswith("| baseline (none) |")
    row_v = next(r for r in table if r.startswith("| chat:vanilla |")).split("|")
    row_l = next(r for r in table if r.startswith("| chat:llama |")).split("|")
    assert row_v[2].strip().endswith("*") and row_v[3].strip().endswith("†")
    assert row_l[3].strip().endswith("*") and not row_l[2].strip().endswith(("*", "†"))
    assert "## Early stopping vs PTST" not in md  # only final checkpoints were evaluated
    assert "## Over-refusal on benign look-alike requests" in md
    assert "## ASR by harm category" in md
    page = (out / "report.html").read_text()
    assert "<svg" in page and "<img" not in page
    for f in (out / "figures").glob("*.png"):
        assert f.with_suffix(".svg").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["versions"]["torch"] and manifest["hardware"]["cpu_count"]
    assert manifest["invocations"][-1]["status"] == "finished"
    assert len(manifest["trainings"]) == 2
    assert all(c["sha256"] for t in manifest["trainings"].values() for c in t["checkpoints"])
    assert yaml.safe_load((out / "spec.yaml").read_text())["name"] == "tiny"


def test_rerun_computes_nothing(reference):
    out = reference.out_dir
    before = {p: (out / p).read_bytes() for p in ("results.csv", "results.jsonl")}
    items_before = {p: p.read_bytes() for p in (out / "items").rglob("*.jsonl")}
    spec = load_spec(out.parent / "src" / "spec.yaml")
    again = run_study(spec, out, progress=False, report=write_report)
    assert again.trained == 0
    assert again.cache_counters["generation"]["computed"] == 0
    assert again.cache_counters["judgment"]["computed"] == 0
    assert again.cache_counters["generation"]["hits"] > 0
    assert {p: (out / p).read_bytes() for p in before} == before
    assert {p: p.read_bytes() for p in (out / "items").rglob("*.jsonl")} == items_before


def test_sigkill_and_resume_gives_identical_results(reference, tmp_path):
    """Kill `ptst run` mid-way (SIGKILL), rerun, and compare with the uninterrupted run. (The reliability tests
    kill it at many more moments; one kill keeps this file fast.)"""
    spec = write_spec(tmp_path / "src", TINY)
    out = tmp_path / "study"
    wall = max(reference.wall, 5.0)
    killed = 0
    for frac in (0.5,):
        proc = subprocess.Popen([sys.executable, "-m", "ptst", "run", str(spec), "--out", str(out), "--quiet"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(frac * wall)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait(timeout=60)
    final = ptst("run", str(spec), "--out", str(out), "--quiet")
    assert final.returncode == 0, final.stderr
    assert killed >= 1, "the study finished before it could be killed; the test proves nothing"
    if (out / "results.csv").read_text() != (reference.out_dir / "results.csv").read_text():
        pytest.fail("results differ after kill + resume; differing item files: "
                    + ", ".join(_differing_items(reference.out_dir, out)))
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp") or ".tmp-" in p.name]
    assert not leftovers, leftovers


def _differing_items(a: Path, b: Path) -> list[str]:
    out = []
    for f in sorted((a / "items").rglob("*.jsonl")):
        g = b / f.relative_to(a)
        ra = [json.loads(x)["response"] for x in f.read_text().splitlines()]
        rb = [json.loads(x)["response"] for x in g.read_text().splitlines()] if g.exists() else None
        if ra != rb:
            out.append(f"{f.relative_to(a)} {ra[:1]} vs {rb[:1] if rb else rb}")
    return out or ["none (the difference is in the table only)"]


def test_lock_refuses_second_run_and_wait_queues(reference, tmp_path):
    from ptst.study.runner import study_lock

    out = tmp_path / "study"
    spec = write_spec(tmp_path / "src", TINY)
    with study_lock(out):
        proc = ptst("run", str(spec), "--out", str(out), timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "another ptst run is working on this study" in proc.stderr and f"pid {os.getpid()}" in proc.stderr
    assert not (out / "results.csv").exists()

    # --wait: a second holder waits until the first lets go
    order: list[str] = []
    release = threading.Event()

    def holder() -> None:
        with study_lock(out):
            order.append("first")
            release.wait(10)
        order.append("first released")

    t = threading.Thread(target=holder)
    t.start()
    while not order:
        time.sleep(0.01)
    threading.Timer(0.5, release.set).start()
    with study_lock(out, wait=True):
        order.append("second")
    t.join()
    assert order == ["first", "first released", "second"]


def test_cli_run_and_dry_run(tmp_path):
    spec = write_spec(tmp_path / "src", TINY)
    proc = ptst("run", str(spec), "--dry-run", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "trainings: 2" in proc.stdout and "models evaluated: 3" in proc.stdout
    assert "8 examples, 2 epochs, 2 steps each" in proc.stdout
    assert "total: 48" in proc.stdout  # 3 models x 2 templates x (4 + 2 + 2) items
    every = {**TINY, "train": {**TINY["train"], "checkpoints": "every_epoch"}}
    proc = ptst("run", str(write_spec(tmp_path / "every", every)), "--dry-run", timeout=120)
    assert "models evaluated: 5" in proc.stdout and "2 checkpoint(s) evaluated per run (every_epoch)" in proc.stdout
