"""``ptst eval``: generate + score + metrics for one model (or base + adapter) under test templates."""

from __future__ import annotations

from typing import Optional

import typer

from ptst.cli.common import TEMPLATES_FILE_OPTION, load_templates_option


def _split(s: str | None) -> list[str]:
    return [x.strip() for x in (s or "").split(",") if x.strip()]


def register(app: typer.Typer) -> None:
    @app.command("eval")
    def eval_cmd(
        model: str = typer.Option(..., "--model", "-m", help="Model: short name, local dir, hub id, or API model id."),
        adapter: Optional[str] = typer.Option(None, "--adapter", help="PEFT adapter directory (hf backend)."),
        template: str = typer.Option(..., "--template", "-t", help="Test template(s), comma-separated."),
        benchmarks: str = typer.Option(
            ..., "--benchmarks", "-b", help="Datasets, comma-separated (NAME, NAME:SPLIT or a .jsonl/.csv path)."
        ),
        judge: str = typer.Option(
            "keyword", "--judge", "-j",
            help="Judges/scorers, comma-separated; safety judges score safety and benign sets, helpfulness scorers "
                 "(gsm8k, math) score math sets (default for math sets: math for built-in, gsm8k otherwise).",
        ),
        out: str = typer.Option(..., "--out", "-o", help="Output directory (summary.json, items/)."),
        fmt: str = typer.Option("native", "--format", help="Prompt rendering: llama2, native or openai."),
        backend: str = typer.Option("hf", "--backend", help="Generation backend: hf, openai or vllm."),
        limit: Optional[int] = typer.Option(None, "--limit", "-n", help="Items per benchmark."),
        per_category_limit: Optional[int] = typer.Option(None, "--per-category-limit", help="Items per category."),
        max_new_tokens: int = typer.Option(512, "--max-new-tokens", help="Greedy decoding length (paper: 512)."),
        data_path: Optional[list[str]] = typer.Option(
            None, "--data-path", help="Local copy of a named dataset, NAME=PATH (repeatable)."
        ),
        device: str = typer.Option("auto", "--device", help="hf: auto, cpu, cuda, cuda:N."),
        dtype: str = typer.Option("auto", "--dtype", help="hf: auto, float32, bfloat16, float16."),
        batch_size: Optional[int] = typer.Option(None, "--batch-size", help="hf: prompts per batch."),
        base_url: Optional[str] = typer.Option(None, "--base-url", help="openai: endpoint base URL; vllm: a running "
                                                                    "vLLM server (default: ptst starts one)."),
        api: str = typer.Option("chat", "--api", help="openai: chat or completions."),
        api_key_env: str = typer.Option("OPENAI_API_KEY", "--api-key-env", help="openai: env var holding the key."),
        cache: Optional[str] = typer.Option(None, "--cache", help="SQLite cache file (default: the ptst cache)."),
        templates: Optional[list[str]] = TEMPLATES_FILE_OPTION,
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr."),
    ) -> None:
        """Evaluate one model (or base + adapter) under test templates x benchmarks x judges.

        Generates under each test template, scores with each judge and reports rates with Wilson 95% intervals;
        writes OUT/summary.json and OUT/items/<template>/<benchmark>.jsonl."""
        import sys

        from ptst.errors import PtstError
        from ptst.evaluate import EvalTarget, format_metrics, load_benchmark, run_eval
        from ptst.generate.base import Decoding
        from ptst.judges import list_scorers
        from ptst.judges.base import scorer_kind
        from ptst.templates import get_template
        from ptst.templates.base import check_format

        from ptst.cli.common import at_least_one, cache_file, input_files, refuse_duplicates, refuse_inapplicable
        from ptst.models import check_device_name, check_dtype_name
        from ptst.outputs import check_output

        load_templates_option(templates)
        check_format(fmt)
        at_least_one(limit=limit, per_category_limit=per_category_limit, max_new_tokens=max_new_tokens,
                     batch_size=batch_size)
        refuse_inapplicable(backend, {"base_url": ("openai", "vllm"), "device": ("hf",), "dtype": ("hf", "vllm"),
                                      "batch_size": ("hf",)},
                            {"base_url": base_url, "device": None if device == "auto" else device,
                             "dtype": None if dtype == "auto" else dtype, "batch_size": batch_size})
        check_device_name(device)
        check_dtype_name(dtype)
        data_files = [v.split("=", 1)[1].strip() for v in data_path or [] if "=" in v]
        check_output(out, kind="dir", reads=[*input_files(*_split(benchmarks), *data_files), *(templates or []),
                                             cache_file(cache)])
        if fmt == "openai" and backend != "openai":
            raise PtstError("--format openai (chat messages) needs --backend openai")
        tnames = _split(template)
        if not tnames:
            raise PtstError("--template: give at least one template")
        refuse_duplicates("--template", tnames)
        for t in tnames:
            get_template(t)
        judges = _split(judge)
        refuse_duplicates("--judge", judges)
        known = list_scorers()
        for j in judges:
            if j not in known:
                raise PtstError(f"--judge: unknown judge {j!r}; known: {', '.join(known)}")
        safety_j = [j for j in judges if scorer_kind(j) != "helpfulness"]
        help_j = [j for j in judges if scorer_kind(j) == "helpfulness"]
        paths = {}
        for item in data_path or []:
            if "=" not in item:
                raise PtstError(f"--data-path {item!r}: expected NAME=PATH")
            k, v = item.split("=", 1)
            if k.strip() in paths:
                raise PtstError(f"--data-path: {k.strip()!r} is given twice")
            paths[k.strip()] = v.strip()
        names = _split(benchmarks)
        if not names:
            raise PtstError("--benchmarks: give at least one dataset")
        refuse_duplicates("--benchmarks", names)
        benches = []
        for name in names:
            b = load_benchmark(name, path=paths.get(name), limit=limit, per_category_limit=per_category_limit,
                               safety_judges=safety_j or ["keyword"])
            if b.kind == "helpfulness" and help_j:
                b.judges = list(help_j)
            elif b.kind != "helpfulness" and not safety_j and help_j:
                raise PtstError(f"--judge: {name} is a {b.kind} benchmark; add a safety judge (e.g. keyword)")
            benches.append(b)
        opts: dict = {}
        if backend == "hf":
            opts = {"device": device, "dtype": dtype}
            if batch_size:
                opts["batch_size"] = batch_size
        elif backend == "vllm":
            from pathlib import Path

            opts = {"dtype": dtype, "log_dir": str(Path(out).expanduser().resolve() / "vllm-logs")}
            if base_url:
                opts["base_url"] = base_url
        else:
            opts = {"api": api, "api_key_env": api_key_env}
            if base_url:
                opts["base_url"] = base_url
        progress = None
        if not quiet:
            state = {"stage": None}

            def progress(stage: str, done: int, total: int) -> None:
                if stage != state["stage"] or done == total:
                    state["stage"] = stage
                    print(f"[ptst eval] {stage}: {done}/{total}", file=sys.stderr, flush=True)

        target = EvalTarget("eval", model, adapter)
        try:
            summary = run_eval(out, target, tnames, benches, fmt=fmt, backend=backend, backend_options=opts,
                               decoding=Decoding(max_new_tokens=max_new_tokens), cache_path=cache, progress=progress)
        finally:
            if backend == "vllm":
                from ptst.generate.vllm_backend import close_servers

                close_servers()
        typer.echo(format_metrics(summary["metrics"]))
        typer.echo(f"{out}/summary.json")
