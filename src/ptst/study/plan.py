"""The plan of a study: which fine-tunings run, what each evaluates, and what it all costs.

:func:`build_plan` expands a spec into training runs (one per training template x seed x mixing setting), each
with a stable id that includes a hash of everything its weights depend on, so changing a setting trains anew
while a rerun finds its finished runs. :func:`count_plan` counts trainings, training examples and steps,
generations per benchmark, judge calls per judge and the estimated cost of API judges, for ``ptst run --dry-run``.

Counting never downloads anything: built-in and local datasets are read (they are small and local), public
datasets that would come from the network are counted from their published sizes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ptst.align import AlignConfig, recipe_fingerprint, recipe_overrides
from ptst.data import resolve
from ptst.errors import PtstError
from ptst.evaluate import load_records, select_records
from ptst.io import slug, stable_hash
from ptst.judges.base import JudgePrice, scorer_class
from ptst.study.attacks import count_attacks
from ptst.study.spec import BenchmarkSpec, StudySpec, benchmark_judges, benchmark_kind, dataset_for_loading
from ptst.train.backends import TrainJob, get_train_backend

@dataclass(frozen=True)
class TrainRun:
    """One fine-tuning of the study."""

    run_id: str
    template: str
    seed: int
    mixing: bool
    settings: dict[str, Any] = field(compare=False, hash=False)

    @property
    def label(self) -> str:
        return f"{self.template} seed={self.seed} mixing={'on' if self.mixing else 'off'}"


@dataclass
class Plan:
    spec: StudySpec
    trainings: list[TrainRun]


def run_settings(spec: StudySpec, template: str, seed: int, mixing: bool) -> dict[str, Any]:
    """Everything a training run's weights depend on (hashed into its id)."""
    tr = spec.train
    assert tr is not None
    return {
        "backend": tr.backend,
        "model": spec.model,
        "align": _align_setting(spec.align, spec.model),
        "format": spec.format,
        "dataset": tr.dataset,
        "dataset_path": spec.resolve_path(tr.path),
        "split": tr.split,
        "columns": tr.columns,
        "limit": tr.limit,
        "template": template,
        "seed": seed,
        "safety_data": tr.safety_dataset if mixing else None,
        "safety_path": spec.resolve_path(tr.safety_path) if mixing else None,
        "safety_n": tr.safety_n if mixing else 0,
        "preset": tr.preset,
        "config": tr.config,
        "openai": tr.openai,
        "checkpoints": tr.checkpoints,
    }


def train_job(spec: StudySpec, run: TrainRun, base: str, output_dir: Path | str) -> TrainJob:
    """What the run's training backend is asked to do (``base``: the model the run starts from)."""
    s = run.settings
    tr = spec.train
    assert tr is not None
    return TrainJob(
        model=base, dataset=s["dataset"], template=run.template, format=spec.format, seed=run.seed,
        output_dir=Path(output_dir), dataset_path=s["dataset_path"], split=tr.split, columns=tr.columns,
        limit=tr.limit, safety_data=s["safety_data"], safety_path=s["safety_path"], safety_n=s["safety_n"],
        templates_file=spec.resolve_path(spec.templates_file), preset=tr.preset, checkpoints=tr.checkpoints,
        options=dict(getattr(tr, get_train_backend(tr.backend).options_key)), source=spec.source,
    )


def _align_setting(align: bool | dict[str, Any], model: str) -> bool | str:
    """What of the spec's ``align`` changes the base weights: False, or the fingerprint of the whole alignment recipe,
    defaults and training data included (a new default in ``ptst align`` gives new run ids instead of reusing runs
    trained from other weights; measurement options like ``measure``/``eval_limit`` leave the ids unchanged). The
    base model is in the run settings already (by name)."""
    if align is False:
        return False
    overrides = recipe_overrides(align if isinstance(align, dict) else {})
    return recipe_fingerprint(AlignConfig(base_model=model, **overrides))


def run_id(template: str, seed: int, mixing: bool, settings: dict[str, Any]) -> str:
    return f"{slug(template)}_s{seed}_mix{int(mixing)}_{stable_hash(settings)[:8]}"


def build_plan(spec: StudySpec) -> Plan:
    runs: list[TrainRun] = []
    if spec.train is not None:
        for template in spec.train.templates:
            for seed in spec.train.seeds:
                for mixing in spec.train.safety_mixing:
                    s = run_settings(spec, template, seed, mixing)
                    runs.append(TrainRun(run_id(template, seed, mixing, s), template, seed, mixing, s))
    return Plan(spec, runs)


# ---- counting ---------------------------------------------------------------------------------------------------


def count_dataset(spec: StudySpec, name: str, split: str | None = None, path: str | None = None,
                  columns: dict[str, str] | None = None, limit: int | None = None,
                  per_category_limit: int | None = None) -> tuple[int | None, str]:
    """(number of items, how it was counted) without touching the network: a set that can be read offline
    (shipped, a local file, a local copy given or found) is read and counted; a network set is counted from the
    published size its source records."""
    ref = resolve(name, split)
    if ref.readable_offline(path):
        records = load_records(dataset_for_loading(spec, name), spec.resolve_path(path), split, columns)
        return len(select_records(records, limit, per_category_limit)), "counted"
    assert ref.source is not None  # a local file is always readable offline
    total = ref.source.size(ref.split)
    if total is None:
        return limit, "limit (size unknown offline)" if limit else "unknown offline"
    if per_category_limit is not None:
        cats = ref.source.category_sizes(ref.split)
        total = sum(min(c, per_category_limit) for c in cats.values()) if cats else min(total, per_category_limit)
    return (min(total, limit) if limit else total), "published size"


@dataclass
class TrainCount:
    runs: int
    examples: int | None
    epochs: float | None
    steps_per_run: int | None
    checkpoints_per_run: int | None
    backend: str


@dataclass
class PlanCounts:
    trainings: TrainCount | None
    models: int | None
    benchmarks: list[dict[str, Any]]
    generations: int | None
    judge_calls: dict[str, int | None]
    judge_cost_usd: dict[str, float | None]
    notes: list[str]

    def as_dict(self) -> dict[str, Any]:
        import dataclasses

        return dataclasses.asdict(self)


def _train_numbers(spec: StudySpec) -> dict[str, Any]:
    """epochs, effective batch, save_steps, max_steps of the training (None where unknown), from its backend."""
    tr = spec.train
    assert tr is not None
    backend = get_train_backend(tr.backend)
    return backend.schedule(getattr(tr, backend.options_key), tr.preset)


def count_plan(plan: Plan) -> PlanCounts:
    spec = plan.spec
    notes: list[str] = []
    tc = None
    models: int | None = 1 if spec.evaluate.baseline else 0
    if spec.train is not None:
        tr = spec.train
        n_train, how = count_dataset(spec, tr.dataset, tr.split, tr.path, tr.columns, tr.limit)
        if how != "counted":
            notes.append(f"training set {tr.dataset}: {how}")
        nums = _train_numbers(spec)
        epochs, batch = nums["epochs"], nums["batch"]
        examples = n_train
        if any(tr.safety_mixing):
            n_safe, how_s = count_dataset(spec, tr.safety_dataset, None, tr.safety_path)
            if tr.safety_n and n_safe is not None:
                n_safe = min(n_safe, tr.safety_n)
            notes.append(f"runs with mixing add {n_safe} safety examples ({tr.safety_dataset}, {how_s})")
        steps = None
        if examples and epochs and batch:
            steps = math.ceil(epochs * math.ceil(examples / batch))
        if nums["max_steps"]:
            steps = min(steps, nums["max_steps"]) if steps else nums["max_steps"]
        if tr.checkpoints == "final":
            ckpts: int | None = 1
        elif tr.checkpoints == "every_epoch":
            ckpts = math.ceil(epochs) if epochs else None
        else:
            ckpts = (steps // nums["save_steps"] + (steps % nums["save_steps"] > 0)) if steps and nums["save_steps"] \
                else (math.ceil(epochs) if epochs else None)
        tc = TrainCount(len(plan.trainings), examples, epochs, steps, ckpts, tr.backend)
        models = None if ckpts is None or models is None else models + len(plan.trainings) * ckpts
    n_templates = len(spec.evaluate.templates)
    benches = []
    judge_calls: dict[str, int | None] = {}
    judge_tokens: dict[str, list[tuple[int, int]]] = {}
    total_gen: int | None = 0
    for b in spec.evaluate.benchmarks:
        n, how = count_dataset(spec, b.dataset, b.split, b.path, b.columns, b.limit, b.per_category_limit)
        gens = n * n_templates * models if (n is not None and models is not None) else None
        judges = benchmark_judges(spec, b)
        scored = gens  # items judged: one per generation, or per item and template of a multiple-choice set
        if judges and all(getattr(scorer_class(j), "needs_model", False) for j in judges):
            gens = 0
            notes.append(f"{b.label}: multiple-choice, no generation: {scored if scored is not None else '?'} items "
                         "scored by lm-evaluation-harness from the model's loglikelihoods (one forward pass per "
                         "answer choice)")
        benches.append({"benchmark": b.label, "dataset": b.dataset, "kind": benchmark_kind(b), "items": n,
                        "counted": how, "generations": gens, "judges": judges,
                        "max_new_tokens": b.max_new_tokens or spec.evaluate.decoding.max_new_tokens})
        total_gen = None if (total_gen is None or gens is None) else total_gen + gens
        for j in judges:
            prev = judge_calls.get(j, 0)
            judge_calls[j] = None if (prev is None or scored is None) else prev + scored
            judge_tokens.setdefault(j, []).append((gens or 0, b.max_new_tokens or spec.evaluate.decoding.max_new_tokens))
    attack_rows, attack_notes = count_attacks(spec, {b["benchmark"]: b["items"] for b in benches}, models)
    for r in attack_rows:  # attacked benchmarks are generated and judged like any other
        benches.append(r)
        gens = r["generations"]
        total_gen = None if (total_gen is None or gens is None) else total_gen + gens
        for j in r["judges"]:
            prev = judge_calls.get(j, 0)
            judge_calls[j] = None if (prev is None or gens is None) else prev + gens
            judge_tokens.setdefault(j, []).append((gens or 0, r["max_new_tokens"]))
    notes += attack_notes
    cost: dict[str, float | None] = {}
    for j, calls in judge_calls.items():
        api, price = _price(spec, j)
        if not api:
            continue
        if calls is None or price is None:
            cost[j] = None
            continue
        cost[j] = round(price.cost(judge_tokens[j]), 2)
        notes.append(f"{j} cost: at most, assuming every response uses its full max_new_tokens "
                     f"(${price.input_per_mtok:g}/${price.output_per_mtok:g} per M input/output tokens)")
    return PlanCounts(tc, models, benches, total_gen, judge_calls, cost, notes)


def _price(spec: StudySpec, judge: str) -> tuple[bool, JudgePrice | None]:
    """(whether the judge's calls cost money, their price: None if unknown). The spec's ``judge_pricing`` comes
    first; else the judge prices itself from its options (the rubric judge: ``prices``, or its list prices)."""
    cls = scorer_class(judge)
    p = spec.evaluate.judge_pricing.get(judge)
    if p is not None:
        tokens = cls.prompt_tokens if p.prompt_tokens is None else p.prompt_tokens
        return True, JudgePrice(p.input_per_mtok, p.output_per_mtok, tokens, p.output_tokens)
    if not cls.needs_api:
        return False, None
    return True, cls.price(spec.evaluate.judge_options.get(judge, {}))


def _n(k: float, noun: str) -> str:
    return f"{k:g} {noun}{'' if k == 1 else 's'}"


def format_plan(plan: Plan, counts: PlanCounts) -> str:
    """The dry-run text: what would run and how much of it."""
    spec = plan.spec
    lines = [f"study {spec.name}: {spec.description}".rstrip(": ")]
    base = f"{spec.model} (aligned with ptst align)" if spec.align else spec.model
    lines.append(f"  base model: {base}; format: {spec.format}")
    if spec.hardware:
        lines.append(f"  hardware: {spec.hardware}")
    tc = counts.trainings
    if tc is None:
        lines.append("  trainings: none (evaluation only)")
    else:
        tr = spec.train
        assert tr is not None
        per = f"{tc.examples} examples" if tc.examples is not None else "? examples"
        lines.append(
            f"  trainings: {tc.runs} ({tc.backend}; {_n(len(tr.templates), 'template')} x "
            f"{_n(len(tr.seeds), 'seed')} x {_n(len(tr.safety_mixing), 'mixing setting')}) on {tr.dataset}: {per}, "
            f"{_n(tc.epochs, 'epoch') if tc.epochs else '? epochs'}, "
            f"{tc.steps_per_run if tc.steps_per_run is not None else '?'} steps each; "
            f"{tc.checkpoints_per_run or '?'} checkpoint(s) evaluated per run ({tr.checkpoints})"
        )
        for r in plan.trainings:
            lines.append(f"    - {r.run_id}: {r.label}")
    lines.append(f"  models evaluated: {counts.models if counts.models is not None else '?'}"
                 f"{' (incl. the un-fine-tuned baseline)' if spec.evaluate.baseline else ''}; "
                 f"test templates: {', '.join(spec.evaluate.templates)}")
    dec = spec.evaluate.decoding
    lines.append(f"  decoding: {'greedy' if dec.temperature == 0 else f'temperature {dec.temperature}'}, "
                 f"max {dec.max_new_tokens} new tokens; backend: {spec.evaluate.backend}")
    lines.append("  generations:")
    for b in counts.benchmarks:
        items = b["items"] if b["items"] is not None else "?"
        gens = b["generations"] if b["generations"] is not None else "?"
        lines.append(f"    - {b['benchmark']} ({b['kind']}, {items} items, {b['counted']}): {gens} "
                     f"[judges: {', '.join(b['judges'])}]")
    lines.append(f"    total: {counts.generations if counts.generations is not None else '?'}")
    lines.append("  judge calls:")
    for j, n in counts.judge_calls.items():
        cost = counts.judge_cost_usd.get(j)
        extra = f", estimated cost <= ${cost:,.2f}" if cost is not None else (
            ", cost unknown" if j in counts.judge_cost_usd else "")
        lines.append(f"    - {j}: {n if n is not None else '?'}{extra}")
    for n in counts.notes:
        lines.append(f"  note: {n}")
    return "\n".join(lines)
