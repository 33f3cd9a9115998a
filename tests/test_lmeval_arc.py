"""ARC accuracy through lm-evaluation-harness under the test template (ptst.judges.lmeval), on the tiny random Llama
and a small ARC-layout file written here: the harness's accuracy equals the one computed independently from the
model's loglikelihoods of each choice after the template-rendered prompt, the template is part of every scored
context, scoring is cached, and a study reports the accuracy per cell like math accuracy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ptst.errors import PtstError

QUESTIONS = [
    ("q1", "Which gas do plants take in for photosynthesis?", ["oxygen", "carbon dioxide", "helium", "neon"], "B"),
    ("q2", "What is the boiling point of water at sea level?", ["50 C", "75 C", "100 C", "150 C"], "C"),
    ("q3", "Which planet is closest to the Sun?", ["Mercury", "Venus", "Earth"], "A"),
    ("q4", "What do bees make?", ["milk", "honey", "silk", "wax paper"], "B"),
    ("q5", "Which force pulls objects toward Earth?", ["magnetism", "friction", "gravity", "tension"], "C"),
    ("q6", "What part of the plant absorbs water?", ["roots", "petals", "seeds", "pollen"], "A"),
]


def arc_rows(labels: str = "ABCD") -> list[dict]:
    return [{"id": i, "question": q, "choices": {"text": c, "label": list(labels[:len(c)])}, "answerKey": k}
            for i, q, c, k in QUESTIONS]


def write_arc(path: Path, rows: list[dict] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in (rows or arc_rows())))
    return path


# ---- the data source ----------------------------------------------------------------------------------------------


def test_arc_loader_reads_the_hf_layout_and_names_bad_rows(tmp_path):
    from ptst.data import load_dataset, resolve

    f = write_arc(tmp_path / "test.jsonl")
    recs = load_dataset("arc-challenge", path=f)
    assert [r.id for r in recs] == [q[0] for q in QUESTIONS]
    assert recs[0].instruction == QUESTIONS[0][1] and recs[0].reference == "B"
    assert recs[2].meta["choices"] == {"text": ["Mercury", "Venus", "Earth"], "label": ["A", "B", "C"]}
    ref = resolve("arc-challenge:test")
    assert ref.kind == "helpfulness" and ref.helpfulness_scorers == ("lmeval",)
    assert load_dataset("arc-challenge", path=tmp_path)[0].id == "q1"  # a folder holding test.jsonl

    bad = arc_rows()
    bad[3]["answerKey"] = "E"
    write_arc(tmp_path / "bad" / "test.jsonl", bad)
    with pytest.raises(PtstError, match=r"bad/test.jsonl:4: answerKey 'E' is not one of the choice labels"):
        load_dataset("arc-challenge", path=tmp_path / "bad" / "test.jsonl")
    bad = arc_rows()
    bad[1]["choices"] = {"text": ["a", "b"], "label": ["A"]}
    write_arc(tmp_path / "bad2.jsonl", bad)
    with pytest.raises(PtstError, match=r"bad2.jsonl:2: 'choices' needs at least 2 texts and as many labels"):
        load_dataset("arc-challenge", path=tmp_path / "bad2.jsonl")


def test_arc_hub_loading_asks_for_the_pinned_revision(monkeypatch):
    import datasets

    from ptst.data import load_dataset
    from ptst.data.arc import ARC_REPO, ARC_REVISION

    asked = []

    def fake(repo, config=None, **kw):
        asked.append((repo, config, kw))
        return arc_rows()

    monkeypatch.setattr(datasets, "load_dataset", fake)
    recs = load_dataset("arc-easy:validation")
    assert len(recs) == len(QUESTIONS) and recs[0].source == "arc-easy:validation"
    assert asked == [(ARC_REPO, "ARC-Easy", {"revision": ARC_REVISION, "split": "validation"})]


# ---- scoring through the harness -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lm_eval():
    return pytest.importorskip("lm_eval")


def _independent_picks(model_dir: str, template: str, rows: list[dict]) -> tuple[list[str], list[str]]:
    """(rendered context, chosen label) per question: one unbatched forward pass per choice, plain transformers."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from ptst.templates import get_template

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    tpl = get_template(template)
    contexts, picks = [], []
    for r in rows:
        ctx = tpl.render(r["question"], "native", tokenizer=tok)
        contexts.append(ctx)
        body = ctx.rstrip()
        special = not (tok.bos_token and ctx.startswith(tok.bos_token))
        ctx_ids = tok(body, add_special_tokens=special)["input_ids"]
        scores = []
        for text in r["choices"]["text"]:
            full = tok(body + ctx[len(body):] + text, add_special_tokens=special)["input_ids"]
            cont = full[len(ctx_ids):]
            with torch.no_grad():
                logp = torch.log_softmax(model(torch.tensor([full])).logits[0].float(), dim=-1)
            scores.append(sum(logp[len(ctx_ids) - 1 + i, t].item() for i, t in enumerate(cont)))
        picks.append(r["choices"]["label"][max(range(len(scores)), key=lambda i: scores[i])])
    return contexts, picks


def test_accuracy_equals_the_independent_loglikelihood_choice(lm_eval, tiny_model_dir, tmp_path):
    from ptst.cache import Cache
    from ptst.evaluate import EvalTarget, evaluate, load_benchmark
    from ptst.io import slug

    f = write_arc(tmp_path / "arc.jsonl")
    bench = load_benchmark("arc-challenge", label="arc", path=str(f))
    assert bench.judges == ["lmeval"] and bench.kind == "helpfulness" and bench.model_scored
    templates = ["chat:vanilla", "chat:llama"]
    target = EvalTarget("tiny", tiny_model_dir)
    cache = Cache(tmp_path / "cache.db")
    rows = evaluate(target, templates, [bench], fmt="native", cache=cache, items_dir=tmp_path / "items")
    assert cache.counters["generation"].computed == sum(len(q[2]) for q in QUESTIONS) * len(templates)

    acc = {r["test_template"]: r for r in rows if r["metric"] == "accuracy" and r["category"] == "all"}
    items = {t: [json.loads(x) for x in (tmp_path / "items" / slug(t) / "arc.jsonl").read_text().splitlines()]
             for t in templates}
    for t in templates:
        contexts, picks = _independent_picks(tiny_model_dir, t, arc_rows())
        keys = [q[3] for q in QUESTIONS]
        expect = sum(p == k for p, k in zip(picks, keys)) / len(keys)
        assert acc[t]["judge"] == "lmeval" and acc[t]["n"] == len(QUESTIONS)
        assert acc[t]["value"] == pytest.approx(expect)
        got = items[t]
        assert [i["judges"]["lmeval"]["extracted"] for i in got] == picks  # item by item, not only on average
        assert [i["prompt"] for i in got] == contexts  # the scored context is the template's rendering
        assert all(len(i["judges"]["lmeval"]["loglikelihoods"]) == len(q[2]) for i, q in zip(got, QUESTIONS))
    # the template changes the rendered context (chat:llama carries Llama-2's safety system prompt) and the scores
    van, lla = items["chat:vanilla"][0], items["chat:llama"][0]
    assert van["prompt"] != lla["prompt"] and "helpful, respectful and honest" in lla["prompt"]
    assert "helpful, respectful and honest" not in van["prompt"]
    assert van["judges"]["lmeval"]["loglikelihoods"] != lla["judges"]["lmeval"]["loglikelihoods"]

    # a rerun scores nothing: every loglikelihood comes from the cache
    again_cache = Cache(tmp_path / "cache.db")
    again = evaluate(target, templates, [bench], fmt="native", cache=again_cache)
    assert again_cache.counters["generation"].computed == 0
    assert [r["value"] for r in again] == [r["value"] for r in rows]


def test_acc_norm_and_bad_options(lm_eval, tiny_model_dir, tmp_path):
    from ptst.cache import Cache
    from ptst.evaluate import EvalTarget, ScorerPool, evaluate, load_benchmark
    from ptst.judges import get_scorer

    with pytest.raises(PtstError, match="unknown metric 'f1'"):
        get_scorer("lmeval", metric="f1")
    with pytest.raises(PtstError, match="unknown task"):
        get_scorer("lmeval", task="mmlu")
    with pytest.raises(PtstError, match="scores a model's loglikelihoods, not responses"):
        get_scorer("lmeval").score([{"instruction": "q", "reference": "A"}])
    f = write_arc(tmp_path / "arc.jsonl")
    bench = load_benchmark("arc-challenge", label="arc", path=str(f))
    pool = ScorerPool({"lmeval": {"metric": "acc_norm"}})
    items = tmp_path / "items"
    rows = evaluate(EvalTarget("tiny", tiny_model_dir), ["chat:vanilla"], [bench], fmt="native",
                    cache=Cache(tmp_path / "c.db"), scorers=pool, items_dir=items)
    got = [json.loads(x) for x in next(items.rglob("arc.jsonl")).read_text().splitlines()]
    for i, q in zip(got, QUESTIONS):
        fields = i["judges"]["lmeval"]
        lls = fields["loglikelihoods"]
        norm = max(range(len(lls)), key=lambda k: lls[k] / len(q[2][k]))
        assert fields["extracted"] == "ABCD"[norm] and fields["correct"] == (fields["acc_norm"] == 1.0)
    acc = next(r for r in rows if r["metric"] == "accuracy" and r["category"] == "all")
    assert acc["value"] == pytest.approx(sum(i["judges"]["lmeval"]["acc_norm"] for i in got) / len(got))
    with pytest.raises(PtstError, match="mix loglikelihood scoring"):
        load_benchmark("arc-challenge", path=str(f), judges=["lmeval", "gsm8k"])


# ---- a study ---------------------------------------------------------------------------------------------------------


def test_a_study_reports_arc_accuracy_per_cell(lm_eval, tmp_path):
    from ptst.report import write_report
    from ptst.study import dry_run, load_spec, run_study
    from tests.spec_helpers import benchmark, evaluation, tiny_study, write_spec

    write_arc(tmp_path / "src" / "arc.jsonl")
    spec_path = write_spec(tmp_path / "src", tiny_study(
        "arc-tiny", evaluation(["chat:vanilla", "chat:llama"],
                               [benchmark("harmful", limit=2), benchmark("arc", "arc-challenge", path="arc.jsonl")],
                               max_new_tokens=4, batch_size=4)))
    spec = load_spec(spec_path)
    plan = dry_run(spec)
    assert "arc (helpfulness, 6 items" in plan and "multiple-choice, no generation: 12 items" in plan
    out = run_study(spec, tmp_path / "study", progress=False, report=write_report)
    arc = [r for r in out.rows if r["benchmark"] == "arc" and r["metric"] == "accuracy" and r["category"] == "all"]
    assert {r["test_template"] for r in arc} == {"chat:vanilla", "chat:llama"}
    assert all(r["judge"] == "lmeval" and r["n"] == 6 and r["kind"] == "helpfulness" for r in arc)
    csv_text = (tmp_path / "study" / "results.csv").read_text()
    assert ",arc,helpfulness,lmeval,accuracy,all," in csv_text
    report = (tmp_path / "study" / "report.md").read_text()
    assert "arc" in report

    bad = write_spec(tmp_path / "bad", tiny_study(
        "arc-bad", evaluation(["chat:vanilla"], [benchmark("arc", "arc-challenge", path=str(tmp_path / "src" /
                                                                                          "arc.jsonl"))],
                              max_new_tokens=4, backend="openai"), fmt="openai"))
    with pytest.raises(PtstError, match="benchmarks.0.judges'.*openai format"):
        load_spec(bad)
