"""Crash safety of ``ptst run``: SIGKILL at many moments, concurrent runs on one directory.

The tiny study (tiny-random model, one 2-step LoRA fine-tuning, baseline + fine-tuned model x 2 test templates x
2 benchmarks, keyword + refusal judges) is run once uninterrupted (the reference), then as a chain of runs of
which ten are killed with SIGKILL, each at a moment drawn by a seeded RNG: the chain waits for a stage line of
the progress output (start-up, baseline generation, judging, training steps and checkpoints, fine-tuned
generation, results and report writing) and kills after a random delay. After the last, uninterrupted, rerun:

* ``results.csv``, ``results.jsonl`` and every per-item file equal the reference's, byte for byte;
* no generation or judgment was stored twice, in any process of the chain (the cache's ``PTST_CACHE_AUDIT`` put
  log, which lives in the SQLite file itself and so survives the kills), and the chain stored exactly the keys
  the reference stored;
* nothing partial remains: no temp file, every JSON/JSONL/CSV/YAML parses, every safetensors file opens, the
  SQLite cache passes ``PRAGMA integrity_check`` and is in WAL mode.

The subprocesses run with ``OMP_NUM_THREADS=1``: on a CPU shared with other work, two spinning OpenMP threads per
process make the tiny model 5x slower (measured: 57 s vs 10 s for one uninterrupted run), and one thread gives
the same results.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from ptst.cache import AUDIT_ENV, KINDS, Cache
from ptst.report.plots import FIGURE_MEMO
from ptst.study.uptodate import MEMO_NAME
from tests.spec_helpers import benchmark, evaluation, math_training, tiny_study, write_spec

REPO = Path(__file__).resolve().parents[1]
SEED = 20240607

CRASH = tiny_study(
    "crash",
    evaluation(["chat:vanilla", "chat:llama"],
               [benchmark("harmful", per_category_limit=2), benchmark("math", "builtin:math:test", limit=4)],
               max_new_tokens=16, batch_size=4, judges=["keyword", "refusal"]),
    math_training(["chat:vanilla"], epochs=2, batch_size=2),
    description="tiny-random study for the SIGKILL tests",
)

# The ten kills of the tiny study, by stage, in pipeline order. Each stage is (stage line of the progress output to
# wait for, longest extra delay in seconds); the delay is drawn by a seeded RNG. A stage the chain has already
# finished on disk (its work would be served from the cache) is skipped for the next unfinished one, so the
# kills land in real work; once everything is done, kills land in a rerun rewriting results and report.
STAGES = {
    "startup": (None, 3.0),  # imports, spec, lock, manifest, model load
    "baseline": (r"evaluate baseline: generate", 1.5),  # baseline generation and judging
    # LoRA fine-tuning (model load, steps, checkpoints, final save): under a second on an idle machine, so the
    # delay stays short or the kill lands in the next stage (seen in CI: a 1.5 s delay hit generation instead)
    "train": (r"^\[ptst run .*\] train ", 0.4),
    "final": (r"\[final\]: generate", 0.6),  # the fine-tuned model's generation and judging
    "report": (r"\[final\]: judge math", 1.5),  # results table, manifest, report (about 2 s: matplotlib)
}
TINY_KILLS = ["startup", "baseline", "baseline", "train", "train", "train", "final", "final", "report", "report"]
ORDER = list(STAGES)


# ---- helpers ------------------------------------------------------------------------------------------------


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "PTST_HOME": str(home), AUDIT_ENV: "1", "OMP_NUM_THREADS": "1", **extra}
    env.pop("PTST_CACHE", None)
    return env


def _make_home(base: Path) -> Path:
    from tests.conftest import _SESSION_HOME

    home = base / "home"
    home.mkdir(parents=True, exist_ok=True)
    shared = _SESSION_HOME / "models"
    shared.mkdir(parents=True, exist_ok=True)
    if not (home / "models").exists():
        (home / "models").symlink_to(shared)
    return home


def _run(spec: Path, out: Path, env: dict[str, str], *extra: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ptst", "run", str(spec), "--out", str(out), *extra],
                          capture_output=True, text=True, timeout=timeout, env=env)


@dataclass
class Kill:
    killed: bool
    phase: str
    waited_for: str | None
    delay: float
    last_line: str


def _phase(lines: list[str], out: Path) -> str:
    """The stage a killed run was in: the last stage line it printed (or, once the invocation is marked finished
    in the manifest, report writing)."""
    if any(x.startswith("report: ") for x in lines):
        return "done"
    try:
        inv = json.loads((out / "manifest.json").read_text())["invocations"][-1]
        if inv.get("status") == "finished":
            return "report"
    except (OSError, ValueError, KeyError, IndexError):
        pass
    for line in reversed(lines):
        if line.startswith("ptst train") or re.match(r"^\[ptst run .*\] train ", line):
            return "train"
        if ": generate" in line:
            return "generate"
        if ": judge" in line:
            return "judge"
    return "startup"


def stage_done(out: Path, stage: str, item_files: int = 4, runs: int = 1) -> bool:
    """Whether the chain has already finished ``stage`` on disk (``item_files`` per evaluated model: templates x
    benchmarks; ``runs`` trainings)."""
    if stage == "startup":
        return (out / "manifest.json").exists()
    if stage == "baseline":
        return len(list((out / "items" / "base").rglob("*.jsonl"))) == item_files
    if stage == "train":
        done = [m for m in (out / "train").glob("*/manifest.json") if json.loads(m.read_text()).get("status")
                == "finished"]
        return len(done) == runs
    if stage == "final":
        return len(list((out / "items").glob("*/final/*/*.jsonl"))) == item_files * runs
    return (out / "report.html").exists()


def next_stage(out: Path, wanted: str, item_files: int = 4, runs: int = 1) -> str:
    for stage in ORDER[ORDER.index(wanted):]:
        if not stage_done(out, stage, item_files, runs):
            return stage
    return "report"


def forget_report(out: Path) -> None:
    """Before a kill aimed at report writing: remove the study's up-to-date record and its figure memo.

    A finished study is up to date and its rerun does nothing (no stage, nothing to kill); without the memos the
    run takes the normal path (everything served from the cache) and redraws every figure, so the kill lands in
    results and report writing."""
    for memo in (out / MEMO_NAME, out / "figures" / FIGURE_MEMO):
        memo.unlink(missing_ok=True)


def run_and_kill(spec: Path, out: Path, env: dict[str, str], marker: str | None, delay: float,
                 timeout: float = 300) -> Kill:
    """Start ``ptst run``; once ``marker`` shows on stderr (at once for None), wait ``delay`` s, then SIGKILL."""
    proc = subprocess.Popen([sys.executable, "-m", "ptst", "run", str(spec), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []
    seen = threading.Event()
    if marker is None:
        seen.set()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line.rstrip("\n"))
            if marker is not None and re.search(marker, line):
                seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    while not seen.wait(0.01):
        if proc.poll() is not None or time.monotonic() > deadline:
            break
    killed = False
    if seen.is_set():
        end = time.monotonic() + delay
        while time.monotonic() < end and proc.poll() is None:
            time.sleep(0.005)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed = True
    if not killed and proc.poll() is None:  # the marker never came: a hung run is a failure, not a pass
        proc.kill()
        proc.wait()
        pytest.fail(f"ptst run did not reach {marker!r} within {timeout} s; last lines: {lines[-3:]}")
    proc.wait(timeout=60)
    reader.join(10)
    if not killed:
        assert proc.returncode == 0, "\n".join(lines[-20:])
    return Kill(killed, _phase(lines, out) if killed else "finished", marker, round(delay, 3),
                lines[-1] if lines else "")


def put_counts(out: Path) -> dict[str, dict[str, int]]:
    cache = Cache(out / "cache.sqlite")
    try:
        return {k: cache.put_counts(k) for k in KINDS}
    finally:
        cache.close()


def _item_files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted((out / "items").rglob("*.jsonl"))}


def assert_study_files_sound(out: Path) -> None:
    """No temp files; every structured file parses; checkpoints open; the SQLite cache is intact and in WAL mode."""
    from safetensors import safe_open

    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp") or ".tmp-" in p.name or ".tmp." in p.name]
    assert not leftovers, f"temp files left behind: {leftovers}"
    for p in out.rglob("*"):
        if not p.is_file():
            continue
        try:
            if p.suffix == ".json":
                json.loads(p.read_text(encoding="utf-8"))
            elif p.suffix == ".jsonl":
                for line in p.read_text(encoding="utf-8").splitlines():
                    assert isinstance(json.loads(line), dict)
            elif p.suffix == ".csv":
                rows = list(csv.reader(p.open(encoding="utf-8", newline="")))
                assert rows and all(len(r) == len(rows[0]) for r in rows)
            elif p.suffix in (".yaml", ".yml"):
                yaml.safe_load(p.read_text(encoding="utf-8"))
            elif p.suffix == ".safetensors":
                with safe_open(str(p), framework="pt") as fh:
                    assert list(fh.keys())
            elif p.suffix in (".md", ".html", ".svg"):
                assert p.read_text(encoding="utf-8").strip()
        except Exception as e:  # noqa: BLE001 - report which file is broken
            pytest.fail(f"{p.relative_to(out)} is partial or corrupt: {type(e).__name__}: {e}")
    con = sqlite3.connect(str(out / "cache.sqlite"))
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        con.close()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["invocations"][-1]["status"] == "finished"


def assert_same_results(ref: Path, out: Path) -> None:
    for name in ("results.csv", "results.jsonl"):
        assert (out / name).read_text() == (ref / name).read_text(), f"{name} differs from the uninterrupted run's"
    a, b = _item_files(ref), _item_files(out)
    assert sorted(a) == sorted(b)
    differing = [k for k in a if a[k] != b[k]]
    assert not differing, f"item files differ from the uninterrupted run's: {differing}"


def assert_each_key_stored_once(ref_counts: dict, counts: dict) -> None:
    for kind in KINDS:
        twice = {k: n for k, n in counts[kind].items() if n > 1}
        assert not twice, f"{len(twice)} {kind}(s) were computed and stored more than once: {list(twice.values())}"
        assert set(counts[kind]) == set(ref_counts[kind]), f"the chain stored other {kind}s than the reference"


# ---- the primitives ----------------------------------------------------------------------------------------------


def test_atomic_write_failure_keeps_the_old_file_and_no_temp(tmp_path, monkeypatch):
    from ptst import io as pio

    target = tmp_path / "study" / "results.csv"
    pio.atomic_write_text(target, "old,complete\n")

    def boom(fd):  # the disk fails after half the bytes are written
        raise OSError("disk full")

    monkeypatch.setattr(pio.os, "fsync", boom)
    # the OS error becomes the one-line user error naming the path (ptst.io's contract since the hostile-input work)
    from ptst.errors import PtstError

    with pytest.raises(PtstError, match=r"results\.csv: cannot write \(disk full\)"):
        pio.atomic_write_text(target, "new," * 100_000)
    assert target.read_text() == "old,complete\n"
    assert [p.name for p in target.parent.iterdir()] == ["results.csv"]


CACHE_WRITER = """
import sys
from ptst.cache import Cache
c = Cache(sys.argv[1])
i = 0
while True:
    c.put_many("generation", [(f"k{i}-{j}", {"text": "x" * 2000}, None) for j in range(50)])
    i += 1
    print(i, flush=True)
"""


def test_stale_temp_files_of_killed_writes_are_removed(tmp_path):
    """A writer killed between writing its temp file and the rename leaves `.NAME.ptst-XXXXXXXX.tmp`; the next
    `ptst run` (under the study lock) deletes exactly those, nothing else (not another program's `.NAME.XXXXXXXX.tmp`)."""
    from ptst.io import atomic_write_text, remove_stale_temp_files

    (tmp_path / "items" / "m").mkdir(parents=True)
    stale = tmp_path / "items" / "m" / ".harmful.jsonl.ptst-hxkp5tcd.tmp"
    stale.write_text("partial")
    keep = [tmp_path / "notes.tmp", tmp_path / ".hidden", tmp_path / "items" / "x.jsonl",
            tmp_path / ".editor-swap.hxkp5tcd.tmp"]
    for k in keep:
        k.write_text("keep")
    atomic_write_text(tmp_path / "items" / "m" / "math.jsonl", "{}\n")
    assert remove_stale_temp_files(tmp_path) == 1
    assert not stale.exists() and all(k.exists() for k in keep)
    assert (tmp_path / "items" / "m" / "math.jsonl").read_text() == "{}\n"


def test_sigkill_during_cache_writes_leaves_whole_batches(tmp_path):
    """A process killed while it commits batches of 50 rows: the SQLite file passes integrity_check and holds
    whole batches only (each put_many is one transaction), and a new process can write to it at once."""
    db = tmp_path / "cache.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", CACHE_WRITER, str(db)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, AUDIT_ENV: "1"})
    assert proc.stdout is not None
    for _ in range(20):  # let it commit some batches, then kill it in the middle of the next ones
        proc.stdout.readline()
    time.sleep(random.Random(SEED).uniform(0.0, 0.05))
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    con = sqlite3.connect(str(db))
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = con.execute("SELECT COUNT(*) FROM generation").fetchone()[0]
        logged = con.execute("SELECT COUNT(*) FROM put_log").fetchone()[0]
    finally:
        con.close()
    assert n >= 20 * 50 and n % 50 == 0 and logged == n  # data and audit log committed together
    cache = Cache(db)
    cache.put("generation", "after", {"text": "y"})
    assert cache.get("generation", "after") == {"text": "y"} and cache.stats()["generation"] == n + 1
    cache.close()


# ---- the tiny study --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    base = tmp_path_factory.mktemp("crash")
    home = _make_home(base)
    spec = write_spec(base / "src", CRASH)
    t = time.monotonic()
    proc = _run(spec, base / "ref", _env(home))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return SimpleNamespace(base=base, home=home, spec=spec, ref=base / "ref", wall=time.monotonic() - t,
                           counts=put_counts(base / "ref"))


def test_reference_run_stores_each_result_once(tiny):
    """The audit itself: an uninterrupted run stores every generation and judgment exactly once, and stores some."""
    assert tiny.counts["generation"] and tiny.counts["judgment"]
    assert set(tiny.counts["generation"].values()) == {1}
    assert set(tiny.counts["judgment"].values()) == {1}
    # 2 models x 2 templates x (8 harmful + 4 math) prompts
    assert len(tiny.counts["generation"]) == 48
    assert_study_files_sound(tiny.ref)


def test_ten_sigkills_then_resume_equal_uninterrupted_run(tiny):
    rng = random.Random(SEED)
    out = tiny.base / "killed"
    env = _env(tiny.home)
    kills: list[Kill] = []
    for wanted in TINY_KILLS:
        stage = next_stage(out, wanted)
        if stage == "report":
            forget_report(out)
        marker, longest = STAGES[stage]
        kills.append(run_and_kill(tiny.spec, out, env, marker, rng.uniform(0.0, longest)))
    final = _run(tiny.spec, out, env)
    assert final.returncode == 0, final.stderr[-3000:]
    summary = "; ".join(f"{k.phase}@{k.waited_for or 'start'}+{k.delay}s" for k in kills)
    n_killed = sum(k.killed for k in kills)
    assert n_killed >= 9, f"only {n_killed} of 10 runs were killed before finishing: {summary}"
    phases = {k.phase for k in kills if k.killed}
    assert {"train", "generate"} <= phases and phases & {"report", "judge"}, \
        f"the kills did not cover the study's stages: {summary}"
    assert_same_results(tiny.ref, out)
    assert_each_key_stored_once(tiny.counts, put_counts(out))
    assert_study_files_sound(out)
    invocations = json.loads((out / "manifest.json").read_text())["invocations"]
    statuses = [i["status"] for i in invocations]
    assert statuses[-1] == "finished"
    # every run that got past start-up left its invocation; a killed one stays "running" (it writes nothing more)
    assert len(invocations) >= 1 + sum(k.killed and k.phase != "startup" for k in kills), (statuses, summary)
    assert statuses.count("running") <= n_killed and "failed" not in statuses, statuses
    print(f"\nkills: {summary}")


def test_second_concurrent_run_refuses_or_waits(tiny):
    """Two real `ptst run` processes on one directory: the second refuses with one line naming the holder; with
    --wait it queues, then finds everything done (stores nothing) and leaves the same results."""
    out = tiny.base / "concurrent"
    env = _env(tiny.home)
    first = subprocess.Popen([sys.executable, "-m", "ptst", "run", str(tiny.spec), "--out", str(out), "--quiet"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    waiter: subprocess.Popen | None = None
    try:
        owner = out / ".ptst-run.owner"
        deadline = time.monotonic() + 120
        while not owner.exists():
            assert first.poll() is None, "the first run ended before taking the lock"
            assert time.monotonic() < deadline, "the first run never took the lock"
            time.sleep(0.02)
        waiter = subprocess.Popen([sys.executable, "-m", "ptst", "run", str(tiny.spec), "--out", str(out), "--wait"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        refused = _run(tiny.spec, out, env, "--quiet", timeout=120)
        assert first.wait(timeout=300) == 0, first.stderr.read()[-3000:] if first.stderr else ""
        w_out, w_err = waiter.communicate(timeout=300)
    finally:
        for p in (first, waiter):
            if p is not None and p.poll() is None:
                p.kill()
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "another ptst run is working on this study" in refused.stderr and "pid " in refused.stderr
    assert waiter.returncode == 0, w_err[-3000:]
    assert "waiting for the other ptst run" in w_err  # it found the first run still working, and queued
    inv = json.loads((out / "manifest.json").read_text())["invocations"]
    assert [i["status"] for i in inv] == ["finished", "finished"]  # the refused run never touched the manifest
    assert inv[1]["trainings_run"] == 0
    assert inv[1]["cache"]["generation"]["computed"] == 0 and inv[1]["cache"]["judgment"]["computed"] == 0
    assert_same_results(tiny.ref, out)
    assert_each_key_stored_once(tiny.counts, put_counts(out))
    assert_study_files_sound(out)


def test_same_spec_twice_is_reproducible_and_manifest_says_why(tiny):
    """Two uninterrupted runs of one spec (the reference, and the first run of the concurrency test, or a fresh
    one) give identical results, identical checkpoint hashes, identical cache keys; the manifest holds what would
    explain a difference: versions, git commit, spec/data/model/checkpoint hashes, hardware."""
    out = tiny.base / "concurrent"
    if not (out / "results.csv").exists():
        proc = _run(tiny.spec, out, _env(tiny.home), "--quiet")
        assert proc.returncode == 0, proc.stderr[-3000:]
    assert (out / "results.csv").read_bytes() == (tiny.ref / "results.csv").read_bytes()
    assert set(put_counts(out)["generation"]) == set(tiny.counts["generation"])
    a = json.loads((tiny.ref / "manifest.json").read_text())
    b = json.loads((out / "manifest.json").read_text())
    assert a["git"] is None or a["git"]["commit"]  # "dirty" may change between runs in a tree others edit
    for key in ("spec_sha256", "versions", "base_model", "benchmarks", "hardware"):
        assert a[key] == b[key], key
    assert {r: [c["sha256"] for c in t["checkpoints"]] for r, t in a["trainings"].items()} == \
        {r: [c["sha256"] for c in t["checkpoints"]] for r, t in b["trainings"].items()}
    assert all(c["sha256"] for t in a["trainings"].values() for c in t["checkpoints"])
    hw = a["hardware"]
    assert hw["cpu_count"] and hw["cpu_model"] and hw["torch_threads"] >= 1 and hw["device"] in ("cpu", "cuda")
    assert ("gpus" in hw) == (hw["device"] == "cuda")
    assert a["versions"]["torch"] and a["versions"]["transformers"] and a["versions"]["python"]
    assert a["base_model"]["sha256"] and all(v["sha256"] for v in a["benchmarks"].values())
    run_dir = next((tiny.ref / "train").iterdir())
    train_manifest = json.loads((run_dir / "manifest.json").read_text())
    env = train_manifest["environment"]
    assert env["hardware"]["cpu_model"] and env["hardware"]["device"] and env["packages"]["torch"]


# ---- the smoke study on the real default model (slow) ------------------------------------------------------------

# The smoke study's stages take seconds to minutes (a 135M model on CPU), so the delays are longer.
SMOKE_STAGES = {
    "startup": (None, 10.0),
    "baseline": (r"evaluate baseline: generate", 20.0),
    "train": (r"^\[ptst run .*\] train ", 40.0),
    "final": (r"\[final\]: generate", 20.0),
    # after the last fine-tuned model's last judge line: results, manifest and report (figures redrawn: ~2-3 s)
    "report": (r"evaluate chat:llama .*\[final\]: judge math", 3.0),
}
SMOKE_KILLS = TINY_KILLS  # the same ten kills


@pytest.mark.slow
def test_smoke_study_survives_sigkills(tmp_path):
    """examples/smoke.yaml on SmolLM2-135M: the uninterrupted run (also the smoke study's end-to-end test, with a
    cached rerun), then the same ten kills as the tiny study (startup, baseline generation, training, fine-tuned
    generation, judging/report) and the same assertions. All cores (under pytest-xdist, its worker's share): this
    is the longest test of the suite."""
    home = _make_home(tmp_path)
    env = _env(home)
    if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("OMP_NUM_THREADS"):
        env["OMP_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"]  # this worker's share of the cores (conftest.py)
    else:
        env.pop("OMP_NUM_THREADS")  # torch's default (all cores): the smoke study is real work
    spec = REPO / "examples" / "smoke.yaml"
    t = time.monotonic()
    ref = _run(spec, tmp_path / "ref", env, "--quiet", timeout=1800)
    cold = time.monotonic() - t
    assert ref.returncode == 0, ref.stderr[-3000:]
    ref_counts = put_counts(tmp_path / "ref")
    assert set(ref_counts["generation"].values()) == {1}
    # the uninterrupted run is also the smoke study's end-to-end check: the whole pipeline, and a cached rerun
    rows = [json.loads(x) for x in (tmp_path / "ref" / "results.jsonl").read_text().splitlines()]
    assert {r["train_template"] for r in rows} == {"none", "chat:vanilla", "chat:llama"}
    assert {r["judge"] for r in rows} >= {"keyword", "refusal"}
    assert (tmp_path / "ref" / "report.html").exists() and (tmp_path / "ref" / "report.md").exists()
    t = time.monotonic()
    warm = _run(spec, tmp_path / "ref", env, "--quiet", timeout=900)
    assert warm.returncode == 0 and time.monotonic() - t < cold / 2, (cold, time.monotonic() - t)
    assert put_counts(tmp_path / "ref") == ref_counts  # the rerun stored nothing
    rng = random.Random(SEED)
    out = tmp_path / "killed"
    kills = []
    for wanted in SMOKE_KILLS:  # 2 templates x 3 benchmarks per model, 2 trainings
        stage = next_stage(out, wanted, item_files=6, runs=2)
        if stage == "report":
            forget_report(out)
        marker, longest = SMOKE_STAGES[stage]
        kills.append(run_and_kill(spec, out, env, marker, rng.uniform(0.0, longest), timeout=1200))
    final = _run(spec, out, env, "--quiet", timeout=1800)
    assert final.returncode == 0, final.stderr[-3000:]
    summary = "; ".join(f"{k.phase}@{k.waited_for}+{k.delay}s" for k in kills)
    print(f"\nsmoke kills: {summary}")
    assert sum(k.killed for k in kills) >= 8, summary  # a kill in the cached rerun may come after it finished
    phases = {k.phase for k in kills if k.killed}
    assert {"train", "generate"} <= phases and phases & {"report", "judge"}, summary
    assert_same_results(tmp_path / "ref", out)
    assert_each_key_stored_once(ref_counts, put_counts(out))
    assert_study_files_sound(out)
