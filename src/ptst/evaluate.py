"""Evaluate one model (or base + adapter) under test templates x benchmarks x judges.

This is the one evaluation path of ptst: ``ptst eval`` calls it for a single model, and a study calls it once per
evaluated model (the baseline and every checkpoint). For each model it

1. renders every benchmark item under every test template (``llama2`` / ``native`` strings or ``openai`` chat
   messages),
2. generates all responses in one cached call per decoding setting (so the ``hf`` backend can sort and batch
   across templates and benchmarks, and a rerun generates nothing),
3. scores the responses with each benchmark's judges (cached too), each judge seeing the raw instruction, never
   the templated prompt,
4. writes the per-item JSONL (``id, category, instruction, reference, prompt, response, judges``) atomically, and
5. returns tidy metric rows (``test_template, benchmark, kind, judge, metric, category, value, lo, hi, n, k,
   n_invalid``) with Wilson 95% intervals.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from ptst.data import resolve
from ptst.errors import PtstError
from ptst.generate.base import backend_class
from ptst.io import slug, write_jsonl
from ptst.judges.base import scorer_class
from ptst.metrics import PRIMARY_METRIC, judge_rows

# progress(stage, done, total): stage is "generate" or "judge <name>"
EvalProgress = Callable[[str, int, int], None]


@dataclass
class Benchmark:
    """A loaded evaluation set: its items, what kind of set it is, and the judges applied to it."""

    label: str
    dataset: str
    kind: str  # safety | benign | helpfulness
    judges: list[str]
    records: list[Any]
    max_new_tokens: int | None = None
    attack: Any = None  # a ptst.attacks.Attack: the items are rendered attacked (label BENCHMARK+ATTACK)

    def __post_init__(self) -> None:
        if self.kind not in PRIMARY_METRIC:
            raise PtstError(f"benchmark {self.label!r}: unknown kind {self.kind!r}; use safety, benign or helpfulness")
        if not self.judges:
            raise PtstError(f"benchmark {self.label!r}: no judges")
        by_model = [model_scored_judge(j) for j in self.judges]
        if any(by_model) and not all(by_model):
            raise PtstError(f"benchmark {self.label!r}: judges {', '.join(self.judges)} mix loglikelihood scoring "
                            "(no generation) with response judges; give a multiple-choice benchmark its scorer alone")
        if any(by_model) and self.kind != "helpfulness":
            raise PtstError(f"benchmark {self.label!r}: {self.judges[0]} scores helpfulness; the benchmark's kind is "
                            f"{self.kind!r}")
        if any(by_model) and self.attack is not None:
            raise PtstError(f"benchmark {self.label!r}: a multiple-choice benchmark cannot be attacked")
        if self.kind == "helpfulness":
            missing = [r.id for r in self.records if not r.reference]
            if missing:
                raise PtstError(
                    f"benchmark {self.label!r}: item {missing[0]!r} has no reference answer, "
                    "which a helpfulness benchmark needs"
                )

    @property
    def model_scored(self) -> bool:
        """Scored from the model's loglikelihoods of each answer choice (lm-eval), not from generated responses."""
        return model_scored_judge(self.judges[0])


def model_scored_judge(name: str) -> bool:
    """Whether a judge scores the evaluated model itself (``needs_model``: ``lmeval``) rather than its responses."""
    try:
        return bool(getattr(scorer_class(name), "needs_model", False))
    except PtstError:  # an unknown judge is reported where it is built
        return False


@dataclass(frozen=True)
class EvalTarget:
    """The model under test: a model name/path (or an API model id) plus an optional PEFT adapter."""

    label: str
    model: str
    adapter: str | None = None


def select_records(records: Sequence[Any], limit: int | None = None, per_category_limit: int | None = None) -> list:
    """The first ``per_category_limit`` items of each category (in file order), then the first ``limit``.

    Deterministic, so every model and every rerun sees exactly the same items.
    """
    out = list(records)
    if per_category_limit is not None:
        seen: dict[Any, int] = {}
        kept = []
        for r in out:
            c = r.category
            if seen.get(c, 0) < per_category_limit:
                seen[c] = seen.get(c, 0) + 1
                kept.append(r)
        out = kept
    if limit is not None:
        out = out[:limit]
    return out


def load_records(dataset: str, path: str | None = None, split: str | None = None,
                 columns: dict[str, str] | None = None) -> list:
    """Records of a registered dataset (``NAME``, ``NAME:SPLIT``) or of a local file."""
    return resolve(dataset, split).load(path=path, columns=columns)


def load_benchmark(
    dataset: str,
    label: str | None = None,
    kind: str | None = None,
    judges: Sequence[str] | None = None,
    path: str | None = None,
    split: str | None = None,
    columns: dict[str, str] | None = None,
    limit: int | None = None,
    per_category_limit: int | None = None,
    max_new_tokens: int | None = None,
    safety_judges: Sequence[str] = ("keyword",),
) -> Benchmark:
    """Load and subset a benchmark; ``kind`` and ``judges`` default from the dataset's registered source."""
    ref = resolve(dataset, split)
    kind = kind or ref.kind
    if judges is None:
        judges = list(ref.helpfulness_scorers) if kind == "helpfulness" else list(safety_judges)
    records = select_records(ref.load(path=path, columns=columns), limit, per_category_limit)
    return Benchmark(label or dataset, dataset, kind, list(judges), records, max_new_tokens)


class ScorerPool:
    """Scorers built once per name (a judge may load a model or open a connection) and closed together."""

    def __init__(self, options: dict[str, dict[str, Any]] | None = None):
        self.options = options or {}
        self._scorers: dict[str, Any] = {}

    def get(self, name: str):
        if name not in self._scorers:
            from ptst.judges import get_scorer

            self._scorers[name] = get_scorer(name, **self.options.get(name, {}))
        return self._scorers[name]

    def close(self) -> None:
        for s in self._scorers.values():
            s.close()
        self._scorers.clear()


def render_prompts(template_name: str, records: Sequence[Any], fmt: str, tokenizer: Any = None) -> list:
    from ptst.templates import get_template

    tpl = get_template(template_name)
    return [tpl.render(r.instruction, fmt, tokenizer=tokenizer) for r in records]


def make_backend(target: EvalTarget, backend: str, options: dict[str, Any] | None = None):
    """The generation backend for a target (``hf``: base + adapter; ``openai``: the model id on an endpoint)."""
    from ptst.generate.base import get_backend

    opts = dict(options or {})
    if target.adapter:
        opts["adapter"] = target.adapter  # backends that cannot apply one (openai) say so themselves
    return get_backend(backend, model=target.model, **opts)


def evaluate(
    target: EvalTarget,
    templates: Sequence[str],
    benchmarks: Sequence[Benchmark],
    *,
    fmt: str = "native",
    backend: str = "hf",
    backend_options: dict[str, Any] | None = None,
    decoding: Any = None,
    cache: Any = None,
    scorers: ScorerPool | None = None,
    items_dir: str | Path | None = None,
    progress: EvalProgress | None = None,
    backend_factory: Callable[[], Any] | None = None,
) -> list[dict[str, Any]]:
    """Generate, judge and measure ``target`` under every template on every benchmark; returns metric rows.

    ``items_dir`` receives ``<template>/<benchmark>.jsonl`` per-item files. ``backend_factory`` overrides how the
    backend is built (tests, or callers that already hold a backend).
    """
    from ptst.cache import Cache
    from ptst.generate.base import Decoding, generate_cached

    if fmt == "openai" and not backend_class(backend).chat_messages:
        raise PtstError("the openai format (chat messages) needs the openai backend")
    decoding = decoding or Decoding()
    cache = cache or Cache.default()
    own_scorers = scorers is None
    scorers = scorers or ScorerPool()
    tokenizer = None
    if fmt == "native":
        from ptst.models import load_tokenizer

        tokenizer = load_tokenizer(target.model)

    # the backend is built on first use: by an attack that needs the model (GCG), else by the generation
    held: list[Any] = []

    def backend_once() -> Any:
        if not held:
            held.append(backend_factory() if backend_factory else make_backend(target, backend, backend_options))
        return held[0]

    # loglikelihoods (multiple-choice benchmarks) come from a local transformers model: the hf backend's own, else
    # one loaded for them alone (a vllm study: the model is loaded beside the server; docs/lmeval.md)
    scoring_held: list[Any] = []

    def scoring_once() -> Any:
        if backend == "hf":
            return backend_once()
        if not scoring_held:
            keep = ("dtype", "device", "trust_remote_code", "allow_pickle")
            scoring_held.append(make_backend(target, "hf", {k: v for k, v in (backend_options or {}).items()
                                                            if k in keep}))
        return scoring_held[0]

    judged: dict[tuple[str, str], list[dict[str, Any]]] = {}
    # 1. prompts, grouped by decoding so each group is one cached generation call; an attacked benchmark's come
    # from its attack under the same template, with the answer prefix it forces (judged as part of the response)
    groups: "OrderedDict[Any, list[tuple[str, str, int]]]" = OrderedDict()
    prompts: dict[tuple[str, str], list] = {}
    prefills: dict[tuple[str, str], list[str]] = {}
    if fmt == "openai" and any(b.model_scored for b in benchmarks):
        raise PtstError("multiple-choice benchmarks are scored from a local model's loglikelihoods, which the openai "
                        "format (chat messages to an API) cannot give")
    try:
        for t in templates:
            for b in benchmarks:
                if b.model_scored:
                    continue  # scored from loglikelihoods below, not generated
                if b.attack is None:
                    prompts[(t, b.label)] = render_prompts(t, b.records, fmt, tokenizer)
                else:
                    from ptst.templates import get_template

                    pairs = b.attack.attacked_prompts(get_template(t), b.records, fmt, tokenizer, backend_once, cache)
                    prompts[(t, b.label)] = [p for p, _ in pairs]
                    prefills[(t, b.label)] = [pre for _, pre in pairs]
                dec = decoding if b.max_new_tokens is None else _with_max_new_tokens(decoding, b.max_new_tokens)
                groups.setdefault(dec, []).extend((t, b.label, i) for i in range(len(b.records)))

        # 2. generation
        responses: dict[tuple[str, str], list[str]] = {k: [""] * len(v) for k, v in prompts.items()}
        for dec, slots in groups.items():
            batch = [prompts[(t, lb)][i] for t, lb, i in slots]
            be = backend_once()
            cb = (lambda d, n: progress("generate", d, n)) if progress else None
            texts = generate_cached(be, batch, dec, cache=cache, progress=cb)
            for (t, lb, i), text in zip(slots, texts):
                responses[(t, lb)][i] = prefills[(t, lb)][i] + text if (t, lb) in prefills else text

        # 2b. multiple-choice benchmarks: scored by their scorer from the model's loglikelihoods, per template
        for b in benchmarks:
            if b.model_scored:
                for t in templates:
                    judged[(t, b.label)] = _score_by_model(b, t, fmt, tokenizer, scoring_once, cache, scorers,
                                                           progress)
    finally:
        for h in (*held, *scoring_held):
            h.close()

    # 3. judging (one cached call per benchmark and judge, over all templates)
    try:
        for b in benchmarks:
            if b.model_scored:
                continue
            rows = []
            for t in templates:
                for r, p, resp in zip(b.records, prompts[(t, b.label)], responses[(t, b.label)]):
                    rows.append(item_row(r, p, resp))
            for j in b.judges:
                scorer = scorers.get(j)
                cb = (lambda d, n, j=j: progress(f"judge {j}", d, n)) if progress else None
                scored = _score(scorer, rows, cache, cb)
                for row, s in zip(rows, scored):
                    row["judges"][j] = {k: v for k, v in s.items() if k not in _ITEM_FIELDS}
            per = len(b.records)
            for ti, t in enumerate(templates):
                judged[(t, b.label)] = rows[ti * per:(ti + 1) * per]
    finally:
        if own_scorers:
            scorers.close()

    # 4. per-item files, 5. metrics
    out: list[dict[str, Any]] = []
    for t in templates:
        for b in benchmarks:
            rows = judged[(t, b.label)]
            if items_dir is not None:
                write_jsonl(Path(items_dir) / slug(t) / f"{slug(b.label)}.jsonl", rows)
            for m in benchmark_metrics(b, rows):
                out.append({"test_template": t, "benchmark": b.label, "kind": b.kind, **m})
    return out


_ITEM_FIELDS = ("id", "category", "instruction", "reference", "prompt", "response", "judges")


def _score_by_model(b: Benchmark, template_name: str, fmt: str, tokenizer: Any, backend_once: Callable[[], Any],
                    cache: Any, scorers: "ScorerPool", progress: EvalProgress | None) -> list[dict[str, Any]]:
    """Item rows of a multiple-choice benchmark under one template: each judge (``lmeval``) runs its harness on
    the model's cached loglikelihoods, with every context rendered by the template; ``prompt`` is that rendered
    context, ``response`` the chosen answer's text."""
    from ptst.generate.loglikelihood import loglikelihoods
    from ptst.templates import get_template

    tpl = get_template(template_name)

    def render(query: str) -> str:
        return tpl.render(query, fmt, tokenizer=tokenizer)  # type: ignore[return-value]

    rows = [item_row(r, None, "") for r in b.records]
    for j in b.judges:
        def loglik(pairs: list[tuple[str, str]], j: str = j) -> list[tuple[float, bool]]:
            cb = (lambda d, n: progress(f"score {j} {b.label}", d, n)) if progress else None
            return loglikelihoods(backend_once(), pairs, cache, progress=cb)

        fields = scorers.get(j).score_model(loglik, render, b.records)
        for row, f in zip(rows, fields):
            row["prompt"] = f.pop("context", row["prompt"])
            row["response"] = f.pop("choice", row["response"])
            row["judges"][j] = f
    return rows


def item_row(record: Any, prompt: Any, response: str) -> dict[str, Any]:
    return {
        "id": record.id,
        "category": record.category,
        "instruction": record.instruction,
        "reference": record.reference,
        "prompt": prompt,
        "response": response,
        "judges": {},
    }


def _score(scorer: Any, rows: list[dict[str, Any]], cache: Any, progress: Any) -> list[dict[str, Any]]:
    from ptst.judges import score_cached

    flat = [{k: v for k, v in r.items() if k != "judges" and (v is not None or k in scorer.inputs)} for r in rows]
    for r in flat:
        if r.get("reference") is None:
            r.pop("reference", None)
    return score_cached(scorer, flat, cache=cache, progress=progress)


def _with_max_new_tokens(decoding: Any, n: int) -> Any:
    import dataclasses

    return dataclasses.replace(decoding, max_new_tokens=n)


# ---- metrics --------------------------------------------------------------------------------------------------


def benchmark_metrics(b: Benchmark, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Metric rows for one (template, benchmark): per judge, overall (``category='all'``) and per category
    (:func:`ptst.metrics.judge_rows`)."""
    return [m.as_dict() for m in judge_rows(rows, b.kind, b.judges)]


# ---- one-model evaluation with files (``ptst eval``) ------------------------------------------------------------


def run_eval(
    out_dir: str | Path,
    target: EvalTarget,
    templates: Sequence[str],
    benchmarks: Sequence[Benchmark],
    *,
    fmt: str = "native",
    backend: str = "hf",
    backend_options: dict[str, Any] | None = None,
    decoding: Any = None,
    cache_path: str | Path | None = None,
    judge_options: dict[str, dict[str, Any]] | None = None,
    progress: EvalProgress | None = None,
) -> dict[str, Any]:
    """Evaluate one model and write ``DIR/summary.json`` and ``DIR/items/<template>/<benchmark>.jsonl``."""
    import time

    from ptst.cache import Cache
    from ptst.generate.base import Decoding
    from ptst.io import atomic_write_json

    out = Path(out_dir)
    decoding = decoding or Decoding()
    cache = Cache(cache_path) if cache_path else Cache.default()
    scorers = ScorerPool(judge_options)
    t0 = time.monotonic()
    try:
        metrics = evaluate(target, templates, benchmarks, fmt=fmt, backend=backend, backend_options=backend_options,
                           decoding=decoding, cache=cache, scorers=scorers, items_dir=out / "items", progress=progress)
    finally:
        scorers.close()
        counters = {k: v.as_dict() for k, v in cache.counters.items()}
        cache.close()
    summary = {
        "model": target.model,
        "adapter": target.adapter,
        "format": fmt,
        "backend": backend,
        "templates": list(templates),
        "decoding": decoding.key() | {"seed": decoding.seed},
        "benchmarks": {b.label: {"dataset": b.dataset, "kind": b.kind, "items": len(b.records), "judges": b.judges}
                       for b in benchmarks},
        "metrics": metrics,
        "cache": counters,
        "seconds": round(time.monotonic() - t0, 2),
    }
    atomic_write_json(out / "summary.json", summary)
    return summary


def format_metrics(metrics: Sequence[dict[str, Any]]) -> str:
    """A readable table of the overall metric rows (per-category rows are in summary.json)."""
    lines = [f"{'template':<18} {'benchmark':<22} {'judge':<10} {'metric':<14} {'value':>7}  {'95% interval':<17} n"]
    for m in metrics:
        if m["category"] != "all" or m["metric"] in ("parse_failures", "no_answer") or m["value"] is None:
            continue
        if m["metric"] in ("agreement", "kappa"):
            val, iv = f"{m['value']:.3f}", ""
        elif m["metric"] == "mean_score":
            val, iv = f"{m['value']:.2f}", f"[{m['lo']:.2f}, {m['hi']:.2f}]"
        else:
            val, iv = f"{100 * m['value']:.1f}%", f"[{100 * m['lo']:.1f}, {100 * m['hi']:.1f}]"
        lines.append(f"{m['test_template']:<18} {m['benchmark']:<22} {m['judge']:<10} {m['metric']:<14} {val:>7}  "
                     f"{iv:<17} {m['n']}")
    return "\n".join(lines)
