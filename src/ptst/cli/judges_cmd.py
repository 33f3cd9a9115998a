"""``ptst judges``: list the safety judges and validate one against labelled responses.

``ptst judges validate FILE --judge J`` scores a JSONL of ``{instruction, response, label}`` (label: refusal /
compliance / off_topic, or a boolean ``attack_success``) with judge J and prints accuracy, precision, recall,
Cohen's kappa and the confusion matrix, with Wilson 95% intervals; ``--json`` prints one JSON object instead.
Judgments are cached like ``ptst score``'s. ``ptst judges validate NAME --judge J [--path COPY]`` does the same on
a registered public judge set (``jbb-judge-comparison``, ``xstest-response[:SPLIT]``; :mod:`ptst.data.judge_sets`),
read from its pinned hub revision or a local copy in the source's own layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    judges = typer.Typer(help="Safety judges: list them, validate one against labelled responses.", no_args_is_help=True)
    app.add_typer(judges, name="judges")

    @judges.command("list")
    def list_cmd() -> None:
        """The registered safety judges."""
        from ptst.judges import list_scorers
        from ptst.judges.base import scorer_kind

        for name in list_scorers():
            if scorer_kind(name) == "safety":
                typer.echo(name)

    @judges.command("validate")
    def validate_cmd(
        file: str = typer.Argument(..., help="Labelled JSONL: instruction, response, label (or attack_success); or a "
                                   "public judge set's name: jbb-judge-comparison, xstest-response[:SPLIT]."),
        judge: str = typer.Option("objective", "--judge", "-j", help="Judge to validate (keyword, refusal, objective, objective-cross, rubric, classifier)."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of the table."),
        path: Optional[str] = typer.Option(None, "--path", help="A local copy of the named judge set, in the source's own layout (a file or its folder); default: the pinned hub revision, or $PTST_DATA_DIR/<name>/."),
        data_root: Optional[str] = typer.Option(None, "--data-root", help="Folder of the public benchmarks, for lines that give benchmark+item instead of the request text."),
        cache_path: Optional[str] = typer.Option(None, "--cache", help="Judgment cache (default: $PTST_CACHE or ~/.cache/ptst/cache.sqlite)."),
        no_cache: bool = typer.Option(False, "--no-cache", help="Judge everything afresh and store nothing."),
    ) -> None:
        """Score labelled responses with a judge and print accuracy, precision, recall, kappa and the confusion
        matrix (Wilson 95% intervals)."""
        import tempfile

        from ptst.cache import Cache
        from ptst.cli.common import echo_json
        from ptst.errors import PtstError
        from ptst.judges import get_scorer, score_cached
        from ptst.judges.validation import format_report, validate

        from ptst.judges.base import scorer_kind

        kind = scorer_kind(judge)
        if kind is not None and kind != "safety":
            raise PtstError(f"--judge {judge!r} is a {kind} scorer; validate takes a safety judge")
        rows = _labelled(file, path, data_root)
        scorer = get_scorer(judge)
        tmp = tempfile.TemporaryDirectory(prefix="ptst-validate-") if no_cache else None
        cache = Cache(Path(tmp.name) / "cache.sqlite") if tmp else (Cache(Path(cache_path)) if cache_path else Cache.default())
        try:
            judged = score_cached(scorer, [{"instruction": r["instruction"], "response": r["response"]} for r in rows], cache)
        finally:
            scorer.close()
            if tmp:
                tmp.cleanup()
        res = validate(rows, judged)
        if as_json:
            echo_json({"file": file, "judge": judge, "identity": scorer.identity(), **res})
        else:
            typer.echo(format_report(file, judge, res))


def _labelled(file: str, path: Optional[str], data_root: Optional[str]) -> list[dict]:
    """The labelled rows of a JSONL file, or of a registered public judge set named ``file`` (``--path``: its
    local copy)."""
    from ptst.data.judge_sets import judge_set_names, validation_rows
    from ptst.errors import PtstError
    from ptst.judges.validation import labelled_rows, load_labelled_file

    base = file.partition(":")[0]
    if base in judge_set_names() and not Path(file).exists():
        rows = validation_rows(file, path)
        return labelled_rows(list(enumerate(rows, start=1)), file, data_root)
    if path is not None:
        raise PtstError(f"--path is for a named judge set ({', '.join(judge_set_names())}); {file!r} is a file name")
    if not Path(file).exists():
        raise PtstError(f"{file}: no such file (nor a judge set name: {', '.join(judge_set_names())})")
    return load_labelled_file(file, data_root)
