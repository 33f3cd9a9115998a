"""Shared CLI helpers."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from ptst.errors import PtstError


def echo_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False))


def load_templates_option(paths: list[str] | None) -> None:
    if paths:
        from ptst.templates import load_templates_file

        for p in paths:
            load_templates_file(p)


TEMPLATES_FILE_OPTION = typer.Option(
    None, "--templates", help="YAML file of extra templates and safety prompts (repeatable)."
)


def fail(msg: str) -> None:
    raise PtstError(msg)


def eprint(msg: str) -> None:
    print(msg, file=sys.stderr)
