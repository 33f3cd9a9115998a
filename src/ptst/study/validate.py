"""The meaning pass of a study spec: every name checked against the registries, and the combination checked.

:mod:`ptst.study.spec` is the schema (the shape pass: pydantic models with ``extra="forbid"``); this module, beside
the plan, loads a spec and then checks what the shape cannot: every template, dataset, judge and backend name
against the registries, that the combination makes sense (the ``openai`` format needs the ``openai`` generation
backend...), and, by building the first run's training config, that the training options have valid values.
Every error is one :class:`~ptst.errors.PtstError` line that names the file and the field
(``spec.yaml: field 'train.templates.1': unknown template 'chat:foo'``).

Nothing here loads a model, downloads anything or touches the network, so ``ptst run --dry-run`` and
``ptst run --validate`` work offline for every preset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ptst.align import AlignConfig
from ptst.errors import PtstError
from ptst.generate.base import backend_class, list_backends
from ptst.judges import list_scorers
from ptst.judges.base import scorer_class
from ptst.secret_check import find_secret
from ptst.study.attacks import check_attacks
from ptst.study.plan import build_plan, train_job
from ptst.study.spec import (
    STUDY_OWNED_TRAIN_FIELDS,
    StudySpec,
    TrainSpec,
    benchmark_judges,
    benchmark_kind,
    check_dataset,
    field_error,
    parse_spec,
    read_spec,
)
from ptst.templates import get_template, load_templates_file
from ptst.train.backends import get_train_backend, list_train_backends
from ptst.train.presets import PRESETS

_err = field_error


# ---- loading ------------------------------------------------------------------------------------------------


def load_spec(path: str | Path, check: bool = True) -> StudySpec:
    """Read, validate and (by default) check a study spec YAML file."""
    spec = read_spec(path)
    if check:
        check_spec(spec)
    return spec


def spec_from_data(data: Any, source: str = "spec", base_dir: str | Path = ".", check: bool = True) -> StudySpec:
    spec = parse_spec(data, source, base_dir)
    if check:
        check_spec(spec)
    return spec


# ---- meaning --------------------------------------------------------------------------------------------------


def _check_template(spec: StudySpec, name: str, field: str) -> None:
    try:
        get_template(name)
    except PtstError as e:
        raise _err(spec, field, str(e)) from None


def _check_judge(spec: StudySpec, name: str, field: str, want: str | None) -> None:
    known = list_scorers()
    if name not in known:
        raise _err(spec, field, f"unknown judge {name!r}; known: {', '.join(known) or '(none installed)'}")
    kind = scorer_class(name).kind
    if want is not None and kind is not None and kind != want:
        raise _err(spec, field, f"judge {name!r} is a {kind} scorer, not a {want} one")


def _check_secrets(spec: StudySpec, options: Any, field: str) -> None:
    """No secret anywhere in ``options`` (nested mappings and lists; see :mod:`ptst.secret_check`)."""
    found = find_secret(options, field)
    if found:
        raise _err(spec, found[0], found[1])


def _check_local_model(spec: StudySpec) -> None:
    """A model given as a path (``/...``, ``./...``, ``~/...``) must be a directory that exists (a hub id such as
    ``org/name`` or a short name is not checked here: that would need the network or a model build)."""
    m = spec.model
    if m.startswith(("/", "./", "../", "~")) or m in (".", ".."):
        p = Path(spec.resolve_path(m))  # type: ignore[arg-type]
        if not p.is_dir():
            raise _err(spec, "model", f"{m}: no such model directory" + (" (it is a file)" if p.exists() else ""))


def train_config_fields(backend: str = "hf") -> set[str]:
    """The options a training backend takes (for ``hf``: the field names of ``ptst.train.TrainConfig``)."""
    return get_train_backend(backend).option_names()


def check_spec(spec: StudySpec) -> None:
    """Check every name in the spec against the registries; raise a one-line error naming the field."""
    _check_secrets(spec, spec.to_data(), "")  # the whole spec: it is copied into the study folder
    _check_local_model(spec)
    if spec.templates_file:
        p = spec.resolve_path(spec.templates_file)
        if not Path(p).exists():  # type: ignore[arg-type]
            raise _err(spec, "templates_file", f"{spec.templates_file}: file not found")
        load_templates_file(p)  # type: ignore[arg-type]
    ev = spec.evaluate
    for i, t in enumerate(ev.templates):
        _check_template(spec, t, f"evaluate.templates.{i}")
    backends = list_backends()
    if backends and ev.backend not in backends:
        raise _err(spec, "evaluate.backend", f"unknown backend {ev.backend!r}; known: {', '.join(backends)}")
    backend = backend_class(ev.backend)
    if spec.format == "openai" and not backend.chat_messages:
        raise _err(spec, "evaluate.backend", "the openai format (chat messages) needs the openai generation backend")
    known_options = backend.option_names()
    for k in ev.backend_options:
        if k not in known_options:
            raise _err(spec, f"evaluate.backend_options.{k}", f"unknown option of backend {ev.backend}; known: "
                       f"{', '.join(known_options)}")
    _check_secrets(spec, ev.backend_options, "evaluate.backend_options")
    _check_secrets(spec, ev.judge_options, "evaluate.judge_options")
    for i, j in enumerate(ev.judges):
        _check_judge(spec, j, f"evaluate.judges.{i}", "safety")
    for i, j in enumerate(ev.helpfulness_judges or []):
        _check_judge(spec, j, f"evaluate.helpfulness_judges.{i}", "helpfulness")
    for name, opts in ev.judge_options.items():
        _check_judge(spec, name, f"evaluate.judge_options.{name}", None)
        try:
            scorer_class(name).check_options(**opts)
        except (PtstError, TypeError) as e:
            raise _err(spec, f"evaluate.judge_options.{name}", str(e)) from None
    for name in ev.judge_pricing:
        _check_judge(spec, name, f"evaluate.judge_pricing.{name}", None)
    labels: set[str] = set()
    for i, b in enumerate(ev.benchmarks):
        where = f"evaluate.benchmarks.{i}"
        check_dataset(spec, b.dataset, b.split, b.path, f"{where}.dataset")
        if b.label in labels:
            raise _err(spec, f"{where}.name", f"benchmark name {b.label!r} is used twice; give each a distinct name")
        labels.add(b.label)
        kind = benchmark_kind(b)
        want = "helpfulness" if kind == "helpfulness" else "safety"
        judges = benchmark_judges(spec, b)
        for j, name in enumerate(judges):
            _check_judge(spec, name, f"{where}.judges.{j}" if b.judges is not None else f"{where}.judges", want)
        by_model = [bool(getattr(scorer_class(name), "needs_model", False)) for name in judges]
        if any(by_model) and not all(by_model):
            raise _err(spec, f"{where}.judges", f"{', '.join(judges)}: a multiple-choice scorer (scored from the "
                       "model's loglikelihoods, no generation) cannot be mixed with response judges")
        if any(by_model) and (spec.format == "openai" or ev.backend == "openai"):
            raise _err(spec, f"{where}.judges", f"{judges[0]} scores a local model's loglikelihoods, which the "
                       f"{'openai format' if spec.format == 'openai' else 'openai backend'} cannot give")
    if not ev.baseline and spec.train is None:
        raise _err(spec, "evaluate.baseline", "nothing to evaluate: no training and the baseline is off")
    if spec.align and spec.format == "openai":
        raise _err(spec, "align", "alignment makes a local model; it cannot be used with the openai format")
    if isinstance(spec.align, dict):
        if "base_model" in spec.align:
            raise _err(spec, "align.base_model", "the base model is the spec's `model` field; set it there")
        try:
            AlignConfig(**spec.align)
        except ValidationError as e:
            err = e.errors()[0]
            loc = ".".join(str(x) for x in err["loc"])
            msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
            raise _err(spec, f"align.{loc}", msg) from None
    if spec.train is not None:
        _check_train(spec, spec.train)
    check_attacks(spec)
    for i, p in enumerate(spec.published):
        if p.benchmark not in labels:
            raise _err(spec, f"published.{i}.benchmark", f"no benchmark named {p.benchmark!r} in evaluate.benchmarks")


def _check_train(spec: StudySpec, tr: TrainSpec) -> None:
    if tr.backend not in list_train_backends():
        raise _err(spec, "train.backend", f"unknown training backend {tr.backend!r}; known: "
                   f"{', '.join(list_train_backends())}")
    for i, t in enumerate(tr.templates):
        _check_template(spec, t, f"train.templates.{i}")
    check_dataset(spec, tr.dataset, tr.split, tr.path, "train.dataset")
    if any(tr.safety_mixing):
        check_dataset(spec, tr.safety_dataset, None, tr.safety_path, "train.safety_dataset")
    _check_secrets(spec, tr.openai, "train.openai")
    _check_secrets(spec, tr.config, "train.config")
    if tr.backend == "openai":
        if spec.format != "openai":
            raise _err(spec, "train.backend", "OpenAI fine-tuning trains on chat messages: set format: openai")
        if tr.checkpoints != "final":
            raise _err(spec, "train.checkpoints", "OpenAI fine-tuning gives only the final model; use final")
        if tr.config:
            raise _err(spec, "train.config", "hf training options do not apply to OpenAI fine-tuning; use train.openai")
        return
    if tr.openai:
        raise _err(spec, "train.openai", "OpenAI fine-tuning options need train.backend: openai")
    if spec.format == "openai":
        raise _err(spec, "format", "hf training renders strings: use format llama2 or native")
    if not backend_class(spec.evaluate.backend).loads_adapters:
        raise _err(spec, "evaluate.backend", f"the {spec.evaluate.backend} backend cannot load the LoRA adapters a "
                   "local fine-tuning makes; use backend hf, or vllm (ptst starts a vLLM server that serves every "
                   "adapter)")
    problem = backend_class(spec.evaluate.backend).check_training(tr.config)
    if problem:
        raise _err(spec, f"train.config.{problem[0]}", problem[1])
    for k in tr.config:
        if k in STUDY_OWNED_TRAIN_FIELDS:
            raise _err(spec, f"train.config.{k}", "set by the study itself for each run; remove it")
    fields = train_config_fields()
    for k in tr.config:
        if k not in fields:
            raise _err(spec, f"train.config.{k}", f"unknown training option; known: {', '.join(sorted(fields))}")
    if tr.preset is not None and tr.preset not in PRESETS:
        raise _err(spec, "train.preset", f"unknown preset {tr.preset!r}; known: {', '.join(sorted(PRESETS))}")
    check_train_values(spec)


def check_train_values(spec: StudySpec) -> None:
    """Ask the training backend to check the first run's job (nothing is loaded) so bad option values fail now,
    naming the field."""
    tr = spec.train
    assert tr is not None
    run = build_plan(spec).trainings[0]
    try:
        get_train_backend(tr.backend).check(train_job(spec, run, spec.model, "/nonexistent"))
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err.get("loc", ()))
        field = f"train.config.{loc}" if loc in tr.config else ("train" if not loc else f"train ({loc})")
        got = err.get("input")
        got_s = f" (got {got!r})" if loc and not isinstance(got, (dict, list)) else ""
        raise _err(spec, field, f"{err.get('msg', 'invalid value')}{got_s}") from None
