"""A small client for any OpenAI-compatible HTTP endpoint (OpenAI, ``vllm serve``, llama.cpp's server, ``ptst serve``).

Why not the ``openai`` SDK: ptst needs one retry policy it controls and can test (the SDK's differs between
versions), per-item failures in concurrent batches instead of one exception for the lot, and the same code path
for chat, completions, files and fine-tuning calls. ``httpx`` does the HTTP.

The policy, in one place (:meth:`OpenAICompatClient.request`):

* retried: HTTP 408, 409, 429 and 5xx, timeouts, refused or dropped connections, and 2xx bodies that are not the
  JSON they should be; never retried: other 4xx (a bad request stays bad);
* the wait before retry ``i`` (0-based) is ``min(backoff_max, backoff_base * 2**i)``, of which the upper half is
  random jitter (so a crowd of clients does not retry in lock-step); a ``Retry-After`` / ``retry-after-ms``
  header (seconds or an HTTP date) replaces it, capped at ``retry_after_max`` (:meth:`OpenAICompatClient.backoff`,
  which callers that retry a whole step themselves, such as creating a fine-tuning job, use too);
* at most ``max_concurrency`` requests are in flight per client (a semaphore, also across threads), and a request
  waiting to retry does not hold a slot;
* after ``max_retries`` retries the call fails with :class:`APIError`, naming the method, endpoint, HTTP status and
  the server's message. The API key never appears in errors, reprs, logs or results (it is also scrubbed from any
  server message that echoes it).

``map_chat``/``map_complete`` return one result per input, in input order: a :class:`Completion`, or the
:class:`APIError` that ended that item, so callers keep (and cache) every success of a partly failed batch.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import math
import os
import random
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence
from urllib.parse import urlsplit

import httpx

from ptst.errors import Interrupted, PtstError, one_line
from ptst.secret_check import ENV_NAME_RE

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.openai.com/v1"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]", "0.0.0.0"})
RETRY_STATUSES = frozenset({408, 409, 429})

Progress = Callable[[int, int], None]


@dataclass
class ClientConfig:
    """Where and how to call. ``base_url=None`` means ``$OPENAI_BASE_URL``, else the OpenAI API.

    The key is read from the environment variable ``api_key_env`` or, if given, from ``api_key_file`` (first line).
    Local endpoints (127.0.0.1, localhost) may need no key; any other endpoint without one is an error.
    """

    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    api_key_file: str | None = None
    timeout: float = 60.0
    max_retries: int = 6
    max_concurrency: int = 8
    backoff_base: float = 1.0
    backoff_max: float = 30.0
    retry_after_max: float = 120.0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise PtstError(f"max_retries must be >= 0, got {self.max_retries}")
        if self.max_concurrency < 1:
            raise PtstError(f"max_concurrency must be >= 1, got {self.max_concurrency}")
        if not self.timeout > 0:
            raise PtstError(f"timeout must be > 0 seconds, got {self.timeout}")
        if self.api_key_env and not ENV_NAME_RE.match(self.api_key_env):  # a key pasted where its variable's name goes
            raise PtstError("api_key_env must name an environment variable (letters, digits, _), not hold the key; "
                            "put the key in a variable, e.g. export OPENAI_API_KEY=..., and pass its name")

    def resolved_base_url(self) -> str:
        url = self.base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PtstError(f"base URL {url!r} is not an http(s) URL (e.g. http://127.0.0.1:8000/v1)")
        if parts.username or parts.password:
            raise PtstError("base URL must not contain credentials; put the key in an environment variable")
        return url.rstrip("/")


@dataclass
class Completion:
    """One generated choice: its text, why it stopped, and the token usage the server reported."""

    text: str
    finish_reason: str | None = None
    usage: dict[str, int] = field(default_factory=dict)
    model: str | None = None


class APIError(PtstError):
    """A request that failed for good (after retries, or at once for a non-retryable 4xx).

    ``status`` is the last HTTP status (``None`` for a network failure), ``endpoint`` the URL (never the key),
    ``attempts`` how many requests were made, ``retry_after`` the seconds the server last asked to wait (if it did).
    """

    def __init__(self, message: str, status: int | None = None, endpoint: str = "", attempts: int = 1,
                 retryable: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.endpoint = endpoint
        self.attempts = attempts
        self.retryable = retryable
        self.retry_after = retry_after


class _Retryable(Exception):
    """Internal: one attempt failed in a way worth retrying."""

    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


def is_local(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.startswith("127.")


def read_api_key(api_key_env: str | None, api_key_file: str | None) -> str | None:
    """The key from ``api_key_file`` (if named) or ``$api_key_env``; ``None`` when neither has one."""
    if api_key_file:
        p = Path(api_key_file).expanduser()
        if not p.is_file():
            raise PtstError(f"{p}: API key file not found")
        lines = p.read_text(encoding="utf-8").strip().splitlines()
        key = lines[0].strip() if lines else ""
        if not key:
            raise PtstError(f"{p}: API key file is empty")
        return key
    if api_key_env:
        key = os.environ.get(api_key_env, "").strip()
        return key or None
    return None


def parse_retry_after(headers: httpx.Headers, now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date); ``None`` if absent."""
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            v = float(ms) / 1000.0
            if math.isfinite(v) and v >= 0:
                return v
        except ValueError:
            pass
    ra = headers.get("retry-after")
    if ra is None:
        return None
    try:
        v = float(ra)
        return v if math.isfinite(v) and v >= 0 else None
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(ra)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class OpenAICompatClient:
    """Thread-safe client with bounded concurrency and retries (see the module docstring).

    ``sleep`` (seconds -> None) and ``rng`` are injectable so tests can record the backoff without waiting;
    ``transport`` lets tests serve recorded exchanges (``httpx.MockTransport``).
    """

    def __init__(
        self,
        config: ClientConfig | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
    ):
        self.config = config or ClientConfig()
        self.base_url = self.config.resolved_base_url()
        key = read_api_key(self.config.api_key_env, self.config.api_key_file)
        if key is None and not is_local(self.base_url):
            where = f"the file {self.config.api_key_file}" if self.config.api_key_file else f"${self.config.api_key_env}"
            raise PtstError(f"no API key for {self.base_url}: set {where} (keys are read only from the environment or a file you name)")
        self.__key = key
        self._cancelled = threading.Event()  # set on Ctrl-C / SIGTERM during a batch: no more requests
        self._sleep = sleep if sleep is not None else self._cancelled.wait  # a backoff wait ends at an interrupt
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.config.max_concurrency)
        timeout = httpx.Timeout(self.config.timeout, connect=min(10.0, self.config.timeout))
        limits = httpx.Limits(max_connections=self.config.max_concurrency,
                              max_keepalive_connections=self.config.max_concurrency)
        self._http = httpx.Client(timeout=timeout, limits=limits, transport=transport)
        self.stats = {"requests": 0, "retries": 0, "failures": 0}
        self._stats_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"OpenAICompatClient(base_url={self.base_url!r}, key={'set' if self.__key else 'none'})"

    @property
    def has_key(self) -> bool:
        return self.__key is not None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "OpenAICompatClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ---- the one request path --------------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        files: Any = None,
        data: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        expect: Callable[[Any], None] | None = None,
        retries: int | None = None,
    ) -> Any:
        """Send one API call with the retry policy and return the parsed JSON body.

        ``expect`` checks the parsed body (raising ``ValueError`` if it lacks what the caller needs); a failed
        check is treated like malformed JSON: retried, then reported. ``retries`` overrides ``max_retries`` for
        this call (0 for a call that must not be repeated blindly, such as creating a paid job).
        """
        url = self.base_url + "/" + path.lstrip("/")
        headers = {"Accept": "application/json"}
        if self.__key:
            headers["Authorization"] = "Bearer " + self.__key
        retries = self.config.max_retries if retries is None else retries
        last: _Retryable | None = None
        for attempt in range(retries + 1):
            if self._cancelled.is_set():  # interrupted: no new call, no retry
                raise _cancelled_error(method, url)
            if attempt:
                self._count("retries")
                self._sleep(self.backoff(attempt - 1, last.retry_after if last is not None else None))
                if self._cancelled.is_set():
                    raise _cancelled_error(method, url)
            try:
                with self._slots:
                    self._count("requests")
                    resp = self._http.request(method, url, json=json_body, files=files, data=data, params=params,
                                              headers=headers)
                return self._parse(resp, method, url, attempt + 1, expect)
            except _Retryable as e:
                last = e
            except httpx.TimeoutException as e:
                last = _Retryable(f"timed out ({type(e).__name__})")
            except (httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError) as e:
                last = _Retryable(f"connection failed ({type(e).__name__}: {self._scrub(one_line(e, 120))})")
            except httpx.DecodingError as e:  # a body that cannot be decoded (bad compression, charset)
                last = _Retryable(f"malformed response body ({type(e).__name__})")
            log.debug("%s %s attempt %d failed: %s", method, url, attempt + 1, last.reason)
        self._count("failures")
        assert last is not None
        status = f"HTTP {last.status} " if last.status else ""
        raise APIError(
            f"{method} {url} failed after {retries + 1} attempt{'s' if retries else ''}: {status}{last.reason}",
            status=last.status, endpoint=url, attempts=retries + 1, retryable=True, retry_after=last.retry_after,
        )

    def _parse(self, resp: httpx.Response, method: str, url: str, attempts: int,
               expect: Callable[[Any], None] | None) -> Any:
        code = resp.status_code
        if code in RETRY_STATUSES or code >= 500:
            raise _Retryable(self._server_message(resp) or resp.reason_phrase or "server error", status=code,
                             retry_after=parse_retry_after(resp.headers))
        if code >= 400:
            msg = self._server_message(resp) or resp.reason_phrase
            raise APIError(f"{method} {url} failed: HTTP {code}: {msg}", status=code, endpoint=url, attempts=attempts)
        try:
            body = resp.json()
            if expect is not None:
                expect(body)
        except (ValueError, KeyError, TypeError, IndexError) as e:
            raise _Retryable(f"malformed response body ({self._scrub(one_line(e, 120))})", status=code) from None
        return body

    def _server_message(self, resp: httpx.Response) -> str:
        """The ``error.message`` of an OpenAI-style error body (or a short excerpt of the body), key scrubbed."""
        try:
            body = resp.json()
            err = body.get("error", body) if isinstance(body, dict) else body
            msg = err.get("message") if isinstance(err, dict) else err
            if msg is None and isinstance(body, dict):
                msg = body.get("detail") or body
            text = msg if isinstance(msg, str) else json.dumps(msg)
        except Exception:
            text = resp.text
        return self._scrub(one_line(text, 240))

    def _scrub(self, text: str) -> str:
        if self.__key and self.__key in text:
            text = text.replace(self.__key, "***")
        return text

    def backoff(self, retry_index: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry ``retry_index`` (0-based): the server's ``Retry-After`` if it sent one
        (capped at ``retry_after_max``), else exponential backoff whose upper half is jitter."""
        c = self.config
        if retry_after is not None:
            return min(retry_after, c.retry_after_max)
        ceiling = min(c.backoff_max, c.backoff_base * (2 ** retry_index))
        with self._rng_lock:
            return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def _count(self, name: str) -> None:
        with self._stats_lock:
            self.stats[name] += 1

    # ---- chat and completions --------------------------------------------------------------------------------
    def chat(self, model: str, messages: list[dict[str, Any]], **params: Any) -> Completion:
        """One chat completion (``POST /chat/completions``); ``params`` go into the body as given."""
        body = {"model": model, "messages": messages, **_drop_none(params)}
        data = self.request("POST", "/chat/completions", json_body=body, expect=_expect_chat)
        choice = data["choices"][0]
        msg = choice["message"]
        return Completion(
            # a structured refusal (OpenAI's ``message.refusal``, content null) is the reply a safety judge must see
            text=msg.get("content") or msg.get("refusal") or "",
            finish_reason=choice.get("finish_reason"),
            usage=_usage(data),
            model=data.get("model"),
        )

    def complete(self, model: str, prompt: str, **params: Any) -> Completion:
        """One text completion (``POST /completions``)."""
        body = {"model": model, "prompt": prompt, **_drop_none(params)}
        data = self.request("POST", "/completions", json_body=body, expect=_expect_completion)
        choice = data["choices"][0]
        return Completion(text=choice["text"], finish_reason=choice.get("finish_reason"), usage=_usage(data),
                          model=data.get("model"))

    def map_chat(self, model: str, conversations: Sequence[list[dict[str, Any]]], progress: Progress | None = None,
                 **params: Any) -> list[Completion | Exception]:
        return self._map(lambda m: self.chat(model, m, **params), conversations, progress)

    def map_complete(self, model: str, prompts: Sequence[str], progress: Progress | None = None,
                     **params: Any) -> list[Completion | Exception]:
        return self._map(lambda p: self.complete(model, p, **params), prompts, progress)

    def _map(self, call: Callable[[Any], Completion], items: Sequence[Any],
             progress: Progress | None) -> list[Completion | Exception]:
        """Run ``call`` over ``items`` concurrently (the semaphore bounds what is in flight); keep every outcome."""
        results: list[Completion | Exception | None] = [None] * len(items)
        done = 0
        lock = threading.Lock()

        def one(i: int) -> None:
            nonlocal done
            try:
                results[i] = call(items[i])
            except PtstError as e:  # APIError, or a PtstError raised while building the request
                results[i] = e
            with lock:
                done += 1
                if progress:
                    progress(done, len(items))

        if not items:
            return []
        workers = min(self.config.max_concurrency, len(items))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ptst-openai")
        futures = []
        try:
            # a signal that arrives while a worker thread is starting would leave that thread unjoined (its answer
            # lost): hold SIGINT/SIGTERM until every call is queued (the workers inherit the mask: they never
            # take a signal, the main thread does)
            with _signals_held():
                for i in range(len(items)):
                    futures.append(pool.submit(one, i))
            for f in futures:
                f.result()  # re-raises anything unexpected (a bug), after all items ran
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM: send nothing more, keep what is answered
            self._cancelled.set()
            pool.shutdown(wait=True, cancel_futures=True)  # queued calls never start; in-flight ones return
            raise Interrupted(f"interrupted: {sum(r is not None and not isinstance(r, Exception) for r in results)} "
                              f"of {len(items)} calls were answered",
                              partial=[r if isinstance(r, Completion) else None for r in results]) from None
        finally:
            pool.shutdown(wait=True)
        return results  # type: ignore[return-value]

    def list_models(self) -> list[str]:
        data = self.request("GET", "/models", expect=lambda b: b["data"])
        return [m["id"] for m in data["data"]]


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Block SIGINT and SIGTERM in this thread for the ``with`` body (where the OS supports it); a signal that
    arrived meanwhile is delivered on exit."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    old = mask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, old)


def _cancelled_error(method: str, url: str) -> APIError:
    return APIError(f"{method} {url} not sent: interrupted", endpoint=url, attempts=0)


def _drop_none(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


def _usage(data: dict[str, Any]) -> dict[str, int]:
    u = data.get("usage") or {}
    return {k: int(u[k]) for k in ("prompt_tokens", "completion_tokens") if isinstance(u.get(k), (int, float))}


def _expect_chat(body: Any) -> None:
    msg = body["choices"][0]["message"]
    if not isinstance(msg, dict) or not isinstance(msg.get("content", ""), (str, type(None))):
        raise ValueError("choices[0].message.content is not text")


def _expect_completion(body: Any) -> None:
    if not isinstance(body["choices"][0]["text"], str):
        raise ValueError("choices[0].text is not text")
