"""``ptst report``: (re)write a study's report.md, report.html and figures from its results."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_cmd(
        out_dir: str = typer.Argument(..., help="Study directory (holds results.jsonl, spec.yaml, manifest.json)."),
    ) -> None:
        """Write a study's report.md and self-contained report.html.

        In the paper's layout: matrices, heatmaps, PTST verdict, scatter, early-stopping curves, harm categories,
        over-refusal; figures as PNG and SVG under DIR/figures/."""
        from pathlib import Path

        from ptst.errors import PtstError
        from ptst.report import write_report

        if not Path(out_dir).is_dir():
            raise PtstError(f"{out_dir}: not a directory")
        paths = write_report(out_dir)
        typer.echo(f"{paths['md']}\n{paths['html']}\n{paths['headline']}")
