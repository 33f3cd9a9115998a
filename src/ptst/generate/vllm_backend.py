"""The ``vllm`` generation backend: a vLLM server that ptst starts itself (or one already running).

``get_backend("vllm", model="smollm2-135m", adapter=DIR)`` starts ``vllm.entrypoints.openai.api_server`` from the
vLLM environment (:func:`ptst.generate.vllm_server.find_vllm_python`) on a free 127.0.0.1 port and sends each
prompt to ``/v1/completions`` through ptst's OpenAI client (:mod:`ptst.generate.openai_backend`).

* **One server per base model.** Servers are shared within the process, keyed by interpreter, model and server
  flags: every adapter of a study is served by the same server (``--enable-lora``, ``--max-lora-rank`` from the
  adapters' ranks, ``--lora-modules``); an adapter that arrives after start-up is loaded at run time
  (``/v1/load_lora_adapter``), and only a larger rank than the server was started for restarts it. Servers stop
  when the process ends (:func:`close_servers`, also at exit).
* **Exact prompts.** A request carries the string ptst renders (``llama2`` or ``native``) with
  ``add_special_tokens`` decided exactly as the ``hf`` backend decides it (:func:`ptst.templates.base.
  adds_special_tokens`: BOS is added unless the text starts with it). Every sampling field is sent and the server
  starts with ``--generation-config vllm``, so the model's ``generation_config.json`` cannot change decoding; the
  ``hf`` backend's end-of-sequence ids go in ``stop_token_ids``.
* **Identity** (the cache key): base and adapter content hashes, the vLLM version and the dtype; never the port.
* **Faults.** A server that dies mid-generation is restarted and the failed requests are sent again (the rest is
  kept, and finished chunks are already in the cache); one that fails to start is one error line with the end of
  its log; an adapter vLLM cannot load is refused when the backend is made (:mod:`ptst.generate.vllm_lora`).
* ``base_url``: use a running vLLM server instead. The base model is its model without ``parent`` (or
  ``served_model``); an adapter is the served LoRA module whose ``root`` is the adapter directory.

Server flags: ``dtype`` (auto = bfloat16 where ptst's torch sees CUDA, else float32, as the hf backend),
``tensor_parallel_size``, ``max_model_len``, ``gpu_memory_utilization``, ``max_lora_rank``, ``max_loras``,
``enforce_eager``, and any other vLLM flag in ``server_args`` (``{"swap_space": 4}`` -> ``--swap-space 4``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import httpx

from ptst.errors import Interrupted, PartialResultsError, PtstError
from ptst.generate.base import Backend, Decoding, Progress, Prompt, register_backend
from ptst.generate.openai_backend import OpenAIBackend
from ptst.generate.vllm_lora import check_lora_settings, check_vllm_adapter, max_lora_rank
from ptst.generate.vllm_server import ServerSpec, VLLMServer, as_cli_flags, find_vllm_python, vllm_version
from ptst.openai_client import ClientConfig, OpenAICompatClient

log = logging.getLogger(__name__)

BASE_NAME = "base"
DEFAULT_CPU_KVCACHE_GIB = "2"


@dataclass
class _Shared:
    """A server and the adapters it serves (name -> directory)."""

    server: VLLMServer
    base_args: list[str]
    adapters: dict[str, str] = field(default_factory=dict)
    ranks: dict[str, int] = field(default_factory=dict)
    lora: bool = False
    rank: int = 0
    max_loras: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def lora_args(self) -> list[str]:
        if not self.lora:
            return []
        n = self.max_loras or max(1, min(len(self.adapters), 4))
        args = ["--enable-lora", "--max-lora-rank", str(self.rank), "--max-loras", str(n),
                "--max-cpu-loras", str(max(n, len(self.adapters) + 4))]
        if self.adapters:
            args += ["--lora-modules", *(f"{k}={v}" for k, v in self.adapters.items())]
        return args


_SERVERS: dict[tuple, _Shared] = {}
_SERVERS_LOCK = threading.Lock()


def close_servers() -> None:
    """Stop every vLLM server this process started."""
    with _SERVERS_LOCK:
        shared = list(_SERVERS.values())
        _SERVERS.clear()
    for s in shared:
        with contextlib.suppress(Exception):
            s.server.stop()


def adapter_name(path: str) -> str:
    from ptst.models import content_hash

    return "ptst-" + content_hash(path)[:16]


@register_backend("vllm")
class VLLMBackend(Backend):
    """Generation through vLLM (see the module docstring)."""

    @classmethod
    def study_options(cls, options: dict[str, Any], log_dir: Path, lora_rank: int | None) -> dict[str, Any]:
        """Logs in the study's folder and, when the study trains LoRA adapters, a server started with LoRA on and
        the rank the training uses, so the baseline's server serves every adapter that follows without a restart."""
        opts = dict(options)
        opts.setdefault("log_dir", str(log_dir))
        if lora_rank is not None:
            opts.setdefault("enable_lora", True)
            opts.setdefault("max_lora_rank", lora_rank)
        return opts

    @classmethod
    def check_training(cls, train_options: dict[str, Any]) -> tuple[str, str] | None:
        return check_lora_settings(train_options)

    @classmethod
    def close_shared(cls) -> None:
        close_servers()

    def __init__(
        self,
        model: str | None = None,
        adapter: str | None = None,
        base_url: str | None = None,
        served_model: str | None = None,
        python: str | None = None,
        dtype: str = "auto",
        tensor_parallel_size: int | None = None,
        max_model_len: int | None = None,
        gpu_memory_utilization: float | None = None,
        max_lora_rank: int | None = None,
        max_loras: int | None = None,
        enable_lora: bool | None = None,
        enforce_eager: bool = False,
        server_args: dict[str, Any] | None = None,
        log_dir: str | None = None,
        startup_timeout: float = 900.0,
        request_timeout: float = 1800.0,
        max_concurrency: int = 64,
        max_restarts: int = 2,
        api_key_env: str | None = None,
        trust_remote_code: bool = False,
        device: str | None = None,  # accepted for a uniform CLI; vLLM decides (CUDA build or CPU build)
        batch_size: int | None = None,  # accepted for a uniform CLI; vLLM batches the concurrent requests
        threads: int | None = None,  # accepted for a uniform CLI
        **unknown: Any,
    ):
        if unknown:
            raise PtstError(f"backend vllm: unknown option(s) {', '.join(sorted(unknown))} (vLLM server flags go "
                            "in server_args)")
        from ptst.models import DEFAULT_MODEL, resolve_model

        self.model_name = str(model or DEFAULT_MODEL)
        self.model_path = resolve_model(self.model_name)
        self.adapter = str(Path(adapter).expanduser().resolve()) if adapter else None
        self.adapter_info = check_vllm_adapter(self.adapter) if self.adapter else None  # before any server starts
        self.base_url = base_url
        self.served_model = served_model
        self.max_concurrency = max_concurrency
        self.request_timeout = request_timeout
        self.max_restarts = max_restarts
        self.api_key_env = api_key_env
        self.trust_remote_code = trust_remote_code
        self.dtype = _resolve_dtype(dtype)
        self.python = None if base_url else find_vllm_python(python)
        flags: dict[str, Any] = {"dtype": self.dtype, "tensor_parallel_size": tensor_parallel_size,
                                 "max_model_len": max_model_len, "gpu_memory_utilization": gpu_memory_utilization,
                                 "enforce_eager": enforce_eager, "trust_remote_code": trust_remote_code,
                                 **(server_args or {})}
        for k in ("model", "host", "port", "lora_modules", "enable_lora", "max_lora_rank", "max_loras",
                  "served_model_name", "generation_config"):
            if k in (server_args or {}):
                raise PtstError(f"backend vllm: server_args.{k} is set by ptst; use the backend option instead"
                                if k in ("enable_lora", "max_lora_rank", "max_loras") else
                                f"backend vllm: server_args.{k} is set by ptst itself; remove it")
        self.server_flags = ["--served-model-name", BASE_NAME, "--generation-config", "vllm", *as_cli_flags(flags)]
        self.enable_lora = enable_lora
        self.max_lora_rank_req = max_lora_rank
        self.max_loras = max_loras
        self.log_dir = Path(log_dir) if log_dir else None
        self.startup_timeout = startup_timeout
        self._shared: _Shared | None = None
        self._client: OpenAICompatClient | None = None
        self._served: str | None = None
        self._tok: Any = None
        self._eos: list[int] | None = None
        self._identity: dict[str, Any] | None = None

    # ---- identity ---------------------------------------------------------------------------------------------
    def identity(self) -> dict[str, Any]:
        """Base and adapter content hashes, vLLM version and dtype (the port and URL are not part of it)."""
        if self._identity is None:
            from ptst.models import model_identity

            ident = model_identity(self.model_name, self.adapter)
            version = self._remote_version() if self.base_url else vllm_version(self.python or "")
            self._identity = {"backend": "vllm", "base_sha256": ident["base_sha256"],
                              "adapter_sha256": ident["adapter_sha256"], "vllm": version, "dtype": self.dtype}
        return self._identity

    def _remote_version(self) -> str:
        root = (self.base_url or "").rstrip("/")
        root = root[:-3] if root.endswith("/v1") else root
        try:
            r = httpx.get(root + "/version", timeout=10.0)
            r.raise_for_status()
            return str(r.json()["version"])
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as e:
            raise PtstError(f"{root}/version: cannot read the vLLM version of the running server ({e})") from None

    # ---- tokenizer facts the prompts and stops depend on ----------------------------------------------------------
    @property
    def tokenizer(self) -> Any:
        if self._tok is None:
            from ptst.models import load_tokenizer

            self._tok = load_tokenizer(self.model_name, trust_remote_code=self.trust_remote_code)
        return self._tok

    def eos_ids(self) -> list[int]:
        """The end-of-sequence ids the hf backend stops at (the model's generation config, else the tokenizer's)."""
        if self._eos is None:
            ids: Any = None
            with contextlib.suppress(Exception):
                from transformers import GenerationConfig

                ids = GenerationConfig.from_pretrained(self.model_path).eos_token_id
            if ids is None:
                ids = self.tokenizer.eos_token_id
            self._eos = [ids] if isinstance(ids, int) else [int(i) for i in (ids or [])]
        return self._eos

    # ---- the server -------------------------------------------------------------------------------------------
    def _connect(self) -> None:
        if self._client is not None:
            return
        if self.base_url:
            self._client = OpenAICompatClient(ClientConfig(
                base_url=self.base_url, api_key_env=self.api_key_env or "", timeout=self.request_timeout,
                max_concurrency=self.max_concurrency))
            self._served = self._find_served(self._client)
            return
        shared = self._shared_server()
        self._shared = shared
        self._client = OpenAICompatClient(ClientConfig(
            base_url=shared.server.base_url, api_key_env="", timeout=self.request_timeout, max_retries=3,
            backoff_base=0.5, backoff_max=4.0, max_concurrency=self.max_concurrency))

    def _shared_server(self) -> _Shared:
        key = (self.python, self.model_path, tuple(self.server_flags), self.max_loras)
        with _SERVERS_LOCK:
            shared = _SERVERS.get(key)
            if shared is None:
                env = {}
                if not _has_cuda() and "VLLM_CPU_KVCACHE_SPACE" not in os.environ:
                    env["VLLM_CPU_KVCACHE_SPACE"] = DEFAULT_CPU_KVCACHE_GIB
                log_dir = self.log_dir or _default_log_dir()
                spec = ServerSpec(self.python or "", self.model_path, [], env, log_dir, self.startup_timeout)
                shared = _Shared(VLLMServer(spec), list(self.server_flags), max_loras=self.max_loras)
                _SERVERS[key] = shared
        with shared.lock:
            want_lora = bool(self.adapter) or bool(self.enable_lora) or self.max_lora_rank_req is not None
            need_rank = self.adapter_info.rank if self.adapter_info else 0
            restart = False
            if want_lora and not shared.lora:
                shared.lora, restart = True, shared.server.alive()
            if want_lora:
                rank = max_lora_rank([need_rank, shared.rank], self.max_lora_rank_req)
                if rank > shared.rank:
                    restart = restart or (shared.server.alive() and shared.rank > 0)
                    shared.rank = rank
            if self.adapter:
                name = adapter_name(self.adapter)
                self._served = name
                if name not in shared.adapters:
                    shared.adapters[name] = self.adapter
                    if shared.server.alive() and not restart:
                        self._load_at_runtime(shared, name, self.adapter)
            else:
                self._served = BASE_NAME
            if restart:
                log.info("restarting the vLLM server with LoRA rank %d", shared.rank)
                self._configure(shared)
                shared.server.restart()
            elif not shared.server.alive():
                self._configure(shared)
                shared.server.start()
        return shared

    @staticmethod
    def _configure(shared: _Shared) -> None:
        shared.server.spec.args = [*shared.base_args, *shared.lora_args()]
        if shared.lora:
            shared.server.spec.env["VLLM_ALLOW_RUNTIME_LORA_UPDATING"] = "True"

    @staticmethod
    def _load_at_runtime(shared: _Shared, name: str, path: str) -> None:
        url = shared.server.base_url + "/load_lora_adapter"
        try:
            r = httpx.post(url, json={"lora_name": name, "lora_path": path}, timeout=300.0)
        except httpx.HTTPError as e:
            raise PtstError(f"vLLM: loading adapter {path} failed ({e})") from None
        if r.status_code != 200:
            raise PtstError(f"vLLM refused adapter {path}: HTTP {r.status_code}: {r.text.strip()[:300]}")

    def _find_served(self, client: OpenAICompatClient) -> str:
        data = client.request("GET", "/models", expect=lambda b: b["data"])["data"]
        if self.adapter:
            for m in data:
                root = m.get("root")
                if m.get("parent") and root and Path(root).expanduser().resolve() == Path(self.adapter):
                    return m["id"]
            raise PtstError(f"the vLLM server at {self.base_url} does not serve adapter {self.adapter}: start it with "
                            f"--enable-lora --lora-modules NAME={self.adapter}")
        if self.served_model:
            return self.served_model
        bases = [m["id"] for m in data if not m.get("parent")]
        if len(bases) != 1:
            raise PtstError(f"the vLLM server at {self.base_url} serves {len(bases)} base models; name one with "
                            "the served_model option")
        return bases[0]

    @property
    def server(self) -> VLLMServer | None:
        return self._shared.server if self._shared else None

    # ---- generation -------------------------------------------------------------------------------------------
    def request_params(self, decoding: Decoding, add_special_tokens: bool) -> dict[str, Any]:
        """Every sampling field of a request beyond ``max_tokens``/``temperature``/``seed``/``stop`` (which the
        openai backend sends), so no server default can change decoding."""
        return {"top_p": decoding.top_p if not decoding.greedy else 1.0, "top_k": -1, "min_p": 0.0,
                "repetition_penalty": 1.0, "presence_penalty": 0.0, "frequency_penalty": 0.0, "n": 1,
                "stop": list(decoding.stop), "stop_token_ids": self.eos_ids(), "ignore_eos": False,
                "skip_special_tokens": True, "include_stop_str_in_output": False,
                "add_special_tokens": add_special_tokens}

    def generate(self, prompts: Sequence[Prompt], decoding: Decoding, progress: Progress | None = None) -> list[str]:
        from ptst.templates.base import adds_special_tokens

        for i, p in enumerate(prompts):
            if not isinstance(p, str):
                raise PtstError(f"prompt {i + 1}: the vllm backend takes rendered strings (format llama2 or "
                                "native), not chat messages")
        self._connect()
        out: list[str | None] = [None] * len(prompts)
        groups: dict[bool, list[int]] = {}
        for i, p in enumerate(prompts):
            groups.setdefault(adds_special_tokens(self.tokenizer, str(p)), []).append(i)
        for special, idx in groups.items():
            self._generate_group([str(prompts[i]) for i in idx], idx, out, decoding, special, progress)
        return out  # type: ignore[return-value]

    def _generate_group(self, texts: list[str], idx: list[int], out: list[str | None], decoding: Decoding,
                        special: bool, progress: Progress | None) -> None:
        assert self._client is not None and self._served is not None
        pending = list(range(len(texts)))
        restarts = 0
        while True:
            be = OpenAIBackend(self._served, api="completions", client=self._client,
                               extra_params=self.request_params(decoding, special))
            try:
                got = be.generate([texts[j] for j in pending], decoding, progress)
                for j, t in zip(pending, got):
                    out[idx[j]] = t
                return
            except Interrupted as e:  # Ctrl-C / SIGTERM: keep what was answered, aligned to the whole chunk
                for j, t in zip(pending, e.partial):
                    if t is not None:
                        out[idx[j]] = t
                raise Interrupted(str(e), partial=list(out)) from None
            except PartialResultsError as e:
                for j, t in zip(pending, e.partial):
                    if t is not None:
                        out[idx[j]] = t
                pending = [j for j, t in zip(pending, e.partial) if t is None]
                server = self.server
                if server is None or server.alive() or restarts >= self.max_restarts:
                    raise PartialResultsError(str(e), partial=list(out), errors=getattr(e, "errors", [])) from None
                restarts += 1
                log.warning("the vLLM server died (log %s); restarting it and resending %d requests",
                            server.log_path, len(pending))
                self._restart()

    def _restart(self) -> None:
        shared = self._shared
        assert shared is not None
        with shared.lock:
            if not shared.server.alive():
                self._configure(shared)
                shared.server.restart()
        if self._client is not None:
            self._client.close()
        self._client = OpenAICompatClient(ClientConfig(
            base_url=shared.server.base_url, api_key_env="", timeout=self.request_timeout, max_retries=3,
            backoff_base=0.5, backoff_max=4.0, max_concurrency=self.max_concurrency))

    def close(self) -> None:
        """Closes this backend's connection; the shared server stays up for the next model (see
        :func:`close_servers`)."""
        if self._client is not None:
            self._client.close()
            self._client = None


def _has_cuda() -> bool:
    import shutil
    import subprocess

    if not shutil.which("nvidia-smi"):
        return False
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        return subprocess.run(["nvidia-smi", "-L"], capture_output=True, timeout=20).returncode == 0
    return False


def _resolve_dtype(dtype: str) -> str:
    allowed = ("auto", "float32", "bfloat16", "float16", "half")
    if dtype not in allowed:
        raise PtstError(f"backend vllm: dtype must be one of {', '.join(allowed)}, got {dtype!r}")
    if dtype != "auto":
        return "float16" if dtype == "half" else dtype
    return "bfloat16" if _has_cuda() else "float32"


def _default_log_dir() -> Path:
    from ptst.paths import home

    return home() / "vllm-logs"
