"""The CLI contract of `ptst generate` and `ptst cache` (run as real subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.fakes.flaky_server import FlakyServer

RECORDS = [
    {"id": "q1", "instruction": "How do I bake bread?", "reference": "flour", "category": "food"},
    {"id": "q2", "instruction": "What is 2+3?", "reference": "5", "category": "math"},
    {"id": "q3", "instruction": "Tell me a joke about cats, please", "reference": "meow", "category": "fun"},
    {"id": "q4", "instruction": 'Quote "this" 50% {x}', "reference": "-", "category": "fun"},
]


def ptst(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "OMP_NUM_THREADS": "1", **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "ptst", *args], capture_output=True, text=True, timeout=300,
                          env=full_env)
    if check and proc.returncode != 0:
        raise AssertionError(f"ptst {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    return proc


@pytest.fixture
def data(tmp_path):
    p = tmp_path / "data.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    return str(p)


def test_generate_writes_the_contract_and_reruns_from_cache(tmp_path, data, tiny_model_dir):
    from ptst.models import load_tokenizer
    from ptst.templates import get_template

    out, db = tmp_path / "out.jsonl", tmp_path / "c.sqlite"
    args = ["generate", "-m", "tiny-random", "-t", "chat:llama", "-d", data, "--max-new-tokens", "6",
            "--cache", str(db), "-o", str(out)]
    first = ptst(*args)
    assert "4 generated" in first.stderr and "generate: 4/4" in first.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    tok = load_tokenizer("tiny-random")
    tpl = get_template("chat:llama")
    assert [r["id"] for r in rows] == ["q1", "q2", "q3", "q4"]
    for r, rec in zip(rows, RECORDS):
        assert r["instruction"] == rec["instruction"] and r["reference"] == rec["reference"]
        assert r["category"] == rec["category"] and r["source"] == "data.jsonl"
        assert r["prompt"] == tpl.render(rec["instruction"], "native", tok)
        assert isinstance(r["response"], str)
        assert (r["template"], r["model"], r["adapter"], r["format"], r["backend"]) == (
            "chat:llama", "tiny-random", None, "native", "hf")
    before = out.read_text()
    second = ptst(*args)
    assert "4 hits, 0 generated" in second.stderr
    assert out.read_text() == before

    stats = json.loads(ptst("cache", "stats", "--cache", str(db)).stdout)
    assert stats["path"] == str(db) and stats["exists"] and stats["bytes"] > 0
    assert stats["rows"] == {"generation": 4, "judgment": 0}
    env = {"PTST_CACHE": str(db)}  # the environment variable names the same file
    assert json.loads(ptst("cache", "stats", env=env).stdout)["rows"]["generation"] == 4
    refused = ptst("cache", "clear", env=env, check=False)
    assert refused.returncode == 2 and "without --yes" in refused.stderr
    cleared = json.loads(ptst("cache", "clear", "--kind", "judgment", "--yes", env=env).stdout)
    assert cleared["removed"] == {"judgment": 0}
    assert json.loads(ptst("cache", "clear", "--yes", env=env).stdout)["removed"] == {"generation": 4, "judgment": 0}
    assert json.loads(ptst("cache", "stats", env=env).stdout)["rows"]["generation"] == 0


def test_no_cache_touches_no_cache_file(tmp_path, data, tiny_model_dir):
    db = tmp_path / "never.sqlite"
    out = tmp_path / "o.jsonl"
    ptst("generate", "-m", "tiny-random", "-t", "text:vanilla", "-d", data, "--limit", "2", "--max-new-tokens", "3",
         "--no-cache", "--threads", "1", "-q", "-o", str(out), env={"PTST_CACHE": str(db)})
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 2 and rows[0]["prompt"] == "Question: How do I bake bread?\nAnswer:"
    assert not db.exists()


def test_openai_backend_sends_messages_or_strings(tmp_path, data):
    from ptst.templates import get_template

    out = tmp_path / "o.jsonl"
    env = {"PTST_TEST_KEY": "sk-test"}
    with FlakyServer() as server:
        common = ["-m", "fake-model", "-t", "chat:llama", "-d", data, "--backend", "openai", "--base-url",
                  server.base_url, "--api-key-env", "PTST_TEST_KEY", "--max-new-tokens", "7", "--cache",
                  str(tmp_path / "c.sqlite"), "-o", str(out)]
        ptst("generate", *common, env=env)
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        tpl = get_template("chat:llama")
        assert rows[0]["format"] == "openai" and rows[0]["prompt"] == tpl.render_openai(RECORDS[0]["instruction"])
        assert [r["response"] for r in rows] == ["echo: " + r["instruction"] for r in RECORDS]
        body = server.bodies[0]
        assert body["model"] == "fake-model" and body["max_tokens"] == 7 and body["temperature"] == 0
        assert body["messages"][0] == {"role": "system", "content": tpl.openai_system_prompt}

        ptst("generate", *common, "--api", "completions", "--format", "llama2", "--api-model", "served-name", env=env)
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        assert rows[1]["prompt"] == tpl.render_llama2(RECORDS[1]["instruction"])
        assert rows[1]["response"] == "echo: " + rows[1]["prompt"]
        assert server.bodies[-1]["model"] == "served-name" and "prompt" in server.bodies[-1]


@pytest.mark.parametrize(
    "extra, msg",
    [
        (["-t", "chat:nope"], "unknown template 'chat:nope'"),
        (["-d", "no-such-dataset"], "unknown dataset 'no-such-dataset'"),
        (["-m", "no-such-model"], "unknown model 'no-such-model'"),
        (["--max-new-tokens", "0"], "--max-new-tokens must be at least 1, got 0"),
        (["--batch-size", "0"], "--batch-size must be at least 1"),
        (["--threads", "0"], "--threads must be at least 1"),
        (["--format", "openai"], "--format openai (chat messages) needs --backend openai"),
        (["--backend", "nope"], "unknown backend 'nope'"),
        (["--adapter", "/nonexistent/adapter"], "not a PEFT adapter directory"),
        (["--temperature", "-1"], "temperature must be >= 0"),
    ],
)
def test_bad_inputs_are_one_line_errors(tmp_path, data, extra, msg):
    base = {"-m": "tiny-random", "-t": "chat:llama", "-d": data}
    args = ["generate", "-o", str(tmp_path / "o.jsonl")]
    for k, v in base.items():
        if k not in extra:
            args += [k, v]
    proc = ptst(*args, *extra, check=False)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ptst: error:") and msg in lines[0]
    assert not (tmp_path / "o.jsonl").exists()


def test_cache_clear_rejects_unknown_kind(tmp_path):
    proc = ptst("cache", "clear", "--kind", "nope", "--yes", "--cache", str(tmp_path / "c.sqlite"), check=False)
    assert proc.returncode == 2 and "unknown cache kind 'nope'" in proc.stderr
    assert "Usage" in ptst("cache", "--help").stdout and "--no-cache" in ptst("generate", "--help").stdout
