"""Entry point of the ``ptst`` command.

Each command module under ``ptst.cli`` defines ``register(app)`` and imports heavy libraries (torch,
transformers) inside its commands, so ``ptst --help`` stays fast. A :class:`~ptst.errors.PtstError` raised
anywhere is printed as one line (``ptst: error: ...``) with exit status 2, never as a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import typer
from typer._click import exceptions as _cx  # typer (>= 0.26) carries its own click: the exceptions its apps raise

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
    "ptst.cli.judges_cmd",
    "ptst.cli.eval_cmd",
    "ptst.cli.cache_cmd",
    "ptst.cli.serve_cmd",
    "ptst.cli.export_cmd",
    "ptst.cli.run_cmd",
    "ptst.cli.report_cmd",
    "ptst.cli.compare_cmd",
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


def _interrupted_line(argv: list[str]) -> str:
    """What an interrupted command kept and how to resume it, on one line."""
    import shlex

    from ptst.cache import STORED

    if _verb(argv) == "train " and "openai" not in argv:  # local training resumes from its last checkpoint
        again = argv if "--resume" in argv else [*argv, "--resume"]
        return ("ptst: interrupted; the checkpoints saved so far are kept in the run directory (the steps after the "
                f"last one are redone); continue with: {shlex.join(['ptst', *again])}")
    kept = f"{STORED['generation']} generation(s) and {STORED['judgment']} judgment(s)"
    return (f"ptst: interrupted; {kept} finished in this run are kept in the cache, the rest was not started; "
            f"rerun to resume: {shlex.join(['ptst', *argv])}")


def _on_sigterm(signum, frame):  # a polite kill is handled like Ctrl-C: stop, keep what is done, exit 130
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Run the ``ptst`` command: exit 0, 1 (some items failed, said on stderr), 2 with one ``ptst: error:`` line
    for any user error (usage errors included), or 130 with one line after Ctrl-C / SIGTERM."""
    import signal
    import threading

    quiet_libraries()
    args = list(sys.argv[1:] if argv is None else argv)
    app = build_app()
    old_term = None
    if threading.current_thread() is threading.main_thread():
        old_term = signal.signal(signal.SIGTERM, _on_sigterm)
    code = 0
    try:
        check_repeated_options(app, args)
        code = app(args=args, prog_name="ptst", standalone_mode=False)
    except PtstError as e:
        print(f"ptst: error: {one_line(e, 2000)}", file=sys.stderr)
        code = 2
    except _cx.NoArgsIsHelpError as e:  # `ptst` or `ptst data` alone: the help, as asked
        print(e.format_message())
        code = 0
    except _cx.ClickException as e:  # usage errors: unknown verb, missing or malformed option
        print(f"ptst: error: {one_line(e.format_message(), 2000)} (see 'ptst {_verb(args)}--help')", file=sys.stderr)
        code = 2
    except typer.Abort:  # a confirmation answered no
        print("ptst: aborted", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        code = 130
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
    if code == 130:  # typer turns a KeyboardInterrupt inside a command into exit code 130
        print(_interrupted_line(args), file=sys.stderr)
    sys.exit(code if isinstance(code, int) else 0)


def check_repeated_options(app: typer.Typer, args: list[str]) -> None:
    """Flags mean one thing: an option that takes one value given twice (``--out a --out b``), or both sides
    of an on/off pair (``--lora --full``), is refused instead of the last one silently winning. Options declared
    repeatable (``--stop``, ``--templates``, ``--kind``) accumulate as before."""
    cmd = typer.main.get_command(app)
    i = 0
    while i < len(args) and hasattr(cmd, "commands"):  # walk down to the verb being run
        a = args[i]
        i += 1
        if a.startswith("-"):
            continue
        sub = cmd.commands.get(a)  # type: ignore[attr-defined]
        if sub is None:
            return  # an unknown verb: click reports it
        cmd = sub
    by_opt: dict[str, Any] = {}
    for param in getattr(cmd, "params", []):
        for o in (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())):
            if o.startswith("-"):
                by_opt[o] = param
    seen: dict[str, str] = {}  # param name -> the option string first given for it
    rest = args[i:]
    j = 0
    while j < len(rest):
        tok = rest[j]
        j += 1
        if tok == "--":
            break
        name, eq, _ = tok.partition("=")
        param = by_opt.get(name)
        if param is None:
            continue
        if not getattr(param, "is_flag", False) and not eq:
            j += 1  # skip the option's value (it may look like an option itself)
        if getattr(param, "multiple", False) or getattr(param, "count", False):
            continue
        first = seen.get(param.name)
        if first is not None:
            off = set(getattr(param, "secondary_opts", ()))
            if (first in off) == (name in off):
                raise PtstError(f"{name} is given twice; give it once" if first == name else
                                f"{first} and {name} are the same option, given twice; give it once")
            raise PtstError(f"{first} and {name} contradict each other; give one")
        seen[param.name] = name


def _verb(args: list[str]) -> str:
    """``generate `` when the first argument is a known verb, so the hint points at that verb's help."""
    first = next((a for a in args if not a.startswith("-")), "")
    return f"{first} " if first and first.replace("_", "").isalnum() and first in _verbs() else ""


def _verbs() -> set[str]:
    return {m.rsplit(".", 1)[-1].removesuffix("_cmd") for m in COMMAND_MODULES}


if __name__ == "__main__":
    main()
