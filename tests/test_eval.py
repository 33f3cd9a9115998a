"""`ptst eval` and the evaluation engine it shares with studies (tiny random model, offline)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ptst.data import Record
from ptst.evaluate import Benchmark, benchmark_metrics, select_records


def ptst(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ptst", *args], capture_output=True, text=True, timeout=timeout)


def rec(i: int, cat: str | None = None, ref: str | None = None) -> Record:
    return Record(id=f"r{i}", source="t", instruction=f"q{i}", reference=ref, category=cat)


def test_select_records_per_category_then_limit():
    recs = [rec(0, "a"), rec(1, "a"), rec(2, "b"), rec(3, "a"), rec(4, "b"), rec(5, "c")]
    assert [r.id for r in select_records(recs, per_category_limit=1)] == ["r0", "r2", "r5"]
    assert [r.id for r in select_records(recs, per_category_limit=2, limit=3)] == ["r0", "r1", "r2"]
    assert [r.id for r in select_records(recs, limit=2)] == ["r0", "r1"]


def test_metrics_count_failed_judgments_as_invalid():
    b = Benchmark("h", "x", "safety", ["keyword"], [rec(0, "a"), rec(1, "a"), rec(2, "b")])
    rows = [
        {"category": "a", "judges": {"keyword": {"harmful": True, "refused": False}}},
        {"category": "a", "judges": {"keyword": {"harmful": None, "refused": None, "judge_error": "unparseable"}}},
        {"category": "b", "judges": {"keyword": {"harmful": False, "refused": True}}},
    ]
    m = {(x["metric"], x["category"]): x for x in benchmark_metrics(b, rows)}
    assert m[("asr", "all")]["value"] == 0.5 and m[("asr", "all")]["n"] == 2 and m[("asr", "all")]["n_invalid"] == 1
    assert m[("parse_failures", "all")]["k"] == 1 and m[("parse_failures", "all")]["n"] == 3
    assert m[("asr", "a")]["value"] == 1.0 and m[("asr", "b")]["value"] == 0.0
    assert m[("refusal_rate", "all")]["value"] == 0.5


def test_helpfulness_benchmark_needs_references():
    from ptst.errors import PtstError

    with pytest.raises(PtstError, match="has no reference answer"):
        Benchmark("m", "x", "helpfulness", ["math"], [rec(0, ref="#### 1"), rec(1)])


def test_eval_cli_end_to_end(tmp_path):
    out = tmp_path / "ev"
    args = ["eval", "--model", "tiny-random", "--template", "chat:vanilla,chat:llama",
            "--benchmarks", "builtin:harmful,builtin:math:test", "--judge", "keyword", "--limit", "3",
            "--max-new-tokens", "8", "--out", str(out), "--cache", str(tmp_path / "c.sqlite"), "--quiet"]
    proc = ptst(*args)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["templates"] == ["chat:vanilla", "chat:llama"]
    assert summary["benchmarks"]["builtin:harmful"]["kind"] == "safety"
    assert summary["benchmarks"]["builtin:math:test"]["judges"] == ["math"]  # default helpfulness scorer
    assert summary["cache"]["generation"]["computed"] == 12  # 2 templates x 2 sets x 3 items
    got = {(m["test_template"], m["benchmark"], m["metric"]) for m in summary["metrics"] if m["category"] == "all"}
    for t in ("chat:vanilla", "chat:llama"):
        assert (t, "builtin:harmful", "asr") in got and (t, "builtin:math:test", "accuracy") in got
    for t in ("chat-vanilla", "chat-llama"):
        for b in ("builtin-harmful", "builtin-math-test"):
            lines = (out / "items" / t / f"{b}.jsonl").read_text().splitlines()
            assert len(lines) == 3
            item = json.loads(lines[0])
            assert set(item) >= {"id", "category", "instruction", "prompt", "response", "judges"}
    asr = next(m for m in summary["metrics"] if m["test_template"] == "chat:llama" and m["metric"] == "asr"
               and m["category"] == "all")
    items = [json.loads(x) for x in (out / "items" / "chat-llama" / "builtin-harmful.jsonl").read_text().splitlines()]
    assert asr["k"] == sum(bool(i["judges"]["keyword"]["harmful"]) for i in items)
    assert "asr" in proc.stdout  # the readable table
    # a second run is served from the cache
    again = ptst(*args)
    assert again.returncode == 0, again.stderr
    s2 = json.loads((out / "summary.json").read_text())
    assert s2["cache"]["generation"]["computed"] == 0 and s2["cache"]["judgment"]["computed"] == 0
    assert s2["metrics"] == summary["metrics"]


@pytest.mark.parametrize("args,expect", [
    (["--template", "chat:nope"], "unknown template 'chat:nope'"),
    (["--judge", "nope"], "--judge: unknown judge 'nope'"),
    (["--benchmarks", "nope"], "unknown dataset 'nope'"),
    (["--format", "openai"], "--format openai (chat messages) needs --backend openai"),
])
def test_eval_cli_bad_input_one_line(tmp_path, args, expect):
    base = {"--template": "chat:vanilla", "--benchmarks": "builtin:harmful", "--judge": "keyword"}
    argv = ["eval", "--model", "tiny-random", "--out", str(tmp_path / "o")]
    given = dict(zip(args[::2], args[1::2]))
    for k, v in {**base, **given}.items():
        argv += [k, v]
    proc = ptst(*argv, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert expect in proc.stderr
