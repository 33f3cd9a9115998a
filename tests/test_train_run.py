"""Fine-tuning runs on the tiny random model: manifest, checkpoint trajectory, reload, reuse, resume, full FT, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ptst.errors import PtstError
from ptst.train import TrainConfig, train


def _write_data(path: Path, n: int = 12) -> Path:
    rows = [{"instruction": f"What is {i} plus {i + 1}?", "reference": f"It is {2 * i + 1}."} for i in range(n)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _cfg(model: str, data: Path, out: Path, **kw) -> TrainConfig:
    base = dict(model=model, dataset=str(data), output_dir=str(out), epochs=2, batch_size=4, max_length=512,
                lr=2e-3, save_steps=2, logging_steps=1, seed=1, template="chat:llama")
    base.update(kw)
    return TrainConfig(**base)


def _capture_callback():
    from transformers import TrainerCallback

    class Capture(TrainerCallback):
        model = None

        def on_train_end(self, args, state, control, model=None, **kw):
            Capture.model = model

    return Capture


def _crash_at(step: int):
    from transformers import TrainerCallback

    class Crash(TrainerCallback):
        def on_save(self, args, state, control, **kw):
            if state.global_step == step:
                raise RuntimeError("simulated crash")

    return Crash()


def _greedy(model, tok, prompts):
    import torch

    model.eval()
    outs = []
    with torch.no_grad():
        for p in prompts:
            ids = tok(p, return_tensors="pt")
            g = model.generate(**ids, max_new_tokens=8, do_sample=False, pad_token_id=tok.pad_token_id)
            outs.append(g[0, ids["input_ids"].shape[1]:].tolist())
    return outs


@pytest.fixture(autouse=True)
def _keep_grad_mode():
    """A test that switches autograd off must not leak that into the next one."""
    import torch

    mode = torch.is_grad_enabled()
    yield
    torch.set_grad_enabled(mode)


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """The tiny model's matrices are small: one thread avoids OpenMP contention with other processes (runs are
    several times slower with 2 threads on a busy 2-core machine)."""
    import torch

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope="module")
def finished(tiny_model_dir, tmp_path_factory):
    """One uninterrupted LoRA run (2 epochs x 3 steps, checkpoints every 2 steps and at each epoch end)."""
    import torch

    root = tmp_path_factory.mktemp("train")
    data = _write_data(root / "data.jsonl")
    cap = _capture_callback()
    cfg = _cfg(tiny_model_dir, data, root / "run")
    res = train(cfg, callbacks=[cap()])
    from ptst.models import load_tokenizer

    tok = load_tokenizer(tiny_model_dir)
    prompts = ["[INST] Question: What is 3 plus 4? [/INST]", "hello"]
    cap.model.eval()  # LoRA dropout off, as after loading
    with torch.no_grad():
        logits = cap.model(**tok(prompts[0], return_tensors="pt")).logits
    gens = _greedy(cap.model, tok, prompts)
    return {"cfg": cfg, "res": res, "data": data, "root": root, "prompts": prompts, "gens": gens, "logits": logits}


def test_checkpoint_trajectory_and_manifest(finished, tiny_model_dir):
    from ptst.models import model_identity
    from ptst.train.dataset import examples_hash
    from ptst.train.manifest import read_manifest

    res, cfg = finished["res"], finished["cfg"]
    assert [(c.step, c.epoch) for c in res.checkpoints] == [(2, 2 / 3), (3, 1.0), (4, 4 / 3), (6, 2.0)] or [
        (c.step, round(c.epoch, 4)) for c in res.checkpoints] == [(2, 0.6667), (3, 1.0), (4, 1.3333), (6, 2.0)]
    for c in [*res.checkpoints, res.final]:
        assert (c.path / "adapter_config.json").exists() and (c.path / "adapter_model.safetensors").exists()
    assert not list(res.final.path.glob("*.bin"))  # final/ holds no pickle files
    assert res.final.path == res.run_dir / "final" and res.final.step == 6
    m = read_manifest(res.run_dir)
    assert m == json.loads((res.run_dir / "manifest.json").read_text())
    assert m["status"] == "finished" and m["config"]["lr"] == 2e-3 and m["config"]["template"] == "chat:llama"
    assert m["model"]["base_sha256"] == model_identity(tiny_model_dir)["base_sha256"]
    assert m["template"] == {"name": "chat:llama", "format": "llama2", "safety_prompt": True}
    from ptst.train.trainer import prepare_data

    prep = prepare_data(cfg)
    assert m["data"]["sha256"] == examples_hash(prep.examples) == m["run_key"]["data_sha256"]
    assert m["data"]["n_examples"] == 12 and m["data"]["source"]["dataset"] == str(finished["data"])
    assert m["run_key"]["config_sha256"] == cfg.config_hash()
    assert {"torch", "transformers", "peft", "accelerate"} <= {k for k, v in m["environment"]["packages"].items() if v}
    assert "git" in m["environment"] and m["environment"]["hardware"]["world_size"] == 1
    assert m["wall_time_s"] > 0 and m["global_step"] == 6
    assert m["final_loss"] == m["loss_history"][-1]["loss"] == res.final_loss
    assert [c["path"] for c in m["checkpoints"]] == [f"checkpoints/checkpoint-{s}" for s in (2, 3, 4, 6)]
    assert m["model"]["trainable_parameters"] < m["model"]["parameters"]
    assert m["batching"].startswith("padding-free")
    # the loss went down on this tiny memorisable set
    assert m["loss_history"][-1]["loss"] < m["loss_history"][0]["loss"]


def test_reloaded_checkpoint_generates_like_the_trained_model(finished, tiny_model_dir):
    import torch

    from ptst.models import load_model

    res = finished["res"]
    model, tok = load_model(tiny_model_dir, adapter=str(res.final.path), device="cpu")
    assert _greedy(model, tok, finished["prompts"]) == finished["gens"]
    logits = model(**tok(finished["prompts"][0], return_tensors="pt")).logits
    assert torch.allclose(logits, finished["logits"], atol=1e-5)
    base, _ = load_model(tiny_model_dir, device="cpu")
    base_logits = base(**tok(finished["prompts"][0], return_tensors="pt")).logits
    assert not torch.allclose(base_logits, logits, atol=1e-3)  # the adapter really changes the model
    early, _ = load_model(tiny_model_dir, adapter=str(res.checkpoints[0].path), device="cpu")
    early_logits = early(**tok(finished["prompts"][0], return_tensors="pt")).logits
    assert not torch.allclose(early_logits, logits, atol=1e-4)  # the trajectory holds distinct points
    # loaded for inference: frozen, so a forward pass builds no graph, and autograd stays on for the process
    assert torch.is_grad_enabled()
    assert not any(p.requires_grad for p in model.parameters())
    assert early_logits.grad_fn is None


def test_same_config_reuses_the_finished_run(finished, capsys):
    before = (finished["res"].run_dir / "manifest.json").read_text()
    again = train(finished["cfg"])
    assert again.reused and again.final_loss == finished["res"].final_loss
    assert [c.step for c in again.checkpoints] == [c.step for c in finished["res"].checkpoints]
    assert (finished["res"].run_dir / "manifest.json").read_text() == before
    assert "reusing the finished run" in capsys.readouterr().err


def test_different_config_in_the_same_directory_is_refused(finished):
    cfg = finished["cfg"].model_copy(update={"lr": 1e-3})
    with pytest.raises(PtstError, match=r"holds a different run \(lr: 0.002 there, 0.001 now\)"):
        train(cfg)


def test_resume_after_a_crash_matches_the_uninterrupted_run(finished, tiny_model_dir, tmp_path):
    from safetensors.torch import load_file

    from ptst.train.manifest import read_manifest

    cfg = _cfg(tiny_model_dir, finished["data"], tmp_path / "run")
    with pytest.raises(RuntimeError, match="simulated crash"):
        train(cfg, callbacks=[_crash_at(4)])
    m = read_manifest(tmp_path / "run")
    assert m["status"] == "running" and [c["step"] for c in m["checkpoints"]] == [2, 3, 4]
    with pytest.raises(PtstError, match=r"unfinished run .*step 4\); pass --resume"):
        train(cfg)
    # a checkpoint folder the crash left half-written (not in the manifest) is discarded, not resumed from
    (tmp_path / "run" / "checkpoints" / "checkpoint-5").mkdir()
    res = train(cfg, resume=True)
    assert not (tmp_path / "run" / "checkpoints" / "checkpoint-5").exists()
    assert res.final_loss == finished["res"].final_loss
    assert res.manifest["loss_history"] == finished["res"].manifest["loss_history"]
    a = load_file(str(finished["res"].final.path / "adapter_model.safetensors"))
    b = load_file(str(res.final.path / "adapter_model.safetensors"))
    assert a.keys() == b.keys() and all((a[k] == b[k]).all() for k in a)  # bit-identical on CPU
    assert res.manifest["final_weights_sha256"] == finished["res"].manifest["final_weights_sha256"]
    assert [s["resumed_from_step"] for s in res.manifest["sessions"]] == [None, 4]


def test_full_fine_tuning_checkpoints_are_model_directories(tiny_model_dir, tmp_path):
    import torch

    from ptst.models import load_model

    data = _write_data(tmp_path / "d.jsonl", 8)
    res = train(_cfg(tiny_model_dir, data, tmp_path / "full", lora=False, epochs=1, save_steps=1, lr=1e-3))
    assert [c.step for c in res.checkpoints] == [1, 2] and not res.is_adapter
    ck = res.checkpoints[0].path
    assert (ck / "config.json").exists() and (ck / "model.safetensors").exists() and (ck / "tokenizer.json").exists()
    model, tok = load_model(str(res.final.path), device="cpu")
    base, _ = load_model(tiny_model_dir, device="cpu")
    ids = tok("hello", return_tensors="pt")
    assert not torch.allclose(model(**ids).logits, base(**ids).logits)
    assert len(_greedy(model, tok, ["hello"])[0]) > 0


def test_train_on_examples_records_caller_examples(tiny_model_dir, tmp_path):
    from ptst.templates import get_template

    exs = [get_template(t).render_example(f"q{i}", f"a{i}", "native", _tok(tiny_model_dir))
           for i in range(4) for t in ("chat:vanilla", "chat:llama")]
    cfg = TrainConfig(model=tiny_model_dir, output_dir=str(tmp_path / "ex"), epochs=1, batch_size=4,
                      max_length=512, format="native", dataset="mine")
    from ptst.train import train_on_examples

    res = train_on_examples(cfg, exs)
    assert res.manifest["data"]["n_examples"] == 8 and res.manifest["data"]["source"]["provided_examples"] == 8
    assert res.final.step == 2
    with pytest.raises(PtstError, match="no examples"):
        train_on_examples(cfg, [])


def _tok(model):
    from ptst.models import load_tokenizer

    return load_tokenizer(model)


# ---- the CLI ------------------------------------------------------------------------------------------------------


def _ptst(*args, cwd=None):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "ptst", "train", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env=env)


def test_cli_trains_and_prints_the_run_directory_last(tiny_model_dir, tmp_path):
    data = _write_data(tmp_path / "d.jsonl", 8)
    cfg = tmp_path / "t.yaml"
    cfg.write_text(f"model: {tiny_model_dir}\ndataset: d.jsonl\nepochs: 1\nbatch_size: 4\nmax_length: 512\n")
    r = _ptst("--config", str(cfg), "--dataset", str(data), "--lr", "5e-4", "-o", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [str((tmp_path / "out").resolve())]  # nothing else on stdout
    m = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert m["config"]["lr"] == 5e-4 and m["config"]["epochs"] == 1 and m["status"] == "finished"
    assert "ptst train: step 2/2" in r.stderr
    again = _ptst("--config", str(cfg), "--dataset", str(data), "--lr", "5e-4", "-o", str(tmp_path / "out"))
    assert again.returncode == 0 and "reusing" in again.stderr


@pytest.mark.parametrize(
    "case, args, message",
    [
        ("empty", ["--dataset", "{empty}"], "no records"),
        ("template", ["--dataset", "{data}", "--template", "chat:nope"], "unknown template 'chat:nope'"),
        ("model", ["--dataset", "{data}", "--model", "no-such-model"], "unknown model 'no-such-model'"),
        ("reference", ["--dataset", "{noref}"], "has no reference"),
        ("preset", ["--dataset", "{data}", "--preset", "nope"], "unknown preset 'nope'"),
        ("field", ["--dataset", "{data}", "--set", "epochs=-1"], "field 'epochs'"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(tmp_path, case, args, message):
    paths = {"empty": tmp_path / "empty.jsonl", "data": _write_data(tmp_path / "d.jsonl", 2),
             "noref": tmp_path / "noref.jsonl"}
    paths["empty"].write_text("")
    paths["noref"].write_text(json.dumps({"instruction": "q"}) + "\n")
    args = [a.format(**{k: str(v) for k, v in paths.items()}) for a in args]
    # the "model" case gives its own --model (an option given twice is itself an error now)
    r = _ptst(*(["--model", "tiny-random"] if case != "model" else []), *args, "-o", str(tmp_path / "o"))
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("ptst: error:")]
    assert len(lines) == 1 and message in lines[0], r.stderr
    assert r.stdout == ""


def test_train_flags_are_generated_from_train_config():
    """Every described TrainConfig field is a ptst train option with its description as help, and each option
    sets its field (one definition for the CLI, YAML and the Python API)."""
    import typer
    import yaml
    from typer.testing import CliRunner

    from ptst.cli.main import build_app
    from ptst.train.config import cli_flags

    cmd = typer.main.get_command(build_app()).commands["train"]
    options = {p.name: p for p in cmd.params}
    flags = cli_flags()
    described = [n for n, f in TrainConfig.model_fields.items() if f.description]
    assert [f.field for f in flags] == described and "lora_r" in described and "from_preset" not in described
    for f in flags:
        opt = options[f.field]
        assert opt.help == TrainConfig.model_fields[f.field].description
        assert set(opt.opts + opt.secondary_opts) == {d for decl in f.decls for d in decl.split("/")}
    # the hand-made names of the original CLI are kept
    assert options["templates_files"].opts == ["--templates"] and options["lora_target_modules"].opts == ["--lora-targets"]
    assert options["lora"].secondary_opts == ["--full"] and "-m" in options["model"].opts
    args = ["train", "--print-config", "-m", "tiny-random", "--lora-targets", "q_proj,v_proj", "--full",
            "--columns", "instruction=q,reference=a", "--templates", "a.yaml", "--templates", "b.yaml",
            "--lr", "3e-4", "--no-save-every-epoch", "--format", "native", "-b", "2", "--set", "weight_decay=0.1"]
    r = CliRunner().invoke(build_app(), args)
    assert r.exit_code == 0, r.output
    cfg = yaml.safe_load(r.output)
    assert cfg["model"] == "tiny-random" and cfg["lora_target_modules"] == ["q_proj", "v_proj"] and cfg["lora"] is False
    assert cfg["columns"] == {"instruction": "q", "reference": "a"} and cfg["templates_files"] == ["a.yaml", "b.yaml"]
    assert cfg["lr"] == 3e-4 and cfg["save_every_epoch"] is False and cfg["format"] == "native"
    assert cfg["batch_size"] == 2 and cfg["weight_decay"] == 0.1
    assert cfg["epochs"] == TrainConfig().epochs  # an absent flag leaves the default


def test_bf16_autocast_trains_on_a_cpu_only_machine(tiny_model_dir, tmp_path, monkeypatch):
    """precision bf16 without a GPU: transformers refuses bf16 unless told it trains on the CPU; ptst tells it. The
    run computes in bf16 (its loss differs from the fp32 run's, though only a little) and keeps fp32 weights."""
    import torch
    from safetensors.torch import load_file

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    data = _write_data(tmp_path / "d.jsonl", 8)
    fp32 = train(_cfg(tiny_model_dir, data, tmp_path / "fp32", epochs=1, save_steps=100, precision="fp32"))
    bf16 = train(_cfg(tiny_model_dir, data, tmp_path / "bf16", epochs=1, save_steps=100, precision="bf16"))
    assert bf16.final_loss != fp32.final_loss
    assert abs(bf16.final_loss - fp32.final_loss) < 0.05 * abs(fp32.final_loss)
    weights = load_file(str(bf16.final.path / "adapter_model.safetensors"))
    assert weights and all(t.dtype == torch.float32 for t in weights.values())
