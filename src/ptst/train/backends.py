"""Training backends: how one fine-tuning of a study is carried out, chosen by name (the spec's ``train.backend``).

A backend is a small registered class with one job: take a :class:`TrainJob` (what to fine-tune on what, where to
write) and return the models to evaluate (:class:`TrainOutcome`). The study runner knows no backend by name::

    @register_train_backend("mine")
    class MyBackend(TrainBackend):
        def train(self, job, progress=None, log=None) -> TrainOutcome: ...

Built in: ``hf`` (local LoRA or full fine-tuning with :func:`ptst.train.train`, resumable from its checkpoints) and
``openai`` (the OpenAI fine-tuning API; the job's result is recorded in ``OUTPUT_DIR/openai_result.json`` so a rerun
never starts, and pays for, a second job).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ptst.errors import PtstError
from ptst.io import atomic_write_json
from ptst.registry import Registry
from ptst.train import openai_ft
from ptst.train import trainer as hf_trainer
from ptst.train.config import TrainConfig
from ptst.train.presets import PRESETS

#: progress(steps done, steps in all)
TrainProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class TrainJob:
    """One fine-tuning as a study asks for it. ``options`` are the backend's own options (the spec's
    ``train.config`` for ``hf``, ``train.openai`` for ``openai``); ``source`` names the spec in error messages."""

    model: str
    dataset: str
    template: str
    format: str
    seed: int
    output_dir: Path
    dataset_path: str | None = None
    split: str | None = None
    columns: dict[str, str] | None = None
    limit: int | None = None
    safety_data: str | None = None
    safety_path: str | None = None
    safety_n: int = 0
    templates_file: str | None = None
    preset: str | None = None
    checkpoints: str = "final"
    options: dict[str, Any] = field(default_factory=dict)
    source: str = "spec"


@dataclass(frozen=True)
class TrainedModel:
    """One model a fine-tuning produced: ``model`` is the base (or an API model id), ``adapter`` the LoRA
    checkpoint directory, if any."""

    label: str  # "final" or "step-N" ("base": the untrained model a study evaluates as its baseline)
    model: str
    adapter: str | None
    step: int | None = None
    epoch: float | None = None


@dataclass
class TrainOutcome:
    models: list[TrainedModel]
    trained: bool  # False: a finished run was found and reused
    info: dict[str, Any] = field(default_factory=dict)  # recorded in the study manifest


class TrainBackend:
    """A way of fine-tuning. Subclasses implement :meth:`train`; :meth:`check` validates a job without running it."""

    name: str = "base"
    #: the study spec's field under ``train`` that holds this backend's options
    options_key: str = "config"

    def train(self, job: TrainJob, progress: TrainProgress | None = None,
              log: Callable[[str], None] | None = None) -> TrainOutcome:
        raise NotImplementedError

    def option_names(self) -> set[str]:
        """The options a job of this backend may set."""
        return set()

    def lora_rank(self, options: dict[str, Any]) -> int | None:
        """The rank of the LoRA adapters a job with these options makes; None when it makes none."""
        return None

    def schedule(self, options: dict[str, Any], preset: str | None = None) -> dict[str, Any]:
        """``epochs``, effective ``batch``, ``save_steps``, ``max_steps`` of a job with these options, for the
        dry-run counts (None where the backend does not know)."""
        return {"epochs": None, "batch": None, "save_steps": None, "max_steps": None}

    def check(self, job: TrainJob) -> None:
        """Raise :class:`pydantic.ValidationError` (field names are the backend's options) if the job cannot run."""


TRAIN_BACKENDS: Registry[TrainBackend] = Registry("training backend")  # both shipped backends are defined below
#: class decorator: ``@register_train_backend("hf")``
register_train_backend = TRAIN_BACKENDS.register
list_train_backends = TRAIN_BACKENDS.names
get_train_backend = TRAIN_BACKENDS.create


# ---- hf -----------------------------------------------------------------------------------------------------------


@register_train_backend("hf")
class HFTrainBackend(TrainBackend):
    """Local fine-tuning with :func:`ptst.train.train` (idempotent: a finished run in ``output_dir`` is reused)."""

    def option_names(self) -> set[str]:
        return set(TrainConfig.model_fields)

    def lora_rank(self, options: dict[str, Any]) -> int | None:
        if options.get("lora", True) is False:
            return None
        return int(options.get("lora_r", TrainConfig.model_fields["lora_r"].default))

    def schedule(self, options: dict[str, Any], preset: str | None = None) -> dict[str, Any]:
        data = {**(PRESETS[preset] if preset else {}), **options}
        fields = TrainConfig.model_fields
        vals = {k: data.get(k, fields[k].default) for k in ("epochs", "batch_size", "grad_accum", "save_steps",
                                                             "max_steps")}
        batch = vals["batch_size"]
        accum = vals["grad_accum"] or 1
        return {"epochs": vals["epochs"], "batch": batch * accum if batch else None,
                "save_steps": vals["save_steps"], "max_steps": vals["max_steps"]}

    @staticmethod
    def config_values(job: TrainJob) -> dict[str, Any]:
        """The ``TrainConfig`` values the job sets itself (its ``options`` add to them)."""
        dataset = job.dataset
        if job.split and not Path(dataset).suffix:
            dataset = f"{dataset}:{job.split}"
        kw: dict[str, Any] = {"model": job.model, "dataset": dataset, "dataset_path": job.dataset_path,
                              "template": job.template, "format": job.format, "output_dir": str(job.output_dir),
                              "seed": job.seed}
        if job.columns:
            kw["columns"] = job.columns
        if job.limit is not None:
            kw["limit"] = job.limit
        if job.templates_file:
            kw["templates_files"] = [job.templates_file]
        if job.safety_data:
            kw["safety_data"] = job.safety_data
            if job.safety_path:
                kw["safety_data_path"] = job.safety_path
            if job.safety_n:
                kw["safety_n"] = job.safety_n
        if job.checkpoints != "final":
            kw["save_every_epoch"] = True
        return kw

    def check(self, job: TrainJob) -> None:
        TrainConfig.model_validate({**(PRESETS[job.preset] if job.preset else {}), **self.config_values(job),
                                    **job.options})

    def config(self, job: TrainJob) -> TrainConfig:
        """The preset, then the job's own fields, then its options."""
        return TrainConfig.build(preset=job.preset, source=f"{job.source}: train",
                                 **{**self.config_values(job), **job.options})

    def train(self, job: TrainJob, progress: TrainProgress | None = None,
              log: Callable[[str], None] | None = None) -> TrainOutcome:
        callbacks = [_progress_callback(progress)] if progress else []
        res = hf_trainer.train(self.config(job), resume=True, callbacks=callbacks)
        adapter = getattr(res, "is_adapter", True)
        models = [_trained(label, c, job.model, adapter) for label, c in select_checkpoints(res, job.checkpoints)]
        info = {"run_key": (getattr(res, "manifest", None) or {}).get("run_key"),
                "final_loss": getattr(res, "final_loss", None)}
        return TrainOutcome(models, trained=not getattr(res, "reused", False), info=info)


def _progress_callback(progress: TrainProgress) -> Any:
    from transformers import TrainerCallback  # heavy: only when a training really runs

    class _Progress(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):  # noqa: ANN001
            progress(state.global_step, state.max_steps or state.global_step)

    return _Progress()


def _trained(label: str, c: Any, base: str, adapter: bool) -> TrainedModel:
    """LoRA checkpoints are evaluated as base + adapter; full fine-tuning checkpoints are models of their own."""
    if adapter:
        return TrainedModel(label, base, str(c.path), c.step, c.epoch)
    return TrainedModel(label, str(c.path), None, c.step, c.epoch)


def select_checkpoints(result: Any, which: str) -> list[tuple[str, Any]]:
    """(label, checkpoint) of a finished training to evaluate: the final one, or also every epoch / every save."""
    final = result.final
    out: list[tuple[str, Any]] = []
    seen: set[str] = {str(Path(final.path).resolve())}
    steps: set[Any] = {final.step}
    if which != "final":
        for c in sorted(result.checkpoints, key=lambda c: (c.step or 0)):
            key = str(Path(c.path).resolve())
            if key in seen or c.step in steps:  # the final weights, saved twice
                continue
            steps.add(c.step)
            if which == "every_epoch" and (c.epoch is None or abs(c.epoch - round(c.epoch)) > 1e-6):
                continue
            seen.add(key)
            out.append((f"step-{c.step}", c))
    out.append(("final", final))
    return out


# ---- openai -------------------------------------------------------------------------------------------------------


@register_train_backend("openai")
class OpenAITrainBackend(TrainBackend):
    """Fine-tuning through the OpenAI API; gives only the final model."""

    RESULT = "openai_result.json"
    options_key = "openai"

    def option_names(self) -> set[str]:
        return set(openai_ft.OpenAIFinetuneConfig.model_fields)

    @staticmethod
    def config_values(job: TrainJob) -> dict[str, Any]:
        kw: dict[str, Any] = {"model": job.model, "dataset": job.dataset, "dataset_path": job.dataset_path,
                              "template": job.template, "seed": job.seed, "output_dir": str(job.output_dir)}
        if job.safety_data:
            kw.update(safety_data=job.safety_data, safety_data_path=job.safety_path, safety_n=job.safety_n)
        if job.limit is not None:
            kw["limit"] = job.limit
        return {**kw, **job.options}

    def check(self, job: TrainJob) -> None:
        openai_ft.OpenAIFinetuneConfig.model_validate(self.config_values(job))

    def schedule(self, options: dict[str, Any], preset: str | None = None) -> dict[str, Any]:
        return {"epochs": options.get("n_epochs", 1), "batch": None, "save_steps": None, "max_steps": None}

    def train(self, job: TrainJob, progress: TrainProgress | None = None,
              log: Callable[[str], None] | None = None) -> TrainOutcome:
        done = Path(job.output_dir) / self.RESULT
        if done.exists():
            model = json.loads(done.read_text())["fine_tuned_model"]
            return TrainOutcome([TrainedModel("final", model, None)], trained=False)
        try:
            cfg = openai_ft.OpenAIFinetuneConfig(**self.config_values(job))
        except (TypeError, ValueError) as e:
            raise PtstError(f"{job.source}: field 'train.openai': {e}") from None
        res = openai_ft.finetune(cfg, on_status=(lambda st: log(f"  OpenAI job {st.get('job_id')}: {st.get('status')}"))
                                 if log else None)
        model = res.fine_tuned_model
        if not model:
            raise PtstError(f"OpenAI fine-tuning job {res.job_id} ended with status {res.status!r}; "
                            f"see {Path(job.output_dir) / 'manifest.json'}")
        atomic_write_json(done, {"fine_tuned_model": model, "job_id": getattr(res, "job_id", None)})
        return TrainOutcome([TrainedModel("final", model, None)], trained=True)


__all__ = ["HFTrainBackend", "OpenAITrainBackend", "TrainBackend", "TrainJob", "TrainOutcome", "TrainedModel",
           "get_train_backend", "list_train_backends", "register_train_backend"]
