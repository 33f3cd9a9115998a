"""Start ``ptst serve``: load the model, bind the socket, print the URL, run uvicorn until interrupted.

The socket is bound and listening before uvicorn starts, so ``--port 0`` (any free port) works and the printed URL
is the real one: the line ``ptst serve: listening on http://HOST:PORT/v1`` is printed (and flushed) after the
model is loaded, when connections are already accepted (they wait in the backlog until uvicorn takes them), which
is what scripts and tests wait for.
"""

from __future__ import annotations

import logging
import os
import socket
import sys

from ptst.errors import PtstError
from ptst.serve.config import ServeConfig


def read_server_key(env_name: str | None) -> str | None:
    if not env_name:
        return None
    key = os.environ.get(env_name, "").strip()
    if not key:
        raise PtstError(f"--api-key-env {env_name}: the environment variable ${env_name} is not set or empty")
    return key


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise PtstError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run(cfg: ServeConfig) -> None:
    import uvicorn

    from ptst.serve.app import create_app
    from ptst.serve.engine import Engine, describe

    key = read_server_key(cfg.api_key_env)
    logging.basicConfig(level=cfg.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s",
                        stream=sys.stderr)
    sock = bind(cfg.host, cfg.port)  # fail fast on a busy port, before loading the model
    engine = Engine(cfg).start()
    app = create_app(engine, api_key=key)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    config = uvicorn.Config(app, log_level=cfg.log_level, access_log=False, lifespan="off",
                            timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    info = describe(engine)
    if cfg.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"ptst serve: warning: listening on {cfg.host}, reachable from other machines"
              + ("" if key else " WITHOUT an API key"), file=sys.stderr, flush=True)

    print(f"ptst serve: model={info['model']} adapter={info['adapter']} template={info['template']} "
          f"format={info['format']} auth={'bearer' if key else 'none'}", flush=True)
    print(f"ptst serve: listening on http://{shown}:{port}/v1", flush=True)
    try:
        server.run(sockets=[sock])
    finally:
        engine.close()
