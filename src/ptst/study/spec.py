"""The study spec: one YAML file describing a whole train x test template study (the schema).

This module is the shape pass: pydantic models with ``extra="forbid"`` catch wrong types, missing fields and
unknown keys, in one-line :class:`~ptst.errors.PtstError` messages that name the file and the field. The meaning
pass (every name checked against the registries, the training options checked by building a training config)
lives beside the plan, in :mod:`ptst.study.validate`; :func:`ptst.study.load_spec` runs both.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ptst.config import StrictModel, load_yaml, validate
from ptst.data import resolve
from ptst.errors import PtstError
from ptst.study.attack_spec import AttackSpec

NAME_RE = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
# Option names that would hold a secret; secrets come from the environment (``*_env``) or a named file (``*_file``).
SECRET_RE = re.compile(r"(^|_)(api_?key|key|secret|password|token|authorization)$", re.IGNORECASE)
# TrainConfig fields the study sets itself, per run; a spec must not override them in ``train.config``.
STUDY_OWNED_TRAIN_FIELDS = ("model", "dataset", "dataset_path", "template", "format", "output_dir", "seed",
                            "safety_data", "safety_n")
CHECKPOINT_CHOICES = ("final", "every_epoch", "every_save")


class _Strict(StrictModel):
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
    backend: str = Field("hf", description="a registered training backend (ptst.train.backends): hf, openai")
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


class ClaimsSpec(_Strict):
    """How the paper's claims are decided (see :mod:`ptst.study.claims`): the non-inferiority margins, as rates
    (0.05 = 5 points), and the family-wise error rate Holm's correction keeps across the report's claims."""

    safety_margin: float = Field(0.05, ge=0, le=1, description="claim (b): PTST's ASR at most this above the baseline")
    helpfulness_margin: float = Field(0.05, ge=0, le=1,
                                      description="claim (c): PTST's accuracy at most this below same-template")
    alpha: float = Field(0.05, gt=0, lt=1)


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
    claims: ClaimsSpec = ClaimsSpec()
    attacks: list[AttackSpec] = Field([], description="adaptive attacks on the benchmarks (ptst.study.attacks)")

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


def read_spec(path: str | Path) -> StudySpec:
    """Read a study spec YAML file and validate its shape (the meaning pass is :func:`ptst.study.load_spec`)."""
    path = Path(path)
    data = load_yaml(path)
    if data is not None and not isinstance(data, dict):
        raise PtstError(f"{path}: expected a mapping at the top level, got {type(data).__name__}")
    return parse_spec(data, source=str(path), base_dir=path.resolve().parent)


def parse_spec(data: Any, source: str = "spec", base_dir: str | Path = ".") -> StudySpec:
    """Validate the shape of a spec given as plain data; relative paths resolve against ``base_dir``."""
    spec = validate(StudySpec, data, source)
    spec._base_dir = Path(base_dir).resolve()
    spec._source = source
    return spec


def builtin_spec_path(name: str = "default") -> Path:
    return Path(__file__).resolve().parent / "builtin" / f"{name}.yaml"


# ---- datasets and judges of a benchmark --------------------------------------------------------------------


def field_error(spec: StudySpec, field: str, msg: str) -> PtstError:
    """The one-line error about one field of the spec: ``FILE: field 'a.b.0': msg``."""
    return PtstError(f"{spec.source}: field '{field}': {msg}")


_err = field_error


def dataset_for_loading(spec: StudySpec, name: str) -> str:
    """A spec's dataset name as the loader takes it: a local file resolved against the spec's directory."""
    return spec.resolve_path(name) if resolve(name).is_file else name  # type: ignore[return-value]


def check_dataset(spec: StudySpec, name: str, split: str | None, path: str | None, field: str) -> None:
    """A dataset is a registered source (with a known split) or a local data file that exists."""
    try:
        ref = resolve(name, split)
    except PtstError as e:
        raise _err(spec, field, str(e)) from None
    if ref.is_file:
        if not Path(spec.resolve_path(name)).exists():  # type: ignore[arg-type]
            raise _err(spec, field, f"{name}: file not found")
    elif path is not None and not Path(spec.resolve_path(path)).exists():  # type: ignore[arg-type]
        raise _err(spec, field.rsplit(".", 1)[0] + ".path", f"{path}: file not found")


def benchmark_kind(b: BenchmarkSpec) -> str:
    """``safety`` / ``benign`` / ``helpfulness``: given, else what the dataset's source says."""
    return b.kind or resolve(b.dataset, b.split).kind


def benchmark_judges(spec: StudySpec, b: BenchmarkSpec) -> list[str]:
    """The judges run on a benchmark: its own list, else the study's safety judges, or its helpfulness scorers
    (the study's, else the dataset's own: ``math`` for the shipped math sets, ``gsm8k`` otherwise)."""
    if b.judges is not None:
        return list(b.judges)
    if benchmark_kind(b) == "helpfulness":
        return list(spec.evaluate.helpfulness_judges or resolve(b.dataset, b.split).helpfulness_scorers)
    return list(spec.evaluate.judges)
