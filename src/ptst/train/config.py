"""``TrainConfig``: the one configuration of a fine-tuning run, shared by the CLI, YAML files and the Python API.

Precedence when a run is assembled: preset values < the YAML file < explicit overrides (CLI flags or keyword
arguments). ``config_hash`` covers every field that can change the trained weights or the checkpoint trajectory,
so a finished run can be recognised and reused instead of retrained.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Optional, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ptst.config import StrictModel
from ptst.errors import PtstError
from ptst.io import stable_hash
from ptst.train.presets import PRESETS

# Fields that do not change what is trained (where it goes, how often it is logged).
NON_RESULT_FIELDS = frozenset({"output_dir", "logging_steps"})


def _flags(*decls: str) -> dict[str, Any]:
    """Field metadata: the ``ptst train`` flag names of a field, where they are not just ``--field-name``
    (plus ``--no-field-name`` for a boolean). An option name (``--x``) replaces the default, a short one is added."""
    return {"cli": list(decls)}


class TrainConfig(StrictModel):
    """Everything a fine-tuning run depends on. See docs/train.md for each field.

    A field with a ``description`` is also a ``ptst train`` flag (:func:`cli_flags`; the description is its help),
    so the CLI, YAML files and the Python API share this one definition; the others are set with ``--set``.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # ---- what is trained, on what -----------------------------------------------------------------------------
    model: str = Field("smollm2-135m", description="Short name, local directory or HF id (default smollm2-135m).",
                       json_schema_extra=_flags("-m"))
    dataset: Optional[str] = Field(None, description="Dataset name (gsm8k:train, ...) or a local file.",
                                   json_schema_extra=_flags("-d"))
    dataset_path: Optional[str] = Field(None, description="Local copy of a named dataset.")
    columns: Optional[dict[str, str]] = Field(None, description="Column mapping instruction=COL,reference=COL.")
    limit: Optional[int] = Field(None, ge=1, description="Use only the first N records.")
    template: str = Field("chat:vanilla", description="Training template (default chat:vanilla).",
                          json_schema_extra=_flags("-t"))
    format: Literal["llama2", "native", "openai"] = Field(
        "llama2", description="llama2 (default, as in the paper), native or openai.")
    templates_files: list[str] = Field(default_factory=list, description="YAML file of extra templates (repeatable).",
                                       json_schema_extra=_flags("--templates"))

    # ---- safety-example mixing ----------------------------------------------------------------------------------
    safety_data: Optional[str] = Field(None, description="Safety examples to mix in (safety-tuned-llamas).")
    safety_data_path: Optional[str] = Field(None, description="Local copy of the safety data.")
    safety_n: Optional[int] = Field(None, ge=0, description="How many safety examples to add (default all).")
    safety_fraction: Optional[float] = Field(None, gt=0.0, le=1.0, description="Share of the safety set to add.")

    # ---- where it goes ---------------------------------------------------------------------------------------------
    output_dir: Optional[str] = Field(None, description="Run directory (default runs/train-<template>-<hash>).",
                                      json_schema_extra=_flags("--output-dir", "-o"))
    from_preset: Optional[str] = None

    # ---- adapter or full fine-tuning ----------------------------------------------------------------------------
    lora: bool = Field(True, description="LoRA adapter (default) or full fine-tuning.",
                       json_schema_extra=_flags("--lora/--full"))
    lora_r: int = Field(8, ge=1, description="LoRA rank (default 8).")
    lora_alpha: float = Field(16, gt=0, description="LoRA alpha (default 16).")
    lora_dropout: float = Field(0.05, ge=0.0, lt=1.0, description="LoRA dropout (default 0.05).")
    lora_target_modules: Union[list[str], str] = Field(
        "all-linear", description="Comma-separated module names or all-linear.", json_schema_extra=_flags("--lora-targets"))

    # ---- optimisation ----------------------------------------------------------------------------------------------
    seed: int = Field(0, description="Random seed (default 0).")
    lr: float = Field(1e-4, gt=0, description="Learning rate (default 1e-4).")
    epochs: float = Field(1, gt=0, description="Training epochs (default 1).")
    max_steps: Optional[int] = Field(None, ge=1, description="Stop after this many optimizer steps.")
    batch_size: int = Field(8, ge=1, description="Examples per step per device (default 8).",
                            json_schema_extra=_flags("-b"))
    grad_accum: int = Field(1, ge=1, description="Gradient accumulation steps (default 1).")
    max_length: int = Field(512, ge=8, description="Maximum tokens per example (default 512).")
    overlong: Literal["truncate", "drop"] = Field("truncate", description="truncate (default) or drop longer examples.")
    warmup_ratio: float = Field(0.0, ge=0.0, lt=1.0, description="Share of steps for linear warm-up (default 0).")
    scheduler: str = Field("linear", description="linear, cosine, constant, epoch-decay, ...")
    lr_decay_gamma: float = Field(0.85, gt=0.0, le=1.0)
    weight_decay: float = Field(0.0, ge=0.0)
    max_grad_norm: float = Field(1.0, ge=0.0)
    gradient_checkpointing: bool = False

    # ---- checkpoints -------------------------------------------------------------------------------------------------
    save_every_epoch: bool = Field(True, description="Checkpoint at every epoch end (default on).")
    save_steps: Optional[int] = Field(None, ge=1, description="Also checkpoint every N steps.")

    # ---- execution ---------------------------------------------------------------------------------------------------
    padding_free: bool = True
    precision: Literal["auto", "fp32", "bf16", "fp16"] = Field("auto", description="auto, fp32, bf16 or fp16.")
    device: Literal["auto", "cpu", "cuda"] = Field("auto", description="auto, cpu or cuda.")
    logging_steps: int = Field(10, ge=1)

    @field_validator("columns", mode="before")
    @classmethod
    def _parse_columns(cls, v: Any) -> Any:
        if isinstance(v, str):
            from ptst.data import parse_columns

            return parse_columns(v)
        return v

    @field_validator("lora_target_modules", mode="before")
    @classmethod
    def _parse_targets(cls, v: Any) -> Any:
        if isinstance(v, str) and "," in v:
            return [s.strip() for s in v.split(",") if s.strip()]
        return v

    @field_validator("templates_files", mode="before")
    @classmethod
    def _one_file(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @field_validator("scheduler")
    @classmethod
    def _known_scheduler(cls, v: str) -> str:
        from ptst.train.schedulers import check_scheduler

        return check_scheduler(v)

    @model_validator(mode="after")
    def _consistent(self) -> "TrainConfig":
        if self.safety_n is not None and self.safety_fraction is not None:
            raise ValueError("give safety_n or safety_fraction, not both")
        if (self.safety_n is not None or self.safety_fraction is not None) and not self.safety_data:
            raise ValueError("safety_n / safety_fraction need safety_data (e.g. safety-tuned-llamas)")
        if self.from_preset is not None and self.from_preset not in PRESETS:
            raise ValueError(f"unknown preset {self.from_preset!r}; known: {', '.join(sorted(PRESETS))}")
        return self

    # ---- construction ---------------------------------------------------------------------------------------------
    @classmethod
    def build(cls, preset: str | None = None, source: str = "config", **values: Any) -> "TrainConfig":
        """Preset values (if any) overridden by ``values``; errors are one-line :class:`PtstError`s."""
        from ptst.config import validate

        data: dict[str, Any] = {}
        if preset is not None:
            if preset not in PRESETS:
                raise PtstError(f"unknown preset {preset!r}; known: {', '.join(sorted(PRESETS))}")
            data.update(PRESETS[preset])
            data["from_preset"] = preset
        data.update(values)
        return validate(cls, data, source)

    @classmethod
    def preset(cls, name: str, **overrides: Any) -> "TrainConfig":
        """The preset ``name`` with ``overrides`` applied."""
        return cls.build(preset=name, source=f"preset {name}", **overrides)

    @classmethod
    def from_yaml(cls, path: str | Path, **overrides: Any) -> "TrainConfig":
        """Load a YAML config; a top-level ``preset:`` key selects a preset underneath it; overrides win."""
        from ptst.config import load_yaml

        data = load_yaml(path)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise PtstError(f"{path}: expected a mapping at the top level, got {type(data).__name__}")
        data = dict(data)
        preset = overrides.pop("preset", None) or data.pop("preset", None)
        data.pop("preset", None)
        # relative data/template paths in the file are relative to the file, like a Makefile's includes
        base = Path(path).resolve().parent
        for key in ("dataset_path", "safety_data_path"):
            if isinstance(data.get(key), str) and not Path(data[key]).expanduser().is_absolute():
                data[key] = str(base / data[key])
        if isinstance(data.get("templates_files"), (str, list)):
            files = [data["templates_files"]] if isinstance(data["templates_files"], str) else data["templates_files"]
            data["templates_files"] = [f if Path(f).is_absolute() else str(base / f) for f in files]
        data.update(overrides)
        return cls.build(preset=preset, source=str(path), **data)

    # ---- identity -------------------------------------------------------------------------------------------------
    def result_fields(self) -> dict[str, Any]:
        """The fields that determine the result (everything except where it is written and how often it logs)."""
        return self.model_dump(mode="json", exclude=set(NON_RESULT_FIELDS))

    def config_hash(self) -> str:
        return stable_hash(self.result_fields())

    def run_dir(self) -> Path:
        """``output_dir``, or ``runs/train-<template>-<hash>`` under the current directory when none is given."""
        if self.output_dir:
            return Path(self.output_dir).expanduser()
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in self.template)
        return Path("runs") / f"train-{safe}-{self.config_hash()[:12]}"


# ---- the ptst train flags ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CliFlag:
    """One ``ptst train`` option generated from a :class:`TrainConfig` field."""

    field: str
    decls: tuple[str, ...]  # option names, as typer/click take them ("--lora/--full", "-m")
    help: str
    type: Any  # what the command line gives (text for choices, mappings and lists of modules)


def _cli_type(annotation: Any) -> Any:
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) is Union and len(args) == 1:  # Optional[X]
        return _cli_type(args[0])
    if get_origin(annotation) is list:
        return list[str]
    if annotation in (str, int, float, bool):
        return annotation
    return str  # Literal choices, a column mapping, a list of modules or a single name: the validators parse text


def cli_flags() -> list[CliFlag]:
    """The flags of ``ptst train``, one per described :class:`TrainConfig` field, in field order."""
    out = []
    for name, f in TrainConfig.model_fields.items():
        if not f.description:
            continue
        extra = f.json_schema_extra if isinstance(f.json_schema_extra, dict) else {}
        decls = list(extra.get("cli", []))
        dash = name.replace("_", "-")
        typ = _cli_type(f.annotation)
        default = f"--{dash}/--no-{dash}" if typ is bool else f"--{dash}"
        if not any(d.startswith("--") for d in decls):
            decls.insert(0, default)
        decls.sort(key=lambda d: not d.startswith("--"))  # the long name first
        out.append(CliFlag(name, tuple(decls), f.description, typ))
    return out
