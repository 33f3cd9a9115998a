"""``ptst run``: run a whole study (every fine-tuning, every evaluation, the results table and the report)."""

from __future__ import annotations

from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run_cmd(
        spec: Optional[str] = typer.Argument(
            None, help="Study spec YAML. Without one, runs the built-in offline study (aligned tiny model, built-in data)."
        ),
        out: Optional[str] = typer.Option(None, "--out", "-o", help="Study directory (default: runs/<spec name>)."),
        dry_run: bool = typer.Option(
            False, "--dry-run", help="Print the plan (trainings, generations, judge calls, judge cost); load nothing."
        ),
        validate_only: bool = typer.Option(False, "--validate", help="Only check the spec; print 'ok' or the error."),
        wait: bool = typer.Option(False, "--wait", help="If another ptst run holds the study directory, wait for it."),
        cache: Optional[str] = typer.Option(
            None, "--cache", help="SQLite cache of generations/judgments (default: DIR/cache.sqlite)."
        ),
        no_report: bool = typer.Option(False, "--no-report", help="Skip writing report.md/report.html at the end."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
        recheck: bool = typer.Option(
            False, "--recheck", help="Skip the up-to-date shortcut of a finished study: go through every stage "
            "(finished work still comes from the cache and the run directories)."),
        executor: str = typer.Option("local", "--executor", help="Where trainings and evaluations run: local (this "
                                     "process) or ray (one Ray task each; pip install 'ptst[ray]')."),
        address: Optional[str] = typer.Option(None, "--address", help="With --executor ray: the cluster to join "
                                              "(auto, or HOST:PORT; default: a new local one)."),
        cpus_per_task: float = typer.Option(1.0, "--cpus-per-task", min=0, help="With --executor ray: CPUs per task."),
        gpus_per_task: float = typer.Option(0.0, "--gpus-per-task", min=0, help="With --executor ray: GPUs per task."),
        max_retries: int = typer.Option(3, "--max-retries", min=0, help="With --executor ray: retries of a task whose "
                                        "worker died."),
        as_json: bool = typer.Option(False, "--json", help="With --dry-run: print the counts as JSON."),
        force: bool = typer.Option(
            False, "--force", help="Write into a non-empty --out folder that is not a ptst study (its files that "
            "share a name with a study's are replaced)."),
    ) -> None:
        """Run a whole study (trainings, evaluations, results table, report).

        One fine-tuning per (training template, seed, mixing), then every checkpoint x test template x benchmark x
        judge, plus the un-fine-tuned baseline; writes results.csv/jsonl, items/ and the report. Idempotent and resumable: run it again after any interruption and it finishes without redoing work."""
        from ptst.study import build_plan, builtin_spec_path, count_plan, format_plan, load_spec, run_study

        from ptst.cli.common import refuse_together
        from ptst.errors import PtstError
        from ptst.outputs import check_output, check_study_dir
        from ptst.study.runner import default_out_dir

        refuse_together(validate=validate_only, dry_run=dry_run)
        if as_json and not dry_run:
            raise PtstError("--json prints the --dry-run counts; add --dry-run")
        path = spec or str(builtin_spec_path())
        study = load_spec(path)
        if not (validate_only or dry_run):  # before any work: never write over what the user owns
            out_dir = out or str(default_out_dir(study))
            reads = [path, study.resolve_path(study.templates_file)]
            if cache:
                check_output(cache, reads=reads, option="--cache")
            check_study_dir(out_dir, reads=[*reads, cache], force=force)
        if validate_only:
            typer.echo(f"ok: {path} is a valid study spec ({study.name})")
            return
        if dry_run:
            plan = build_plan(study)
            counts = count_plan(plan)
            if as_json:
                from ptst.cli.common import echo_json

                echo_json({"study": study.name, **counts.as_dict(),
                           "trainings_list": [{"run": r.run_id, "template": r.template, "seed": r.seed,
                                               "mixing": r.mixing} for r in plan.trainings]})
            else:
                typer.echo(format_plan(plan, counts))
            return
        from ptst.report import write_report
        from ptst.study.executors import Resources, get_executor

        ex = get_executor(executor, address, Resources(cpus_per_task, gpus_per_task, max_retries))
        try:
            outcome = run_study(study, out, wait=wait, progress=not quiet, cache_path=cache,
                                report=None if no_report else write_report, reuse=not recheck, executor=ex)
        finally:
            ex.close()
        typer.echo(f"{outcome.out_dir}/results.csv ({len(outcome.rows)} rows, {outcome.seconds:.0f} s)")
        if outcome.headline:
            typer.echo(f"{outcome.headline}; see {outcome.out_dir}/report.html")
