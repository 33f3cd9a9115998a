"""``lmeval``: multiple-choice accuracy (ARC) computed by lm-evaluation-harness, under the test template being
measured.

ptst does not re-implement multiple-choice scoring. For each (model, test template) the scorer

1. writes the benchmark's selected items in ARC's layout (``id, question, choices{text,label}, answerKey``) to a
   temporary JSONL file and a task YAML that ``include``s the harness's own ARC task config (its choices and target,
   its ``acc`` / ``acc_norm`` metrics and their scoring) and points it at that file (``dataset_path: json``: no hub,
   no network). One override: the user turn is the bare question (``doc_to_text: "{{question}}"``), because the
   test template wraps it as it wraps every query (``Question: %s`` in the chat templates, the Alpaca instruction
   block...); the harness's own ``Question: ...\\nAnswer:`` would be wrapped a second time;
2. loads it with ``lm_eval.tasks.TaskManager(include_path=..., include_defaults=False)`` and runs
   ``lm_eval.evaluator.evaluate`` with ``apply_chat_template=True`` on :class:`PtstLM`, an ``lm_eval.api.model.LM``
   whose ``apply_chat_template`` renders the harness's user turn through the ptst test template (so the template's
   system prompt, wrapping and defence turns are part of every scored context) and whose ``loglikelihood`` is
   ptst's cached scorer of the local model (:func:`ptst.generate.loglikelihood.loglikelihoods`);
3. returns per item the harness's own per-sample verdict (``correct`` = its ``acc``, or ``acc_norm`` with
   ``metric: acc_norm``), the label of the choice it picked (``extracted``), every choice's loglikelihood, and the
   rendered context. The study aggregates ``correct`` into ``accuracy`` with a Wilson interval like math accuracy.

Zero-shot only (``num_fewshot`` 0): which few-shot setting the paper used for ARC is not known (docs/paper.md).
Needs ``pip install 'ptst[lmeval]'`` (lm-eval 0.4.13 and what it imports).
"""

from __future__ import annotations

import contextlib
import json
import logging
import tempfile
from pathlib import Path
from typing import Any, Callable, Sequence

import yaml

from ptst.errors import PtstError
from ptst.judges.base import Progress, Scorer, register_scorer

#: the harness's task configs ptst can point at an ARC-layout file (path under ``lm_eval/tasks``)
TASKS = {"arc_challenge": "arc/arc_challenge.yaml", "arc_easy": "arc/arc_easy.yaml"}
METRICS = ("acc", "acc_norm")

Loglik = Callable[[list[tuple[str, str]]], list[tuple[float, bool]]]
Render = Callable[[str], str]


def _lm_eval():
    try:
        import lm_eval.evaluator
        import lm_eval.tasks
    except ModuleNotFoundError as e:
        raise PtstError(f"the lmeval scorer needs lm-evaluation-harness ({e.name} is missing): "
                        "pip install 'ptst[lmeval]'") from None
    return lm_eval


@contextlib.contextmanager
def _quiet():
    """The harness's INFO logging and the datasets builder's progress bars off while it runs; restored after (the
    harness's own "building contexts" bar still shows)."""
    log = logging.getLogger("lm_eval")
    level = log.level
    log.setLevel(logging.WARNING)
    bars = None
    with contextlib.suppress(Exception):
        from datasets.utils import logging as ds_logging

        bars = ds_logging.is_progress_bar_enabled()
        ds_logging.disable_progress_bar()
    try:
        yield
    finally:
        log.setLevel(level)
        if bars:
            ds_logging.enable_progress_bar()


def task_yaml(lm_eval: Any, task: str) -> Path:
    """The harness's own config file of ``task`` (from the installed package)."""
    p = Path(lm_eval.__file__).resolve().parent / "tasks" / TASKS[task]
    if not p.is_file():
        raise PtstError(f"lmeval: the installed lm-eval has no {TASKS[task]} task config")
    return p


def arc_doc(record: Any) -> dict[str, Any]:
    choices = (record.meta or {}).get("choices")
    if not isinstance(choices, dict):
        raise PtstError(f"lmeval: item {record.id!r} has no answer choices (a multiple-choice set such as "
                        "arc-challenge is needed)")
    return {"id": record.id, "question": record.instruction, "choices": choices, "answerKey": record.reference}


def make_lm(loglik: Loglik, render: Render) -> Any:
    """An ``lm_eval.api.model.LM`` over ptst's loglikelihood function, rendering through ``render``."""
    from lm_eval.api.model import LM

    class PtstLM(LM):
        """The model under test as the harness sees it: loglikelihoods only, contexts rendered by ptst."""

        tokenizer_name = "ptst-test-template"

        def __init__(self) -> None:
            super().__init__()
            self.contexts: set[str] = set()

        def apply_chat_template(self, chat_history: list[dict[str, str]], add_generation_prompt: bool = True) -> str:
            turns = [m for m in chat_history if m.get("content")]
            if len(turns) != 1 or turns[0].get("role") != "user" or not add_generation_prompt:
                raise PtstError("lmeval: expected one user turn to render with the test template (zero-shot, no "
                                f"system instruction); got roles {[m.get('role') for m in chat_history]}")
            return render(turns[0]["content"])

        def chat_template(self, chat_template: bool | str = False) -> str:
            return self.tokenizer_name

        def loglikelihood(self, requests: list[Any]) -> list[tuple[float, bool]]:
            pairs = [(str(r.args[0]), str(r.args[1])) for r in requests]
            self.contexts.update(c for c, _ in pairs)
            return loglik(pairs)

        def loglikelihood_rolling(self, requests: list[Any]) -> list[float]:
            raise PtstError("lmeval: perplexity tasks are not supported (multiple-choice only)")

        def generate_until(self, requests: list[Any]) -> list[str]:
            raise PtstError("lmeval: generation tasks are not supported (multiple-choice only)")

    return PtstLM()


@register_scorer("lmeval")
class LmEvalChoiceScorer(Scorer):
    """Multiple-choice accuracy by lm-evaluation-harness from the model's loglikelihoods (see the module
    docstring). Options: ``task`` (``arc_challenge`` or ``arc_easy``: whose harness config gives the prompt; both
    score the same way), ``metric`` (``acc``: the highest loglikelihood; ``acc_norm``: per character of the choice)."""

    kind = "helpfulness"
    version = "1"
    inputs = ("instruction", "reference")
    cheap_to_build = True
    #: scored from the evaluated model itself (its loglikelihoods), not from a generated response
    needs_model = True

    def __init__(self, task: str = "arc_challenge", metric: str = "acc"):
        if task not in TASKS:
            raise PtstError(f"lmeval: unknown task {task!r}; use one of {', '.join(TASKS)}")
        if metric not in METRICS:
            raise PtstError(f"lmeval: unknown metric {metric!r}; use one of {', '.join(METRICS)}")
        self.task, self.metric = task, metric

    def identity(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "task": self.task, "metric": self.metric}

    def score(self, rows: Sequence[dict[str, Any]], progress: Progress | None = None) -> list[dict[str, Any]]:
        raise PtstError("the lmeval scorer scores a model's loglikelihoods, not responses: use it on a "
                        "multiple-choice benchmark (e.g. arc-challenge) in ptst eval or a study")

    def score_model(self, loglik: Loglik, render: Render, records: Sequence[Any]) -> list[dict[str, Any]]:
        """Per record: ``correct``, ``extracted`` (the chosen label), ``loglikelihoods``, ``acc``, ``acc_norm`` and
        ``context`` (the rendered prompt the choices continue), all from the harness's run."""
        lm_eval = _lm_eval()
        docs = [arc_doc(r) for r in records]
        if not docs:
            return []
        name = f"ptst_{self.task}"
        with tempfile.TemporaryDirectory(prefix="ptst-lmeval-") as tmp:
            data = Path(tmp) / "docs.jsonl"
            data.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
            cfg = {"include": str(task_yaml(lm_eval, self.task)), "task": name, "tag": [],
                   "dataset_path": "json", "dataset_name": None,
                   "dataset_kwargs": {"data_files": {"test": str(data)}, "cache_dir": str(Path(tmp) / "datasets")},
                   "training_split": None, "validation_split": None, "test_split": "test", "num_fewshot": 0,
                   "doc_to_text": "{{question}}", "doc_to_decontamination_query": "{{question}}"}
            (Path(tmp) / f"{name}.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
            with _quiet():
                try:
                    tm = lm_eval.tasks.TaskManager(include_path=tmp, include_defaults=False)
                    loaded = tm.load([name])
                except Exception as e:  # noqa: BLE001 - the harness's own errors, as one line
                    raise PtstError(f"lmeval: lm-eval could not load the task: {type(e).__name__}: {e}") from None
                lm = make_lm(loglik, render)
                for t in loaded["tasks"].values():
                    t.set_config(key="num_fewshot", value=0)
                    t.set_fewshot_seed(seed=1234)
                res = lm_eval.evaluator.evaluate(lm=lm, task_dict=loaded, bootstrap_iters=0, log_samples=True,
                                                 apply_chat_template=True, fewshot_as_multiturn=True)
        samples = sorted(res["samples"][name], key=lambda s: s["doc_id"])
        if len(samples) != len(docs):
            raise PtstError(f"lmeval: lm-eval returned {len(samples)} results for {len(docs)} items")
        out = []
        for s, d in zip(samples, docs):
            lls = [float(x[0]) for x in s["filtered_resps"]]
            texts, labels = d["choices"]["text"], d["choices"]["label"]
            if self.metric == "acc":
                pick = max(range(len(lls)), key=lambda i: lls[i])
            else:  # the harness's acc_norm: loglikelihood per character of the choice
                pick = max(range(len(lls)), key=lambda i: lls[i] / max(1, len(texts[i])))
            out.append({
                "correct": float(s[self.metric]) == 1.0,
                "extracted": labels[pick],
                "choice": texts[pick],
                "loglikelihoods": [round(x, 6) for x in lls],
                "acc": float(s["acc"]),
                "acc_norm": float(s["acc_norm"]),
                "context": s["arguments"][0][0],
            })
        return out
