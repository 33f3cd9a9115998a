"""``ptst train``: fine-tune a model under a training template (same ``TrainConfig`` as YAML and the Python API).

Progress goes to stderr; the last line on stdout is the run directory, so ``RUN=$(ptst train ... | tail -1)``
works in scripts.
"""

from __future__ import annotations

import inspect
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


def _config_options() -> list[inspect.Parameter]:
    """One option per :class:`~ptst.train.TrainConfig` field that has a description (its help text): the flags are
    generated from the config, so the CLI, YAML and Python API cannot drift apart."""
    from ptst.train.config import cli_flags

    return [inspect.Parameter(f.field, inspect.Parameter.KEYWORD_ONLY, annotation=Optional[f.type],
                              default=typer.Option(None, *f.decls, help=f.help)) for f in cli_flags()]


def register(app: typer.Typer) -> None:
    def train_cmd(
        config: Optional[str] = _opt("--config", "-c", "YAML config file (CLI flags override it)."),
        preset: Optional[str] = _opt("--preset", "Named preset underneath the config, e.g. paper-llama2."),
        *,
        set_: Optional[list[str]] = _opt("--set", "Any other config field: FIELD=VALUE (repeatable)."),
        resume: bool = typer.Option(False, "--resume", help="Continue an unfinished run from its last checkpoint."),
        force: bool = typer.Option(
            False, "--force", help="Write into a non-empty --output-dir that is not a ptst training run (its files "
            "are kept; the run's manifest.json, checkpoints/ and final/ go beside them)."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Prepare the data, print its summary, do not train."),
        print_config: bool = typer.Option(False, "--print-config", help="Print the resolved config as YAML and exit."),
        list_presets: bool = typer.Option(False, "--list-presets", help="List the presets and exit."),
        backend: str = typer.Option(
            "hf", "--backend", help="hf (local transformers/PEFT, default) or openai (the OpenAI fine-tuning API)."),
        job_id: Optional[str] = _opt("--job-id", "openai: follow an existing fine-tuning job instead of creating one."),
        suffix: Optional[str] = _opt("--suffix", "openai: suffix of the fine-tuned model's name."),
        base_url: Optional[str] = _opt("--base-url", "openai: API base URL (default $OPENAI_BASE_URL or OpenAI)."),
        api_key_env: Optional[str] = _opt("--api-key-env", "openai: environment variable holding the API key."),
        api_key_file: Optional[str] = _opt("--api-key-file", "openai: file holding the API key."),
        **fields: Any,
    ) -> None:
        """Fine-tune a causal LM on a dataset rendered with a training template (LoRA by default).

        The loss is on the completion only.
        Checkpoints: RUN/checkpoints/checkpoint-STEP (every epoch and/or every --save-steps).
        Final adapter: RUN/final. Record of the run: RUN/manifest.json.
        The same command again reuses a finished run; --resume continues an interrupted one.
        Several processes: accelerate launch --config_file examples/accelerate/ddp.yaml -m ptst train ...
        OpenAI fine-tuning (GPT-3.5 as in the paper): --backend openai --model gpt-3.5-turbo-0613 (key from
        $OPENAI_API_KEY); the last line is then the fine-tuned model id (the manifest path for --dry-run).
        """
        import json
        import sys

        from ptst.errors import PtstError
        from ptst.train import PRESETS, TrainConfig

        if list_presets:
            from ptst.train.presets import PRESET_DESCRIPTIONS

            for name in sorted(PRESETS):
                typer.echo(f"{name:<16} {PRESET_DESCRIPTIONS.get(name, '')}")
            return
        overrides = {k: v for k, v in fields.items() if v not in (None, [], ())}  # an unused repeatable flag: empty
        if backend == "openai":
            if force:
                raise PtstError("--force only applies to --backend hf")
            return _openai(overrides, set_, config, preset, dry_run, job_id, suffix, base_url, api_key_env,
                           api_key_file)
        if backend != "hf":
            raise PtstError(f"--backend {backend!r}: expected hf or openai")
        stray = [f for f, v in (("--job-id", job_id), ("--suffix", suffix), ("--base-url", base_url),
                                ("--api-key-env", api_key_env), ("--api-key-file", api_key_file)) if v is not None]
        if stray:
            raise PtstError(f"{stray[0]} only applies to --backend openai")
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
        from ptst.outputs import check_own_dir
        from ptst.train.manifest import MANIFEST, manifest_path

        # a file there, an unwritable folder, or someone else's files: one line before anything loads
        check_own_dir(cfg.run_dir(), ours=lambda d: manifest_path(d).is_file(), what="ptst training run",
                      marker=MANIFEST, reads=[config, getattr(cfg, "dataset_path", None)], force=force,
                      option="--output-dir")
        from ptst.train import train

        from ptst.train.dataset import is_main_rank

        result = train(cfg, resume=resume, force=force)
        sys.stderr.flush()
        if is_main_rank():  # under accelerate launch, print the run directory once
            typer.echo(str(result.run_dir))

    # the signature typer reads: --config/--preset, then one option per TrainConfig field, then the run options
    sig = inspect.signature(train_cmd)
    own = [p for p in sig.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
    train_cmd.__signature__ = sig.replace(parameters=[*own[:2], *_config_options(), *own[2:]])  # type: ignore[attr-defined]
    app.command("train")(train_cmd)


# ptst train flags that mean the same for the OpenAI fine-tuning API (CLI name -> OpenAIFinetuneConfig field)
_OPENAI_FIELDS = {"model": "model", "dataset": "dataset", "dataset_path": "dataset_path", "limit": "limit",
                  "template": "template", "output_dir": "output_dir", "epochs": "n_epochs", "seed": "seed",
                  "safety_data": "safety_data", "safety_data_path": "safety_data_path", "safety_n": "safety_n",
                  "safety_fraction": "safety_fraction", "columns": "columns"}


def _openai(overrides: dict[str, Any], set_: list[str] | None, config: str | None, preset: str | None,
            dry_run: bool, job_id: str | None, suffix: str | None, base_url: str | None, api_key_env: str | None,
            api_key_file: str | None) -> None:
    """``ptst train --backend openai``: the same data options, sent to the OpenAI fine-tuning API."""
    from ptst.errors import PtstError
    from ptst.train.openai_ft import finetune_from_cli

    if config or preset:
        raise PtstError("--config/--preset describe local training; with --backend openai pass the options as flags")
    unsupported = sorted(k for k in overrides if k not in _OPENAI_FIELDS)
    if unsupported:
        raise PtstError(f"--{unsupported[0].replace('_', '-')} has no meaning for --backend openai "
                        "(OpenAI chooses the hyperparameters except epochs)")
    kwargs: dict[str, Any] = {_OPENAI_FIELDS[k]: v for k, v in overrides.items()}
    if isinstance(kwargs.get("columns"), str):
        from ptst.data import parse_columns

        kwargs["columns"] = parse_columns(kwargs["columns"])
    if isinstance(kwargs.get("n_epochs"), float):
        if not kwargs["n_epochs"].is_integer():
            raise PtstError(f"--epochs {kwargs['n_epochs']}: the OpenAI API takes a whole number of epochs")
        kwargs["n_epochs"] = int(kwargs["n_epochs"])
    kwargs.update(_overrides(set_))
    extra = {"job_id": job_id, "suffix": suffix, "base_url": base_url, "api_key_env": api_key_env,
             "api_key_file": api_key_file, "dry_run": dry_run or None}
    kwargs.update({k: v for k, v in extra.items() if v is not None})
    finetune_from_cli(**kwargs)
