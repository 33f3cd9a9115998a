"""``ptst train``: fine-tune a model under a training template (same ``TrainConfig`` as YAML and the Python API).

Progress goes to stderr; the last line on stdout is the run directory, so ``RUN=$(ptst train ... | tail -1)``
works in scripts.
"""

from __future__ import annotations

from typing import Any, Optional

import typer


def _overrides(pairs: list[str] | None) -> dict[str, Any]:
    import yaml

    from ptst.errors import PtstError

    out: dict[str, Any] = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise PtstError(f"--set {pair!r}: expected FIELD=VALUE")
        k, v = pair.split("=", 1)
        try:
            out[k.strip()] = yaml.safe_load(v)
        except yaml.YAMLError:
            out[k.strip()] = v
    return out


def _opt(*flags: str) -> Any:
    """An optional CLI flag whose absence leaves the config (file, preset or default) value in place."""
    *names, help_text = flags
    return typer.Option(None, *names, help=help_text)


def register(app: typer.Typer) -> None:
    @app.command("train")
    def train_cmd(
        config: Optional[str] = _opt("--config", "-c", "YAML config file (CLI flags override it)."),
        preset: Optional[str] = _opt("--preset", "Named preset underneath the config, e.g. paper-llama2."),
        model: Optional[str] = _opt("--model", "-m", "Short name, local directory or HF id (default smollm2-135m)."),
        dataset: Optional[str] = _opt("--dataset", "-d", "Dataset name (gsm8k:train, ...) or a local file."),
        dataset_path: Optional[str] = _opt("--dataset-path", "Local copy of a named dataset."),
        columns: Optional[str] = _opt("--columns", "Column mapping instruction=COL,reference=COL."),
        limit: Optional[int] = _opt("--limit", "Use only the first N records."),
        template: Optional[str] = _opt("--template", "-t", "Training template (default chat:vanilla)."),
        fmt: Optional[str] = _opt("--format", "llama2 (default, as in the paper), native or openai."),
        templates: Optional[list[str]] = _opt("--templates", "YAML file of extra templates (repeatable)."),
        output_dir: Optional[str] = _opt(
            "--output-dir", "-o", "Run directory (default runs/train-<template>-<hash>)."),
        lora: Optional[bool] = _opt("--lora/--full", "LoRA adapter (default) or full fine-tuning."),
        lora_r: Optional[int] = _opt("--lora-r", "LoRA rank (default 8)."),
        lora_alpha: Optional[float] = _opt("--lora-alpha", "LoRA alpha (default 16)."),
        lora_dropout: Optional[float] = _opt("--lora-dropout", "LoRA dropout (default 0.05)."),
        lora_targets: Optional[str] = _opt("--lora-targets", "Comma-separated module names or all-linear."),
        epochs: Optional[float] = _opt("--epochs", "Training epochs (default 1)."),
        max_steps: Optional[int] = _opt("--max-steps", "Stop after this many optimizer steps."),
        lr: Optional[float] = _opt("--lr", "Learning rate (default 1e-4)."),
        batch_size: Optional[int] = _opt("--batch-size", "-b", "Examples per step per device (default 8)."),
        grad_accum: Optional[int] = _opt("--grad-accum", "Gradient accumulation steps (default 1)."),
        max_length: Optional[int] = _opt("--max-length", "Maximum tokens per example (default 512)."),
        overlong: Optional[str] = _opt("--overlong", "truncate (default) or drop longer examples."),
        warmup_ratio: Optional[float] = _opt("--warmup-ratio", "Share of steps for linear warm-up (default 0)."),
        scheduler: Optional[str] = _opt("--scheduler", "linear, cosine, constant, epoch-decay, ..."),
        seed: Optional[int] = _opt("--seed", "Random seed (default 0)."),
        save_steps: Optional[int] = _opt("--save-steps", "Also checkpoint every N steps."),
        save_every_epoch: Optional[bool] = _opt(
            "--save-every-epoch/--no-save-every-epoch", "Checkpoint at every epoch end (default on)."),
        safety_data: Optional[str] = _opt("--safety-data", "Safety examples to mix in (safety-tuned-llamas)."),
        safety_data_path: Optional[str] = _opt("--safety-data-path", "Local copy of the safety data."),
        safety_n: Optional[int] = _opt("--safety-n", "How many safety examples to add (default all)."),
        safety_fraction: Optional[float] = _opt("--safety-fraction", "Share of the safety set to add."),
        precision: Optional[str] = _opt("--precision", "auto, fp32, bf16 or fp16."),
        device: Optional[str] = _opt("--device", "auto, cpu or cuda."),
        set_: Optional[list[str]] = _opt("--set", "Any other config field: FIELD=VALUE (repeatable)."),
        resume: bool = typer.Option(False, "--resume", help="Continue an unfinished run from its last checkpoint."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Prepare the data, print its summary, do not train."),
        print_config: bool = typer.Option(False, "--print-config", help="Print the resolved config as YAML and exit."),
        list_presets: bool = typer.Option(False, "--list-presets", help="List the presets and exit."),
    ) -> None:
        """Fine-tune a causal LM on a dataset rendered with a training template (LoRA by default).

        The loss is on the completion only.
        Checkpoints: RUN/checkpoints/checkpoint-STEP (every epoch and/or every --save-steps).
        Final adapter: RUN/final. Record of the run: RUN/manifest.json.
        The same command again reuses a finished run; --resume continues an interrupted one.
        Several processes: accelerate launch --config_file examples/accelerate/ddp.yaml -m ptst train ...
        """
        import json
        import sys

        from ptst.train import PRESETS, TrainConfig

        if list_presets:
            from ptst.train.presets import PRESET_DESCRIPTIONS

            for name in sorted(PRESETS):
                typer.echo(f"{name:<16} {PRESET_DESCRIPTIONS.get(name, '')}")
            return
        flags = {
            "model": model, "dataset": dataset, "dataset_path": dataset_path, "columns": columns, "limit": limit,
            "template": template, "format": fmt, "templates_files": templates or None, "output_dir": output_dir,
            "lora": lora, "lora_r": lora_r, "lora_alpha": lora_alpha, "lora_dropout": lora_dropout,
            "lora_target_modules": lora_targets, "epochs": epochs, "max_steps": max_steps, "lr": lr,
            "batch_size": batch_size, "grad_accum": grad_accum, "max_length": max_length, "overlong": overlong,
            "warmup_ratio": warmup_ratio, "scheduler": scheduler, "seed": seed, "save_steps": save_steps,
            "save_every_epoch": save_every_epoch, "safety_data": safety_data, "safety_data_path": safety_data_path,
            "safety_n": safety_n, "safety_fraction": safety_fraction, "precision": precision, "device": device,
        }
        overrides = {k: v for k, v in flags.items() if v is not None}
        overrides.update(_overrides(set_))
        if config:
            cfg = TrainConfig.from_yaml(config, **({"preset": preset} if preset else {}), **overrides)
        else:
            cfg = TrainConfig.build(preset=preset, source="ptst train", **overrides)
        if print_config:
            import yaml

            typer.echo(yaml.safe_dump(cfg.model_dump(mode="json"), sort_keys=False).rstrip())
            return
        if dry_run:
            from ptst.train import prepare_data

            prep = prepare_data(cfg)
            typer.echo(json.dumps({**prep.summary.to_dict(), "data_sha256": prep.data_sha256,
                                   "config_sha256": cfg.config_hash()}, ensure_ascii=False))
            typer.echo(str(cfg.run_dir()))
            return
        from ptst.train import train

        from ptst.train.dataset import is_main_rank

        result = train(cfg, resume=resume)
        sys.stderr.flush()
        if is_main_rank():  # under accelerate launch, print the run directory once
            typer.echo(str(result.run_dir))
