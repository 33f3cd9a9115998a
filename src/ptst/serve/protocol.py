"""The OpenAI request and response shapes ``ptst serve`` speaks, and the checks on every request field.

A request is turned into :class:`Work`: the client's queries (what the template will wrap) and one
:class:`~ptst.generate.base.Decoding`. Anything ptst serve cannot honour exactly is refused with a 4xx in OpenAI's
error shape (``{"error": {"message", "type", "param", "code"}}``) rather than silently ignored:

* ``n`` other than 1, ``stream_options`` without ``stream: true``, ``logprobs``, ``tools``/``functions``, a
  non-text ``response_format``,
  non-zero ``presence_penalty``/``frequency_penalty``, and, for completions, ``echo``, ``suffix``, ``best_of``;
* out-of-range values: ``max_tokens`` outside ``1..max_tokens_limit``, ``temperature`` outside ``0..2``,
  ``top_p`` outside ``0..1``, more than 4 ``stop`` sequences;
* chat conversations that are not a single user turn (see :func:`chat_query`).

Unknown fields that change nothing about the output (``user``, ``metadata``, ``store``...) are accepted and ignored.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, ValidationError

from ptst.config import StrictModel

from ptst.generate.base import Decoding


class APIProblem(Exception):
    """A request ptst serve refuses; rendered as OpenAI's error object with ``status``."""

    def __init__(self, status: int, message: str, param: str | None = None, code: str | None = None,
                 type_: str = "invalid_request_error", headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.param, self.code, self.type = status, message, param, code, type_
        self.headers = headers

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


class _Common(StrictModel):
    model_config = ConfigDict(extra="allow")

    model: str
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    n: int | None = None
    stop: str | list[str] | None = None
    seed: int | None = None
    stream: bool | None = None
    stream_options: dict[str, Any] | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    logprobs: Any = None


class ChatRequest(_Common):
    messages: list[dict[str, Any]]
    max_completion_tokens: int | None = None
    tools: list[Any] | None = None
    functions: list[Any] | None = None
    response_format: dict[str, Any] | None = None
    top_logprobs: int | None = None


class CompletionRequest(_Common):
    prompt: str | list[str]
    echo: bool | None = None
    suffix: str | None = None
    best_of: int | None = None


@dataclass
class Work:
    """What one request asks for: the queries to wrap in the template and how to decode them."""

    queries: list[str]
    decoding: Decoding
    max_tokens: int
    dropped_system: int = 0
    stream: bool = False  # answer as server-sent events (OpenAI's chunk objects, then ``data: [DONE]``)
    include_usage: bool = False  # stream_options.include_usage: a last chunk with the usage and no choices


def parse(model_cls: type[_Common], body: Any) -> _Common:
    if not isinstance(body, dict):
        raise APIProblem(400, "the request body must be a JSON object")
    try:
        return model_cls.model_validate(body)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err.get("loc", ())) or None
        raise APIProblem(400, f"invalid value for '{loc}': {err.get('msg')}", param=loc) from None


def _text_content(content: Any, where: str) -> str:
    """A message's text: a string, or a list of ``{"type": "text", "text": ...}`` parts (joined)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for p in content:
            if not isinstance(p, dict) or p.get("type") != "text" or not isinstance(p.get("text"), str):
                raise APIProblem(400, f"{where}: only text content parts are supported", param=where)
            parts.append(p["text"])
        return "".join(parts)
    raise APIProblem(400, f"{where}: content must be a string or a list of text parts", param=where)


def chat_query(messages: list[dict[str, Any]]) -> tuple[str, int]:
    """The query of a chat request and how many client system messages were dropped.

    The policy: ``system`` and ``developer`` messages are dropped (the template's system prompt replaces them);
    what remains must be exactly one ``user`` message, whose text is the query. Earlier turns are refused, not
    kept: PTST's templates define a single-turn prompt, and an unchecked history is where jailbreak scaffolding
    (fake assistant turns, many-shot examples) would go.
    """
    if not messages:
        raise APIProblem(400, "'messages' must contain a user message", param="messages")
    dropped = 0
    turns = []
    for i, m in enumerate(messages):
        role = m.get("role") if isinstance(m, dict) else None
        if role in ("system", "developer"):
            _text_content(m.get("content"), f"messages.{i}.content")
            dropped += 1
        elif role == "user":
            turns.append(_text_content(m.get("content"), f"messages.{i}.content"))
        elif role in ("assistant", "tool", "function"):
            raise APIProblem(400, "ptst serve answers single-turn requests only: send one user message (earlier "
                                  "assistant/tool turns are not accepted)", param=f"messages.{i}.role")
        else:
            raise APIProblem(400, f"unknown role {role!r}", param=f"messages.{i}.role")
    if len(turns) != 1:
        raise APIProblem(400, f"ptst serve answers single-turn requests only: expected exactly one user message, "
                              f"got {len(turns)}", param="messages")
    return turns[0], dropped


def _decoding(req: _Common, max_tokens: int | None, limit: int) -> tuple[Decoding, int]:
    """The request's decoding, checking every sampling field (greedy unless a temperature > 0 is asked for)."""
    if req.n not in (None, 1):
        raise APIProblem(400, "n > 1 is not supported (one choice per request)", param="n")
    if req.stream_options is not None and not req.stream:
        raise APIProblem(400, "stream_options is only allowed when stream is true", param="stream_options")
    if req.logprobs not in (None, False, 0):
        raise APIProblem(400, "logprobs are not supported", param="logprobs")
    for f in ("presence_penalty", "frequency_penalty"):
        if getattr(req, f) not in (None, 0, 0.0):
            raise APIProblem(400, f"{f} is not supported (only 0)", param=f)
    mt = limit if max_tokens is None else max_tokens
    if not 1 <= mt <= limit:
        raise APIProblem(400, f"max_tokens must be between 1 and {limit} on this server, got {mt}", param="max_tokens")
    t = 0.0 if req.temperature is None else req.temperature
    if not 0 <= t <= 2:
        raise APIProblem(400, f"temperature must be between 0 and 2, got {t}", param="temperature")
    p = 1.0 if req.top_p is None else req.top_p
    if not 0 <= p <= 1:
        raise APIProblem(400, f"top_p must be between 0 and 1, got {p}", param="top_p")
    stop = [req.stop] if isinstance(req.stop, str) else list(req.stop or [])
    if len(stop) > 4 or any(not s for s in stop):
        raise APIProblem(400, "stop must be at most 4 non-empty strings", param="stop")
    if t == 0 or p == 0:  # top_p 0 keeps only the top token: greedy, as the reference judge call uses it
        t, p = 0.0, 1.0
    seed = 42 if req.seed is None else req.seed
    return Decoding(max_new_tokens=mt, temperature=t, top_p=p, seed=seed, stop=tuple(stop)), mt


def chat_work(body: Any, limit: int) -> Work:
    req = parse(ChatRequest, body)
    assert isinstance(req, ChatRequest)
    if req.tools or req.functions:
        raise APIProblem(400, "tools and functions are not supported", param="tools")
    if req.response_format and req.response_format.get("type") not in (None, "text"):
        raise APIProblem(400, "only response_format type 'text' is supported", param="response_format")
    if req.max_tokens is not None and req.max_completion_tokens is not None and req.max_tokens != req.max_completion_tokens:
        raise APIProblem(400, "max_tokens and max_completion_tokens disagree", param="max_tokens")
    query, dropped = chat_query(req.messages)
    mt = req.max_completion_tokens if req.max_completion_tokens is not None else req.max_tokens
    dec, mt = _decoding(req, mt, limit)
    return Work([query], dec, mt, dropped, *_streaming(req))


def completion_work(body: Any, limit: int, max_prompts: int) -> Work:
    req = parse(CompletionRequest, body)
    assert isinstance(req, CompletionRequest)
    if req.echo:
        raise APIProblem(400, "echo is not supported", param="echo")
    if req.suffix:
        raise APIProblem(400, "suffix is not supported", param="suffix")
    if req.best_of not in (None, 1):
        raise APIProblem(400, "best_of is not supported", param="best_of")
    prompts = [req.prompt] if isinstance(req.prompt, str) else list(req.prompt)
    if not prompts:
        raise APIProblem(400, "prompt must not be empty", param="prompt")
    if len(prompts) > max_prompts:
        raise APIProblem(400, f"at most {max_prompts} prompts per request, got {len(prompts)}", param="prompt")
    dec, mt = _decoding(req, req.max_tokens, limit)
    return Work(prompts, dec, mt, 0, *_streaming(req))


def _streaming(req: _Common) -> tuple[bool, bool]:
    return bool(req.stream), bool((req.stream_options or {}).get("include_usage"))


# ---- responses ----------------------------------------------------------------------------------------------------

def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens}


def chat_response(model: str, fingerprint: str, text: str, finish: str, u: dict[str, int]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-" + uuid.uuid4().hex, "object": "chat.completion", "created": int(time.time()),
        "model": model, "system_fingerprint": fingerprint,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish,
                     "logprobs": None}],
        "usage": u,
    }


def completion_response(model: str, fingerprint: str, texts: list[str], finishes: list[str],
                        u: dict[str, int]) -> dict[str, Any]:
    return {
        "id": "cmpl-" + uuid.uuid4().hex, "object": "text_completion", "created": int(time.time()),
        "model": model, "system_fingerprint": fingerprint,
        "choices": [{"index": i, "text": t, "finish_reason": f, "logprobs": None}
                    for i, (t, f) in enumerate(zip(texts, finishes))],
        "usage": u,
    }


# ---- streaming ----------------------------------------------------------------------------------------------------
# ptst serve generates a whole completion in its batch, then sends it in OpenAI's streaming shape: the text split
# at word boundaries into chunks, a last chunk with the finish reason, optionally the usage chunk, then [DONE].

def text_pieces(text: str) -> list[str]:
    """``text`` split before each run of whitespace (joining the pieces gives ``text`` back)."""
    import re

    return re.findall(r"\s*\S+|\s+$", text) or [""]


def _chunker(prefix: str, obj: str, model: str, fingerprint: str,
             include_usage: bool) -> Callable[..., dict[str, Any]]:
    """``chunk(choices, **extra)``: one event of a stream, all of whose events share an id and creation time. With
    ``include_usage`` every event has a ``usage`` field (``null`` but in the usage chunk), as OpenAI sends them."""
    cid, created = prefix + uuid.uuid4().hex, int(time.time())

    def chunk(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        c = {"id": cid, "object": obj, "created": created, "model": model,
             "system_fingerprint": fingerprint, "choices": choices, **extra}
        if include_usage and "usage" not in extra:
            c["usage"] = None
        return c

    return chunk


def chat_chunks(model: str, fingerprint: str, text: str, finish: str, u: dict[str, int],
                include_usage: bool) -> list[dict[str, Any]]:
    chunk = _chunker("chatcmpl-", "chat.completion.chunk", model, fingerprint, include_usage)
    out = [chunk([{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": None,
                   "finish_reason": None}])]
    out += [chunk([{"index": 0, "delta": {"content": p}, "logprobs": None, "finish_reason": None}])
            for p in text_pieces(text) if p]
    out.append(chunk([{"index": 0, "delta": {}, "logprobs": None, "finish_reason": finish}]))
    if include_usage:
        out.append(chunk([], usage=u))
    return out


def completion_chunks(model: str, fingerprint: str, texts: list[str], finishes: list[str], u: dict[str, int],
                      include_usage: bool) -> list[dict[str, Any]]:
    chunk = _chunker("cmpl-", "text_completion", model, fingerprint, include_usage)
    out = []
    for i, (t, f) in enumerate(zip(texts, finishes)):
        out += [chunk([{"index": i, "text": p, "logprobs": None, "finish_reason": None}])
                for p in text_pieces(t) if p]
        out.append(chunk([{"index": i, "text": "", "logprobs": None, "finish_reason": f}]))
    if include_usage:
        out.append(chunk([], usage=u))
    return out
