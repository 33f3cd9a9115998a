"""``ptst score``: add a judge's or scorer's fields to every line of a JSONL file.

Safety judges (keyword, refusal, rubric, classifier) read ``instruction`` and ``response`` and add ``refused``
and ``harmful`` (plus ``score`` for rubric); helpfulness scorers (gsm8k, math) read ``response`` and
``reference`` and add ``correct`` and ``extracted``. Other fields pass through untouched. Judgments are cached, so
a rerun (or a run after an interruption) judges only what is missing; the output is written atomically.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer

# CLI option -> (scorer option name, scorers that accept it)
_RUBRIC = ("rubric",)
_CLASSIFIER = ("classifier",)
_API = ("rubric",)


def _scorer_options(name: str, given: dict[str, Any]) -> dict[str, Any]:
    """The options for scorer ``name``; an option meant for another scorer is an error, not silently ignored."""
    from ptst.errors import PtstError

    accepts = {
        "judge_model": _RUBRIC, "base_url": _API, "api_key_env": _API, "api_key_file": _API,
        "rubric_path": _RUBRIC, "rubric_url": _RUBRIC, "allow_unpinned_rubric": _RUBRIC, "top_p": _RUBRIC,
        "max_concurrency": _API, "prices": _RUBRIC, "max_retries": _API, "timeout": _API,
        "classifier_model": _CLASSIFIER, "mode": _CLASSIFIER, "positive_label": _CLASSIFIER,
        "label_means": _CLASSIFIER, "input": _CLASSIFIER, "threshold": ("classifier", "refusal"), "device": _CLASSIFIER,
        "batch_size": _CLASSIFIER, "preset": _CLASSIFIER, "prompt_path": _CLASSIFIER,
        "allow_unpinned_prompt": _CLASSIFIER, "max_new_tokens": _CLASSIFIER,
    }
    out = {}
    for key, value in given.items():
        if value is None or value is False:
            continue
        if name not in accepts[key]:
            flag = "--" + key.replace("_", "-")
            flag = {"--input": "--classifier-input", "--prices": "--price", "--mode": "--classifier-mode",
                    "--preset": "--classifier-preset"}.get(flag, flag)
            raise PtstError(f"{flag} does not apply to scorer {name!r} (it is for: {', '.join(accepts[key])})")
        out[key] = value
    return out


def _parse_price(text: str | None) -> tuple[float, float] | None:
    from ptst.errors import PtstError

    if text is None:
        return None
    try:
        a, b = (float(x) for x in text.split(","))
    except ValueError:
        raise PtstError(f"--price must be IN,OUT (USD per 1M prompt and completion tokens), got {text!r}") from None
    return a, b


def read_rows(path: str, fields: tuple[str, ...], scorer: str) -> list[dict[str, Any]]:
    """Rows of a JSONL file, each checked for ``fields`` (errors name the file and line)."""
    from ptst.errors import PtstError
    from ptst.io import iter_jsonl

    rows = []
    for line, obj in iter_jsonl(path):
        for f in fields:
            if f not in obj:
                raise PtstError(f"{path}:{line}: missing field {f!r} (scorer {scorer} reads {', '.join(fields)})")
            if obj[f] is None or isinstance(obj[f], (dict, list, bool)):
                raise PtstError(f"{path}:{line}: field {f!r} must be text, got {type(obj[f]).__name__}")
        rows.append(obj)
    if not rows:
        raise PtstError(f"{path}: no rows to score")
    return rows


def score_rows(scorer: Any, rows: list[dict[str, Any]], cache: Any, progress: Any = None,
               chunk: int = 64) -> tuple[list[dict[str, Any]], list[str]]:
    """Scored rows, in order, and the errors of items whose judgment failed (API errors after retries).

    Every success is cached as soon as its chunk finishes; a failed item gets ``judge_error`` and ``None``
    verdicts in the output and is not cached, so the next run retries exactly those.
    """
    from ptst.cache import judgment_key
    from ptst.errors import PartialResultsError, one_line
    from ptst.judges.base import score_cached

    out: list[dict[str, Any]] = []
    errors: list[str] = []
    ident = scorer.identity()
    for i in range(0, len(rows), chunk):
        part = rows[i : i + chunk]
        try:
            out.extend(score_cached(scorer, part, cache, chunk_size=chunk))
        except PartialResultsError as e:
            keys = [judgment_key(ident, {f: str(r[f]) for f in scorer.inputs}) for r in part]
            found = cache.get_many("judgment", keys)
            first = one_line(e.errors[0], 200) if e.errors else one_line(e, 200)
            for r, k in zip(part, keys):
                if k in found:
                    out.append({**r, **found[k]})
                else:
                    errors.append(first)
                    failed = {"refused": None, "harmful": None, "judge_error": f"api: {first}"}
                    if scorer.kind == "helpfulness":
                        failed = {"correct": None, "extracted": None, "judge_error": f"api: {first}"}
                    out.append({**r, **failed})
        if progress:
            progress(len(out), len(rows))
    return out, errors


def summary_lines(name: str, kind: str, rows: list[dict[str, Any]], scorer: Any, cache: Any,
                  failures: int) -> list[str]:
    from ptst.metrics import mean_score, rate

    field = "correct" if kind == "helpfulness" else "harmful"
    m = rate(r.get(field) for r in rows)
    label = "accuracy" if kind == "helpfulness" else "ASR (harmful)"
    lines = [f"{name}: n={len(rows)}  {label} {m}"]
    if kind != "helpfulness":
        refused = rate(r.get("refused") for r in rows)
        lines.append(f"{name}: refused {refused}")
    parse_failures = sum(1 for r in rows if r.get("judge_error") and not str(r["judge_error"]).startswith("api: "))
    if any("score" in r for r in rows):
        ms = mean_score(rows)
        if ms.value is not None:
            lines.append(f"{name}: mean score {ms.value:.3f} (sd {ms.sd:.3f}, n={ms.n})")
    c = cache.counters["judgment"]
    lines.append(f"{name}: parse failures {parse_failures}, API failures {failures}, cached {c.hits}, judged now {c.computed}")
    spent = getattr(scorer, "spent", None)
    if spent is not None:
        cost = scorer.cost()
        cost_s = f"${cost:.4f}" if cost is not None else "unknown (no price for this judge model; pass --price IN,OUT)"
        lines.append(f"{name}: tokens this run: prompt {spent['prompt_tokens']}, completion {spent['completion_tokens']} "
                     f"in {spent['calls']} calls; estimated cost {cost_s}")
    return lines


def register(app: typer.Typer) -> None:
    @app.command("score")
    def score_cmd(
        scorer: str = typer.Option(..., "--scorer", "-s",
                                   help="keyword | refusal | rubric | classifier (safety); gsm8k | math (helpfulness)."),
        input: str = typer.Option(..., "--input", "-i", help="JSONL to score (instruction+response, or response+reference)."),
        output: str = typer.Option(..., "--output", "-o", help="JSONL to write (input rows plus the scorer's fields)."),
        cache_path: Optional[str] = typer.Option(None, "--cache", help="Judgment cache (SQLite; default: $PTST_CACHE or ~/.cache/ptst/cache.sqlite)."),
        no_cache: bool = typer.Option(False, "--no-cache", help="Judge everything afresh and store nothing."),
        summary: Optional[str] = typer.Option(None, "--summary", help="Also write the metrics (rates with Wilson intervals) as JSON here."),
        judge_model: Optional[str] = typer.Option(None, "--judge-model", help="rubric: judge model (default gpt-4-0613)."),
        base_url: Optional[str] = typer.Option(None, "--base-url", help="rubric: OpenAI-compatible endpoint (default $OPENAI_BASE_URL or OpenAI)."),
        api_key_env: Optional[str] = typer.Option(None, "--api-key-env", help="rubric: environment variable holding the API key (default OPENAI_API_KEY)."),
        api_key_file: Optional[str] = typer.Option(None, "--api-key-file", help="rubric: file whose first line is the API key."),
        rubric_path: Optional[str] = typer.Option(None, "--rubric-path", help="rubric: the Qi et al. template (text, or the reference .py); default $PTST_RUBRIC_PATH or a pinned download."),
        rubric_url: Optional[str] = typer.Option(None, "--rubric-url", help="rubric: download the template from this URL instead (hash still checked)."),
        allow_unpinned_rubric: bool = typer.Option(False, "--allow-unpinned-rubric", help="rubric: use a template whose sha256 differs from the pinned one (warns)."),
        top_p: Optional[float] = typer.Option(None, "--judge-top-p", help="rubric: top_p of the judge call (reference 0; vLLM needs > 0, e.g. 1)."),
        max_concurrency: Optional[int] = typer.Option(None, "--max-concurrency", help="rubric: requests in flight (default 8)."),
        max_retries: Optional[int] = typer.Option(None, "--max-retries", help="rubric: retries per request (default 6)."),
        timeout: Optional[float] = typer.Option(None, "--timeout", help="rubric: seconds per request (default 120)."),
        price: Optional[str] = typer.Option(None, "--price", help="rubric: USD per 1M prompt,completion tokens for the cost estimate (e.g. 30,60)."),
        classifier_model: Optional[str] = typer.Option(None, "--classifier-model", help="classifier: local directory or hub id."),
        mode: Optional[str] = typer.Option(None, "--classifier-mode", help="classifier: sequence (default) or generative (Llama-Guard style)."),
        positive_label: Optional[str] = typer.Option(None, "--positive-label", help="classifier: the label (name or index) of interest."),
        label_means: Optional[str] = typer.Option(None, "--label-means", help="classifier: what --positive-label marks: unsafe or refusal."),
        classifier_input: Optional[str] = typer.Option(None, "--classifier-input", help="classifier: response (default) or pair (instruction, response)."),
        threshold: Optional[float] = typer.Option(None, "--threshold", help="refusal: p(refusal) at or above which a response is a refusal; classifier (generative): p(unsafe) at or above which it is harmful (both 0.5)."),
        device: Optional[str] = typer.Option(None, "--device", help="classifier: auto, cpu, cuda, cuda:1 ..."),
        batch_size: Optional[int] = typer.Option(None, "--batch-size", help="classifier: items per forward pass (8)."),
        preset: Optional[str] = typer.Option(None, "--classifier-preset", help="classifier: a published guard model with its own prompt format and label parsing (llama-guard-3-8b, llama-guard-3-1b, harmbench-llama2-13b, harmbench-mistral-7b, wildguard, qwen3guard-gen-0.6b, distilroberta-rejection)."),
        prompt_path: Optional[str] = typer.Option(None, "--prompt-path", help="classifier preset: the authors' prompt template (text, their .py file or the model card), for presets whose template ptst does not ship."),
        allow_unpinned_prompt: bool = typer.Option(False, "--allow-unpinned-prompt", help="classifier preset: use a prompt file whose sha256 differs from the pinned one (warns)."),
        max_new_tokens: Optional[int] = typer.Option(None, "--max-new-tokens", help="classifier preset: tokens the guard model may generate (default: the preset's)."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary on stderr."),
    ) -> None:
        """Score a JSONL file with a safety judge or a helpfulness scorer and print a summary on stderr."""
        import tempfile

        from ptst.cache import Cache
        from ptst.io import atomic_write_json, write_jsonl
        from ptst.judges import get_scorer
        from ptst.metrics import summarize

        from ptst.cli.common import cache_file, refuse_together
        from ptst.outputs import check_output

        refuse_together(cache=cache_path, no_cache=no_cache)
        if device:
            from ptst.models import check_device_name

            check_device_name(device)
        reads = [input, rubric_path, api_key_file, prompt_path, *([] if no_cache else [cache_file(cache_path)])]
        check_output(output, reads=reads, option="--output")
        if summary:
            check_output(summary, reads=[*reads, output], option="--summary")
        options = _scorer_options(scorer, {
            "judge_model": judge_model, "base_url": base_url, "api_key_env": api_key_env, "api_key_file": api_key_file,
            "rubric_path": rubric_path, "rubric_url": rubric_url, "allow_unpinned_rubric": allow_unpinned_rubric,
            "top_p": top_p, "max_concurrency": max_concurrency, "max_retries": max_retries, "timeout": timeout,
            "prices": _parse_price(price), "classifier_model": classifier_model, "mode": mode,
            "positive_label": positive_label, "label_means": label_means, "input": classifier_input,
            "threshold": threshold, "device": device, "batch_size": batch_size, "preset": preset,
            "prompt_path": prompt_path, "allow_unpinned_prompt": allow_unpinned_prompt, "max_new_tokens": max_new_tokens,
        })
        judge = get_scorer(scorer, **options)
        rows = read_rows(input, judge.inputs, scorer)
        tmp = tempfile.TemporaryDirectory(prefix="ptst-score-") if no_cache else None
        cache = Cache(Path(tmp.name) / "cache.sqlite") if tmp else (Cache(Path(cache_path)) if cache_path else Cache.default())
        progress = None
        if not quiet and sys.stderr.isatty():
            def progress(done: int, total: int) -> None:
                print(f"\r{scorer}: {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)
        try:
            scored, failures = score_rows(judge, rows, cache, progress)
            write_jsonl(output, scored)
            if summary:
                atomic_write_json(summary, {"scorer": scorer, "input": input, "identity": judge.identity(),
                                            **summarize(scored, [scorer])})
            if not quiet:
                for line in summary_lines(scorer, judge.kind, scored, judge, cache, len(failures)):
                    print(line, file=sys.stderr)
        finally:
            judge.close()
            cache.close()
            if tmp:
                tmp.cleanup()
        if failures:
            print(f"ptst: {len(failures)} judgment(s) failed ({failures[0]}); they are marked judge_error in "
                  f"{output}; rerun the same command to retry only those", file=sys.stderr)
            raise typer.Exit(1)
