"""``train`` / ``train_on_examples``: one fine-tuning run with transformers' ``Trainer`` and PEFT LoRA.

The flow of a run:

1. prepare the data (render, mix safety examples, tokenize with the completion-only mask, apply ``max_length``);
2. decide what the run directory means: a finished run of the same config, data and model is *reused* (no
   training); an unfinished one is *resumed* from its last checkpoint when ``resume=True`` (refused otherwise); a
   different run there is refused; an empty or missing directory starts a fresh run;
3. load the model (fp32 weights; bf16 autocast on GPUs that support it), wrap it in LoRA unless ``lora=False``;
4. train with ``transformers.Trainer``: padding-free batches (every batch flattened into one row with position ids
   restarting per example, so no token is padding) when the model handles them, otherwise right-padded batches
   grouped by length; checkpoints at every epoch and/or every ``save_steps`` steps, each recorded in the manifest
   only once it is completely written;
5. save the final weights to ``RUN/final`` and mark the manifest finished.

Under ``accelerate launch`` / ``torchrun`` the same code runs on every rank: data preparation is deterministic,
only rank 0 writes the manifest, and every rank logs its final loss and a hash of its trainable weights so the ranks
can be checked to agree.
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ptst.errors import PtstError, one_line
from ptst.provenance import TRAIN_PACKAGES, git_commit, package_versions, train_hardware
from ptst.templates import RenderedExample, get_template
from ptst.train.config import NON_RESULT_FIELDS, TrainConfig
from ptst.train.dataset import (
    DataSummary,
    FeatureDataset,
    IGNORE_INDEX,
    build_features,
    examples_hash,
    load_task_examples,
    load_task_records,
    log,
    make_collator,
    mix_safety,
)
from ptst.train.manifest import (
    MANIFEST_VERSION,
    Checkpoint,
    add_checkpoint,
    checkpoints_of,
    first_difference,
    now_iso,
    read_manifest,
    write_manifest,
)

CHECKPOINTS = "checkpoints"
FINAL = "final"


@dataclass
class TrainResult:
    """A finished run: where it is, its checkpoint trajectory, the final weights and the manifest."""

    run_dir: Path
    checkpoints: list[Checkpoint]
    final: Checkpoint
    manifest: dict[str, Any]
    final_loss: float | None
    reused: bool = False

    @property
    def is_adapter(self) -> bool:
        return bool(self.manifest.get("config", {}).get("lora", True))

    @property
    def base_model(self) -> str:
        return self.manifest["config"]["model"]


@dataclass
class _Prepared:
    cfg: TrainConfig
    tokenizer: Any
    examples: list[RenderedExample]
    features: list[dict[str, list[int]]]
    summary: DataSummary
    data_sha256: str
    model_identity: dict[str, Any]
    run_key: dict[str, str] = field(default_factory=dict)


# ---- public API ---------------------------------------------------------------------------------------------------


def train(cfg: TrainConfig, resume: bool = False, callbacks: Sequence[Any] | None = None,
          force: bool = False) -> TrainResult:
    """Fine-tune ``cfg.model`` on ``cfg.dataset`` rendered with ``cfg.template`` / ``cfg.format``.

    Idempotent: a finished run of the same config, data and model in ``cfg.output_dir`` is returned as is.
    ``callbacks`` are extra ``transformers.TrainerCallback`` objects (tests use one to simulate a crash).
    A non-empty ``output_dir`` that holds no run is refused unless ``force`` (the run is then written beside its
    files).
    """
    _check_cheap(cfg)
    records, _ = load_task_records(cfg)  # bad data fails here, before the model stack is imported
    tok = _tokenizer(cfg)
    examples, source = load_task_examples(cfg, tok, records)
    return _run(_prepare(cfg, tok, examples, source), resume, callbacks, force)


def train_on_examples(
    cfg: TrainConfig,
    examples: Sequence[RenderedExample],
    resume: bool = False,
    callbacks: Sequence[Any] | None = None,
) -> TrainResult:
    """Like :func:`train`, on examples the caller already rendered (possibly under several templates).

    ``cfg.dataset`` and ``cfg.template`` are recorded but not used to load data; safety mixing still applies
    (rendered with ``cfg.template``) when ``cfg.safety_data`` is set.
    """
    _check_cheap(cfg)
    if not examples:
        raise PtstError("train_on_examples: no examples given")
    tok = _tokenizer(cfg)
    source = {"provided_examples": len(examples), "dataset": cfg.dataset}
    return _run(_prepare(cfg, tok, list(examples), source), resume, callbacks)


def prepare_data(cfg: TrainConfig, examples: Sequence[RenderedExample] | None = None):
    """The training features and data summary without training (what ``ptst train --dry-run`` prints)."""
    _check_cheap(cfg)
    tok = _tokenizer(cfg)
    if examples is None:
        examples, source = load_task_examples(cfg, tok)
    else:
        source = {"provided_examples": len(examples), "dataset": cfg.dataset}
    return _prepare(cfg, tok, list(examples), source, identify_model=False)


# ---- preparation ---------------------------------------------------------------------------------------------------


def _load_templates(cfg: TrainConfig) -> None:
    if cfg.templates_files:
        from ptst.templates import load_templates_file

        for p in cfg.templates_files:
            load_templates_file(p)


def _check_cheap(cfg: TrainConfig) -> None:
    """Fail fast on an unknown template or model name, before anything heavy is loaded."""
    from ptst.models import SHORT_NAMES, TINY_RANDOM, resolve_model

    _load_templates(cfg)
    get_template(cfg.template)
    if cfg.model not in SHORT_NAMES and cfg.model != TINY_RANDOM:  # short names are built/converted later, once
        resolve_model(cfg.model)


def _tokenizer(cfg: TrainConfig) -> Any:
    from ptst.models import load_tokenizer

    return load_tokenizer(cfg.model, padding_side="right")


def _prepare(cfg: TrainConfig, tok: Any, examples: list[RenderedExample], source: dict[str, Any],
             identify_model: bool = True) -> _Prepared:
    mixed, origins, safety = mix_safety(cfg, examples, tok)
    summary = DataSummary(source={**source, "template": cfg.template, "format": cfg.format, "safety": safety},
                          n_task=len(examples), n_safety=len(mixed) - len(examples), origins=origins)
    features = build_features(mixed, tok, cfg.max_length, cfg.overlong, summary)
    data_sha = examples_hash(mixed)
    ident: dict[str, Any] = {}
    if identify_model:
        from ptst.models import model_identity

        ident = model_identity(cfg.model)
    prep = _Prepared(cfg, tok, mixed, features, summary, data_sha, ident)
    prep.run_key = {"config_sha256": cfg.config_hash(), "data_sha256": data_sha,
                    "model_sha256": str(ident.get("base_sha256"))}
    return prep


# ---- the run directory ---------------------------------------------------------------------------------------------


def _decide(run_dir: Path, prep: _Prepared, resume: bool, force: bool = False) -> tuple[str, dict[str, Any] | None]:
    """``("fresh"|"reuse"|"resume", manifest)`` for this run directory, or a one-line refusal."""
    manifest = read_manifest(run_dir)
    if manifest is None:
        if run_dir.exists() and any(run_dir.iterdir()) and not force:
            raise PtstError(f"{run_dir}: exists, is not empty and has no {run_dir / 'manifest.json'}; "
                            "choose another --output-dir (or pass --force to write beside its files)")
        return "fresh", None
    if manifest.get("run_key") != prep.run_key:
        old = {k: v for k, v in manifest.get("config", {}).items() if k not in NON_RESULT_FIELDS}
        diff = first_difference(old, prep.cfg.result_fields())
        if diff is None:
            old_data = manifest.get("run_key", {}).get("data_sha256")
            diff = "training data differs" if old_data != prep.run_key["data_sha256"] else "model weights differ"
        raise PtstError(f"{run_dir}: holds a different run ({diff}); choose another --output-dir or delete it")
    if manifest.get("status") == "finished":
        if not (run_dir / manifest.get("final", {}).get("path", FINAL)).exists():
            raise PtstError(f"{run_dir}: the manifest says finished but {FINAL}/ is missing; delete the directory")
        return "reuse", manifest
    if not resume:
        last = manifest.get("checkpoints", [])
        at = f"last checkpoint at step {last[-1]['step']}" if last else "no checkpoint yet"
        raise PtstError(f"{run_dir}: holds an unfinished run of this config ({at}); pass --resume to continue it")
    return "resume", manifest


def _result_from_manifest(run_dir: Path, manifest: dict[str, Any], reused: bool) -> TrainResult:
    final = Checkpoint.from_json(manifest["final"], run_dir)
    return TrainResult(run_dir=run_dir.resolve(), checkpoints=checkpoints_of(manifest, run_dir), final=final,
                       manifest=manifest, final_loss=manifest.get("final_loss"), reused=reused)


def _clean_unrecorded_checkpoints(run_dir: Path, manifest: dict[str, Any]) -> Path | None:
    """Remove checkpoint folders the manifest does not list (a crash while saving); return the last good one."""
    recorded = {int(c["step"]) for c in manifest.get("checkpoints", [])}
    ckdir = run_dir / CHECKPOINTS
    if ckdir.exists():
        for d in ckdir.iterdir():
            step = d.name.rsplit("-", 1)[-1]
            if d.is_dir() and (not step.isdigit() or int(step) not in recorded):
                shutil.rmtree(d, ignore_errors=True)
    if not recorded:
        return None
    return ckdir / f"checkpoint-{max(recorded)}"


def _new_manifest(prep: _Prepared, run_dir: Path, world_size: int) -> dict[str, Any]:
    cfg = prep.cfg
    template = get_template(cfg.template)
    return {
        "ptst_manifest": MANIFEST_VERSION,
        "kind": "train",
        "status": "running",
        "run_key": prep.run_key,
        "config": cfg.model_dump(mode="json"),
        "model": {"name": cfg.model, **prep.model_identity},
        "template": {"name": cfg.template, "format": cfg.format, "safety_prompt": template.has_safety_prompt},
        "data": {**prep.summary.to_dict(), "sha256": prep.data_sha256},
        "environment": {"packages": package_versions(TRAIN_PACKAGES), "git": git_commit(),
                        "hardware": train_hardware(world_size)},
        "started_at": now_iso(),
        "sessions": [],
        "wall_time_s": 0.0,
        "checkpoints": [],
        "final": None,
        "final_loss": None,
        "loss_history": [],
    }


# ---- model ---------------------------------------------------------------------------------------------------------


def _load_model(cfg: TrainConfig) -> Any:
    import torch
    from transformers import AutoModelForCausalLM

    from ptst.models import resolve_model

    path = resolve_model(cfg.model)
    if Path(path).is_dir() and not any(Path(path).glob("*.safetensors")):
        raise PtstError(f"{path}: no .safetensors weights (pickle weights are not loaded for training)")
    try:
        model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32, use_safetensors=True)
    except (OSError, ValueError) as e:
        raise PtstError(f"cannot load model {cfg.model}: {one_line(e, 200)}") from None
    model.config.use_cache = False
    if cfg.lora:
        from peft import LoraConfig, get_peft_model

        targets = cfg.lora_target_modules
        lcfg = LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
                          target_modules=targets, bias="none", task_type="CAUSAL_LM")
        try:
            model = get_peft_model(model, lcfg)
        except ValueError as e:
            raise PtstError(f"lora_target_modules {targets!r}: {one_line(e, 200)}") from None
    if cfg.gradient_checkpointing:
        model.gradient_checkpointing_enable()
        if cfg.lora:
            model.enable_input_require_grads()
    return model


def packing_supported(model: Any) -> bool:
    """Whether the model keeps flattened examples apart (checked, not assumed: two short sequences are run
    flattened with restarting position ids and separately, and their logits compared)."""
    import torch

    vocab = model.get_input_embeddings().weight.shape[0]
    g = torch.Generator().manual_seed(0)
    a = torch.randint(0, vocab, (1, 5), generator=g)
    b = torch.randint(0, vocab, (1, 7), generator=g)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            flat = model(input_ids=torch.cat([a, b], 1),
                         position_ids=torch.cat([torch.arange(5), torch.arange(7)])[None], use_cache=False).logits
            sep = model(input_ids=b, use_cache=False).logits
    except Exception:  # a model that rejects position_ids or packed input cannot use padding-free batches
        return False
    finally:
        model.train(was_training)
    return bool(torch.allclose(flat[:, 5:], sep, atol=1e-3, rtol=1e-3))


def weights_digest(model: Any) -> str:
    """sha256 of the trainable parameters (all parameters for full fine-tuning), in name order."""
    h = hashlib.sha256()
    for name, p in sorted(model.named_parameters(), key=lambda kv: kv[0]):
        if p.requires_grad:
            h.update(name.encode())
            h.update(p.detach().float().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()


# ---- transformers glue ---------------------------------------------------------------------------------------------


def _precision(cfg: TrainConfig) -> dict[str, bool]:
    import torch

    cuda = torch.cuda.is_available() and cfg.device != "cpu"
    if cfg.device == "cuda" and not torch.cuda.is_available():
        raise PtstError("device 'cuda' requested but CUDA is not available")
    if cfg.precision == "auto":
        return {"bf16": bool(cuda and torch.cuda.is_bf16_supported())}
    if cfg.precision == "fp16" and not cuda:
        raise PtstError("precision fp16 needs a GPU; use fp32 or bf16 on CPU")
    return {"bf16": cfg.precision == "bf16", "fp16": cfg.precision == "fp16"}


def _uses_cuda(cfg: TrainConfig) -> bool:
    import torch

    return cfg.device != "cpu" and torch.cuda.is_available()


def _on_cpu(cfg: TrainConfig) -> bool:
    import torch

    mps = getattr(torch.backends, "mps", None)
    return cfg.device == "cpu" or not (torch.cuda.is_available() or (mps is not None and mps.is_available()))


def _fit_cpu_threads(cfg: TrainConfig) -> int | None:
    """Train with ``PTST_TRAIN_THREADS`` threads when that is set; return the count to restore afterwards.

    The thread count is never chosen from the machine's current load: float reductions may group differently with
    another thread count, and a resumed or repeated run must train exactly like the first. On a CPU shared with
    other busy processes, PyTorch's spinning worker threads can make two threads several times slower than one
    (docs/results.md): set ``PTST_TRAIN_THREADS=1`` (or ``OMP_NUM_THREADS=1``) there, and keep it for resumes.
    """
    import torch

    wanted = os.environ.get("PTST_TRAIN_THREADS")
    if _uses_cuda(cfg) or not wanted:
        return None
    try:
        n = int(wanted)
    except ValueError:
        raise PtstError(f"PTST_TRAIN_THREADS must be a whole number, got {wanted!r}") from None
    threads = torch.get_num_threads()
    if n < 1 or n == threads:
        return None
    torch.set_num_threads(n)
    return threads


def _training_args(cfg: TrainConfig, run_dir: Path, padding_free: bool) -> Any:
    from transformers import TrainingArguments

    return TrainingArguments(
        output_dir=str(run_dir / CHECKPOINTS),
        per_device_train_batch_size=cfg.batch_size,
        gradient_accumulation_steps=cfg.grad_accum,
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps or -1,
        learning_rate=cfg.lr,
        weight_decay=cfg.weight_decay,
        max_grad_norm=cfg.max_grad_norm,
        warmup_steps=cfg.warmup_ratio,
        lr_scheduler_type="constant" if cfg.scheduler == "epoch-decay" else cfg.scheduler,
        seed=cfg.seed,
        data_seed=cfg.seed,
        save_strategy="no",  # _SaveSchedule decides, so epochs and step intervals can both be used
        logging_strategy="steps",
        logging_steps=cfg.logging_steps,
        report_to="none",
        disable_tqdm=True,
        remove_unused_columns=False,
        label_names=["labels"],
        dataloader_num_workers=0,
        dataloader_pin_memory=_uses_cuda(cfg),
        train_sampling_strategy="random" if padding_free else "group_by_length",
        ddp_find_unused_parameters=False,
        use_cpu=_on_cpu(cfg),  # transformers allows bf16 without a GPU only when told it trains on the CPU
        use_cache=False,
        **_precision(cfg),
    )


def _accepts_logits_to_keep(model: Any) -> bool:
    import inspect

    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    base = getattr(base, "module", base)  # DDP / accelerate wrappers
    try:
        return "logits_to_keep" in inspect.signature(base.forward).parameters
    except (TypeError, ValueError):
        return False


def loss_positions_only(model: Any, inputs: dict[str, Any]) -> dict[str, Any]:
    """Ask the model for logits only where a label is: the vocabulary projection and its softmax cost ~20% of a
    step for a small model, and most positions of a chat example are prompt tokens whose labels are masked.

    transformers models take ``logits_to_keep`` (a boolean position mask keeps the selected positions, flattened)
    and ``shift_labels`` (labels already aligned with the kept logits); the loss is the same sum over the same
    tokens, divided by the same count. Models without ``logits_to_keep`` get the inputs unchanged.
    """
    import torch

    labels = inputs.get("labels")
    if labels is None or labels.ndim != 2 or not _accepts_logits_to_keep(model):
        return inputs
    shifted = torch.nn.functional.pad(labels, (0, 1), value=IGNORE_INDEX)[:, 1:]
    keep = shifted != IGNORE_INDEX
    if not bool(keep.any()):
        return inputs
    return {**inputs, "labels": shifted[keep], "shift_labels": shifted[keep], "logits_to_keep": keep}


def _trainer_class():
    from transformers import Trainer

    class PtstTrainer(Trainer):
        """``Trainer`` plus the ``epoch-decay`` schedule (llama-recipes' per-epoch StepLR)."""

        ptst_cfg: TrainConfig

        def compute_loss(self, model: Any, inputs: dict[str, Any], return_outputs: bool = False,
                         num_items_in_batch: Any = None):
            return super().compute_loss(model, loss_positions_only(model, inputs), return_outputs=return_outputs,
                                        num_items_in_batch=num_items_in_batch)

        def create_scheduler(self, num_training_steps: int, optimizer: Any = None):
            cfg = self.ptst_cfg
            if cfg.scheduler != "epoch-decay" or self.lr_scheduler is not None:
                return super().create_scheduler(num_training_steps, optimizer)
            from ptst.train.schedulers import make_epoch_decay

            per_rank = math.ceil(len(self.train_dataset) / (self.args.train_batch_size * max(1, self.args.world_size)))
            steps_per_epoch = max(1, math.ceil(per_rank / self.args.gradient_accumulation_steps))
            self.lr_scheduler = make_epoch_decay(optimizer or self.optimizer, steps_per_epoch, cfg.lr_decay_gamma,
                                                 self.args.get_warmup_steps(num_training_steps))
            self._created_lr_scheduler = True
            return self.lr_scheduler

    return PtstTrainer


def _callbacks(cfg: TrainConfig, run_dir: Path, manifest: dict[str, Any], session_start: float,
               wall_before: float) -> list[Any]:
    from transformers import TrainerCallback

    class SaveSchedule(TrainerCallback):
        """Checkpoint at every epoch end and/or every ``save_steps``; log at every save and at the last step so
        that logging windows restart at checkpoints (a resumed run then logs the same losses)."""

        last_saved = -1

        def _save(self, state, control):
            if state.global_step != self.last_saved and state.global_step > 0:
                control.should_save = True
                control.should_log = True

        def on_step_end(self, args, state, control, **kw):
            if cfg.save_steps and state.global_step % cfg.save_steps == 0:
                self._save(state, control)
            if state.global_step >= state.max_steps:
                control.should_log = True
            return control

        def on_epoch_end(self, args, state, control, **kw):
            if cfg.save_every_epoch:
                self._save(state, control)
            return control

        def on_save(self, args, state, control, **kw):
            self.last_saved = state.global_step
            return control

    class ManifestAndLog(TrainerCallback):
        """Record each completed checkpoint in the manifest (rank 0) and print progress to stderr."""

        def __init__(self):
            self.t0 = time.perf_counter()

        def on_log(self, args, state, control, logs=None, **kw):
            if not state.is_world_process_zero or not logs or "loss" not in logs:
                return
            manifest["loss_history"].append({"step": state.global_step, "epoch": round(float(state.epoch or 0), 4),
                                             "loss": logs["loss"]})
            el = time.perf_counter() - self.t0
            lr = logs.get("learning_rate")
            log(f"step {state.global_step}/{state.max_steps} epoch {float(state.epoch or 0):.2f} "
                f"loss {logs['loss']:.4f}" + (f" lr {lr:.3g}" if lr is not None else "") + f" ({el:.0f} s)")

        def on_save(self, args, state, control, **kw):
            if not state.is_world_process_zero:
                return
            ck = Checkpoint(run_dir / CHECKPOINTS / f"checkpoint-{state.global_step}", state.global_step,
                            float(state.epoch or 0))
            add_checkpoint(manifest, ck, run_dir)
            manifest["wall_time_s"] = round(wall_before + time.perf_counter() - session_start, 2)
            write_manifest(run_dir, manifest)
            log(f"checkpoint {ck.path.relative_to(run_dir)} (step {ck.step}, epoch {ck.epoch:.2f})")

    return [SaveSchedule(), ManifestAndLog()]


# ---- the run -------------------------------------------------------------------------------------------------------


def _run(prep: _Prepared, resume: bool, extra_callbacks: Sequence[Any] | None, force: bool = False) -> TrainResult:
    import torch
    from accelerate import PartialState
    from transformers import PrinterCallback, set_seed

    cfg = prep.cfg
    run_dir = cfg.run_dir()
    warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
    if str(run_dir).strip() in ("", "."):
        raise PtstError("output_dir must name a directory for the run")
    s = prep.summary
    log(f"{s.n_examples} examples ({s.n_task} task + {s.n_safety} safety; {s.tokens} tokens, {s.loss_tokens} with "
        f"loss; template {cfg.template}, format {cfg.format})")

    args = _training_args(cfg, run_dir, cfg.padding_free)  # also sets up the process group under a launcher
    dist = PartialState()
    action, manifest = _decide(run_dir, prep, resume, force)
    dist.wait_for_everyone()  # every rank has read the directory before rank 0 writes to it
    if action == "reuse":
        log(f"reusing the finished run in {run_dir} (same config, data and model)")
        return _result_from_manifest(run_dir, manifest, reused=True)

    resume_from: Path | None = None
    resumed_step: int | None = None
    if action == "resume":
        assert manifest is not None
        if dist.is_main_process:
            _clean_unrecorded_checkpoints(run_dir, manifest)
        recorded = checkpoints_of(manifest, run_dir)
        if recorded:
            resume_from, resumed_step = recorded[-1].path, recorded[-1].step
        log(f"resuming {run_dir} from " + (f"step {resumed_step}" if recorded else "the start (no checkpoint yet)"))
    else:
        manifest = _new_manifest(prep, run_dir, args.world_size)
    manifest["sessions"].append({"started_at": now_iso(), "resumed_from_step": resumed_step,
                                 "world_size": args.world_size})
    wall_before = float(manifest.get("wall_time_s") or 0.0)
    session_start = time.perf_counter()
    if dist.is_main_process:
        run_dir.mkdir(parents=True, exist_ok=True)
        write_manifest(run_dir, manifest)
    dist.wait_for_everyone()

    set_seed(cfg.seed)  # LoRA initialisation is random: seed it like the rest of the run
    model = _load_model(cfg)
    padding_free = cfg.padding_free
    if padding_free and not packing_supported(model):
        log("this model does not keep flattened examples apart; using length-grouped padded batches instead")
        padding_free = False
        args = _training_args(cfg, run_dir, padding_free)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    manifest["model"].update({"parameters": total, "trainable_parameters": trainable})
    manifest["batching"] = "padding-free (flattened)" if padding_free else "padded, grouped by length"

    Trainer = _trainer_class()
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=FeatureDataset(prep.features),
        data_collator=make_collator(prep.tokenizer, padding_free),
        processing_class=prep.tokenizer,
        callbacks=[*_callbacks(cfg, run_dir, manifest, session_start, wall_before), *(extra_callbacks or [])],
    )
    trainer.ptst_cfg = cfg
    trainer.remove_callback(PrinterCallback)  # it prints log dicts to stdout; progress goes to stderr instead
    restore_threads = _fit_cpu_threads(cfg)
    try:
        with torch.enable_grad():  # ptst.models.load_model turns autograd off process-wide for inference
            out = trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    finally:
        if restore_threads:
            torch.set_num_threads(restore_threads)

    final_dir = run_dir / FINAL
    trainer.save_model(str(final_dir))
    if dist.is_main_process:  # a pickle of the TrainingArguments; the manifest records them, keep final/ pickle-free
        (final_dir / "training_args.bin").unlink(missing_ok=True)
    state = trainer.state
    losses = [h["loss"] for h in state.log_history if "loss" in h]
    final_loss = float(losses[-1]) if losses else None
    digest = None if (trainer.is_fsdp_enabled or trainer.is_deepspeed_enabled) else weights_digest(trainer.model)
    if args.world_size > 1:
        print(f"ptst train: rank {args.process_index}/{args.world_size}: final loss {final_loss} "
              f"weights sha256 {digest}", file=sys.stderr, flush=True)
    final = Checkpoint(final_dir, state.global_step, float(state.epoch or 0))
    manifest.update({
        "status": "finished",
        "finished_at": now_iso(),
        "wall_time_s": round(wall_before + time.perf_counter() - session_start, 2),
        "final": final.to_json(run_dir),
        "final_loss": final_loss,
        "final_weights_sha256": digest,
        "global_step": state.global_step,
        "train_runtime_s": round(float(out.metrics.get("train_runtime", 0.0)), 2),
    })
    manifest["sessions"][-1]["ended_at"] = now_iso()
    dist.wait_for_everyone()
    if dist.is_main_process:
        write_manifest(run_dir, manifest)
    dist.wait_for_everyone()
    if not dist.is_main_process:  # rank 0 kept the checkpoint list; read it back so every rank returns the same
        manifest = read_manifest(run_dir) or manifest
    log(f"done: final loss {final_loss}, {len(manifest['checkpoints'])} checkpoints, final weights in {final_dir}")
    return _result_from_manifest(run_dir, manifest, reused=False)


__all__ = ["IGNORE_INDEX", "TrainResult", "packing_supported", "prepare_data", "train", "train_on_examples",
           "weights_digest"]
