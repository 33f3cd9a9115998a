"""``ptst align``: make the default model (or any small chat model) refuse harmful requests, once, cached.

Progress goes to stderr; the last line on stdout is the aligned model's directory, so
``MODEL=$(ptst align | tail -1)`` and then ``ptst run ... --set model=$MODEL`` or ``ptst generate --model $MODEL``.
"""

from __future__ import annotations

from typing import Any, Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("align")
    def align_cmd(
        model: Optional[str] = typer.Option(
            None, "--model", "-m", help="Base model: short name, local directory or HF id (default smollm2-135m)."),
        out: Optional[str] = typer.Option(
            None, "--out", "-o",
            help="Output directory (default: PTST_HOME/models/aligned/<model>-<recipe hash>, reused when present)."),
        config: Optional[str] = typer.Option(None, "--config", "-c", help="YAML file of AlignConfig fields."),
        set_: Optional[list[str]] = typer.Option(
            None, "--set", help="Any recipe field: FIELD=VALUE (repeatable), e.g. --set lr=5e-4."),
        eval_limit: Optional[int] = typer.Option(
            None, "--eval-limit", help="Judge only the first N held-out harmful and benign requests (default all)."),
        force: bool = typer.Option(False, "--force", help="Align again even if the output directory exists."),
        dry_run: bool = typer.Option(
            False, "--dry-run", help="Print the recipe, the number of training examples and the output directory."),
    ) -> None:
        """Align a chat model: refusal training on harmful requests plus helpful answers on benign look-alikes,
        rendered in the model's chat format with and without safety system prompts; LoRA merged into a standalone
        safetensors model. Reports refusal rates on held-out harmful and benign requests before and after.

        The output works as --model in every other command. A second call with the same recipe, data and base
        model prints the cached directory at once.
        """
        import json
        import sys
        from pathlib import Path

        from ptst.align import AlignConfig, align, build_examples, default_output_dir, summary_table
        from ptst.cli.train_cmd import _overrides
        from ptst.config import load_model_yaml, validate

        if out:
            from ptst.outputs import check_output

            check_output(out, kind="dir", reads=[config, model if model and Path(model).expanduser().exists() else None])
        fields: dict[str, Any] = {}
        if model is not None:
            fields["base_model"] = model
        if eval_limit is not None:
            fields["eval_limit"] = eval_limit
        fields.update(_overrides(set_))
        data = load_model_yaml(AlignConfig, config).model_dump(exclude_unset=True) if config else {}
        cfg = validate(AlignConfig, {**data, **fields}, config or "ptst align")
        if dry_run:
            from ptst.models import load_tokenizer, resolve_model

            tok = load_tokenizer(resolve_model(cfg.base_model), padding_side="right")
            typer.echo(json.dumps({"recipe": cfg.model_dump(), "examples": len(build_examples(cfg, tok))}))
            typer.echo(str(out or default_output_dir(cfg)))
            return
        dest = align(cfg, out=out, force=force, log=lambda m: print(m, file=sys.stderr))
        table = summary_table(dest)
        if table:
            print(table, file=sys.stderr)
        sys.stderr.flush()
        typer.echo(str(dest))

