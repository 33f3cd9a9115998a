"""docs/cli.md is the command reference generated from the CLI by scripts/gen_cli_docs.py: it must be current,
complete, and independent of the terminal it was generated in."""

from __future__ import annotations

import importlib.util

import typer

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "gen_cli_docs.py"
DOC = REPO / "docs" / "cli.md"


def _gen():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _commands(cmd, ctx, path):
    """(path, command, context) for every command and group of the app, depth first."""
    yield path, cmd, ctx
    if hasattr(cmd, "list_commands"):
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            yield from _commands(sub, sub.context_class(sub, info_name=name, parent=ctx), [*path, name])


def test_cli_docs_are_current():
    text = _gen().render()
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert current == text, "docs/cli.md is stale: run `python scripts/gen_cli_docs.py`"


def test_cli_docs_cover_every_command_and_option():
    from ptst.cli.main import build_app

    text = _gen().render()
    group = typer.main.get_command(build_app())
    seen = 0
    for path, cmd, ctx in _commands(group, group.context_class(group, info_name="ptst"), ["ptst"]):
        name = " ".join(path)
        head = f"## `{name}`\n"
        assert head in text, f"no section for {name}"
        section = text.split(head, 1)[1].split("\n## `", 1)[0]
        assert f"Usage: {name} " in section
        for param in cmd.get_params(ctx):
            for opt in param.opts + param.secondary_opts:
                if param.param_type_name == "option" and not getattr(param, "hidden", False):
                    assert opt in section, f"{name}: option {opt} missing from docs/cli.md"
        seen += 1
    assert seen > 10  # the app has a dozen verbs plus the subcommands of templates/data/cache


def test_cli_docs_ignore_terminal_and_home(monkeypatch, tmp_path):
    gen = _gen()
    base = gen.render()
    monkeypatch.setenv("COLUMNS", "37")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert gen.render() == base
    assert "\x1b[" not in base
    assert str(tmp_path) not in base
