"""``ptst compare``: the paired comparison of two cells of a finished study, item by item."""

from __future__ import annotations

import typer

from ptst.errors import PtstError


def parse_cell(text: str, flag: str) -> tuple[str, str]:
    """``TRAIN/TEST`` -> (train, test); TRAIN is a training template or ``none`` (the un-fine-tuned model)."""
    train, sep, test = text.partition("/")
    if not sep or not train or not test or "/" in test:
        raise PtstError(f"{flag} {text!r}: expected TRAIN/TEST, e.g. chat:vanilla/chat:llama (TRAIN may be none)")
    return train.strip(), test.strip()


def verdict_of(diff: float | None, p: float, alpha: float = 0.05) -> str:
    if diff is None:
        return "no pairs"
    if p < alpha:
        return "a higher" if diff > 0 else "b higher"
    return "inconclusive"


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.1f}%"


def _pts(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:+.1f}"


def register(app: typer.Typer) -> None:
    @app.command("compare")
    def compare_cmd(
        out_dir: str = typer.Argument(..., help="Study directory (holds results.jsonl and items/)."),
        a: str = typer.Option(..., "--a", help="First cell as TRAIN/TEST, e.g. chat:llama/chat:llama; TRAIN may "
                              "be none (the un-fine-tuned model)."),
        b: str = typer.Option(..., "--b", help="Second cell as TRAIN/TEST, e.g. chat:vanilla/chat:llama."),
        benchmark: str = typer.Option(..., "--benchmark", help="Benchmark name as in results.csv."),
        judge: str = typer.Option(None, "--judge", help="Judge (default: the benchmark's first judge)."),
        seed: int = typer.Option(None, "--seed", help="Only this training seed (default: every seed, paired by "
                                 "seed and item)."),
        mixing: bool = typer.Option(False, "--mixing/--no-mixing", help="Fine-tuned cells with safety mixing on."),
        checkpoint: str = typer.Option("final", "--checkpoint", help="Checkpoint of the fine-tuned cells "
                                       "(final, step-N)."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Compare two cells on the items they share: counts of each outcome pair, both rates, the paired
        difference with its 95% interval (Newcombe) and the exact McNemar p-value (two-sided, unadjusted).

        Safety benchmarks count harmful answers (ASR), helpfulness benchmarks correct ones, benign ones
        refusals."""
        from pathlib import Path

        from ptst.cli.common import echo_json
        from ptst.study.claims import PRIMARY, CellRef, Study, compare_cells

        if not Path(out_dir).is_dir():
            raise PtstError(f"{out_dir}: not a directory")
        ta, tb = parse_cell(a, "--a"), parse_cell(b, "--b")
        study = Study(out_dir)
        if benchmark not in study.kinds:
            raise PtstError(f"{out_dir}: no benchmark {benchmark!r}; known: {', '.join(study.kinds) or '(none)'}")
        j = judge or (study.judges.get(benchmark) or [""])[0]
        cells = [CellRef(t[0], t[1], mixing=mixing, checkpoint=checkpoint, seed=seed) for t in (ta, tb)]
        c = compare_cells(study, cells[0], cells[1], benchmark, j)
        r = c.result
        verdict = verdict_of(r.diff, r.p_value)
        counted = PRIMARY.get(c.kind, ("", "harmful"))[1]
        if as_json:
            echo_json({**c.as_dict(), "counted": counted, "verdict": verdict})
            return
        metric = PRIMARY.get(c.kind, ("asr",))[0]
        seeds = [s for s in c.pairing.seeds if s is not None]
        lines = [
            f"{benchmark} ({j}, {metric}): A = {c.a.label}; B = {c.b.label}",
            f"  pairs: {r.n}" + (f" (seeds {', '.join(map(str, seeds))})" if seeds else "")
            + f"; {counted} in both {r.both}, in A only {r.a_only}, in B only {r.b_only}, in neither {r.neither}"
            + (f"; left out: {c.pairing.unpaired} unpaired, {c.pairing.invalid} without a verdict"
               if c.pairing.unpaired or c.pairing.invalid else ""),
            f"  rate A {_pct(r.rate_a)}, rate B {_pct(r.rate_b)}; A - B = {_pts(r.diff)} points, 95% interval "
            f"[{_pts(r.diff_lo)}, {_pts(r.diff_hi)}] (Newcombe, paired)",
            f"  exact McNemar p = {r.p_value:.4g} (two-sided, unadjusted): {verdict}",
        ]
        typer.echo("\n".join(lines))
