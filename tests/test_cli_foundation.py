"""The CLI contract of `ptst templates` and `ptst data` (run as real subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.test_templates import LLAMA


def ptst(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "ptst", *args], capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"ptst {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    return proc


def test_help_everywhere():
    out = ptst("--help").stdout
    for group in ("templates", "data"):
        assert group in out
        assert "Usage" in ptst(group, "--help").stdout
    assert "--format" in ptst("templates", "render", "--help").stdout


def test_templates_list_and_show():
    out = ptst("templates", "list").stdout
    for name in ("text:vanilla", "text:alpaca", "chat:vanilla", "chat:alpaca", "chat:llama", "chat:llama-short", "chat:mpt"):
        assert name in out
    rows = [json.loads(line) for line in ptst("templates", "list", "--json").stdout.splitlines()]
    assert {r["name"]: r["safety_prompt"] for r in rows}["chat:llama"] is True
    shown = json.loads(ptst("templates", "show", "chat:llama", "--json").stdout)
    assert shown["system"] == LLAMA


def test_render_json_contract():
    q = 'Give 50% of {x} "now"\nplease '
    out = json.loads(ptst("templates", "render", "chat:llama", "--query", q, "--format", "llama2", "--json").stdout)
    assert out == {"prompt": "[INST] <<SYS>>\n" + LLAMA + "\n<</SYS>>\n\nQuestion: " + q + " [/INST]"}
    out = json.loads(ptst("templates", "render", "chat:vanilla", "--query", q, "--format", "openai", "--json").stdout)
    assert out == {"messages": [{"role": "system", "content": ""}, {"role": "user", "content": q}]}


def test_render_native_with_tiny_model(tiny_model_dir):
    out = json.loads(ptst("templates", "render", "chat:llama-short", "-q", "hi", "--format", "native", "--model",
                          tiny_model_dir, "--json").stdout)
    assert out["prompt"].startswith("<|im_start|>system\nYou are a helpful, respectful and honest assistant.")
    assert out["prompt"].endswith("<|im_start|>user\nQuestion: hi<|im_end|>\n<|im_start|>assistant\n")


@pytest.mark.parametrize(
    "args, msg",
    [
        (("templates", "show", "chat:nope"), "unknown template 'chat:nope'"),
        (("templates", "render", "chat:llama", "-q", "x", "--format", "xml"), "unknown format 'xml'"),
        (("data", "show", "nope"), "unknown dataset 'nope'"),
        (("data", "show", "/nonexistent/file.csv"), "/nonexistent/file.csv: file not found"),
    ],
)
def test_user_errors_are_one_line_without_traceback(args, msg):
    proc = ptst(*args, check=False)
    assert proc.returncode == 2
    assert msg in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_data_list_and_show(shared_data):
    out = ptst("data", "list").stdout
    for name in ("gsm8k", "advbench", "directharm4", "gsm-danger", "safety-tuned-llamas"):
        assert name in out
    proc = ptst("data", "show", "directharm4", "--path", str(shared_data / "directharm4" / "directHarm4.csv"), "--limit", "3")
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 3 and rows[0]["category"] == "malware"
    assert "400 records" in proc.stderr
    proc = ptst("data", "show", "gsm8k:train", "--path", str(shared_data / "gsm8k"), "-n", "1")
    assert json.loads(proc.stdout)["source"] == "gsm8k:train"
