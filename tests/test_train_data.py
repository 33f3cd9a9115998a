"""Training data and config: loss mask, flattening equivalence, safety mixing, max_length handling, TrainConfig.

No training here (fast); the runs themselves are in test_train_run.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ptst.errors import PtstError
from ptst.templates import encode_prompt, get_template
from ptst.train import TrainConfig
from ptst.train.dataset import (
    IGNORE_INDEX,
    DataSummary,
    build_features,
    examples_hash,
    make_collator,
    mix_safety,
    render_records,
    tokenize_example,
)


@pytest.fixture
def tok(tiny_model_dir):
    from ptst.models import load_tokenizer

    return load_tokenizer(tiny_model_dir, padding_side="right")


def _examples(n: int, template: str = "chat:vanilla", fmt: str = "llama2", tokenizer=None):
    t = get_template(template)
    return [t.render_example(f"What is {i} plus {i}?", f"It is {2 * i}.", fmt, tokenizer) for i in range(n)]


# ---- loss mask ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("template", ["chat:vanilla", "chat:llama"])
@pytest.mark.parametrize("fmt", ["llama2", "native"])
def test_loss_mask_covers_exactly_the_completion(tok, template, fmt):
    ex = get_template(template).render_example("What is 2 plus 3?", "It is 5.", fmt, tok)
    ids, labels = tokenize_example(ex, tok)
    prompt_ids = encode_prompt(tok, ex.prompt)
    n = len(prompt_ids)
    # the prompt part is exactly what the model sees at inference, and carries no loss
    assert ids[:n] == prompt_ids
    assert labels[:n] == [IGNORE_INDEX] * n
    # everything after it (completion, end of turn) carries the loss, with labels equal to the inputs
    assert labels[n:] == ids[n:] and len(ids) > n
    tail = tok.decode(ids[n:], skip_special_tokens=False)
    if fmt == "llama2":
        assert tail == " It is 5.<|im_end|>"  # separating space, completion, EOS appended
        assert ids[-1] == tok.eos_token_id
    else:
        assert tail == "It is 5.<|im_end|>\n"  # ChatML's own end of turn, no second EOS
        assert ids.count(tok.eos_token_id) == tok.decode(ids).count("<|im_end|>")
        assert labels.count(tok.eos_token_id) == 1
    if template == "chat:llama":
        assert "helpful, respectful and honest" in tok.decode(prompt_ids)


def test_openai_format_renders_messages_through_the_chat_template(tok):
    ex = get_template("chat:llama").render_example("Q?", "A.", "openai")
    ids, labels = tokenize_example(ex, tok)
    n = sum(1 for x in labels if x == IGNORE_INDEX)
    assert tok.decode(ids[n:]) == "A.<|im_end|>\n"
    assert tok.decode(ids[:n]).startswith("<|im_start|>system\nBe helpful")  # the openai wording of the prompt


def test_flattened_batch_gives_the_completion_only_loss(tiny_model_dir, tok):
    """The padding-free batch's loss equals a hand-computed cross-entropy over completion tokens only, and the
    padded batch's loss equals it too (so flattening changes speed, not the objective)."""
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.float32)
    model.config.use_cache = False
    feats = [dict(zip(("input_ids", "labels"), tokenize_example(e, tok))) for e in _examples(3, "chat:alpaca")]
    total, count = 0.0, 0
    with torch.no_grad():
        for f in feats:
            logits = model(input_ids=torch.tensor([f["input_ids"]])).logits[0]
            lab = torch.tensor(f["labels"])
            keep = lab[1:] != IGNORE_INDEX
            total += torch.nn.functional.cross_entropy(logits[:-1][keep], lab[1:][keep], reduction="sum").item()
            count += int(keep.sum())
        expected = total / count
        flat = make_collator(tok, padding_free=True)(feats)
        assert flat["input_ids"].shape[0] == 1 and "attention_mask" not in flat  # one row, no padding at all
        flat_loss = model(**flat, use_cache=False).loss.item()
        padded = make_collator(tok, padding_free=False)(feats)
        pad_loss = model(**padded, use_cache=False).loss.item()
    assert flat_loss == pytest.approx(expected, rel=1e-5)
    assert pad_loss == pytest.approx(expected, rel=1e-5)


def test_packing_check_accepts_llama(tiny_model_dir):
    import torch
    from transformers import AutoModelForCausalLM

    from ptst.train.trainer import packing_supported

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.float32)
    assert packing_supported(model)


# ---- records and max_length ------------------------------------------------------------------------------------


def test_record_without_reference_is_a_one_line_error(tok):
    from ptst.data import Record

    recs = [Record(id="r1", source="x", instruction="q", reference="a"), Record(id="r2", source="x", instruction="q")]
    with pytest.raises(PtstError, match="record r2 has no reference"):
        render_records(recs, "chat:vanilla", "llama2", tok, "dataset x")


def test_overlong_examples_are_truncated_or_dropped_and_counted(tok):
    t = get_template("chat:vanilla")
    exs = [t.render_example("short?", "ok.", "llama2"),
           t.render_example("long?", "word " * 200, "llama2"),
           t.render_example("q " * 300, "never seen", "llama2")]  # the prompt alone is too long
    s = DataSummary(source={})
    feats = build_features(exs, tok, 64, "truncate", s)
    assert (s.n_truncated, s.n_dropped, s.n_examples) == (1, 1, 2)
    assert max(len(f["input_ids"]) for f in feats) == 64
    assert s.max_tokens == 64 and s.loss_tokens < s.tokens
    s2 = DataSummary(source={})
    feats2 = build_features(exs, tok, 64, "drop", s2)
    assert (s2.n_truncated, s2.n_dropped, len(feats2)) == (0, 2, 1)
    with pytest.raises(PtstError, match="no training examples left"):
        build_features(exs[2:], tok, 64, "truncate", DataSummary(source={}))


# ---- safety mixing ------------------------------------------------------------------------------------------------


def _safety_cfg(shared_data, **kw):
    return TrainConfig(model="tiny-random", template="chat:llama", safety_data="safety-tuned-llamas",
                       safety_data_path=str(shared_data / "safety-tuned-llamas"), **kw)


def test_safety_mixing_count_template_and_reproducible_order(shared_data, tok):
    task = _examples(10, "chat:llama")
    cfg = _safety_cfg(shared_data, safety_n=7, seed=3)
    mixed, origins, info = mix_safety(cfg, task, tok)
    assert len(mixed) == 17 and origins.count("safety") == 7 and info["added"] == 7 and info["available"] == 2483
    assert origins != ["task"] * 10 + ["safety"] * 7  # shuffled in, not appended
    base = get_template("chat:llama").render_llama2("")
    prefix = base[: base.index("Question:")]
    assert all(e.prompt.startswith(prefix) for e in mixed)  # safety examples use the training template
    again, origins2, _ = mix_safety(cfg, task, tok)
    assert examples_hash(again) == examples_hash(mixed) and origins2 == origins
    other, _, _ = mix_safety(_safety_cfg(shared_data, safety_n=7, seed=4), task, tok)
    assert examples_hash(other) != examples_hash(mixed)
    frac, o3, info3 = mix_safety(_safety_cfg(shared_data, safety_fraction=0.01), task, tok)
    assert o3.count("safety") == round(0.01 * 2483) == info3["added"]
    with pytest.raises(PtstError, match="has only 2483"):
        mix_safety(_safety_cfg(shared_data, safety_n=5000), task, tok)


def test_without_safety_data_examples_are_unchanged(tok):
    task = _examples(4)
    mixed, origins, info = mix_safety(TrainConfig(), task, tok)
    assert mixed == task and origins == ["task"] * 4 and info is None


# ---- TrainConfig ----------------------------------------------------------------------------------------------


def test_yaml_preset_file_and_overrides_precedence(tmp_path):
    (tmp_path / "data").mkdir()
    f = tmp_path / "train.yaml"
    f.write_text("preset: paper-llama2\nepochs: 2\ndataset: gsm8k:train\ndataset_path: data/gsm8k\nlr: 3.0e-4\n")
    cfg = TrainConfig.from_yaml(f, lr=5e-5)
    assert cfg.from_preset == "paper-llama2"
    assert cfg.epochs == 2  # the file beats the preset
    assert cfg.lr == 5e-5  # an override beats the file
    assert cfg.lora_r == 8 and cfg.lora_target_modules == ["q_proj", "v_proj"]  # from the preset
    assert cfg.dataset_path == str(tmp_path / "data" / "gsm8k")  # relative to the YAML file
    p = TrainConfig.preset("paper-llama2", batch_size=2)
    assert (p.lr, p.epochs, p.batch_size, p.scheduler) == (1e-4, 6, 2, "epoch-decay")


def test_config_errors_are_one_line_and_name_the_field(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("epochs: 1\nlearning_rate: 0.1\n")
    with pytest.raises(PtstError, match=r"bad.yaml: field 'learning_rate': unknown field"):
        TrainConfig.from_yaml(f)
    with pytest.raises(PtstError, match="unknown preset 'nope'"):
        TrainConfig.preset("nope")
    with pytest.raises(PtstError, match="safety_n / safety_fraction need safety_data"):
        TrainConfig.build(safety_n=3)
    with pytest.raises(PtstError, match="unknown scheduler"):
        TrainConfig.build(scheduler="sometimes")


def test_config_hash_ignores_where_the_run_goes():
    a = TrainConfig(output_dir="runs/a", logging_steps=1)
    assert a.config_hash() == TrainConfig(output_dir="runs/b").config_hash()
    assert a.config_hash() != TrainConfig(output_dir="runs/a", lr=2e-4).config_hash()
    assert TrainConfig().run_dir() != TrainConfig(lr=2e-4).run_dir()


def test_schedulers_exist_in_transformers_and_epoch_decay_steps_per_epoch():
    from transformers import SchedulerType

    from ptst.train.schedulers import HF_SCHEDULERS, epoch_decay_lambda

    assert set(HF_SCHEDULERS) <= {s.value for s in SchedulerType}
    f = epoch_decay_lambda(steps_per_epoch=3, gamma=0.5, warmup_steps=2)
    assert [f(s) for s in range(7)] == [0.5, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]


def test_train_config_columns_and_targets_accept_cli_strings():
    cfg = TrainConfig(columns="instruction=q,reference=a", lora_target_modules="q_proj, v_proj")
    assert cfg.columns == {"instruction": "q", "reference": "a"}
    assert cfg.lora_target_modules == ["q_proj", "v_proj"]


def test_data_files_with_local_paths(tmp_path, tok):
    """A local jsonl with a column mapping loads through ptst.data and renders."""
    from ptst.train.dataset import load_task_examples

    p = tmp_path / "d.jsonl"
    p.write_text("".join(json.dumps({"q": f"q{i}", "a": f"a{i}"}) + "\n" for i in range(3)))
    cfg = TrainConfig(dataset=str(p), columns="instruction=q,reference=a", limit=2)
    exs, source = load_task_examples(cfg, tok)
    assert len(exs) == 2 and source["records"] == 2 and exs[1].completion == " a1"
    assert Path(source["dataset"]) == p


def test_example_train_configs_load():
    repo = Path(__file__).resolve().parents[1]
    files = sorted((repo / "examples").glob("train-*.yaml"))
    assert len(files) >= 3
    for f in files:
        cfg = TrainConfig.from_yaml(f)
        assert cfg.dataset and cfg.output_dir
    paper = TrainConfig.from_yaml(repo / "examples" / "train-gsm8k-paper.yaml")
    assert (paper.from_preset, paper.lr, paper.epochs, paper.template) == ("paper-llama2", 1e-4, 6, "chat:vanilla")


def test_accelerate_example_configs_are_valid_yaml_for_each_backend():
    import yaml

    repo = Path(__file__).resolve().parents[1]
    files = (repo / "examples/accelerate").glob("*.yaml")
    kinds = {f.name: yaml.safe_load(f.read_text())["distributed_type"] for f in files}
    assert set(kinds.values()) >= {"MULTI_GPU", "FSDP", "DEEPSPEED"}
