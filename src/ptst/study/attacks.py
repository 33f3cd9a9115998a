"""The ``attacks:`` section of a study spec: its schema, its meaning check, the attacked benchmarks it adds, and
what they cost (for ``ptst run --dry-run``).

Each entry attacks some of the spec's benchmarks (``benchmarks``: their names; default every safety benchmark).
An attacked benchmark is labelled ``BENCHMARK+ATTACK`` (``jbb-harmful+gcg``) and is evaluated on every model
under every test template, judged by the benchmark's own judges, and reported like any other benchmark::

    attacks:
      - {kind: prefill, prefix: "{target}"}          # the record's own target, else "Sure, here is"
      - {kind: gcg, steps: 250, search_width: 512, topk: 256, requests: 100, benchmarks: [jbb-harmful]}
"""

from __future__ import annotations

import importlib.util
from typing import Any

from ptst.study.attack_spec import AttackSpec
from ptst.study.spec import StudySpec, benchmark_judges, benchmark_kind, field_error

#: a rough per-step cost of GCG on a 7B model on one A100/H100-class GPU at search width 512 (nanoGCG's order of
#: magnitude: forward passes of 512 candidates plus one gradient); not measured by ptst, shown as an estimate
GCG_SECONDS_PER_STEP_7B = 2.0


_PREFILL_ONLY = ("prefix",)
_GCG_ONLY = ("steps", "search_width", "topk", "suffix_init", "target", "seed")


_err = field_error


def attack_targets(spec: StudySpec, a: AttackSpec) -> list[Any]:
    """The benchmark specs an attack applies to."""
    if a.benchmarks is not None:
        by_label = {b.label: b for b in spec.evaluate.benchmarks}
        return [by_label[x] for x in a.benchmarks]
    return [b for b in spec.evaluate.benchmarks if benchmark_kind(b) == "safety"]


def check_attacks(spec: StudySpec) -> None:
    """The meaning of the ``attacks:`` entries, each problem one line naming the field."""
    labels = {b.label for b in spec.evaluate.benchmarks}
    seen: set[str] = set()
    for i, a in enumerate(spec.attacks):
        where = f"attacks.{i}"
        if a.label in seen:
            raise _err(spec, f"{where}.name", f"attack name {a.label!r} is used twice; give each a distinct name")
        seen.add(a.label)
        wrong = _GCG_ONLY if a.kind == "prefill" else _PREFILL_ONLY
        for k in wrong:
            if getattr(a, k) is not None:
                raise _err(spec, f"{where}.{k}", f"not an option of a {a.kind} attack")
        for j, b in enumerate(a.benchmarks or []):
            if b not in labels:
                raise _err(spec, f"{where}.benchmarks.{j}", f"no benchmark named {b!r} in evaluate.benchmarks")
            if f"{b}+{a.label}" in labels:
                raise _err(spec, f"{where}.name", f"{b}+{a.label} is already a benchmark name")
        if not attack_targets(spec, a):
            raise _err(spec, f"{where}.benchmarks", "no safety benchmark to attack; name the benchmarks")
        if spec.format == "openai":
            raise _err(spec, f"{where}.kind", f"a {a.kind} attack needs a string prompt format (llama2 or native), "
                       "not openai chat messages")
        if a.kind == "gcg":
            if spec.evaluate.backend != "hf":
                raise _err(spec, f"{where}.kind", "GCG needs the model's gradients: use evaluate.backend hf")
            if importlib.util.find_spec("nanogcg") is None:  # (found, not imported: it imports torch)
                raise _err(spec, f"{where}.kind", "GCG needs nanogcg: pip install 'ptst[attacks]'")
        a.build()


def attacked_benchmarks(spec: StudySpec, benchmarks: list[Any]) -> list[Any]:
    """The attacked copies of the loaded benchmarks (``ptst.evaluate.Benchmark``), one per attack and target."""
    from ptst.evaluate import Benchmark

    by_label = {b.label: b for b in benchmarks}
    out = []
    for a in spec.attacks:
        attack = a.build()
        for bs in attack_targets(spec, a):
            b = by_label[bs.label]
            out.append(Benchmark(attack.label(b.label), b.dataset, b.kind, list(b.judges), attack.select(b.records),
                                 b.max_new_tokens, attack=attack))
    return out


def count_attacks(spec: StudySpec, items_of: dict[str, int | None], models: int | None) -> tuple[list[dict], list[str]]:
    """(benchmark rows for the dry run, notes): the attacked benchmarks' items and generations, and GCG's cost
    (candidate evaluations and an estimated GPU time) per model and test template."""
    rows, notes = [], []
    n_templates = len(spec.evaluate.templates)
    for a in spec.attacks:
        attack = a.build()
        for bs in attack_targets(spec, a):
            n = items_of.get(bs.label)
            if n is not None and attack.requests is not None:
                n = min(n, attack.requests)
            gens = n * n_templates * models if (n is not None and models is not None) else None
            rows.append({"benchmark": attack.label(bs.label), "dataset": bs.dataset, "kind": "safety", "items": n,
                         "counted": f"{a.kind} attack", "generations": gens, "judges": benchmark_judges(spec, bs),
                         "max_new_tokens": bs.max_new_tokens or spec.evaluate.decoding.max_new_tokens})
            if a.kind == "gcg" and gens is not None:
                steps, width = attack.steps, attack.search_width  # type: ignore[attr-defined]
                hours = gens * steps * GCG_SECONDS_PER_STEP_7B * width / 512 / 3600
                notes.append(f"{attack.label(bs.label)}: {gens} GCG optimisations (one per item, model and test "
                             f"template) x {steps} steps x {width} candidates = {gens * steps * width:,} candidate "
                             f"forward passes; about {hours:,.1f} GPU-hours for a 7B model on one A100/H100 "
                             f"(estimate at ~{GCG_SECONDS_PER_STEP_7B:g} s per step at width 512, not measured)")
    return rows, notes


__all__ = ["AttackSpec", "attack_targets", "attacked_benchmarks", "check_attacks", "count_attacks"]
