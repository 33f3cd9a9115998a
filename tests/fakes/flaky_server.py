"""A local OpenAI-compatible HTTP server that misbehaves on a schedule.

Each request is keyed by its query text (the last chat message's content, or the completions prompt). A schedule
maps a query to the faults its successive attempts get; once the list is used up the query is answered normally.
``always`` maps a query to a fault served on every attempt (until removed). Faults:

* ``429`` / ``429:ra=S`` (Retry-After: S seconds) / ``429:date=S`` (Retry-After as an HTTP date S seconds ahead)
  / ``429:ms=M`` (retry-after-ms: M);
* ``500``, ``503``, ``400``, ``401`` (an OpenAI-style error body);
* ``timeout``: answer only after ``slow_seconds`` (longer than the client's timeout);
* ``drop``: read the request and close the connection without a response;
* ``badjson``: HTTP 200 with a truncated JSON body; ``nochoices``: HTTP 200 with valid JSON lacking ``choices``.

The server counts requests (in total and per query), the most requests in flight at once, and the
``Authorization`` headers it saw. A normal answer is ``"echo: " + query``.
"""

from __future__ import annotations

import email.utils
import json
import socket
import threading
import time
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FlakyServer:
    def __init__(self, delay: float = 0.0, slow_seconds: float = 1.0):
        self.delay = delay
        self.slow_seconds = slow_seconds
        self.schedule: dict[str, list[str]] = defaultdict(list)
        self.always: dict[str, str] = {}
        self.requests = 0
        self.per_query: Counter[str] = Counter()
        self.auth_headers: list[str | None] = []
        self.bodies: list[dict] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> "FlakyServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next_fault(self, query: str) -> str:
        with self.lock:
            if query in self.always:
                return self.always[query]
            steps = self.schedule.get(query)
            return steps.pop(0) if steps else "ok"

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _send(self, code: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                self._send(200, json.dumps({"object": "list", "data": [{"id": "fake-model", "object": "model"}]}).encode())

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path.endswith("/chat/completions"):
                    query = body["messages"][-1]["content"]
                else:
                    query = body["prompt"]
                with server.lock:
                    server.requests += 1
                    server.per_query[query] += 1
                    server.auth_headers.append(self.headers.get("Authorization"))
                    server.bodies.append(body)
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    if server.delay:
                        time.sleep(server.delay)
                    self._answer(body, query, server._next_fault(query))
                finally:
                    with server.lock:
                        server.in_flight -= 1

            def _error(self, code: int, message: str, headers: dict[str, str] | None = None) -> None:
                err = {"error": {"message": message, "type": "fake_error", "param": None, "code": None}}
                self._send(code, json.dumps(err).encode(), headers)

            def _answer(self, body: dict, query: str, fault: str) -> None:
                kind, _, arg = fault.partition(":")
                if kind == "429":
                    headers = {}
                    if arg.startswith("ra="):
                        headers["Retry-After"] = arg[3:]
                    elif arg.startswith("date="):
                        headers["Retry-After"] = email.utils.formatdate(time.time() + float(arg[5:]), usegmt=True)
                    elif arg.startswith("ms="):
                        headers["retry-after-ms"] = arg[3:]
                    return self._error(429, "Rate limit reached, slow down", headers)
                if kind in ("500", "503", "400", "401"):
                    return self._error(int(kind), f"fake {kind} for this request")
                if kind == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if kind == "badjson":
                    return self._send(200, b'{"id": "x", "choices": [{"message": ')
                if kind == "nochoices":
                    return self._send(200, b'{"id": "x", "object": "chat.completion"}')
                if kind == "timeout":
                    time.sleep(server.slow_seconds)
                text = "echo: " + query
                usage = {"prompt_tokens": len(query.split()), "completion_tokens": len(text.split())}
                if self.path.endswith("/chat/completions"):
                    choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                    obj = "chat.completion"
                else:
                    choice = {"index": 0, "text": text, "finish_reason": "stop"}
                    obj = "text_completion"
                out = {"id": "cmpl-fake", "object": obj, "model": body.get("model"), "choices": [choice],
                       "usage": usage}
                try:
                    self._send(200, json.dumps(out).encode())
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

        return Handler
