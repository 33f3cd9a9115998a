"""The model side of ``ptst serve``: render every query with the server's template, count tokens, generate.

The template is applied here and only here: a query (the client's single user message, or a completions prompt)
is wrapped by :meth:`Engine.render` exactly as ``ptst generate --template T --format F`` would wrap it, so a served
model answers as it was evaluated. Generation goes through the ``hf`` backend (optionally through the generation
cache), driven by one :class:`~ptst.serve.batcher.MicroBatcher` thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Any, Callable

from ptst.errors import PtstError
from ptst.generate.base import Decoding, Prompt
from ptst.serve.batcher import MicroBatcher
from ptst.serve.config import ServeConfig

log = logging.getLogger("ptst.serve")


class Engine:
    """Template + tokenizer + generator. ``generate`` may be injected (tests of the HTTP layer); by default the
    ``hf`` backend for ``cfg.model`` / ``cfg.adapter`` is loaded."""

    def __init__(self, cfg: ServeConfig, generate: Callable[[list[Prompt], Decoding], list[str]] | None = None,
                 identity_key: str | None = None):
        from ptst.models import load_tokenizer
        from ptst.templates import get_template

        self.cfg = cfg
        self.template = get_template(cfg.template)
        self.tokenizer = load_tokenizer(cfg.model)
        self.max_context = cfg.max_context_tokens or _model_context(cfg.model)
        self.backend = None
        if generate is None:
            from ptst.generate import get_backend

            self.backend = get_backend("hf", model=cfg.model, adapter=cfg.adapter, device=cfg.device,
                                       dtype=cfg.dtype, batch_size=cfg.batch_size)
            identity_key = self.backend.identity_key()
            generate = self._backend_generate
        self.identity_key = identity_key or "unknown"
        self.fingerprint = f"ptst-{self.template.name}-{cfg.format}-{self.identity_key[:12]}"
        if cfg.format == "native" and self.template.kind == "chat":
            self.render("probe")  # a tokenizer without a chat template fails at startup, not per request
        if self.backend is not None:  # load the weights now (a bad adapter fails here), not on the first request
            self.backend.generate([self.render("Hello")], Decoding(max_new_tokens=1))
        self.batcher = MicroBatcher(generate, batch_size=cfg.batch_size, max_wait=cfg.batch_wait_ms / 1000.0,
                                    max_queue=cfg.max_queue)
        self._cache = None
        if cfg.cache and self.backend is not None:
            from ptst.cache import Cache

            self._cache = Cache.default()

    def start(self) -> "Engine":
        self.batcher.start()
        return self

    def close(self) -> None:
        self.batcher.stop()
        if self.backend is not None:
            self.backend.close()
        if self._cache is not None:
            self._cache.close()

    def _backend_generate(self, prompts: list[Prompt], decoding: Decoding) -> list[str]:
        if self._cache is not None:
            from ptst.generate import generate_cached

            return generate_cached(self.backend, prompts, decoding, cache=self._cache)
        return self.backend.generate(prompts, decoding)

    # ---- prompts and tokens ------------------------------------------------------------------------------------
    def render(self, query: str) -> str:
        """The exact text the model sees for ``query`` under the server's template and format."""
        return self.template.render(query, self.cfg.format, self.tokenizer)  # type: ignore[return-value]

    def count_prompt(self, prompt: str) -> int:
        from ptst.templates import encode_prompt

        return len(encode_prompt(self.tokenizer, prompt))

    def count_completion(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"]) if text else 0

    async def complete(self, prompt: str, decoding: Decoding) -> str:
        """Queue ``prompt`` for the batcher and wait for its completion without blocking the event loop."""
        fut = self.batcher.submit(prompt, decoding)
        text = await asyncio.wrap_future(fut)
        log.info("prompt sha256=%s chars=%d -> completion chars=%d", hashlib.sha256(prompt.encode()).hexdigest()[:16],
                 len(prompt), len(text))
        return text


def _model_context(model: str) -> int | None:
    """The model's maximum sequence length (``max_position_embeddings``), when its config says."""
    from transformers import AutoConfig

    from ptst.models import resolve_model

    try:
        conf = AutoConfig.from_pretrained(resolve_model(model))
    except (OSError, ValueError) as e:
        raise PtstError(f"cannot read the config of model {model}: {e}") from None
    n = getattr(conf, "max_position_embeddings", None)
    return int(n) if isinstance(n, int) and n > 0 else None


def describe(engine: Engine) -> dict[str, Any]:
    c = engine.cfg
    return {"model": c.model, "adapter": c.adapter, "template": engine.template.name, "format": c.format,
            "safety_prompt": engine.template.has_safety_prompt, "max_tokens_limit": c.max_tokens_limit,
            "max_context_tokens": engine.max_context, "batch_size": c.batch_size}
