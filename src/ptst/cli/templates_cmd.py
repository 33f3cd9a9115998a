"""``ptst templates``: list, show and render prompt templates."""

from __future__ import annotations

from typing import Optional

import typer

from ptst.cli.common import TEMPLATES_FILE_OPTION, echo_json, load_templates_option


def register(app: typer.Typer) -> None:
    t = typer.Typer(help="List, show and render prompt templates.", no_args_is_help=True)
    app.add_typer(t, name="templates")

    @t.command("list")
    def list_cmd(
        as_json: bool = typer.Option(False, "--json", help="One JSON object per template."),
        templates: Optional[list[str]] = TEMPLATES_FILE_OPTION,
    ) -> None:
        """List every template and whether it carries a safety prompt."""
        from ptst.templates import list_templates

        load_templates_option(templates)
        for tpl in list_templates():
            if as_json:
                echo_json(tpl.summary())
            else:
                flag = "safety" if tpl.has_safety_prompt else "-"
                typer.echo(f"{tpl.name:<22} {tpl.kind:<5} {flag:<7} {tpl.description}")

    @t.command("show")
    def show_cmd(
        name: str = typer.Argument(..., help="Template name, e.g. chat:llama."),
        as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
        templates: Optional[list[str]] = TEMPLATES_FILE_OPTION,
    ) -> None:
        """Show a template's system prompt, user wrapper and renderings of an example query."""
        from ptst.templates import get_template

        load_templates_option(templates)
        tpl = get_template(name)
        if as_json:
            echo_json(tpl.summary())
            return
        s = tpl.summary()
        typer.echo(f"name:          {s['name']}")
        typer.echo(f"kind:          {s['kind']}")
        typer.echo(f"safety prompt: {'yes' if s['safety_prompt'] else 'no'}")
        typer.echo(f"description:   {s['description']}")
        typer.echo(f"system:        {s['system']!r}")
        typer.echo(f"user:          {s['user']!r}")
        typer.echo(f"openai system: {s['openai_system']!r}")
        typer.echo(f"openai user:   {s['openai_user']!r}")
        typer.echo("llama2 rendering of 'QUERY':")
        typer.echo(tpl.render_llama2("QUERY"))

    @t.command("render")
    def render_cmd(
        name: str = typer.Argument(..., help="Template name."),
        query: str = typer.Option(..., "--query", "-q", help="The query to insert (verbatim)."),
        fmt: str = typer.Option("llama2", "--format", "-f", help="llama2 | openai | native."),
        model: Optional[str] = typer.Option(None, "--model", "-m", help="Model whose tokenizer renders 'native'."),
        completion: Optional[str] = typer.Option(None, "--completion", help="Render a training example instead."),
        as_json: bool = typer.Option(False, "--json", help='Print {"prompt": ...} or {"messages": [...]}.'),
        trust_remote_code: bool = typer.Option(False, "--trust-remote-code", help="Allow the tokenizer's own code."),
        templates: Optional[list[str]] = TEMPLATES_FILE_OPTION,
    ) -> None:
        """Render a query (or a training example) with a template."""
        from ptst.templates import get_template
        from ptst.templates.base import check_format

        load_templates_option(templates)
        tpl = get_template(name)
        check_format(fmt)
        tok = None
        if fmt == "native":
            from ptst.models import DEFAULT_MODEL, load_tokenizer

            tok = load_tokenizer(model or DEFAULT_MODEL, trust_remote_code=trust_remote_code)
        if completion is not None:
            ex = tpl.render_example(query, completion, fmt, tok)
            if fmt == "openai":
                out = {"messages": ex.messages}
            else:
                eos = (getattr(tok, "eos_token", None) or "</s>") if ex.add_eos else ""
                out = {"prompt": ex.prompt, "completion": ex.completion + eos}
        else:
            r = tpl.render(query, fmt, tok)
            out = {"messages": r} if fmt == "openai" else {"prompt": r}
        if as_json:
            echo_json(out)
        elif "messages" in out:
            for m in out["messages"]:
                typer.echo(f"[{m['role']}] {m['content']}")
        else:
            typer.echo(out["prompt"] + out.get("completion", ""))
