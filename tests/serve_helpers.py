"""Run the real ``ptst serve`` app under uvicorn in a thread on a free 127.0.0.1 port (shared by the serve tests)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any, Callable


def start_uvicorn(engine: Any) -> tuple[str, Callable[[], None]]:
    """Serve ``engine``; returns its ``/v1`` base URL and a function that stops the server (not the engine)."""
    import uvicorn

    from ptst.serve.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = uvicorn.Server(uvicorn.Config(create_app(engine), log_level="warning", lifespan="off"))
    t = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    t.start()
    while not server.started:
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        t.join(10)

    return f"http://127.0.0.1:{sock.getsockname()[1]}/v1", stop
