"""``ptst serve``: serve a model (+ adapter) over an OpenAI-compatible API with a test template on every request."""

from __future__ import annotations

from typing import Optional

import typer

from ptst.cli.common import TEMPLATES_FILE_OPTION, load_templates_option


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        model: str = typer.Option(..., "--model", help="Model: short name (smollm2-135m, tiny-random), directory or hub id."),
        adapter: Optional[str] = typer.Option(None, "--adapter", help="PEFT adapter directory applied on top (not merged)."),
        template: str = typer.Option("chat:llama", "--template", help="Test template applied to EVERY request."),
        fmt: str = typer.Option("native", "--format", help="native (the model's chat template) or llama2."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: this machine only)."),
        port: int = typer.Option(8000, "--port", help="Port (0: any free port; the URL is printed)."),
        api_key_env: Optional[str] = typer.Option(
            None, "--api-key-env", help="Require 'Authorization: Bearer <key>', the key read from this environment variable."),
        max_request_bytes: int = typer.Option(1 << 20, "--max-request-bytes", help="Larger request bodies get 413."),
        max_tokens_limit: int = typer.Option(512, "--max-tokens-limit", help="Largest max_tokens accepted (and the default)."),
        max_context_tokens: Optional[int] = typer.Option(
            None, "--max-context-tokens", help="Prompt + max_tokens limit (default: the model's max_position_embeddings)."),
        batch_size: int = typer.Option(8, "--batch-size", help="Most concurrent requests generated in one batch."),
        batch_wait_ms: float = typer.Option(5.0, "--batch-wait-ms", help="How long an idle server waits to fill a batch."),
        max_queue: int = typer.Option(1024, "--max-queue", help="Requests waiting beyond this get 503 + Retry-After."),
        device: str = typer.Option("auto", "--device", help="auto, cpu, cuda, cuda:1..."),
        dtype: str = typer.Option("auto", "--dtype", help="auto (bf16 on CUDA where supported, else fp32), float32, bfloat16, float16."),
        served_model_name: Optional[str] = typer.Option(
            None, "--served-model-name", help="Model id clients send (default: the --model value)."),
        cache: bool = typer.Option(False, "--cache/--no-cache", help="Serve repeated requests from the generation cache."),
        expose_prompts: bool = typer.Option(
            False, "--expose-prompts", help="Enable POST /v1/ptst/render, which shows the exact prompt the model sees."),
        log_level: str = typer.Option("info", "--log-level", help="debug, info, warning or error."),
        templates: Optional[list[str]] = TEMPLATES_FILE_OPTION,
    ) -> None:
        """Serve MODEL (+ ADAPTER) over an OpenAI-compatible API (/v1/models, /v1/chat/completions,
        /v1/completions), wrapping every request in TEMPLATE: client system prompts are replaced by the
        template's, so the model is always tested the safe way. Greedy unless a request asks for temperature > 0.
        Prints 'ptst serve: listening on URL' when ready."""
        from ptst.config import validate
        from ptst.serve.config import ServeConfig
        from ptst.serve.server import run
        from ptst.templates import get_template

        load_templates_option(templates)
        cfg = validate(ServeConfig, {
            "model": model, "adapter": adapter, "template": template, "format": fmt, "host": host, "port": port,
            "api_key_env": api_key_env, "max_request_bytes": max_request_bytes, "max_tokens_limit": max_tokens_limit,
            "max_context_tokens": max_context_tokens, "batch_size": batch_size, "batch_wait_ms": batch_wait_ms,
            "max_queue": max_queue, "device": device, "dtype": dtype, "served_model_name": served_model_name, "cache": cache,
            "expose_prompts": expose_prompts, "log_level": log_level,
        }, "ptst serve")
        tpl = get_template(cfg.template)  # an unknown template is reported before the model loads
        from ptst.templates.export import ptst_warning

        warning = ptst_warning(cfg.adapter, tpl)
        if warning:
            typer.echo(warning, err=True)
        run(cfg)
