"""``ptst export-template``: a Jinja chat template that always applies a ptst test template (PTST in deployment)."""

from __future__ import annotations

from typing import Optional

import typer

from ptst.cli.common import TEMPLATES_FILE_OPTION, load_templates_option


def register(app: typer.Typer) -> None:
    @app.command("export-template")
    def export_template_cmd(
        template: str = typer.Option("chat:llama", "--template", "-t", help="Test template every request gets."),
        model: str = typer.Option(..., "--model", "-m", help="Model whose chat template is built on (short name, "
                                                             "local dir or hub id)."),
        out: Optional[str] = typer.Option(None, "--out", "-o", help="Write here (atomically) instead of stdout."),
        adapter: Optional[str] = typer.Option(None, "--adapter", help="Adapter to be served with it: warns when "
                                                                      "it was trained under this very template."),
        trust_remote_code: bool = typer.Option(False, "--trust-remote-code", help="Run the model repo's code."),
        templates: Optional[list[str]] = TEMPLATES_FILE_OPTION,
    ) -> None:
        """Write MODEL's chat template rewritten to apply TEMPLATE to every conversation: its system prompt
        (client system messages dropped), its user wrapper around the one user message, then the model's own
        format. For `vllm serve MODEL --chat-template FILE` and any engine that reads Hugging Face chat templates;
        the served prompt equals ptst's native rendering. Multi-turn requests are refused (as by ptst serve)."""
        from ptst.io import atomic_write_text
        from ptst.models import load_tokenizer
        from ptst.templates import get_template
        from ptst.templates.export import export_chat_template, ptst_warning

        load_templates_option(templates)
        tpl = get_template(template)
        warning = ptst_warning(adapter, tpl)
        if warning:
            typer.echo(warning, err=True)
        text = export_chat_template(tpl, load_tokenizer(model, trust_remote_code=trust_remote_code))
        if out is None:
            typer.echo(text, nl=False)
            return
        atomic_write_text(out, text)
        typer.echo(f"wrote {out}: serve with e.g. `vllm serve MODEL --chat-template {out}`", err=True)
