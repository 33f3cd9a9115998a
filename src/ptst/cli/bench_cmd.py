"""``ptst bench``: measure generation, training and a whole smoke study, each against a baseline run beside it.

stdout carries only the result (one JSON object with ``--json``, else a table); progress goes to stderr, so
``ptst bench --quick --json > bench.json`` gives valid JSON.
"""

from __future__ import annotations

from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("bench")
    def bench_cmd(
        quick: bool = typer.Option(False, "--quick", help="Smaller baselines and fewer training steps (< 5 min on "
                                                          "2 cores); baselines' rates are extrapolated from subsets."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table."),
        out: Optional[str] = typer.Option(None, "--out", "-o", help="Also write the JSON object to this file."),
        parts: str = typer.Option("generation,training,smoke", "--parts",
                                  help="Comma-separated parts to run: generation, training, smoke, vllm (the vllm "
                                       "backend against hf; needs scripts/setup-vllm.sh)."),
        model: str = typer.Option("smollm2-135m", "--model", hidden=True,
                                  help="Model of the generation and training parts (tests use tiny-random)."),
        prompts: int = typer.Option(64, "--prompts", hidden=True, min=2, help="Generation prompts."),
        new_tokens: int = typer.Option(64, "--new-tokens", hidden=True, min=1, help="New tokens per prompt."),
        train_steps: Optional[int] = typer.Option(None, "--train-steps", hidden=True, min=2,
                                                  help="Training steps per run (first is warm-up)."),
        smoke_spec: Optional[str] = typer.Option(None, "--smoke-spec", hidden=True,
                                                 help="Study spec of the smoke part (default examples/smoke.yaml)."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr."),
    ) -> None:
        """Measure ptst's speed: generation and training against baselines run beside them, and a smoke study
        cold and warm (see docs/performance.md)."""
        import contextlib
        import json
        import sys
        import warnings

        from ptst.bench import BenchOptions, format_table, run_bench
        from ptst.io import atomic_write_json

        if out:  # before the minutes of measuring, not after
            from ptst.outputs import check_output

            check_output(out, reads=[smoke_spec])
        warnings.filterwarnings("ignore", category=FutureWarning)
        log = None if quiet else (lambda m: print(f"ptst bench: {m}", file=sys.stderr, flush=True))
        opts = BenchOptions(quick=quick, model=model, parts=tuple(p.strip() for p in parts.split(",") if p.strip()),
                            gen_prompts=prompts, gen_new_tokens=new_tokens, train_steps=train_steps,
                            smoke_spec=smoke_spec)
        with contextlib.redirect_stdout(sys.stderr):  # a library's print must not break the JSON on stdout
            res = run_bench(opts, log=log)
        if out:
            atomic_write_json(out, res)
        if as_json:
            typer.echo(json.dumps(res))
        else:
            from rich.console import Console

            Console().print(format_table(res))
