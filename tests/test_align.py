"""``ptst align`` on the tiny random model: the recipe's data, caching by recipe, the merged standalone model, the
CLI contract (last stdout line is the model directory) and the study spec's ``align:`` field. Whether the recipe
really aligns SmolLM2 takes minutes of training, too long for the suite: `ptst align` measures it and docs/align.md
records the numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ptst.align import AlignConfig, align, alignment_templates, build_examples, recipe_key, summary_table
from ptst.errors import PtstError
from ptst.judges.keyword import is_refusal

SMALL = dict(n_harmful=6, n_benign=6, eval_limit=3, eval_max_new_tokens=4, batch_size=4, max_length=96)


def test_alignment_templates_cover_safety_and_plain_prompts_but_not_the_study_ones():
    from ptst.templates import get_template

    tpls = alignment_templates()
    assert len({t.name for t in tpls}) == len(tpls)
    assert any(t.safety for t in tpls) and any(not t.safety for t in tpls)
    assert any(t.system is None for t in tpls)
    # the evaluation's non-safety prompts stay unseen, so the study tests generalisation to them
    held = {get_template(n).system for n in ("chat:alpaca", "chat:mpt")}
    assert not held & {t.system for t in tpls}


def test_examples_refuse_harmful_and_answer_benign(tiny_model_dir):
    from ptst.data import load_dataset
    from ptst.models import load_tokenizer

    tok = load_tokenizer(tiny_model_dir, padding_side="right")
    cfg = AlignConfig(base_model=tiny_model_dir, n_harmful=10, n_benign=14, renderings_per_example=2,
                      answer_prefix="", completion_words=None)
    ex = build_examples(cfg, tok)
    assert len(ex) == (10 + 14) * 2
    harmful = {r.instruction for r in load_dataset("align:harmful:train")[:10]}
    benign = {r.instruction for r in load_dataset("align:benign:train")[:14]}
    n_refusals = 0
    for e in ex:
        assert e.completion.endswith(tok.eos_token + "\n") or e.completion.endswith(tok.eos_token)
        text = e.completion.replace(tok.eos_token, "").strip()
        if any(h in e.prompt for h in harmful):
            assert is_refusal(text)
            n_refusals += 1
        else:
            assert any(b in e.prompt for b in benign)
            assert not is_refusal(text)
    assert n_refusals == 20
    assert build_examples(cfg, tok) == ex  # reproducible
    assert build_examples(cfg.model_copy(update={"seed": 1}), tok) != ex


def test_default_recipe_trains_on_answer_openings_with_one_answer_token(tiny_model_dir):
    """The default recipe: benign answers start with the answer prefix, and every target is cut after its first
    ``completion_words`` words, without the end-of-turn marker (the model learns how replies start)."""
    from ptst.models import load_tokenizer

    tok = load_tokenizer(tiny_model_dir, padding_side="right")
    cfg = AlignConfig(base_model=tiny_model_dir, n_harmful=10, n_benign=14)
    assert cfg.answer_prefix and cfg.completion_words
    full = build_examples(cfg.model_copy(update={"completion_words": None}), tok)
    cut = build_examples(cfg, tok)
    assert [e.prompt for e in cut] == [e.prompt for e in full]  # same draws, same order
    n_cut = n_prefixed = 0
    for c, f in zip(cut, full):
        assert f.completion.startswith(c.completion)
        if c.completion != f.completion:  # a longer reply is cut, and loses its end of turn
            n_cut += 1
            assert not c.add_eos and tok.eos_token not in c.completion
            assert len(c.completion.split()) == cfg.completion_words
        n_prefixed += c.completion.startswith(cfg.answer_prefix)
        assert c.completion.startswith(cfg.answer_prefix) != is_refusal(f.completion)
    assert n_cut >= len(cut) // 2 and n_prefixed == 14


def test_recipe_key_follows_what_the_weights_depend_on(tiny_model_dir):
    cfg = AlignConfig(base_model=tiny_model_dir, **SMALL)
    key = recipe_key(cfg)
    assert recipe_key(cfg.model_copy(update={"eval_limit": 50, "eval_templates": ["chat:llama"]})) == key
    assert recipe_key(cfg.model_copy(update={"lr": 5e-4})) != key
    assert recipe_key(cfg.model_copy(update={"n_benign": 7})) != key
    assert recipe_key(cfg.model_copy(update={"extrapolate": 1.0})) != key


def test_merge_scaled_extrapolates_the_lora_update(tiny_model_dir):
    """extrapolate=f merges W + f * (B @ A) * alpha / r: the merged weights move f times as far from the base."""
    import copy

    import torch
    from peft import LoraConfig, get_peft_model

    from ptst.align import merge_scaled
    from ptst.models import load_model

    base, _ = load_model(tiny_model_dir, device="cpu", dtype="float32")
    w0 = {k: v.clone() for k, v in base.state_dict().items()}
    torch.manual_seed(0)
    peft_model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, target_modules="all-linear",
                                                 init_lora_weights=False))  # random B: a non-zero update
    one = merge_scaled(copy.deepcopy(peft_model), 1.0).state_dict()
    two = merge_scaled(copy.deepcopy(peft_model), 2.5).state_dict()
    moved = [k for k in w0 if not torch.equal(one[k], w0[k])]
    assert any(k.endswith("q_proj.weight") for k in moved) and any(k.endswith("down_proj.weight") for k in moved)
    for k in w0:
        torch.testing.assert_close(two[k] - w0[k], 2.5 * (one[k] - w0[k]), atol=1e-5, rtol=1e-4)
    with pytest.raises(PtstError, match="no LoRA layers"):
        merge_scaled(base.__class__(base.config), 1.5)


def test_align_makes_a_standalone_cached_model(tiny_model_dir, tmp_path):
    from ptst.models import load_model, model_identity

    out = tmp_path / "aligned"
    logs: list[str] = []
    cfg = AlignConfig(base_model=tiny_model_dir, **SMALL)
    dest = align(cfg.model_copy(update={"measure": False}), out=out, log=logs.append)
    assert dest == out
    assert not any("measuring" in m for m in logs)
    assert json.loads((out / "ptst_align.json").read_text())["after"] == {}
    # asking for the measurements later reuses the weights and measures once
    logs.clear()
    assert align(cfg, out=out, log=logs.append) == out
    assert any("reusing" in m for m in logs) and any("measuring" in m for m in logs)
    assert (out / "config.json").exists() and (out / "model.safetensors").exists()
    assert not list(out.glob("*.bin")) and not (out / "adapter_config.json").exists()  # merged, safetensors only
    man = json.loads((out / "ptst_align.json").read_text())
    assert man["examples"] == 12 and man["recipe_key"] == recipe_key(cfg)
    for when in ("before", "after"):
        assert set(man[when]) == {f"{s}_refusal_rate@{t}" for s in ("harmful", "benign") for t in cfg.eval_templates}
        assert all(v["n"] == 3 and 0 <= v["value"] <= 1 for v in man[when].values())
    assert "harmful" in summary_table(out)
    # the weights changed (the LoRA update was merged), and the result loads like any model
    assert model_identity(str(out))["base_sha256"] != model_identity(tiny_model_dir)["base_sha256"]
    model, tok = load_model(str(out), device="cpu")
    assert model.config.num_hidden_layers >= 1
    assert not list(tmp_path.glob(".aligned.*"))  # no work or temp directories left behind
    # a second call reuses the directory without training
    again: list[str] = []
    assert align(cfg, out=out, log=again.append) == out
    assert any("reusing" in m for m in again) and not any("measuring" in m for m in again)
    # so does the CLI with the same recipe; its last stdout line is the directory
    args = [sys.executable, "-m", "ptst", "align", "--model", tiny_model_dir, "--out", str(out), "--eval-limit", "2",
            *[a for k, v in SMALL.items() if k != "eval_limit" for a in ("--set", f"{k}={v}")]]
    cli = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout.strip().splitlines()[-1] == str(out)
    assert "reusing" in cli.stderr and "held-out refusal rate" in cli.stderr
    # and the directory works as --model elsewhere
    r = subprocess.run([sys.executable, "-m", "ptst", "templates", "render", "chat:vanilla", "--query", "hi",
                        "--format", "native", "--model", str(out), "--json"], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0 and "hi" in json.loads(r.stdout)["prompt"]


def test_cli_bad_recipe_field_is_one_line(tmp_path):
    r = subprocess.run([sys.executable, "-m", "ptst", "align", "--set", "lr=fast", "--out", str(tmp_path / "x")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert "lr" in r.stderr and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("value, field", [({"bogus": 1}, "align.bogus"), ({"lr": "x"}, "align.lr"),
                                          ({"base_model": "m"}, "align.base_model")])
def test_study_spec_align_overrides_are_validated(tmp_path, value, field):
    import yaml

    from ptst.study import load_spec

    spec = {"name": "s", "align": value, "evaluate": {"templates": ["chat:vanilla"], "benchmarks": [
        {"name": "harmful", "dataset": "builtin:harmful", "limit": 2}]}}
    p = tmp_path / "s.yaml"
    p.write_text(yaml.safe_dump(spec))
    with pytest.raises(PtstError, match=f"field '{field}'"):
        load_spec(str(p))


def test_study_run_ids_follow_the_align_recipe_not_its_measurement(tmp_path):
    """Training runs of a study start from the aligned model, so a different recipe must give different run ids
    (no reuse of runs trained on other weights), while measurement-only options keep those of `align: true`."""
    import yaml

    from ptst.study.plan import build_plan
    from ptst.study import load_spec

    def ids(align) -> list[str]:
        spec = {"name": "s", "align": align, "train": {"dataset": "builtin:math:train", "templates": ["chat:vanilla"]},
                "evaluate": {"templates": ["chat:vanilla"], "benchmarks": [
                    {"name": "harmful", "dataset": "builtin:harmful", "limit": 2}]}}
        p = tmp_path / "s.yaml"
        p.write_text(yaml.safe_dump(spec))
        return [r.run_id for r in build_plan(load_spec(str(p))).trainings]

    base = ids(True)
    assert ids({"measure": False, "eval_limit": 4}) == base
    assert ids({"lr": 5.0e-4}) != base
    assert ids({"lr": 5.0e-4, "measure": False}) == ids({"lr": 5.0e-4})
    assert ids(False) != base
    # the whole recipe counts, defaults included: spelling out a default keeps the ids, changing it does not
    assert ids({"extrapolate": AlignConfig().extrapolate}) == base
    assert ids({"extrapolate": 1.0}) != base


def test_lora_targets_all_linear_by_default_or_the_upper_layers(tiny_model_dir):
    """``upper_layers: null`` (default) trains LoRA on every linear projection; a fraction names the projections
    of that top share of the decoder layers, and PEFT's regex matching picks exactly those."""
    import re

    from ptst.align import lora_targets
    from ptst.models import load_model

    cfg = AlignConfig(base_model=tiny_model_dir)
    assert cfg.upper_layers is None and lora_targets(cfg, tiny_model_dir) == cfg.lora_target_modules
    assert json.loads((Path(tiny_model_dir) / "config.json").read_text())["num_hidden_layers"] == 2
    model, _ = load_model(tiny_model_dir, device="cpu", dtype="float32")
    for share, expected in ((0.5, {1}), (1.0, {0, 1})):  # the top half of 2 layers is layer 1; all of them is 0-1
        regex = lora_targets(cfg.model_copy(update={"upper_layers": share}), tiny_model_dir)
        hit = [name for name, _ in model.named_modules() if re.fullmatch(regex, name)]
        assert {int(re.search(r"\.layers\.(\d+)\.", h).group(1)) for h in hit} == expected
        assert hit and all(h.rsplit(".", 1)[-1].endswith("_proj") for h in hit)
