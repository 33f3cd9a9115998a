"""A finished study whose inputs are unchanged reruns without computing or importing anything heavy; any changed
input takes the normal path and recomputes exactly what it must (ptst.study.uptodate, the runner's shortcut, the
report and figure memos).

One tiny-random study (1 fine-tuning, 2 test templates of which one comes from the study's templates file, a
built-in and a local benchmark) is run once per module. Each test starts by checking the study is up to date,
changes one input, and counts what the rerun generated. A change run leaves the study up to date with its new
inputs, so the tests do not depend on each other's order.

Other engineers commit to and edit this source tree while tests run, which changes the git commit and the source
hash in the fingerprint; the in-process tests therefore pin both (``pinned_code``). The subprocess test uses the
real ones and settles the study just before it starts the child.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from ptst.report import write_report
from ptst.study import load_spec, run_study
from ptst.study import uptodate
from tests.spec_helpers import benchmark, evaluation, math_training, tiny_study

TEMPLATES = "templates:\n  chat:warm:\n    system: 'You answer briefly.'\n"
LOCAL = [{"id": f"l{i}", "instruction": f"How do I bake bread number {i}?"} for i in range(2)]
SPEC = tiny_study(
    "warm",
    evaluation(["chat:vanilla", "chat:warm"],
               [benchmark("harmful", per_category_limit=1),  # 4 items
                benchmark("local", "local.jsonl", kind="benign")],  # 2 items
               max_new_tokens=6, batch_size=8),
    math_training(["chat:vanilla"]),
    templates_file="templates.yaml",
)
MODELS, TEMPLATES_N, ITEMS = 2, 2, 6  # baseline + one fine-tuned checkpoint; chat:vanilla, chat:warm; 4 + 2 items
ALL_GENERATIONS = MODELS * TEMPLATES_N * ITEMS
OUTPUTS = ("results.csv", "results.jsonl", "report.md", "report.html")


def _snapshot(out: Path) -> dict[str, bytes]:
    files = [out / f for f in OUTPUTS] + sorted((out / "items").rglob("*.jsonl")) + sorted(
        (out / "figures").glob("*.[ps][nv]g"))
    return {str(p.relative_to(out)): p.read_bytes() for p in files}


def _write_inputs(src: Path, spec: dict = SPEC, templates: str = TEMPLATES, local: list = LOCAL) -> Path:
    src.mkdir(parents=True, exist_ok=True)
    (src / "templates.yaml").write_text(templates)
    (src / "local.jsonl").write_text("".join(json.dumps(r) + "\n" for r in local))
    (src / "spec.yaml").write_text(yaml.safe_dump(spec))
    return src / "spec.yaml"


def pinned_code(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(uptodate, "git_commit", lambda: {"commit": "pinned-for-tests", "dirty": False})
    mp.setattr(uptodate, "package_tree_hash", lambda: "pinned-for-tests")


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """The study, run once (in-process, so torch is imported here once for the whole module)."""
    from tests.conftest import _SESSION_HOME

    base = tmp_path_factory.mktemp("warm")
    home = base / "home"
    home.mkdir()
    (_SESSION_HOME / "models").mkdir(parents=True, exist_ok=True)
    (home / "models").symlink_to(_SESSION_HOME / "models")
    spec = _write_inputs(base / "src")
    out = base / "study"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PTST_HOME", str(home))
        for k in ("PTST_CACHE", "PTST_TEMPLATES", "PTST_DATA_DIR"):
            mp.delenv(k, raising=False)
        pinned_code(mp)
        first = run_study(load_spec(spec), out, progress=False, report=write_report)
    assert first.cache_counters["generation"]["computed"] == ALL_GENERATIONS and first.trained == 1
    return SimpleNamespace(home=home, src=base / "src", spec=spec, out=out, first=_snapshot(out),
                           memo=uptodate.load(out))


@pytest.fixture
def env(study, monkeypatch):
    """Every test sees the study's environment (PTST_HOME is part of the fingerprint) and pinned code identity."""
    monkeypatch.setenv("PTST_HOME", str(study.home))
    pinned_code(monkeypatch)
    return study


def _run(study) -> tuple:
    outcome = run_study(load_spec(study.spec), study.out, progress=False, report=write_report)
    last = json.loads((study.out / "manifest.json").read_text())["invocations"][-1]
    return outcome, last


def _assert_up_to_date(study) -> None:
    outcome, last = _run(study)
    assert last["status"] == "finished" and last.get("up_to_date") is True, last
    assert outcome.trained == 0
    assert all(c["computed"] == 0 and c["misses"] == 0 for c in outcome.cache_counters.values())


def _settle(study) -> None:
    """Make the study up to date with its current inputs (a previous test may have left other code identity
    pinned): at most one normal-path run, which finds everything cached."""
    outcome, last = _run(study)
    if not last.get("up_to_date"):
        assert _generated(outcome) == 0 and outcome.trained == 0
        _assert_up_to_date(study)


def _generated(outcome) -> int:
    return outcome.cache_counters["generation"]["computed"]


# ---- the shortcut -------------------------------------------------------------------------------------------------


CHILD = """
import json, sys
from ptst.cli.main import main
try:
    main(["run", sys.argv[1], "--out", sys.argv[2], "--quiet"])
except SystemExit as e:
    assert not e.code, e.code
print(json.dumps({m: m in sys.modules for m in ("torch", "transformers", "matplotlib", "peft")}))
"""


def test_second_run_imports_nothing_heavy_and_changes_nothing(study, monkeypatch):
    """`ptst run` on the finished study (a fresh process, as a user runs it): no torch, transformers or
    matplotlib; nothing computed; results, items, report and figures byte-identical to the run before it."""
    monkeypatch.setenv("PTST_HOME", str(study.home))
    outcome, last = _run(study)  # the real code identity differs from the pinned one: the normal path, all cached
    assert not last.get("up_to_date") and _generated(outcome) == 0 and outcome.trained == 0
    _settle(study)
    before = _snapshot(study.out)
    proc = subprocess.run([sys.executable, "-c", CHILD, str(study.spec), str(study.out)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PTST_HOME": str(study.home)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    imported = json.loads(proc.stdout.strip().splitlines()[-1])
    assert imported == {"torch": False, "transformers": False, "matplotlib": False, "peft": False}
    manifest = json.loads((study.out / "manifest.json").read_text())
    last = manifest["invocations"][-1]
    memo = uptodate.load(study.out)
    assert last["status"] == "finished" and last["up_to_date"] is True and last["trainings_run"] == 0
    assert last["cache"]["generation"] == {"hits": len(memo["cache_keys"]["generation"]), "misses": 0,
                                           "computed": 0}
    assert len(memo["cache_keys"]["generation"]) == ALL_GENERATIONS
    assert last["cache"]["judgment"]["computed"] == 0 and last["cache"]["judgment"]["hits"] > 0
    assert manifest["hardware"]["torch_threads"]  # kept from the run that computed, without importing torch
    assert _snapshot(study.out) == before
    if {k: v for k, v in memo["inputs"].items() if k != "code"} == \
            {k: v for k, v in study.memo["inputs"].items() if k != "code"} and \
            memo["outputs"]["models"] == study.memo["outputs"]["models"]:  # no other test changed an input yet
        results = [k for k in study.first if not k.startswith(("report.", "figures"))]
        assert {k: before[k] for k in results} == {k: study.first[k] for k in results}


def test_recheck_flag_goes_through_every_stage(env):
    """`ptst run --recheck` on an up-to-date study takes the normal path: every stage runs, all from the cache."""
    from ptst.cli.main import main

    _settle(env)
    with pytest.raises(SystemExit) as done:
        main(["run", str(env.spec), "--out", str(env.out), "--quiet", "--recheck"])
    assert not done.value.code
    last = json.loads((env.out / "manifest.json").read_text())["invocations"][-1]
    assert last["status"] == "finished" and not last.get("up_to_date") and last["trainings_run"] == 0
    assert last["cache"]["generation"]["computed"] == 0 and last["cache"]["generation"]["hits"] == ALL_GENERATIONS
    _assert_up_to_date(env)  # and the shortcut is back for the next plain run


# ---- each input, changed alone ----------------------------------------------------------------------------------


def test_changed_decoding_regenerates_everything(env):
    _settle(env)
    spec = yaml.safe_load(env.spec.read_text())
    spec["evaluate"]["decoding"]["max_new_tokens"] += 1
    env.spec.write_text(yaml.safe_dump(spec))
    outcome, last = _run(env)
    assert not last.get("up_to_date") and _generated(outcome) == ALL_GENERATIONS and outcome.trained == 0
    _assert_up_to_date(env)


def test_changed_dataset_file_regenerates_its_item(env):
    _settle(env)
    rows = [json.loads(x) for x in (env.src / "local.jsonl").read_text().splitlines()]
    rows[0]["instruction"] += " With seeds."
    (env.src / "local.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    outcome, last = _run(env)
    assert not last.get("up_to_date") and _generated(outcome) == MODELS * TEMPLATES_N * 1
    items = (env.out / "items" / "base" / "chat-vanilla" / "local.jsonl").read_text()
    assert "With seeds." in items
    _assert_up_to_date(env)


def test_changed_templates_file_regenerates_that_template(env):
    from ptst.templates.registry import _reset_for_tests

    _settle(env)
    text = (env.src / "templates.yaml").read_text()
    (env.src / "templates.yaml").write_text(text.replace("'You answer", "'Really, you answer"))
    _reset_for_tests()  # a new process would start with an empty registry; this one holds the old chat:warm
    outcome, last = _run(env)
    assert not last.get("up_to_date") and _generated(outcome) == MODELS * 1 * ITEMS
    _assert_up_to_date(env)


def test_changed_adapter_weights_regenerate_that_checkpoint(env):
    from safetensors.torch import load_file, save_file

    _settle(env)
    manifest = json.loads((env.out / "manifest.json").read_text())
    (run,) = manifest["trainings"].values()
    adapter = env.out / run["checkpoints"][-1]["adapter"]
    weights = adapter / "adapter_model.safetensors"
    tensors = load_file(str(weights))
    name = sorted(tensors)[0]
    tensors[name] = tensors[name] + 0.25
    save_file(tensors, str(weights), metadata={"format": "pt"})
    outcome, last = _run(env)
    assert not last.get("up_to_date") and outcome.trained == 0
    assert _generated(outcome) == 1 * TEMPLATES_N * ITEMS  # the fine-tuned checkpoint only, not the baseline
    _assert_up_to_date(env)


def test_changed_code_takes_the_normal_path_and_finds_everything_cached(env, monkeypatch):
    """A new ptst version / git commit / source edit (here: the source-tree hash) makes the runner check every
    result against the cache instead of trusting the memo; nothing needs computing."""
    _settle(env)
    monkeypatch.setattr(uptodate, "package_tree_hash", lambda: "another version of ptst")
    outcome, last = _run(env)
    assert not last.get("up_to_date") and last["status"] == "finished"
    assert _generated(outcome) == 0 and outcome.cache_counters["generation"]["hits"] == ALL_GENERATIONS
    assert outcome.cache_counters["judgment"]["computed"] == 0 and outcome.trained == 0
    _assert_up_to_date(env)  # the memo now records the "new" code


def test_edited_output_or_cleared_cache_is_not_up_to_date(env):
    _settle(env)
    good = (env.out / "results.csv").read_bytes()
    (env.out / "results.csv").write_bytes(good.replace(b"keyword", b"keywerd", 1))
    outcome, last = _run(env)
    assert not last.get("up_to_date") and _generated(outcome) == 0
    assert (env.out / "results.csv").read_bytes() == good  # rewritten by the normal path
    with sqlite3.connect(env.out / "cache.sqlite") as db:
        db.execute("DELETE FROM generation")
    outcome, last = _run(env)
    assert not last.get("up_to_date") and _generated(outcome) == ALL_GENERATIONS
    _assert_up_to_date(env)


def test_input_that_cannot_be_fingerprinted_offline_means_normal_path(env, tmp_path):
    """A dataset fetched from the network has no cheap fingerprint: such a study never takes the shortcut."""
    spec = load_spec(env.spec)
    data = spec.to_data()
    data["evaluate"]["benchmarks"][0] = {"name": "adv", "dataset": "advbench"}
    from ptst.study import spec_from_data

    fp, why = uptodate.try_fingerprint(spec_from_data(data, base_dir=env.src, check=False), tmp_path / "c.sqlite")
    assert fp is None and "advbench" in why


# ---- the report ---------------------------------------------------------------------------------------------------


def test_report_redraws_only_missing_figures(env):
    from ptst.report import write_report

    _settle(env)
    figs = sorted((env.out / "figures").glob("*.png"))
    assert len(figs) >= 2
    stamps = {p: p.stat().st_mtime_ns for p in (env.out / "figures").glob("*.[ps][nv]g")}
    gone = figs[0]
    content = gone.read_bytes()
    gone.unlink()
    (env.out / "report.md").write_text("edited")  # the report's own files are checked too
    write_report(env.out)
    assert gone.read_bytes() == content  # drawn again, identically
    assert (env.out / "report.md").read_text() != "edited"
    for p, t in stamps.items():
        if p.stem != gone.stem:
            assert p.stat().st_mtime_ns == t, f"{p.name} was redrawn although its data did not change"
