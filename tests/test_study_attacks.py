"""The study spec's ``attacks:`` section: one-line errors naming the field, dry-run counts and GCG cost, and an
evaluation-only study on the tiny model where the prefilling attack is generated, judged and reported."""

from __future__ import annotations

import csv
import json

import pytest
import yaml

from ptst.errors import PtstError
from ptst.report import write_report
from ptst.study import build_plan, count_plan, dry_run, load_spec, run_study
from tests.spec_helpers import benchmark, evaluation, tiny_study

SPEC = tiny_study(
    "atk",
    evaluation(["chat:vanilla", "chat:self-reminder"],
               [benchmark("harmful", limit=3), benchmark("math", "builtin:math:test", limit=2)], max_new_tokens=4),
    fmt="llama2",
    attacks=[{"kind": "prefill"}],
)


def spec_at(tmp_path, **over):
    data = json.loads(json.dumps(SPEC))
    data.update(over)
    p = tmp_path / "spec.yaml"
    p.write_text(yaml.safe_dump(data))
    return p


def err(tmp_path, **over) -> str:
    with pytest.raises(PtstError) as e:
        load_spec(spec_at(tmp_path, **over))
    assert "\n" not in str(e.value)
    return str(e.value)


@pytest.mark.parametrize("attacks,expect", [
    ([{"kind": "pair"}], "attacks.0.kind"),
    ([{"kind": "prefill", "steps": 3}], "field 'attacks.0.steps': not an option of a prefill attack"),
    ([{"kind": "gcg", "prefix": "Sure"}], "field 'attacks.0.prefix': not an option of a gcg attack"),
    ([{"kind": "prefill", "benchmarks": ["nope"]}], "field 'attacks.0.benchmarks.0': no benchmark named 'nope'"),
    ([{"kind": "prefill"}, {"kind": "prefill"}], "field 'attacks.1.name': attack name 'prefill' is used twice"),
    ([{"kind": "gcg", "steps": 0}], "attacks.0.steps"),
    ([{"kind": "prefill", "colour": "red"}], "attacks.0.colour"),
])
def test_attack_errors_name_the_field(tmp_path, attacks, expect):
    assert expect in err(tmp_path, attacks=attacks)


def test_attacks_need_a_string_format_and_gcg_a_local_model(tmp_path):
    assert "needs a string prompt format" in err(tmp_path, format="openai", evaluate={
        **SPEC["evaluate"], "backend": "openai"})
    assert "GCG needs the model's gradients: use evaluate.backend hf" in err(
        tmp_path, attacks=[{"kind": "gcg"}], evaluate={**SPEC["evaluate"], "backend": "vllm"})


def test_dry_run_counts_attacked_benchmarks_and_gcg_cost(tmp_path):
    spec = load_spec(spec_at(tmp_path, attacks=[
        {"kind": "prefill", "prefix": "{target}"},
        {"kind": "gcg", "steps": 500, "search_width": 256, "requests": 2, "benchmarks": ["harmful"]}]))
    counts = count_plan(build_plan(spec))
    rows = {b["benchmark"]: b for b in counts.benchmarks}
    # the attacks go to the safety benchmark only (math is helpfulness); 1 model (the baseline) x 2 templates
    assert rows["harmful+prefill"]["generations"] == 3 * 2 and rows["harmful+gcg"]["generations"] == 2 * 2
    assert "math+prefill" not in rows
    assert counts.generations == (3 + 2 + 3 + 2) * 2
    assert counts.judge_calls["keyword"] == (3 + 3 + 2) * 2
    text = dry_run(spec)
    assert "harmful+gcg (safety, 2 items, gcg attack): 4" in text
    assert "4 GCG optimisations" in text and "x 500 steps x 256 candidates = 512,000 candidate forward passes" in text
    assert "GPU-hours" in text


def test_prefill_attack_in_a_study_is_generated_judged_and_reported(tmp_path):
    out = tmp_path / "out"
    run_study(load_spec(spec_at(tmp_path)), out, progress=False, report=write_report)
    with open(out / "results.csv") as f:
        rows = list(csv.DictReader(f))
    benches = {r["benchmark"] for r in rows}
    assert {"harmful", "harmful+prefill", "math"} <= benches and "math+prefill" not in benches
    (f,) = (out / "items").glob("*/chat-self-reminder/harmful-prefill.jsonl")  # the baseline model's items
    items = [json.loads(x) for x in f.read_text().splitlines()]
    assert len(items) == 3
    assert all(i["prompt"].endswith("[/INST] Sure, here is") and i["response"].startswith("Sure, here is")
               for i in items)
    asr = [r for r in rows if r["benchmark"] == "harmful+prefill" and r["metric"] == "asr" and r["category"] == "all"]
    assert {r["test_template"] for r in asr} == {"chat:vanilla", "chat:self-reminder"}
