"""The vllm backend without vLLM: adapter checks, and the server lifecycle against a fake server
(tests/fakes/fake_vllm) that speaks the endpoints ptst uses. The real vLLM test is tests/test_vllm_real.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ptst.errors import PtstError
from ptst.generate.base import Decoding, generate_cached, get_backend
from ptst.generate.vllm_lora import VLLM_LORA_RANKS, check_vllm_adapter, max_lora_rank

FAKE = Path(__file__).parent / "fakes" / "fake_vllm"


def _adapter(d: Path, **cfg) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    base = {"peft_type": "LORA", "r": 8, "lora_alpha": 16, "target_modules": ["q_proj", "v_proj"], "bias": "none"}
    base.update(cfg)
    (d / "adapter_config.json").write_text(json.dumps(base))
    return d


def _safetensors(path: Path, keys: list[str]) -> None:
    header = {k: {"dtype": "F32", "shape": [1], "data_offsets": [4 * i, 4 * i + 4]} for i, k in enumerate(keys)}
    raw = json.dumps(header).encode()
    path.write_bytes(len(raw).to_bytes(8, "little") + raw + b"\0" * 4 * len(keys))


# ---- adapter checks -----------------------------------------------------------------------------------------------


def test_supported_adapter_gives_its_rank(tmp_path):
    d = _adapter(tmp_path / "ok", r=16)
    _safetensors(d / "adapter_model.safetensors",
                 ["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
                  "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"])
    assert check_vllm_adapter(d).rank == 16


@pytest.mark.parametrize("cfg, field", [
    ({"r": 4}, "'r'"),
    ({"r": 12}, "'r'"),
    ({"use_dora": True}, "'use_dora'"),
    ({"bias": "lora_only"}, "'bias'"),
    ({"modules_to_save": ["lm_head"]}, "'modules_to_save'"),
    ({"target_modules": ["q_proj", "embed_tokens"]}, "'target_modules'"),
    ({"target_modules": ["lm_head"]}, "'target_modules'"),
    ({"trainable_token_indices": [5]}, "'trainable_token_indices'"),
    ({"peft_type": "IA3"}, "'peft_type'"),
])
def test_unsupported_adapter_is_refused_naming_adapter_and_field(tmp_path, cfg, field):
    d = _adapter(tmp_path / "bad", **cfg)
    with pytest.raises(PtstError) as e:
        check_vllm_adapter(d)
    msg = str(e.value)
    assert str(d) in msg and f"field {field}" in msg and "\n" not in msg


def test_embedding_weights_in_the_file_are_refused(tmp_path):
    d = _adapter(tmp_path / "emb")
    _safetensors(d / "adapter_model.safetensors", ["base_model.model.model.embed_tokens.weight"])
    with pytest.raises(PtstError, match="adapter_model.safetensors.*embed_tokens"):
        check_vllm_adapter(d)


def test_max_lora_rank_rounds_up_to_an_allowed_value():
    assert max_lora_rank([4]) == 8
    assert max_lora_rank([8, 16]) == 16
    assert max_lora_rank([17], at_least=8) == 32
    assert max_lora_rank([], at_least=None) == 1
    assert set(VLLM_LORA_RANKS) >= {max_lora_rank([r]) for r in (1, 2, 9, 300, 512)}
    with pytest.raises(PtstError, match="513"):
        max_lora_rank([513])


def test_bad_adapter_is_refused_before_any_server_starts(tmp_path, tiny_model_dir, monkeypatch):
    record = tmp_path / "starts.jsonl"
    monkeypatch.setenv("FAKE_VLLM_RECORD", str(record))
    monkeypatch.setenv("PYTHONPATH", str(FAKE))
    monkeypatch.setenv("PTST_VLLM_PYTHON", sys.executable)
    with pytest.raises(PtstError, match="use_dora"):
        get_backend("vllm", model=tiny_model_dir, adapter=str(_adapter(tmp_path / "dora", use_dora=True)))
    assert not record.exists()


# ---- the server lifecycle, with the fake server -----------------------------------------------------------------


@pytest.fixture
def fake(tmp_path, monkeypatch):
    from ptst.generate import vllm_backend

    monkeypatch.setenv("PYTHONPATH", str(FAKE))
    monkeypatch.setenv("PTST_VLLM_PYTHON", sys.executable)
    paths = {"record": tmp_path / "starts.jsonl", "requests": tmp_path / "requests.jsonl", "logs": tmp_path / "logs"}
    monkeypatch.setenv("FAKE_VLLM_RECORD", str(paths["record"]))
    monkeypatch.setenv("FAKE_VLLM_REQUESTS", str(paths["requests"]))
    yield paths
    vllm_backend.close_servers()


def _starts(paths) -> list[dict]:
    return [json.loads(x) for x in paths["record"].read_text().splitlines()] if paths["record"].exists() else []


def _requests(paths) -> list[dict]:
    return [json.loads(x) for x in paths["requests"].read_text().splitlines()]


def _real_adapter(tmp_path: Path, tiny_model_dir: str, name: str, seed: int) -> str:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(seed)
    m = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_model_dir),
                       LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"]))
    out = tmp_path / name
    m.save_pretrained(out)
    return str(out)


def test_generates_with_exact_prompts_every_sampling_field_and_own_server(fake, tiny_model_dir):
    from ptst.templates import encode_prompt

    be = get_backend("vllm", model=tiny_model_dir, log_dir=str(fake["logs"]))
    bos = be.tokenizer.bos_token
    prompts = ["[INST] hi [/INST]", bos + "user\nhello<|im_end|>\n<|im_start|>assistant\n"]
    out = be.generate(prompts, Decoding(max_new_tokens=8))
    assert out == [f"base|{len(p)}|{p[-6:]}"[:32] for p in prompts]
    (start,) = _starts(fake)
    argv = start["argv"]
    assert argv[argv.index("--host") + 1] == "127.0.0.1"
    assert argv[argv.index("--generation-config") + 1] == "vllm"
    assert argv[argv.index("--dtype") + 1] == "float32"
    assert argv[argv.index("--served-model-name") + 1] == "base"
    assert "--enable-lora" not in argv
    reqs = {r["prompt"]: r for r in _requests(fake)}
    assert set(reqs) == set(prompts)  # the rendered string itself, unchanged
    for p, r in reqs.items():
        # BOS exactly as the hf backend's encode_prompt: added by the tokenizer only when the text lacks it
        ids_hf = encode_prompt(be.tokenizer, p)
        ids_sent = be.tokenizer(p, add_special_tokens=r["add_special_tokens"])["input_ids"]
        assert ids_sent == ids_hf
        for k in ("max_tokens", "temperature", "top_p", "top_k", "min_p", "seed", "repetition_penalty",
                  "presence_penalty", "frequency_penalty", "stop_token_ids", "skip_special_tokens"):
            assert k in r, k
        assert r["temperature"] == 0 and r["top_k"] == -1 and r["repetition_penalty"] == 1.0
        assert r["stop_token_ids"] == [be.tokenizer.eos_token_id]
    assert reqs[prompts[0]]["add_special_tokens"] is True and reqs[prompts[1]]["add_special_tokens"] is False
    log = fake["logs"] / "vllm-server.log"
    assert "fake vllm starting" in log.read_text()
    pid = start["pid"]
    be.close()
    from ptst.generate.vllm_backend import close_servers

    close_servers()
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_one_server_serves_every_adapter_and_identity_ignores_the_port(fake, tmp_path, tiny_model_dir):
    from ptst.generate.vllm_backend import adapter_name, close_servers
    from ptst.models import content_hash

    a1 = _real_adapter(tmp_path, tiny_model_dir, "a1", 1)
    a2 = _real_adapter(tmp_path, tiny_model_dir, "a2", 2)
    dec = Decoding(max_new_tokens=16)
    b1 = get_backend("vllm", model=tiny_model_dir, adapter=a1, log_dir=str(fake["logs"]))
    assert b1.generate(["x"], dec)[0].startswith(adapter_name(a1) + "|")
    key1 = b1.identity_key()
    b2 = get_backend("vllm", model=tiny_model_dir, adapter=a2, log_dir=str(fake["logs"]))
    assert b2.generate(["x"], dec)[0].startswith(adapter_name(a2) + "|")  # loaded at run time
    starts = _starts(fake)
    assert len(starts) == 1
    argv = starts[0]["argv"]
    assert argv[argv.index("--max-lora-rank") + 1] == "8" and starts[0]["runtime_lora"] == "True"
    assert f"{adapter_name(a1)}={Path(a1).resolve()}" in argv
    ident = b1.identity()
    assert ident == {"backend": "vllm", "base_sha256": content_hash(tiny_model_dir), "adapter_sha256":
                     content_hash(a1), "vllm": "0.0.fake", "dtype": "float32"}
    close_servers()  # a new server on another port: same identity, same cache key
    b3 = get_backend("vllm", model=tiny_model_dir, adapter=a1, log_dir=str(fake["logs"]))
    b3.generate(["x"], dec)
    assert b3.server.port != b1.server.port and b3.identity_key() == key1 != b2.identity_key()


def test_server_dying_mid_generation_is_restarted_and_nothing_is_lost(fake, tmp_path, tiny_model_dir, monkeypatch):
    from ptst.cache import Cache

    monkeypatch.setenv("FAKE_VLLM_DIE_AFTER", "5")
    monkeypatch.setenv("FAKE_VLLM_DIE_MARK", str(tmp_path / "died"))
    be = get_backend("vllm", model=tiny_model_dir, log_dir=str(fake["logs"]), max_concurrency=2)
    prompts = [f"prompt number {i}" for i in range(20)]
    cache = Cache(tmp_path / "c.sqlite")
    out = generate_cached(be, prompts, Decoding(max_new_tokens=8), cache=cache, chunk_size=8)
    assert out == [f"base|{len(p)}|{p[-6:]}" for p in prompts]
    assert (tmp_path / "died").exists() and len(_starts(fake)) == 2
    assert (fake["logs"] / "vllm-server.2.log").exists()
    assert cache.counters["generation"].computed == 20
    again = generate_cached(be, prompts, Decoding(max_new_tokens=8), cache=cache)
    assert again == out and cache.counters["generation"].hits == 20
    cache.close()


def test_server_failing_to_start_is_one_error_line_with_its_log(fake, tiny_model_dir, monkeypatch):
    monkeypatch.setenv("FAKE_VLLM_FAIL", "1")
    be = get_backend("vllm", model=tiny_model_dir, log_dir=str(fake["logs"]))
    with pytest.raises(PtstError) as e:
        be.generate(["x"], Decoding(max_new_tokens=4))
    msg = str(e.value)
    assert "exited with code 3" in msg and "cannot allocate the KV cache" in msg and "\n" not in msg
    assert str(fake["logs"] / "vllm-server.log") in msg


def _ptst(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ptst", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})


def test_cli_generate_with_vllm_backend(fake, tmp_path, tiny_model_dir, monkeypatch):
    data = tmp_path / "d.jsonl"
    data.write_text("\n".join(json.dumps({"id": str(i), "instruction": f"say {i}"}) for i in range(3)) + "\n")
    out = tmp_path / "out.jsonl"
    args = ["generate", "-m", tiny_model_dir, "-t", "chat:llama", "-d", str(data), "-o", str(out), "--backend",
            "vllm", "--format", "llama2", "--max-new-tokens", "8", "--cache", str(tmp_path / "c.sqlite"), "-q"]
    r = _ptst(*args)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["backend"] for x in rows] == ["vllm"] * 3 and all(x["response"].startswith("base|") for x in rows)
    assert (tmp_path / "vllm-logs" / "vllm-server.log").exists()  # beside the output file
    pid = _starts(fake)[0]["pid"]
    with pytest.raises(ProcessLookupError):  # stopped when ptst finished
        os.kill(pid, 0)
    monkeypatch.setenv("FAKE_VLLM_FAIL", "1")
    r = _ptst(*args[:-3], "--cache", str(tmp_path / "other.sqlite"), "-q")
    assert r.returncode == 2
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("ptst: error: the vLLM server exited with code 3")
    assert "cannot allocate the KV cache" in lines[0]


def test_unknown_option_and_server_args_owned_by_ptst(tiny_model_dir, monkeypatch):
    monkeypatch.setenv("PTST_VLLM_PYTHON", sys.executable)
    with pytest.raises(PtstError, match="unknown option.*bogus"):
        get_backend("vllm", model=tiny_model_dir, bogus=1)
    with pytest.raises(PtstError, match="server_args.port"):
        get_backend("vllm", model=tiny_model_dir, server_args={"port": 1})
    be = get_backend("vllm", model=tiny_model_dir, tensor_parallel_size=2, max_model_len=512,
                     gpu_memory_utilization=0.5, server_args={"swap_space": 4, "enforce_eager": True})
    f = be.server_flags
    for flag, val in (("--tensor-parallel-size", "2"), ("--max-model-len", "512"),
                      ("--gpu-memory-utilization", "0.5"), ("--swap-space", "4")):
        assert f[f.index(flag) + 1] == val
    assert "--enforce-eager" in f


# ---- a study with the vllm backend ------------------------------------------------------------------------------

_SPEC = {"name": "v", "model": "tiny-random", "format": "llama2",
         "train": {"dataset": "builtin:math:train", "templates": ["chat:vanilla"], "seeds": [0], "limit": 4,
                   "config": {"epochs": 1}},
         "evaluate": {"templates": ["chat:vanilla"], "backend": "vllm",
                      "benchmarks": [{"name": "h", "dataset": "builtin:harmful", "limit": 2}]}}


@pytest.mark.parametrize("config, field", [({"lora_r": 4}, "train.config.lora_r"),
                                           ({"lora_target_modules": ["q_proj", "lm_head"]},
                                            "train.config.lora_target_modules")])
def test_study_refuses_lora_settings_vllm_cannot_serve_before_it_starts(config, field):
    import copy

    from ptst.study.validate import spec_from_data

    data = copy.deepcopy(_SPEC)
    data["train"]["config"].update(config)
    with pytest.raises(PtstError, match=field.replace(".", r"\.")):
        spec_from_data(data)
    data["evaluate"]["backend"] = "hf"  # the hf backend serves them
    spec_from_data(data)


def test_study_backend_options_for_vllm(tmp_path):
    from ptst.study.runner import eval_backend_options
    from ptst.study.validate import spec_from_data

    spec = spec_from_data(_SPEC)
    opts = eval_backend_options(spec, tmp_path)
    assert opts == {"log_dir": str(tmp_path / "logs"), "enable_lora": True, "max_lora_rank": 8}
    data = {**_SPEC, "evaluate": {**_SPEC["evaluate"], "backend": "hf", "backend_options": {"batch_size": 4}}}
    assert eval_backend_options(spec_from_data(data), tmp_path) == {"batch_size": 4}


def test_study_evaluates_baseline_and_adapters_on_one_server(fake, tmp_path):
    from ptst.study.runner import run_study
    from ptst.study.validate import spec_from_data

    out = tmp_path / "study"
    res = run_study(spec_from_data(_SPEC), out, progress=False, report=False)
    (start,) = _starts(fake)  # the baseline's server, started with LoRA on, served the fine-tuned adapter too
    argv = start["argv"]
    assert "--enable-lora" in argv and argv[argv.index("--max-lora-rank") + 1] == "8"
    models = {r["model"] for r in _requests(fake)}
    assert "base" in models and any(m.startswith("ptst-") for m in models)
    assert (out / "logs" / "vllm-server.log").exists()
    with pytest.raises(ProcessLookupError):  # stopped at the end of the run
        os.kill(start["pid"], 0)
    assert {r["run"] for r in res.rows} == {"base", next(r["run"] for r in res.rows if r["run"] != "base")}
    items = sorted((out / "items").rglob("*.jsonl"))
    assert len(items) == 2
    for f in items:
        for row in map(json.loads, f.read_text().splitlines()):
            assert row["response"].split("|")[0] in models


def test_bench_vllm_part_measures_both_backends_on_one_workload(fake, tiny_model_dir):
    from ptst.bench.suite import BenchOptions, format_table, run_bench

    res = run_bench(BenchOptions(quick=True, model=tiny_model_dir, parts=("vllm",), gen_prompts=4,
                                 gen_new_tokens=8))
    assert res["vllm_version"] == "0.0.fake" and res["vllm_prompts"] == 4
    assert res["vllm_startup_s"] > 0 and res["vllm_tokens_per_s"] > 0 and res["vllm_hf_tokens_per_s"] > 0
    assert res["vllm_speedup_vs_hf"] == pytest.approx(res["vllm_tokens_per_s"] / res["vllm_hf_tokens_per_s"],
                                                      rel=0.01)
    assert res["vllm_outputs_identical"] == 0 and res["vllm_outputs_identical_of"] == 4  # the fake echoes
    assert len(_requests(fake)) == 4
    format_table(res)


def test_interrupt_keeps_answered_items_aligned_to_the_whole_chunk(fake, tiny_model_dir, monkeypatch):
    from ptst.errors import Interrupted
    from ptst.generate.openai_backend import OpenAIBackend

    be = get_backend("vllm", model=tiny_model_dir, log_dir=str(fake["logs"]))
    bos = be.tokenizer.bos_token
    prompts = ["a", bos + "b", "c", bos + "d"]  # two add_special_tokens groups: [0, 2] and [1, 3]
    real = OpenAIBackend.generate

    def interrupted_second_group(self, ps, decoding, progress=None):
        if ps[0].startswith(bos):
            raise Interrupted("interrupted", partial=[None, "late"])
        return real(self, ps, decoding, progress)

    monkeypatch.setattr(OpenAIBackend, "generate", interrupted_second_group)
    with pytest.raises(Interrupted) as e:
        be.generate(prompts, Decoding(max_new_tokens=8))
    assert e.value.partial == ["base|1|a", None, "base|1|c", "late"]
