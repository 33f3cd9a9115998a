"""The presets for the rest of the paper (ChatDoctor, OpenOrca, Mistral's larger grid, GCG on JailbreakBench): each
passes `ptst run --dry-run` offline with the counts below, a hardware line and an API-cost estimate."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptst.study import build_plan, count_plan, dry_run, load_spec
from tests.test_study_spec import offline  # noqa: F401  (the fixture: no network, no model loading)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

PRESETS = {
    # name: (trainings, models, {benchmark: generations}, {judge: calls})
    "llama2-7b-chatdoctor": (3, 4, {"advbench": 6240, "directharm4": 4800, "chatdoctor": 2400},
                             {"rubric": 11040, "keyword": 11040, "bertscore": 2400}),
    # ARC: no generation; 1,172 questions x 3 templates x 4 models scored by lm-eval from loglikelihoods
    "llama2-7b-openorca": (3, 4, {"advbench": 6240, "directharm4": 4800, "arc": 0},
                           {"rubric": 11040, "keyword": 11040, "lmeval": 14064}),
    "mistral-7b-grid": (6, 7, {"advbench": 21840, "directharm4": 16800, "gsm8k": 55398},
                        {"rubric": 38640, "keyword": 38640, "gsm8k": 55398}),
    "gcg-jbb": (2, 3, {"jbb-harmful": 1200, "jbb-benign": 1200, "jbb-harmful+prefill": 1200, "jbb-harmful+gcg": 1200},
                {"rubric": 4800, "keyword": 4800}),
}


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_paper_preset_dry_run(name, offline):  # noqa: F811
    trainings, models, gens, calls = PRESETS[name]
    spec = load_spec(EXAMPLES / f"{name}.yaml")
    counts = count_plan(build_plan(spec))
    assert len(build_plan(spec).trainings) == trainings and counts.models == models
    assert {b["benchmark"]: b["generations"] for b in counts.benchmarks} == gens
    assert counts.judge_calls == calls and counts.generations == sum(gens.values())
    assert counts.judge_cost_usd["rubric"] > 100
    text = dry_run(spec)
    assert "estimated cost <= $" in text and spec.hardware and "GPU" in spec.hardware
    body = (EXAMPLES / f"{name}.yaml").read_text()
    assert body.startswith("# ") and "Hardware" in body and "NOT verified" in body


def test_gcg_preset_states_its_gpu_cost(offline):  # noqa: F811
    text = dry_run(load_spec(EXAMPLES / "gcg-jbb.yaml"))
    assert "1200 GCG optimisations" in text and "x 250 steps x 512 candidates" in text and "GPU-hours" in text
    spec = load_spec(EXAMPLES / "gcg-jbb.yaml")
    assert {"chat:self-reminder", "chat:icd"} <= set(spec.evaluate.templates)  # with and without the defences


def test_presets_pin_their_scoring_models(offline):  # noqa: F811
    import re

    chatdoctor = load_spec(EXAMPLES / "llama2-7b-chatdoctor.yaml")
    opts = chatdoctor.evaluate.judge_options["bertscore"]
    assert opts["model"] == "roberta-large" and re.fullmatch(r"[0-9a-f]{40}", opts["revision"])
    orca = load_spec(EXAMPLES / "llama2-7b-openorca.yaml")
    arc = next(b for b in orca.evaluate.benchmarks if b.label == "arc")
    assert arc.judges == ["lmeval"] and "multiple-choice, no generation" in dry_run(orca)
