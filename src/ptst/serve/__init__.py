"""``ptst serve``: an OpenAI-compatible HTTP server that applies one test template to every request.

This is the "safe testing" half of PTST as a deployment: whatever a client sends, the model sees the chosen
template (e.g. ``chat:llama``, with its safety system prompt) around the client's query. See docs/serve.md.

Modules: :mod:`~ptst.serve.config` (options), :mod:`~ptst.serve.protocol` (OpenAI request/response shapes and the
validation of every field), :mod:`~ptst.serve.engine` (template rendering, token counting, generation),
:mod:`~ptst.serve.batcher` (micro-batching of concurrent requests), :mod:`~ptst.serve.app` (the HTTP routes,
authentication, size limits) and :mod:`~ptst.serve.server` (binding and running uvicorn).
"""

from ptst.serve.config import ServeConfig

__all__ = ["ServeConfig"]
