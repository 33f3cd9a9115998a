"""The study spec: one YAML file describing a whole train x test template study.

Loading is two passes, both ending in one-line :class:`~ptst.errors.PtstError` messages that name the file and the
field (``spec.yaml: field 'train.templates.1': unknown template 'chat:foo'``):

1. shape: pydantic models with ``extra="forbid"`` catch wrong types, missing fields and unknown keys;
2. meaning: :func:`check_spec` checks every template, dataset, judge and backend name against the registries, and
   that the combination makes sense (the ``openai`` format needs the ``openai`` generation backend...).

Neither pass loads a model, downloads anything or touches the network, so ``ptst run --dry-run`` and
``ptst run --validate`` work offline for every preset.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ptst.config import load_yaml, validate
from ptst.errors import PtstError

NAME_RE = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
# Option names that would hold a secret; secrets come from the environment (``*_env``) or a named file (``*_file``).
_SECRET_RE = re.compile(r"(^|_)(api_?key|key|secret|password|token|authorization)$", re.IGNORECASE)
# TrainConfig fields the study sets itself, per run; a spec must not override them in ``train.config``.
STUDY_OWNED_TRAIN_FIELDS = ("model", "dataset", "dataset_path", "template", "format", "output_dir", "seed",
                            "safety_data", "safety_n")
CHECKPOINT_CHOICES = ("final", "every_epoch", "every_save")
BENCHMARK_KINDS = ("safety", "benign", "helpfulness")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DecodingSpec(_Strict):
    """Decoding at evaluation; the paper's default is greedy with at most 512 new tokens."""

    max_new_tokens: int = Field(512, ge=1)
    temperature: float = Field(0.0, ge=0)
    top_p: float = Field(1.0, gt=0, le=1)
    seed: int = 42


class BenchmarkSpec(_Strict):
    """One evaluation set and the judges or scorers applied to it."""

    dataset: str
    name: str | None = Field(None, pattern=NAME_RE, description="label in results (default: the dataset name)")
    path: str | None = None
    split: str | None = None
    columns: dict[str, str] | None = None
    limit: int | None = Field(None, ge=1)
    per_category_limit: int | None = Field(None, ge=1)
    kind: Literal["safety", "benign", "helpfulness"] | None = None
    judges: list[str] | None = None
    max_new_tokens: int | None = Field(None, ge=1)

    @property
    def label(self) -> str:
        return self.name or self.dataset


class PriceSpec(_Strict):
    """What one API judge call costs, for the dry-run estimate (USD per million tokens)."""

    input_per_mtok: float = Field(ge=0)
    output_per_mtok: float = Field(ge=0)
    prompt_tokens: int | None = Field(None, ge=0, description="tokens of the judge prompt around each item")
    output_tokens: int = Field(64, ge=0)


class EvalSpec(_Strict):
    templates: list[str] = Field(min_length=1)
    baseline: bool = True
    backend: str = "hf"
    backend_options: dict[str, Any] = {}
    decoding: DecodingSpec = DecodingSpec()
    judges: list[str] = ["keyword"]
    helpfulness_judges: list[str] | None = None
    judge_options: dict[str, dict[str, Any]] = {}
    judge_pricing: dict[str, PriceSpec] = {}
    benchmarks: list[BenchmarkSpec] = Field(min_length=1)


class TrainSpec(_Strict):
    backend: Literal["hf", "openai"] = "hf"
    dataset: str
    path: str | None = None
    split: str | None = None
    columns: dict[str, str] | None = None
    limit: int | None = Field(None, ge=1)
    templates: list[str] = Field(min_length=1)
    seeds: list[int] = Field([0], min_length=1)
    safety_mixing: list[bool] = Field([False], min_length=1)
    safety_dataset: str = "safety-tuned-llamas"
    safety_path: str | None = None
    safety_n: int = Field(0, ge=0, description="safety examples mixed in when mixing is on (0 = all)")
    preset: str | None = None
    config: dict[str, Any] = {}
    openai: dict[str, Any] = {}
    checkpoints: Literal["final", "every_epoch", "every_save"] = "final"

    @field_validator("seeds", "safety_mixing", "templates")
    @classmethod
    def _unique(cls, v: list) -> list:
        if len(set(v)) != len(v):
            raise ValueError("entries must be unique")
        return v


class PublishedNumber(_Strict):
    """A number from the paper, shown next to the measured one in the report."""

    train_template: str
    test_template: str
    benchmark: str
    metric: str
    value: float
    judge: str | None = None
    stage: Literal["before", "after"] = "after"
    note: str = ""


class StudySpec(_Strict):
    name: str = Field(pattern=NAME_RE)
    description: str = ""
    hardware: str = ""
    model: str = "smollm2-135m"
    align: bool | dict[str, Any] = Field(
        default=False, description="true: start from `ptst align`'s aligned model; a mapping: the same, with "
        "AlignConfig fields overridden (e.g. {eval_limit: 24})")
    format: Literal["llama2", "native", "openai"] = "native"
    templates_file: str | None = None
    train: TrainSpec | None = None
    evaluate: EvalSpec
    published: list[PublishedNumber] = []

    # set by load_spec: the directory relative paths are resolved against, and where the spec came from
    _base_dir: Path = Path(".")
    _source: str = "spec"

    @property
    def base_dir(self) -> Path:
        return self._base_dir

    @property
    def source(self) -> str:
        return self._source

    def resolve_path(self, p: str | None) -> str | None:
        """A path from the spec, relative to the spec file's directory."""
        if p is None:
            return None
        q = Path(p).expanduser()
        return str(q if q.is_absolute() else (self._base_dir / q).resolve())

    def to_data(self) -> dict[str, Any]:
        """The spec as plain data (what is saved as ``DIR/spec.yaml`` and hashed)."""
        return self.model_dump(mode="json", exclude_none=False)


# ---- loading ------------------------------------------------------------------------------------------------


def load_spec(path: str | Path, check: bool = True) -> StudySpec:
    """Read, validate and (by default) check a study spec YAML file."""
    path = Path(path)
    data = load_yaml(path)
    if data is not None and not isinstance(data, dict):
        raise PtstError(f"{path}: expected a mapping at the top level, got {type(data).__name__}")
    return spec_from_data(data, source=str(path), base_dir=path.resolve().parent, check=check)


def spec_from_data(data: Any, source: str = "spec", base_dir: str | Path = ".", check: bool = True) -> StudySpec:
    spec = validate(StudySpec, data, source)
    spec._base_dir = Path(base_dir).resolve()
    spec._source = source
    if check:
        check_spec(spec)
    return spec


def builtin_spec_path(name: str = "default") -> Path:
    return Path(__file__).resolve().parent / "builtin" / f"{name}.yaml"


# ---- meaning --------------------------------------------------------------------------------------------------


def _err(spec: StudySpec, field: str, msg: str) -> PtstError:
    return PtstError(f"{spec.source}: field '{field}': {msg}")


def _check_template(spec: StudySpec, name: str, field: str) -> None:
    from ptst.templates import get_template

    try:
        get_template(name)
    except PtstError as e:
        raise _err(spec, field, str(e)) from None


def split_dataset_name(name: str, split: str | None = None) -> tuple[str, str | None]:
    """``(source, split)`` for a dataset name: ``gsm8k:train`` -> (``gsm8k``, ``train``), and registered names that
    contain colons (``builtin:math:test``) kept whole or split at their last colon, whichever is registered."""
    from ptst.data import list_sources

    names = {s.name for s in list_sources()}
    if name in names:
        return name, split
    if ":" in name and split is None:
        for head, tail in (name.split(":", 1), name.rsplit(":", 1)):
            if head in names:
                return head, tail
    return name, split


def is_file_dataset(name: str) -> bool:
    return Path(name).suffix.lower() in (".jsonl", ".json", ".csv", ".tsv")


def check_dataset(spec: StudySpec, name: str, split: str | None, path: str | None, field: str) -> None:
    """A dataset is a registered source (with a known split) or a local data file that exists."""
    from ptst.data import get_source, list_sources

    src_name, sp = split_dataset_name(name, split)
    if src_name in {s.name for s in list_sources()}:
        src = get_source(src_name)
        if sp is not None and src.splits and sp not in src.splits:
            raise _err(spec, field, f"dataset {src_name!r} has no split {sp!r}; choose one of {', '.join(src.splits)}")
        if path is not None and not Path(spec.resolve_path(path)).exists():  # type: ignore[arg-type]
            raise _err(spec, field.rsplit(".", 1)[0] + ".path", f"{path}: file not found")
        return
    if is_file_dataset(name):
        if not Path(spec.resolve_path(name)).exists():  # type: ignore[arg-type]
            raise _err(spec, field, f"{name}: file not found")
        return
    known = ", ".join(sorted(s.name for s in list_sources()))
    raise _err(spec, field, f"unknown dataset {name!r}; known: {known}, or a .jsonl/.json/.csv path")


def scorer_kind(name: str) -> str | None:
    """``safety`` / ``helpfulness`` for a registered scorer, without constructing it (a judge may load a model)."""
    from ptst.judges import base as jb

    jb._load_builtin_scorers()
    cls = jb._SCORERS.get(name)
    return getattr(cls, "kind", None) if cls is not None else None


def _check_judge(spec: StudySpec, name: str, field: str, want: str | None) -> None:
    from ptst.judges import list_scorers

    known = list_scorers()
    if name not in known:
        raise _err(spec, field, f"unknown judge {name!r}; known: {', '.join(known) or '(none installed)'}")
    kind = scorer_kind(name)
    if want is not None and kind is not None and kind != want:
        raise _err(spec, field, f"judge {name!r} is a {kind} scorer, not a {want} one")


def _check_secrets(spec: StudySpec, options: dict[str, Any], field: str) -> None:
    for k, v in options.items():
        if isinstance(v, dict):
            _check_secrets(spec, v, f"{field}.{k}")
        elif _SECRET_RE.search(str(k)):
            raise _err(
                spec, f"{field}.{k}",
                "secrets are never put in a spec; name an environment variable (e.g. api_key_env: OPENAI_API_KEY)",
            )


def source_role(name: str, split: str | None = None) -> str | None:
    """The registered role of a dataset (harmful, benign, math, train, safety), if it is a registered source."""
    from ptst.data import get_source, list_sources

    src_name, _ = split_dataset_name(name, split)
    if src_name in {s.name for s in list_sources()}:
        return get_source(src_name).role
    return None


def benchmark_kind(b: BenchmarkSpec) -> str:
    """``safety`` / ``benign`` / ``helpfulness``: given, else from the dataset's registered role."""
    if b.kind:
        return b.kind
    role = source_role(b.dataset, b.split)
    return {"harmful": "safety", "benign": "benign", "math": "helpfulness"}.get(role or "", "safety")


def default_helpfulness_judges(b: BenchmarkSpec) -> list[str]:
    """The exact-match scorer for a math benchmark: ``math`` for the built-in sets, ``gsm8k`` otherwise."""
    from ptst.judges import list_scorers

    if b.dataset.startswith("builtin") and "math" in list_scorers():
        return ["math"]
    return ["gsm8k"]


def benchmark_judges(spec: StudySpec, b: BenchmarkSpec) -> list[str]:
    """The judges run on a benchmark: its own list, else the study's safety judges or helpfulness scorers."""
    if b.judges is not None:
        return list(b.judges)
    if benchmark_kind(b) == "helpfulness":
        return list(spec.evaluate.helpfulness_judges or default_helpfulness_judges(b))
    return list(spec.evaluate.judges)


def train_config_fields() -> set[str] | None:
    """Field names of ``ptst.train.TrainConfig`` (None while the training module is not installed)."""
    try:
        from ptst.train import TrainConfig
    except ImportError:
        return None
    import dataclasses

    if dataclasses.is_dataclass(TrainConfig):
        return {f.name for f in dataclasses.fields(TrainConfig)}
    fields = getattr(TrainConfig, "model_fields", None)
    return set(fields) if fields is not None else None


def check_spec(spec: StudySpec) -> None:
    """Check every name in the spec against the registries; raise a one-line error naming the field."""
    from ptst.generate.base import list_backends

    if spec.templates_file:
        p = spec.resolve_path(spec.templates_file)
        if not Path(p).exists():  # type: ignore[arg-type]
            raise _err(spec, "templates_file", f"{spec.templates_file}: file not found")
        from ptst.templates import load_templates_file

        load_templates_file(p)  # type: ignore[arg-type]
    ev = spec.evaluate
    for i, t in enumerate(ev.templates):
        _check_template(spec, t, f"evaluate.templates.{i}")
    backends = list_backends()
    if backends and ev.backend not in backends:
        raise _err(spec, "evaluate.backend", f"unknown backend {ev.backend!r}; known: {', '.join(backends)}")
    if spec.format == "openai" and ev.backend != "openai":
        raise _err(spec, "evaluate.backend", "the openai format (chat messages) needs the openai generation backend")
    _check_secrets(spec, ev.backend_options, "evaluate.backend_options")
    _check_secrets(spec, ev.judge_options, "evaluate.judge_options")
    for i, j in enumerate(ev.judges):
        _check_judge(spec, j, f"evaluate.judges.{i}", "safety")
    for i, j in enumerate(ev.helpfulness_judges or []):
        _check_judge(spec, j, f"evaluate.helpfulness_judges.{i}", "helpfulness")
    for name, opts in ev.judge_options.items():
        _check_judge(spec, name, f"evaluate.judge_options.{name}", None)
        if name in ("rubric", "keyword"):  # cheap to build (no model, no network): check the options now
            from ptst.judges import get_scorer

            try:
                get_scorer(name, **opts).close()
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
        for j, name in enumerate(benchmark_judges(spec, b)):
            _check_judge(spec, name, f"{where}.judges.{j}" if b.judges is not None else f"{where}.judges", want)
    if not ev.baseline and spec.train is None:
        raise _err(spec, "evaluate.baseline", "nothing to evaluate: no training and the baseline is off")
    if spec.align and spec.format == "openai":
        raise _err(spec, "align", "alignment makes a local model; it cannot be used with the openai format")
    if isinstance(spec.align, dict):
        from pydantic import ValidationError

        from ptst.align import AlignConfig

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
    for i, p in enumerate(spec.published):
        if p.benchmark not in labels:
            raise _err(spec, f"published.{i}.benchmark", f"no benchmark named {p.benchmark!r} in evaluate.benchmarks")


def _check_train(spec: StudySpec, tr: TrainSpec) -> None:
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
    if spec.evaluate.backend == "openai":
        raise _err(spec, "evaluate.backend", "the openai backend cannot load the LoRA adapters a local fine-tuning "
                   "makes; use backend hf, or serve each checkpoint with `vllm serve --enable-lora` and evaluate it "
                   "with `ptst eval --backend openai`")
    for k in tr.config:
        if k in STUDY_OWNED_TRAIN_FIELDS:
            raise _err(spec, f"train.config.{k}", "set by the study itself for each run; remove it")
    fields = train_config_fields()
    if fields is None:
        return
    for k in tr.config:
        if k not in fields:
            raise _err(spec, f"train.config.{k}", f"unknown training option; known: {', '.join(sorted(fields))}")
    from ptst.train.presets import PRESETS

    if tr.preset is not None and tr.preset not in PRESETS:
        raise _err(spec, "train.preset", f"unknown preset {tr.preset!r}; known: {', '.join(sorted(PRESETS))}")
    check_train_values(spec)


def check_train_values(spec: StudySpec) -> None:
    """Build the first run's TrainConfig (nothing is loaded) so bad option values fail now, naming the field."""
    from pydantic import ValidationError

    from ptst.study.plan import build_plan
    from ptst.study.runner import train_config_values
    from ptst.train import TrainConfig
    from ptst.train.presets import PRESETS

    tr = spec.train
    assert tr is not None
    run = build_plan(spec).trainings[0]
    data = {**(PRESETS[tr.preset] if tr.preset else {}),
            **train_config_values(spec, run, spec.model, "/nonexistent"), **tr.config}
    try:
        TrainConfig.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err.get("loc", ()))
        field = f"train.config.{loc}" if loc in tr.config else ("train" if not loc else f"train ({loc})")
        got = err.get("input")
        got_s = f" (got {got!r})" if loc and not isinstance(got, (dict, list)) else ""
        raise _err(spec, field, f"{err.get('msg', 'invalid value')}{got_s}") from None
