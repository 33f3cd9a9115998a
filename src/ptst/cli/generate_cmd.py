"""``ptst generate``: render a dataset with a template, generate (cached), write one JSON line per item."""

from __future__ import annotations

from typing import Any, Optional

import typer

from ptst.cli.common import TEMPLATES_FILE_OPTION, load_templates_option


class _Progress:
    """``generate: done/total`` on stderr: rewritten in place on a terminal, a line per ~10% otherwise."""

    def __init__(self, label: str, quiet: bool):
        import sys

        self.label, self.quiet, self.tty = label, quiet, sys.stderr.isatty()
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        if self.quiet or total == 0:
            return
        step = max(1, total // 10)
        if self.tty:
            typer.echo(f"\r{self.label}: {done}/{total}", err=True, nl=done >= total)
        elif done >= total or done // step != self.last // step:
            typer.echo(f"{self.label}: {done}/{total}", err=True)
        self.last = done


def resolve_format(fmt: Optional[str], backend: str, api: str) -> str:
    """The prompt rendering: chat messages for an OpenAI chat endpoint, else the model's own chat template."""
    from ptst.errors import PtstError
    from ptst.templates.base import check_format

    chat_api = backend == "openai" and api == "chat"
    if fmt is None:
        return "openai" if chat_api else "native"
    check_format(fmt)
    if fmt == "openai" and not chat_api:
        raise PtstError("--format openai (chat messages) needs --backend openai --api chat")
    if chat_api and fmt != "openai":
        raise PtstError(f"--api chat sends chat messages; --format {fmt} renders a string: use --api completions")
    return fmt


def register(app: typer.Typer) -> None:
    @app.command("generate")
    def generate_cmd(
        model: str = typer.Option(..., "--model", "-m", help="Model: short name, local dir or hub id (openai: the "
                                                             "served model name)."),
        template: str = typer.Option(..., "--template", "-t", help="Template, e.g. chat:llama (ptst templates list)."),
        data: str = typer.Option(..., "--data", "-d", help="Dataset: NAME, NAME:SPLIT or a .jsonl/.json/.csv path."),
        out: str = typer.Option(..., "--out", "-o", help="Output JSONL file (written atomically)."),
        adapter: Optional[str] = typer.Option(None, "--adapter", help="PEFT adapter directory (hf backend)."),
        path: Optional[str] = typer.Option(None, "--path", "-p", help="Local copy of a named dataset."),
        split: Optional[str] = typer.Option(None, "--split", help="Dataset split (e.g. test)."),
        columns: Optional[str] = typer.Option(None, "--columns", help="Column mapping FIELD=COLUMN,... for files."),
        limit: Optional[int] = typer.Option(None, "--limit", "-n", help="Only the first N records."),
        fmt: Optional[str] = typer.Option(
            None, "--format", help="Rendering: native (model's chat template; default), llama2 (the paper's "
                                   "strings) or openai (chat messages; default and required with --api chat)."),
        backend: str = typer.Option("hf", "--backend", help="Generation backend: hf, openai or vllm."),
        max_new_tokens: int = typer.Option(512, "--max-new-tokens", help="Most new tokens per item (paper: 512)."),
        temperature: float = typer.Option(0.0, "--temperature", help="0 = greedy (the paper's decoding)."),
        top_p: float = typer.Option(1.0, "--top-p", help="Nucleus sampling mass (only when sampling)."),
        seed: int = typer.Option(42, "--seed", help="Sampling seed."),
        stop: Optional[list[str]] = typer.Option(None, "--stop", help="Stop string (repeatable); output is cut there."),
        batch_size: Optional[int] = typer.Option(None, "--batch-size", help="hf: prompts per batch (default 64 on "
                                                                            "CPU, 128 on CUDA)."),
        device: str = typer.Option("auto", "--device", help="hf: auto, cpu, cuda or cuda:N."),
        dtype: str = typer.Option("auto", "--dtype", help="hf, vllm: auto (bf16 on CUDA, else fp32), float32, "
                                                          "bfloat16, "
                                                          "float16."),
        base_url: Optional[str] = typer.Option(None, "--base-url", help="openai: endpoint base URL; vllm: a "
                                                                        "running vLLM server (default: ptst "
                                                                        "starts one)."),
        api_model: Optional[str] = typer.Option(None, "--api-model", help="openai: model name sent to the endpoint "
                                                                          "(default: --model)."),
        api: str = typer.Option("chat", "--api", help="openai: chat or completions."),
        api_key_env: str = typer.Option("OPENAI_API_KEY", "--api-key-env", help="openai: env var holding the key."),
        cache: Optional[str] = typer.Option(None, "--cache", help="SQLite cache file (default: $PTST_CACHE or the "
                                                                  "ptst cache)."),
        no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache."),
        threads: Optional[int] = typer.Option(None, "--threads", help="hf: CPU threads for torch (default: torch's; "
                                                                      "1 is faster on a busy shared machine)."),
        trust_remote_code: bool = typer.Option(False, "--trust-remote-code", help="hf: run the model repo's code."),
        templates: Optional[list[str]] = TEMPLATES_FILE_OPTION,
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr."),
    ) -> None:
        """Generate a completion for every record of a dataset under one template.

        Each output line has id, source, category, instruction (the raw query), prompt (as rendered), response,
        template, model, adapter, format and backend, plus reference when the record has one. Completions are
        cached, so a rerun generates nothing and an interrupted run resumes where it stopped."""
        import time
        from pathlib import Path

        from ptst.data import load_dataset, parse_columns
        from ptst.errors import PtstError
        from ptst.generate.base import Decoding, generate_cached, get_backend, list_backends
        from ptst.io import write_jsonl
        from ptst.templates import get_template

        # validate everything cheap before loading a model
        from ptst.cli.common import at_least_one, cache_file, input_files, refuse_inapplicable, refuse_together
        from ptst.models import check_device_name, check_dtype_name
        from ptst.outputs import check_output

        load_templates_option(templates)
        tpl = get_template(template)
        if backend not in list_backends():
            raise PtstError(f"unknown backend {backend!r}; known: {', '.join(list_backends())}")
        refuse_together(cache=cache, no_cache=no_cache)
        at_least_one(limit=limit)
        refuse_inapplicable(backend, {"base_url": ("openai", "vllm"), "api_model": ("openai",),
                                      "threads": ("hf",), "trust_remote_code": ("hf",)},
                            {"base_url": base_url, "api_model": api_model, "threads": threads,
                             "trust_remote_code": trust_remote_code})
        if backend == "hf":
            check_device_name(device)
        check_dtype_name(dtype)
        check_output(out, reads=[*input_files(data, path), *(templates or []),
                                 *([] if no_cache else [cache_file(cache)])])
        fmt = resolve_format(fmt, backend, api)
        if max_new_tokens < 1:
            raise PtstError(f"--max-new-tokens must be at least 1, got {max_new_tokens}")
        decoding = Decoding(max_new_tokens=max_new_tokens, temperature=temperature, top_p=top_p, seed=seed,
                            stop=tuple(stop or ()))
        if batch_size is not None and batch_size < 1:
            raise PtstError(f"--batch-size must be at least 1, got {batch_size}")
        if threads is not None and threads < 1:
            raise PtstError(f"--threads must be at least 1, got {threads}")
        if adapter and not (Path(adapter).expanduser() / "adapter_config.json").exists():
            raise PtstError(f"{adapter}: not a PEFT adapter directory (no adapter_config.json)")
        if backend == "hf":
            from ptst.models import resolve_model

            resolve_model(model)
        records = load_dataset(data, path=path, split=split, columns=parse_columns(columns), limit=limit)
        if limit is None:
            from ptst.cli.common import warn_if_unlike

            warn_if_unlike(data, split, path, records)

        options: dict[str, Any] = {"adapter": adapter}
        if backend == "hf":
            options.update(device=device, dtype=dtype, batch_size=batch_size, trust_remote_code=trust_remote_code,
                           threads=threads)
        elif backend == "openai":
            options.update(base_url=base_url, api=api, api_key_env=api_key_env)
            if not adapter:
                options.pop("adapter")
        elif backend == "vllm":
            options.update(dtype=dtype, trust_remote_code=trust_remote_code,
                           log_dir=str(Path(out).expanduser().resolve().parent / "vllm-logs"))
            if base_url:
                options["base_url"] = base_url
        else:
            options.update(device=device, batch_size=batch_size)
        be = get_backend(backend, model=(api_model or model) if backend == "openai" else model, **options)
        try:
            tokenizer = None
            if fmt == "native":
                if hasattr(be, "tokenizer"):
                    tokenizer = be.tokenizer
                else:
                    from ptst.models import load_tokenizer

                    tokenizer = load_tokenizer(model, trust_remote_code=trust_remote_code)
            prompts = [tpl.render(r.instruction, fmt, tokenizer) for r in records]
            progress = _Progress("generate", quiet)
            t0 = time.perf_counter()
            store = None
            if no_cache:
                responses = be.generate(prompts, decoding, progress)
            else:
                from ptst.cache import Cache

                store = Cache(Path(cache).expanduser()) if cache else Cache.default()
                responses = generate_cached(be, prompts, decoding, cache=store, progress=progress)
            elapsed = time.perf_counter() - t0
        finally:
            be.close()
            if backend == "vllm":
                from ptst.generate.vllm_backend import close_servers

                close_servers()

        rows = []
        for r, p, text in zip(records, prompts, responses):
            row = {"id": r.id, "source": r.source, "category": r.category, "instruction": r.instruction,
                   "prompt": p, "response": text, "template": tpl.name, "model": model, "adapter": adapter,
                   "format": fmt, "backend": backend}
            if r.reference is not None:
                row["reference"] = r.reference
            rows.append(row)
        write_jsonl(out, rows)
        if not quiet:
            summary = f"generate: wrote {len(rows)} items to {out} in {elapsed:.1f}s"
            if store is not None:
                c = store.counters["generation"]
                summary += f" (cache: {c.hits} hits, {c.computed} generated)"
                store.close()
            typer.echo(summary, err=True)
