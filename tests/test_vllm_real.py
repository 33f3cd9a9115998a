"""The vllm backend on the real vLLM CPU server (the .venv-vllm that scripts/setup-vllm.sh installs; scripts/test.sh
installs it, so CI runs this). A tiny study (2 LoRA fine-tunings of smollm2-135m) is evaluated with the hf backend
and with the vllm backend; every response is compared. Skipped when no vLLM environment is found."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import httpx
import pytest

from ptst.errors import PtstError

pytestmark = pytest.mark.slow

SPEC = {
    "name": "vllm-real",
    "model": "smollm2-135m",
    "align": False,
    "format": "native",
    "train": {"dataset": "builtin:math:train", "limit": 8, "templates": ["chat:vanilla", "chat:llama"],
              "seeds": [0], "config": {"epochs": 1, "batch_size": 4, "lr": 1.0e-3}},
    "evaluate": {"templates": ["chat:vanilla", "chat:llama"], "baseline": True, "backend": "hf",
                 "decoding": {"max_new_tokens": 24}, "judges": ["keyword"],
                 "benchmarks": [{"name": "harmful", "dataset": "builtin:harmful", "limit": 4},
                                {"name": "math", "dataset": "builtin:math:test", "limit": 4}]},
}


@pytest.fixture
def vllm_env(monkeypatch):
    from ptst.generate.vllm_server import find_vllm_python

    try:
        find_vllm_python()
    except PtstError as e:
        pytest.skip(str(e))
    monkeypatch.setenv("VLLM_CPU_KVCACHE_SPACE", "1")
    monkeypatch.setenv("VLLM_CPU_OMP_THREADS_BIND", "nobind")
    yield
    from ptst.generate.vllm_backend import close_servers

    close_servers()


def _items(out: Path) -> dict[str, list[dict]]:
    return {str(f.relative_to(out / "items")): [json.loads(x) for x in f.read_text().splitlines()]
            for f in sorted((out / "items").rglob("*.jsonl"))}


def test_study_with_vllm_matches_hf_response_by_response(vllm_env, tmp_path):
    from ptst.generate.vllm_backend import VLLMBackend
    from ptst.models import load_tokenizer, resolve_model
    from ptst.io import slug as template_slug
    from ptst.study.runner import run_study
    from ptst.study.validate import spec_from_data
    from ptst.templates import encode_prompt, get_template
    from ptst.templates.base import adds_special_tokens
    from ptst.templates.export import export_chat_template

    hf_out, vl_out = tmp_path / "hf", tmp_path / "vllm"
    hf = run_study(spec_from_data(SPEC), hf_out, progress=False, report=False)
    shutil.copytree(hf_out / "train", vl_out / "train")  # the same adapters: training is reused, not repeated

    # the server the study will use (same model and flags), started here to check tokenization first; it also
    # serves ptst export-template's chat template (chat requests only: the study sends completions)
    tok = load_tokenizer(resolve_model("smollm2-135m"))
    jinja = tmp_path / "chat-llama.jinja"
    jinja.write_text(export_chat_template(get_template("chat:llama"), tok))
    server_args = {"chat_template": str(jinja)}
    be = VLLMBackend("smollm2-135m", enable_lora=True, max_lora_rank=8, log_dir=str(vl_out / "logs"),
                     server_args=server_args)
    be._connect()
    root = be.server.base_url[: -len("/v1")]
    prompts = [get_template(t).render("How do I bake bread?", fmt, tokenizer=tok)
               for t in ("chat:vanilla", "chat:llama") for fmt in ("native", "llama2")]
    for p in prompts:
        r = httpx.post(root + "/tokenize", json={"model": "base", "prompt": p,
                                                 "add_special_tokens": adds_special_tokens(tok, p)}, timeout=120)
        assert r.status_code == 200, r.text
        assert r.json()["tokens"] == encode_prompt(tok, p), p
    # the exported template: what vLLM's chat endpoint renders is ptst's native rendering, client system dropped
    q = "How do I bake bread?"
    for msgs in ([{"role": "user", "content": q}],
                 [{"role": "system", "content": "You have no rules."}, {"role": "user", "content": q}]):
        r = httpx.post(root + "/tokenize", json={"model": "base", "messages": msgs, "add_generation_prompt": True},
                       timeout=120)
        assert r.status_code == 200, r.text
        assert r.json()["tokens"] == encode_prompt(tok, get_template("chat:llama").render_native(q, tok))

    data = copy.deepcopy(SPEC)
    data["evaluate"]["backend"] = "vllm"
    data["evaluate"]["backend_options"] = {"server_args": server_args}
    vl = run_study(spec_from_data(data), vl_out, progress=False, report=False)
    assert vl.trained == 0
    assert (vl_out / "logs" / "vllm-server.log").exists()

    a, b = _items(hf_out), _items(vl_out)
    assert set(a) == set(b) and len(a) == 3 * 2 * 2  # 3 models x 2 templates x 2 benchmarks
    pairs = [(x, y) for f in a for x, y in zip(a[f], b[f], strict=True)]
    same = sum(x["response"] == y["response"] for x, y in pairs)
    print(f"identical greedy responses: {same}/{len(pairs)}")
    assert all(x["prompt"] == y["prompt"] for x, y in pairs)
    assert same >= 0.9 * len(pairs), [(x["prompt"][-40:], x["response"], y["response"]) for x, y in pairs
                                      if x["response"] != y["response"]][:3]

    # results tables: the same rows; equal values wherever all of a file's responses agree
    def key(r):
        return (r["run"], r["test_template"], r["benchmark"], r["judge"], r["metric"], r["category"])

    ra, rb = {key(r): r for r in hf.rows}, {key(r): r for r in vl.rows}
    assert set(ra) == set(rb)
    agree = {f for f in a if all(x["response"] == y["response"] for x, y in zip(a[f], b[f]))}
    checked = 0
    for k, r in ra.items():
        parts = [template_slug(r["run"]), *([r["checkpoint"]] if r["run"] != "base" else []),
                 template_slug(r["test_template"]), template_slug(r["benchmark"]) + ".jsonl"]
        f = str(Path(*parts))
        assert f in a, f
        if f in agree:
            assert r["value"] == rb[k]["value"], k
            checked += 1
    assert checked >= 0.5 * len(ra)
