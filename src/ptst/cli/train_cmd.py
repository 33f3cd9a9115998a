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


def register(app: typer.Typer) -> None:
    @app.command("train")
    def train_cmd(
        config: Optional[str] = typer.Option(None, "--config", "-c", help="YAML config file (CLI flags override it)."),
        preset: Optional[str] = typer.Option(None, "--preset", help="Named preset underneath the config, e.g. paper-llama2."),
        model: Optional[str] = typer.Option(None, "--model", "-m", help="Short name, local directory or HF id [smollm2-135m]."),
        dataset: Optional[str] = typer.Option(None, "--dataset", "-d", help="Dataset name (gsm8k:train, ...) or a local file."),
        dataset_path: Optional[str] = typer.Option(None, "--dataset-path", help="Local copy of a named dataset."),
        columns: Optional[str] = typer.Option(None, "--columns", help="Column mapping instruction=COL,reference=COL."),
        limit: Optional[int] = typer.Option(None, "--limit", help="Use only the first N records."),
        template: Optional[str] = typer.Option(None, "--template", "-t", help="Training template [chat:vanilla]."),
        fmt: Optional[str] = typer.Option(None, "--format", help="llama2 (default, as in the paper), native or openai."),
        templates: Optional[list[str]] = typer.Option(None, "--templates", help="YAML file of extra templates (repeatable)."),
        output_dir: Optional[str] = typer.Option(None, "--output-dir", "-o", help="Run directory [runs/train-<template>-<hash>]."),
        lora: Optional[bool] = typer.Option(None, "--lora/--full", help="LoRA adapter (default) or full fine-tuning."),
        lora_r: Optional[int] = typer.Option(None, "--lora-r", help="LoRA rank [8]."),
        lora_alpha: Optional[float] = typer.Option(None, "--lora-alpha", help="LoRA alpha [16]."),
        lora_dropout: Optional[float] = typer.Option(None, "--lora-dropout", help="LoRA dropout [0.05]."),
        lora_targets: Optional[str] = typer.Option(None, "--lora-targets", help="Comma-separated module names or all-linear."),
        epochs: Optional[float] = typer.Option(None, "--epochs", help="Training epochs [1]."),
        max_steps: Optional[int] = typer.Option(None, "--max-steps", help="Stop after this many optimizer steps."),
        lr: Optional[float] = typer.Option(None, "--lr", help="Learning rate [1e-4]."),
        batch_size: Optional[int] = typer.Option(None, "--batch-size", "-b", help="Examples per step per device [8]."),
        grad_accum: Optional[int] = typer.Option(None, "--grad-accum", help="Gradient accumulation steps [1]."),
        max_length: Optional[int] = typer.Option(None, "--max-length", help="Maximum tokens per example [512]."),
        overlong: Optional[str] = typer.Option(None, "--overlong", help="truncate (default) or drop longer examples."),
        warmup_ratio: Optional[float] = typer.Option(None, "--warmup-ratio", help="Share of steps for linear warm-up [0]."),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", help="linear, cosine, constant, epoch-decay, ..."),
        seed: Optional[int] = typer.Option(None, "--seed", help="Random seed [0]."),
        save_steps: Optional[int] = typer.Option(None, "--save-steps", help="Also checkpoint every N steps."),
        save_every_epoch: Optional[bool] = typer.Option(None, "--save-every-epoch/--no-save-every-epoch",
                                                        help="Checkpoint at every epoch end [on]."),
        safety_data: Optional[str] = typer.Option(None, "--safety-data", help="Safety examples to mix in (safety-tuned-llamas)."),
        safety_data_path: Optional[str] = typer.Option(None, "--safety-data-path", help="Local copy of the safety data."),
        safety_n: Optional[int] = typer.Option(None, "--safety-n", help="How many safety examples to add [all]."),
        safety_fraction: Optional[float] = typer.Option(None, "--safety-fraction", help="Share of the safety set to add."),
        precision: Optional[str] = typer.Option(None, "--precision", help="auto, fp32, bf16 or fp16."),
        device: Optional[str] = typer.Option(None, "--device", help="auto, cpu or cuda."),
        set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other config field: FIELD=VALUE (repeatable)."),
        resume: bool = typer.Option(False, "--resume", help="Continue an unfinished run from its last checkpoint."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Prepare the data, print its summary, do not train."),
        print_config: bool = typer.Option(False, "--print-config", help="Print the resolved config as YAML and exit."),
        list_presets: bool = typer.Option(False, "--list-presets", help="List the presets and exit."),
    ) -> None:
        """Fine-tune a causal LM on a dataset rendered with a training template (LoRA by default).

        The loss is on the completion only. Checkpoints go to RUN/checkpoints/checkpoint-STEP (every epoch and/or
        every --save-steps), the final adapter to RUN/final, and RUN/manifest.json records everything. Running the
        same command again reuses a finished run; --resume continues an interrupted one. Under
        `accelerate launch -m ptst train ...` the same command trains on several processes.
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
