"""Entry point of the ``ptst`` command.

Each command module under ``ptst.cli`` defines ``register(app)`` and imports heavy libraries (torch,
transformers) inside its commands, so ``ptst --help`` stays fast. A :class:`~ptst.errors.PtstError` raised
anywhere is printed as one line (``ptst: error: ...``) with exit status 2, never as a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer

from ptst import __version__
from ptst.errors import PtstError, one_line

# Command modules, in the order of the pipeline. A new command group is one module and one line here.
COMMAND_MODULES = [
    "ptst.cli.templates_cmd",
    "ptst.cli.data_cmd",
    "ptst.cli.train_cmd",
    "ptst.cli.align_cmd",
    "ptst.cli.generate_cmd",
    "ptst.cli.score_cmd",
    "ptst.cli.eval_cmd",
    "ptst.cli.cache_cmd",
    "ptst.cli.serve_cmd",
    "ptst.cli.run_cmd",
    "ptst.cli.report_cmd",
    "ptst.cli.bench_cmd",
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ptst {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="ptst",
        help="Fine-tune chat LLMs without losing their safety alignment (Pure Tuning, Safe Testing).",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def _root(
        version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
    ) -> None:
        """Fine-tune chat LLMs without losing their safety alignment (Pure Tuning, Safe Testing)."""

    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:  # command group not written yet
                continue
            raise
        mod.register(app)
    return app


def quiet_libraries() -> None:
    """Keep third-party progress bars and advisory warnings out of ptst's output."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")


def main(argv: list[str] | None = None) -> None:
    quiet_libraries()
    app = build_app()
    try:
        app(args=argv, prog_name="ptst", standalone_mode=True)
    except PtstError as e:
        print(f"ptst: error: {one_line(e, 2000)}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("ptst: interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
