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
    return subprocess.Popen([sys.executable, "-m", "ptst", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


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
