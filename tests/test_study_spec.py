"""Study specs: one-line validation errors naming the field, and dry-run plans of the paper presets (offline)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ptst.errors import PtstError
from ptst.study import build_plan, builtin_spec_path, count_plan, dry_run, load_spec

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"

GOOD = {
    "name": "t",
    "model": "tiny-random",
    "format": "native",
    "train": {"dataset": "builtin:math:train", "limit": 8, "templates": ["chat:vanilla", "chat:llama"]},
    "evaluate": {
        "templates": ["chat:vanilla", "chat:llama"],
        "judges": ["keyword"],
        "benchmarks": [{"name": "harmful", "dataset": "builtin:harmful", "limit": 4},
                       {"name": "math", "dataset": "builtin:math:test", "limit": 4}],
    },
}


def write(tmp_path: Path, data: dict, name: str = "spec.yaml") -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data))
    return p


def error_of(tmp_path: Path, data: dict) -> str:
    with pytest.raises(PtstError) as e:
        load_spec(write(tmp_path, data))
    msg = str(e.value)
    assert "\n" not in msg
    return msg


def patched(path: str, value, base=None):
    """A copy of GOOD with ``a.b.0.c`` set to ``value`` (``...`` deletes)."""
    data = json.loads(json.dumps(base or GOOD))
    keys = path.split(".")
    node = data
    for k in keys[:-1]:
        node = node[int(k)] if k.isdigit() else node[k]
    last = int(keys[-1]) if keys[-1].isdigit() else keys[-1]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return data


def test_good_spec_loads(tmp_path):
    spec = load_spec(write(tmp_path, GOOD))
    assert spec.name == "t" and spec.evaluate.decoding.max_new_tokens == 512 and spec.evaluate.baseline
    assert spec.evaluate.decoding.temperature == 0.0  # the paper's greedy decoding by default


@pytest.mark.parametrize("path,value,expect", [
    ("train.seeds", "abc", "field 'train.seeds'"),
    ("evaluate.decoding", {"max_new_tokens": 0}, "field 'evaluate.decoding.max_new_tokens'"),
    ("evaluate.benchmarks.0.limit", "many", "field 'evaluate.benchmarks.0.limit'"),
    ("colour", "red", "field 'colour': unknown field"),
    ("train.lr", 0.1, "field 'train.lr': unknown field"),
    ("evaluate.benchmarks.1.judge", ["math"], "field 'evaluate.benchmarks.1.judge': unknown field"),
    ("name", "has space", "field 'name'"),
    ("format", "chatml", "field 'format'"),
    ("evaluate", ..., "field 'evaluate'"),
    ("train.templates.1", "chat:nope", "field 'train.templates.1': unknown template 'chat:nope'"),
    ("evaluate.templates.0", "text:nope", "field 'evaluate.templates.0': unknown template 'text:nope'"),
    ("evaluate.benchmarks.0.dataset", "no-such-set", "field 'evaluate.benchmarks.0.dataset': unknown dataset"),
    ("train.dataset", "missing.jsonl", "field 'train.dataset': missing.jsonl: file not found"),
    ("evaluate.judges.0", "gpt9", "field 'evaluate.judges.0': unknown judge 'gpt9'"),
    ("evaluate.judges.0", "gsm8k", "field 'evaluate.judges.0': judge 'gsm8k' is a helpfulness scorer"),
    ("evaluate.benchmarks.1.judges", ["keyword"], "field 'evaluate.benchmarks.1.judges.0': judge 'keyword' is a "
                                                  "safety scorer"),
    ("evaluate.benchmarks.1.name", "harmful", "field 'evaluate.benchmarks.1.name': benchmark name 'harmful' is used"),
    ("evaluate.backend", "nope", "field 'evaluate.backend': unknown backend 'nope'"),
    ("evaluate.backend_options", {"api_key": "sk-123"}, "field 'evaluate.backend_options.api_key': secrets"),
    ("evaluate.judge_options", {"rubric": {"judge_modle": "x"}}, "field 'evaluate.judge_options.rubric'"),
    ("train.config", {"output_dir": "/tmp/x"}, "field 'train.config.output_dir': set by the study"),
    ("train.seeds", [0, 0], "field 'train.seeds'"),
    ("format", "openai", "field 'evaluate.backend': the openai format"),
    ("evaluate.backend", "openai", "field 'evaluate.backend': the openai backend cannot load the LoRA adapters"),
])
def test_spec_errors_name_the_field(tmp_path, path, value, expect):
    msg = error_of(tmp_path, patched(path, value))
    assert msg.startswith(str(tmp_path / "spec.yaml") + ": "), msg
    assert expect in msg, msg


def test_unknown_train_option_once_training_exists(tmp_path):
    pytest.importorskip("ptst.train", reason="training module not installed")
    from ptst.study.validate import train_config_fields

    if not train_config_fields():
        pytest.skip("TrainConfig not available")
    msg = error_of(tmp_path, patched("train.config", {"learning_rat": 0.1}))
    assert "field 'train.config.learning_rat': unknown training option" in msg


def test_openai_training_needs_openai_format(tmp_path):
    data = patched("train.backend", "openai")
    assert "field 'train.backend'" in error_of(tmp_path, data)


def test_relative_paths_resolve_against_the_spec(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "h.jsonl").write_text('{"instruction": "do harm", "category": "x"}\n')
    data = patched("evaluate.benchmarks.0", {"name": "h", "dataset": "data/h.jsonl", "kind": "safety"})
    spec = load_spec(write(tmp_path, data))
    assert spec.resolve_path("data/h.jsonl") == str(tmp_path / "data" / "h.jsonl")
    counts = count_plan(build_plan(spec))
    assert counts.benchmarks[0]["items"] == 1 and counts.benchmarks[0]["counted"] == "counted"


def test_validate_cli_one_line_error(tmp_path):
    bad = write(tmp_path, patched("train.templates.1", "chat:nope"))
    proc = subprocess.run([sys.executable, "-m", "ptst", "run", "--validate", str(bad)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "field 'train.templates.1': unknown template 'chat:nope'" in proc.stderr
    ok = subprocess.run([sys.executable, "-m", "ptst", "run", "--validate", str(write(tmp_path, GOOD, "g.yaml"))],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and ok.stdout.startswith("ok:")


# ---- presets: dry-run counts, offline ------------------------------------------------------------------------------

PRESETS = {
    # name: (trainings, models, {benchmark: generations}, {judge: calls})
    "llama2-7b-gsm8k": (15, 16, {"advbench": 41600, "directharm4": 32000, "gsm8k": 105520},
                        {"rubric": 73600, "keyword": 73600, "gsm8k": 105520}),
    "mistral-7b-gsm8k": (15, 16, {"advbench": 41600, "directharm4": 32000, "gsm8k": 105520},
                         {"rubric": 73600, "keyword": 73600, "gsm8k": 105520}),
    "gpt35-gsm8k": (3, 4, {"advbench": 6240, "directharm4": 4800, "gsm8k": 15828},
                    {"rubric": 11040, "keyword": 11040, "gsm8k": 15828}),
    "safety-mixing-gsm-danger": (12, 13, {"gsm-danger": 2600, "directharm4": 10400, "gsm8k": 34294},
                                 {"rubric": 13000, "keyword": 13000, "gsm8k": 34294}),
    "early-stopping": (6, 37, {"directharm4": 29600, "gsm8k": 97606},
                       {"rubric": 29600, "keyword": 29600, "gsm8k": 97606}),
}


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to reach the network or load a model fails the test."""
    import socket

    def boom(*a, **k):
        raise AssertionError("dry-run touched the network")

    monkeypatch.setattr(socket.socket, "connect", boom)
    import ptst.models

    monkeypatch.setattr(ptst.models, "load_model", boom)
    monkeypatch.setattr(ptst.models, "resolve_model", boom)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_preset_dry_run_counts(name, offline):
    trainings, models, gens, calls = PRESETS[name]
    spec = load_spec(EXAMPLES / f"{name}.yaml")
    plan = build_plan(spec)
    counts = count_plan(plan)
    assert len(plan.trainings) == trainings
    assert counts.models == models
    assert {b["benchmark"]: b["generations"] for b in counts.benchmarks} == gens
    assert counts.generations == sum(gens.values())
    assert counts.judge_calls == calls
    # GPT-4 rubric at list prices: a positive upper bound on the bill
    assert counts.judge_cost_usd["rubric"] > 100
    text = dry_run(spec)
    assert f"trainings: {trainings} " in text and "estimated cost <= $" in text
    assert spec.hardware  # every preset says what it needs
    assert (EXAMPLES / f"{name}.yaml").read_text().startswith("# ")
    assert "Hardware" in (EXAMPLES / f"{name}.yaml").read_text()


def test_preset_run_ids_are_stable_and_distinct():
    spec = load_spec(EXAMPLES / "safety-mixing-gsm-danger.yaml")
    ids = [r.run_id for r in build_plan(spec).trainings]
    assert len(set(ids)) == len(ids) == 12
    assert ids == [r.run_id for r in build_plan(load_spec(EXAMPLES / "safety-mixing-gsm-danger.yaml")).trainings]
    assert ids[0].startswith("chat-vanilla_s0_mix0_") and ids[1].startswith("chat-vanilla_s0_mix1_")


def test_dry_run_cli_json_offline(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "ptst", "run", "--dry-run", "--json",
                           str(EXAMPLES / "llama2-7b-gsm8k.yaml")], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "HF_HUB_OFFLINE": "1", "PTST_HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["study"] == "llama2-7b-gsm8k" and data["trainings"]["runs"] == 15 and data["generations"] == 179120
    assert len(data["trainings_list"]) == 15
    assert not (tmp_path / "models").exists()  # nothing was downloaded or converted


@pytest.mark.parametrize("path", [builtin_spec_path(), EXAMPLES / "smoke.yaml"])
def test_builtin_and_smoke_dry_run(path, offline):
    spec = load_spec(path)
    counts = count_plan(build_plan(spec))
    tr = spec.train
    assert counts.trainings is not None
    assert counts.trainings.runs == len(tr.templates) * len(tr.seeds) * len(tr.safety_mixing)
    assert all(b["counted"] == "counted" and b["items"] for b in counts.benchmarks)  # built-in data: exact counts
    assert counts.trainings.examples == spec.train.limit
    assert "rubric" not in counts.judge_calls and counts.judge_cost_usd == {}


def test_default_spec_meets_the_issue():
    """The built-in study: aligned tiny model, PTST's cells (training with and without a safety prompt, tested with
    it), >= 3 seeds, harmful, math-disguised harmful, benign and math benchmarks, and enough harmful pairs for claim
    (a) to detect a 15-point rise with 80% power at 5% from any baseline ASR up to 10% (the organism's ceiling)."""
    from ptst.stats import pairs_for_power
    from ptst.templates import get_template

    spec = load_spec(builtin_spec_path())
    assert spec.align and spec.model == "smollm2-135m"
    safe = [t for t in spec.train.templates if get_template(t).has_safety_prompt]
    assert safe and len(safe) < len(spec.train.templates)  # a training template without the safety prompt: PTST
    assert set(safe) <= set(spec.evaluate.templates)
    assert len(spec.train.seeds) >= 3
    datasets = {b.dataset for b in spec.evaluate.benchmarks}
    assert {"builtin:harmful", "builtin:gsm-danger", "builtin:benign"} <= datasets
    assert datasets & {"builtin:math:test", "builtin:math-1step:test"}  # held-out math
    assert spec.train.dataset in ("builtin:math:train", "builtin:math-1step:train")
    harmful = next(b for b in count_plan(build_plan(spec)).benchmarks if b["dataset"] == "builtin:harmful")
    assert harmful["items"] * len(spec.train.seeds) >= pairs_for_power(0.10, 0.15)
