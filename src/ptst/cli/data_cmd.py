"""``ptst data``: list the named datasets and show records of any of them."""

from __future__ import annotations

from typing import Optional

import typer

from ptst.cli.common import echo_json


def register(app: typer.Typer) -> None:
    d = typer.Typer(help="List datasets and show their records.", no_args_is_help=True)
    app.add_typer(d, name="data")

    @d.command("list")
    def list_cmd(as_json: bool = typer.Option(False, "--json", help="One JSON object per dataset.")) -> None:
        """List the named datasets (a local .jsonl/.json/.csv path also works wherever a dataset is expected)."""
        from ptst.data import list_sources

        for s in list_sources():
            if as_json:
                echo_json({"name": s.name, "role": s.role, "description": s.description, "splits": list(s.splits),
                           "default_split": s.default_split, "kind": s.benchmark_kind, "offline": s.offline,
                           "origin": s.origin, "license": s.license})
            else:
                typer.echo(f"{s.name:<24} {s.role:<8} {s.description}")

    @d.command("show")
    def show_cmd(
        name: str = typer.Argument(..., help="Dataset name (NAME or NAME:SPLIT) or a local file path."),
        path: Optional[str] = typer.Option(None, "--path", "-p", help="Local copy of a named dataset."),
        split: Optional[str] = typer.Option(None, "--split", help="Split (e.g. train, test)."),
        columns: Optional[str] = typer.Option(
            None, "--columns", help="Column mapping FIELD=COLUMN,... (fields: instruction, reference, category, id)."
        ),
        limit: int = typer.Option(5, "--limit", "-n", help="Records to print."),
        as_json: bool = typer.Option(True, "--json/--text", help="JSON lines (default) or readable text."),
    ) -> None:
        """Print the first records of a dataset, and its size and categories on stderr."""
        from collections import Counter

        from ptst.cli.common import at_least_one, warn_if_unlike
        from ptst.data import load_dataset, parse_columns

        at_least_one(limit=limit)
        records = load_dataset(name, path=path, split=split, columns=parse_columns(columns))
        warn_if_unlike(name, split, path, records)
        cats = Counter(r.category for r in records if r.category)
        summary = f"{name}: {len(records)} records" + (f"; categories: {dict(cats)}" if cats else "")
        typer.echo(summary, err=True)
        for r in records[:limit]:
            if as_json:
                echo_json(r.to_dict())
            else:
                typer.echo(f"[{r.id}] ({r.category or '-'}) {r.instruction}")
                if r.reference:
                    typer.echo(f"    -> {r.reference}")
