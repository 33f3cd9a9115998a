"""Ctrl-C / SIGTERM on API work: queued calls are not sent, every answered call is cached, one line says what was
kept and how to resume, exit 130; the rerun sends only the calls that were not answered.

The real ``ptst`` runs as a subprocess (a signal must reach a real process) against a local fake server
(``tests/fakes/flaky_server.py``) that answers slowly, so the signal arrives with most calls still queued.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import SHARED
from tests.fakes.flaky_server import FlakyServer

RUBRIC = SHARED / "spec" / "qi2023-judge-template.txt"
N = 24


def _rows(path):
    rows = [{"id": f"r{i}", "instruction": f"Question number {i}?", "response": f"Answer number {i}."} for i in range(N)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def _ptst(args, env):
    # A child inherits an ignored SIGINT (the test process's disposition may have been changed by an earlier test
    # in the same worker, e.g. one that started a Ray cluster in-process): give the child the default back, as a
    # terminal's Ctrl-C would find it.
    return subprocess.Popen([sys.executable, "-m", "ptst", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for(cond, timeout=60.0):
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting")
        time.sleep(0.01)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("verb", ["score", "generate"])
def test_interrupt_keeps_answered_calls_and_rerun_sends_only_the_rest(tmp_path, sig, verb):
    env = {**os.environ, "OPENAI_API_KEY": ""}
    inp = _rows(tmp_path / "in.jsonl")
    out = tmp_path / "out.jsonl"
    cache = tmp_path / "cache.sqlite"
    with FlakyServer(delay=0.25) as srv:
        if verb == "score":
            args = ["score", "-s", "rubric", "-i", inp, "-o", str(out), "--base-url", srv.base_url, "--rubric-path",
                    str(RUBRIC), "--cache", str(cache), "--max-concurrency", "2", "--quiet"]
        else:
            args = ["generate", "--backend", "openai", "-m", "fake-model", "-t", "chat:vanilla", "-d", inp,
                    "-o", str(out), "--base-url", srv.base_url, "--cache", str(cache), "--quiet"]
        proc = _ptst(args, env)
        _wait_for(lambda: srv.requests >= 4)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        first = srv.requests
        assert proc.returncode == 130, err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        assert lines[0].startswith("ptst: interrupted;") and "rerun to resume: ptst " + verb in lines[0]
        assert 4 <= first < N, f"{first} of {N} calls were sent: queued calls were not cancelled"
        assert not out.exists()  # nothing half-written
        kind = "judgment" if verb == "score" else "generation"
        assert f"{first} {kind}(s)" in lines[0]  # every answered call is kept, and said so
        seen_first = set(srv.per_query)

        proc = _ptst(args, env)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        # the rerun asked only for what the first run had not been answered, each exactly once
        assert srv.requests == N
        assert all(n == 1 for n in srv.per_query.values()) and len(srv.per_query) == N
        assert len(set(srv.per_query) - seen_first) == N - first
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(N)]


def test_interrupted_local_training_exits_promptly_and_the_line_says_how_to_continue(tmp_path):
    """Ctrl-C in the middle of local training (tiny-random, after its first checkpoint): exit 130 within seconds,
    one line naming the command with --resume, and that command finishes the run from the checkpoint."""
    env = {**os.environ, "PTST_HOME": str(tmp_path / "home"), "OMP_NUM_THREADS": "1"}
    run_dir = tmp_path / "run"
    args = ["train", "-m", "tiny-random", "-d", "builtin:math:train", "-t", "chat:vanilla", "--limit", "40",
            "--batch-size", "4", "--epochs", "8", "--output-dir", str(run_dir)]  # 10 steps an epoch, 80 in all
    proc = _ptst(args, env)
    _wait_for(lambda: (run_dir / "checkpoints" / "checkpoint-10").is_dir() and "checkpoint-10" in
              (run_dir / "manifest.json").read_text(), timeout=300)
    t = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert time.monotonic() - t < 30, "the interrupt waited for the training to finish"
    last = err.strip().splitlines()[-1]
    assert "Traceback" not in err and last.startswith("ptst: interrupted;"), err
    assert "continue with: ptst train" in last and last.endswith("--resume"), last
    assert json.loads((run_dir / "manifest.json").read_text())["status"] != "finished"

    again = subprocess.run([sys.executable, "-m", "ptst", *args, "--resume"], capture_output=True, text=True, env=env,
                           timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"resuming {run_dir} from step" in again.stderr, again.stderr
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "finished" and manifest["checkpoints"][0]["step"] == 10
