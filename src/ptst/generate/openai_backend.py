"""The ``openai`` generation backend: any OpenAI-compatible endpoint, chat or completions API.

This is how ptst scales past one machine: point it at ``vllm serve`` (or a cluster behind one URL), a llama.cpp
server, ``ptst serve`` or OpenAI itself. Prompts are chat message lists for the chat API (templates rendered with
``--format openai``) and rendered strings for the completions API.

Decoding maps onto the request as: greedy -> ``temperature: 0``; ``max_new_tokens`` -> ``max_tokens``; ``top_p``
only when sampling; ``seed`` always (OpenAI and vLLM use it for best-effort determinism); ``stop`` when set.

The identity (and so the cache key) is the endpoint URL + model name + API kind. A remote model can change behind
its name (``gpt-4o`` moves to new snapshots), which the cache cannot see: use pinned snapshot names
(``gpt-3.5-turbo-0613``, ``gpt-4o-2024-08-06``) for results you want to keep.
"""

from __future__ import annotations

from typing import Any, Sequence

from ptst.errors import Interrupted, PartialResultsError, PtstError
from ptst.generate.base import Backend, Decoding, Progress, Prompt, register_backend
from ptst.openai_client import ClientConfig, Completion, OpenAICompatClient

APIS = ("chat", "completions")


@register_backend("openai")
class OpenAIBackend(Backend):
    """Generate through an OpenAI-compatible HTTP API with bounded concurrency and retries.

    ``client`` may be given directly (tests pass one with an injected transport or sleep); otherwise one is built
    from the other options. ``extra_params`` are added to every request body (e.g. ``{"max_completion_tokens":
    ...}`` fields some servers want).
    """

    chat_messages = True
    loads_adapters = False  # an adapter is served under its own model name, not sent over HTTP

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        api: str = "chat",
        api_key_env: str = "OPENAI_API_KEY",
        api_key_file: str | None = None,
        max_concurrency: int = 8,
        max_retries: int = 6,
        timeout: float = 60.0,
        extra_params: dict[str, Any] | None = None,
        client: OpenAICompatClient | None = None,
        adapter: str | None = None,
        device: str | None = None,  # accepted for a uniform CLI; the server decides where it runs
        batch_size: int | None = None,  # accepted for a uniform CLI; concurrency is max_concurrency
        **unknown: Any,
    ):
        if unknown:
            raise PtstError(f"backend openai: unknown option(s) {', '.join(sorted(unknown))}")
        if not model:
            raise PtstError("backend openai needs --model (the model name the endpoint serves)")
        if api not in APIS:
            raise PtstError(f"backend openai: api must be one of {', '.join(APIS)}, got {api!r}")
        if adapter:
            raise PtstError("backend openai: --adapter is not sent over HTTP; serve the adapter (e.g. ptst serve "
                            "--adapter, or vLLM's --lora-modules) and pass its served model name as --model")
        self.model = model
        self.api = api
        self.extra_params = dict(extra_params or {})
        self.client = client or OpenAICompatClient(ClientConfig(
            base_url=base_url, api_key_env=api_key_env, api_key_file=api_key_file, timeout=timeout,
            max_retries=max_retries, max_concurrency=max_concurrency,
        ))
        self._owns_client = client is None

    def identity(self) -> dict[str, Any]:
        return {"backend": "openai", "endpoint": self.client.base_url, "model": self.model, "api": self.api}

    def request_params(self, decoding: Decoding) -> dict[str, Any]:
        """The sampling fields of a request body for ``decoding``."""
        p: dict[str, Any] = {"max_tokens": decoding.max_new_tokens, "temperature": decoding.temperature,
                             "seed": decoding.seed}
        if not decoding.greedy:
            p["top_p"] = decoding.top_p
        if decoding.stop:
            p["stop"] = list(decoding.stop)
        p.update(self.extra_params)
        return p

    def generate(self, prompts: Sequence[Prompt], decoding: Decoding, progress: Progress | None = None) -> list[str]:
        """Completions in input order. If some requests still fail after the retry budget, raises
        :class:`PartialResultsError` whose ``partial`` holds every completion that succeeded (``None`` for the
        failures), so :func:`ptst.generate.base.generate_cached` stores them and a rerun asks only for the rest."""
        for i, p in enumerate(prompts):
            self._check_prompt(i, p)
        params = self.request_params(decoding)
        try:
            if self.api == "chat":
                results = self.client.map_chat(self.model, list(prompts), progress=progress, **params)
            else:
                results = self.client.map_complete(self.model, list(prompts), progress=progress, **params)
        except Interrupted as e:  # the answered calls' texts, for generate_cached to store
            raise Interrupted(str(e), partial=[r.text if isinstance(r, Completion) else None
                                               for r in e.partial]) from None
        texts = [r.text if isinstance(r, Completion) else None for r in results]
        errors = [r for r in results if not isinstance(r, Completion)]
        if errors:
            raise PartialResultsError(
                f"{len(errors)} of {len(prompts)} requests to {self.client.base_url} ({self.model}) failed; "
                f"the {len(prompts) - len(errors)} that succeeded are kept, rerun to complete the rest. "
                f"First error: {errors[0]}",
                partial=texts,
                errors=errors,
            )
        return texts  # type: ignore[return-value]

    def _check_prompt(self, i: int, p: Prompt) -> None:
        if self.api == "chat":
            if not isinstance(p, list) or not all(isinstance(m, dict) and "role" in m and "content" in m for m in p):
                raise PtstError(f"prompt {i + 1}: the chat API needs chat messages (render the template with "
                                "--format openai), or use --api completions for text prompts")
        elif not isinstance(p, str):
            raise PtstError(f"prompt {i + 1}: the completions API needs a text prompt (--format llama2 or native), "
                            "or use --api chat for chat messages")

    def close(self) -> None:
        if self._owns_client:
            self.client.close()
