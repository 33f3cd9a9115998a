"""The HTTP layer of ``ptst serve``: OpenAI routes, bearer-key check, request-size limit, OpenAI-shaped errors.

Routes: ``GET /v1/models``, ``GET /v1/models/{id}``, ``POST /v1/chat/completions``, ``POST /v1/completions``
(both also with ``stream: true``: server-sent events in OpenAI's chunk shape),
``GET /health`` (no key needed; says nothing but "ok"), and with ``expose_prompts`` ``POST /v1/ptst/render``,
which returns the exact prompts the model would see for a chat or completions body, without generating.

The size limit is enforced while the body is read (a declared ``Content-Length`` over the limit is refused before
reading anything; a chunked body is refused as soon as it passes the limit), so an oversized request never sits in
memory. The key comparison is constant-time; the key itself is never logged.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from ptst.errors import PtstError
from ptst.serve.batcher import QueueFull
from ptst.serve.engine import Engine, describe
from ptst.serve.protocol import (
    APIProblem,
    chat_chunks,
    chat_response,
    chat_work,
    completion_chunks,
    completion_response,
    completion_work,
    usage,
)

log = logging.getLogger("ptst.serve")


def error_response(p: APIProblem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(p.body(), status_code=p.status, headers={**(p.headers or {}), **(headers or {})})


class BodyLimit:
    """Pure ASGI middleware: refuse request bodies over ``limit`` bytes with 413, reading at most ``limit + 1``."""

    def __init__(self, app: Any, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        too_big = APIProblem(413, f"request body exceeds the {self.limit}-byte limit of this server",
                             code="request_too_large")
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await error_response(too_big, {"Connection": "close"})(scope, receive, send)
        chunks, size = [], 0
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            body = msg.get("body", b"")
            size += len(body)
            if size > self.limit:
                return await error_response(too_big, {"Connection": "close"})(scope, receive, send)
            chunks.append(body)
            if not msg.get("more_body"):
                break
        replay = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

        async def replay_receive() -> dict:
            return replay.pop() if replay else await receive()

        await self.app(scope, replay_receive, send)


MAX_JSON_DEPTH = 64


def unencodable(body: Any) -> str | None:
    """Why a parsed request cannot be served (text that is not valid Unicode, such as a lone surrogate escape
    ``"\\ud800"``, or nesting deeper than any OpenAI request has), or ``None``; walked without recursion."""
    stack = [(body, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return f"the request body is nested more than {MAX_JSON_DEPTH} levels deep"
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                return "the request contains text that is not valid Unicode (a lone surrogate escape such as \\ud800)"
        elif isinstance(node, dict):
            stack.extend((v, depth + 1) for kv in node.items() for v in kv)
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return None


def create_app(engine: Engine, api_key: str | None = None) -> Any:
    cfg = engine.cfg
    app = FastAPI(title="ptst serve", docs_url=None, redoc_url=None, openapi_url=None)
    started = int(time.time())

    @app.exception_handler(APIProblem)
    async def _problem(request: Request, exc: APIProblem) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s", request.url.path)
        return error_response(APIProblem(500, "internal server error", type_="server_error"))

    @app.middleware("http")
    async def _auth(request: Request, call_next: Any) -> Any:
        path = request.url.path
        if api_key is not None and path != "/health":
            header = request.headers.get("authorization", "")
            scheme, _, given = header.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), api_key.encode()):
                return error_response(APIProblem(401, "missing or invalid API key (send Authorization: Bearer <key>)",
                                                 code="invalid_api_key"))
        return await call_next(request)

    async def body_json(request: Request) -> Any:
        raw = await request.body()
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise APIProblem(400, f"the request body is not valid JSON ({e})") from None
        except RecursionError:
            raise APIProblem(400, "the request body is nested too deeply") from None
        problem = unencodable(body)
        if problem:
            raise APIProblem(400, problem)
        return body

    def check_model(name: str) -> None:
        if name != cfg.name:
            raise APIProblem(404, f"the model '{name}' does not exist on this server (it serves '{cfg.name}')",
                             param="model", code="model_not_found")

    def headers(dropped: int) -> dict[str, str]:
        return {"x-ptst-template": engine.template.name, "x-ptst-dropped-system-messages": str(dropped)}

    async def run(prompts: list[str], work: Any) -> tuple[list[str], list[str], dict[str, int]]:
        counts = [engine.count_prompt(p) for p in prompts]
        if engine.max_context is not None:
            for n in counts:
                if n + work.max_tokens > engine.max_context:
                    raise APIProblem(400, f"this model's context is {engine.max_context} tokens; the prompt (with the "
                                          f"server's template) has {n} and max_tokens is {work.max_tokens}",
                                     param="messages", code="context_length_exceeded")
        try:
            texts = await asyncio.gather(*(engine.complete(p, work.decoding) for p in prompts))
        except QueueFull as e:
            raise APIProblem(503, f"server busy: {e}; retry shortly", type_="server_error", code="overloaded",
                             headers={"Retry-After": "1"}) from None
        except PtstError as e:  # the generator refused this input (e.g. too long): the client's to fix
            raise APIProblem(400, str(e)) from None
        done = [engine.count_completion(t) for t in texts]
        finishes = ["length" if d >= work.max_tokens else "stop" for d in done]
        return list(texts), finishes, usage(sum(counts), sum(done))

    def sse(chunks: list[dict[str, Any]], extra: dict[str, str]) -> StreamingResponse:
        """OpenAI's server-sent events: one ``data:`` line per chunk, then ``data: [DONE]``. The completion is
        generated before the first byte, so a refused or failed request is still an ordinary JSON error."""

        def events() -> Any:
            for c in chunks:
                yield f"data: {json.dumps(c)}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", **extra})

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/models")
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": cfg.name, "object": "model", "created": started, "owned_by": "ptst"}]}

    @app.get("/v1/models/{model_id:path}")
    async def model(model_id: str) -> dict[str, Any]:
        check_model(model_id)
        return {"id": cfg.name, "object": "model", "created": started, "owned_by": "ptst"}

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> JSONResponse:
        body = await body_json(request)
        work = chat_work(body, cfg.max_tokens_limit)
        check_model(body["model"])
        texts, finishes, u = await run([engine.render(work.queries[0])], work)
        if work.stream:
            return sse(chat_chunks(cfg.name, engine.fingerprint, texts[0], finishes[0], u, work.include_usage),
                       headers(work.dropped_system))
        return JSONResponse(chat_response(cfg.name, engine.fingerprint, texts[0], finishes[0], u),
                            headers=headers(work.dropped_system))

    @app.post("/v1/completions")
    async def completions(request: Request) -> JSONResponse:
        body = await body_json(request)
        work = completion_work(body, cfg.max_tokens_limit, cfg.max_prompts_per_request)
        check_model(body["model"])
        texts, finishes, u = await run([engine.render(q) for q in work.queries], work)
        if work.stream:
            return sse(completion_chunks(cfg.name, engine.fingerprint, texts, finishes, u, work.include_usage),
                       headers(0))
        return JSONResponse(completion_response(cfg.name, engine.fingerprint, texts, finishes, u), headers=headers(0))

    if cfg.expose_prompts:
        @app.post("/v1/ptst/render")
        async def render(request: Request) -> dict[str, Any]:
            body = await body_json(request)
            if isinstance(body, dict) and "messages" in body:
                work = chat_work(body, cfg.max_tokens_limit)
            else:
                work = completion_work(body, cfg.max_tokens_limit, cfg.max_prompts_per_request)
            return {**describe(engine), "prompts": [engine.render(q) for q in work.queries],
                    "dropped_system_messages": work.dropped_system}

    app.state.engine = engine
    return BodyLimit(app, cfg.max_request_bytes)
