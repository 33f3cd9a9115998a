"""End-to-end wall time of a whole study: ``ptst run SPEC`` cold, then again warm (everything cached).

Both runs are separate ``python -m ptst run`` processes, so the figures include what a user waits for: interpreter
start-up, imports, loading data, training, generation, judging and the report. The cold run gets a fresh
``PTST_HOME`` (an empty generation/judgment cache, an empty study directory) in a temporary directory; only the
converted model weights (``PTST_HOME/models``) are shared with the caller's cache by a symlink, because converting
the GGUF checkpoint is a one-off download step, not part of a study (``smoke_model_cache_reused`` says so in the
results). The warm run is the same command on the same directory: every training is reused and every generation
and judgment comes from the cache.

Peak memory of each run is sampled from the child itself (see :func:`timed_child` for why not ``ru_maxrss``).

What dominates a warm run is measured beside it: the runner's own clock (manifest ``invocations[-1]``: seconds,
stage seconds, report seconds), the start-up of ``python -m ptst --version`` (interpreter + CLI), ``import torch``,
and loading a tokenizer through ``ptst.models.load_tokenizer`` (which imports transformers and torch), each in a
fresh interpreter. Every child's CPU seconds are recorded next to its wall time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Repository root (where ``examples/smoke.yaml`` lives in a source checkout).
REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_SPEC = REPO_ROOT / "examples" / "smoke.yaml"


def timed_child(cmd: list[str], env: dict[str, str], log: Path | None = None,
                timeout: float | None = None) -> tuple[float, float, int, float]:
    """Run ``cmd``; (wall seconds, the child's peak resident memory in MiB, exit status, its CPU seconds).

    CPU seconds (user + system) are the steadier figure on a shared machine: waiting for a core is not counted;
    they come from ``os.wait4``, the child's own usage (``getrusage(RUSAGE_CHILDREN)`` sums every child).

    Peak memory is sampled (psutil, every 20 ms), not read from ``ru_maxrss``: on Linux a child's ``ru_maxrss``
    starts from the parent's resident size at ``fork`` (the kernel keeps the old image's high-water mark across
    ``exec``), so a 2 GB parent would make every child report at least 2 GB."""
    import psutil

    out = open(log, "ab") if log else subprocess.DEVNULL
    peak = 0
    try:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        child = psutil.Process(proc.pid)
        deadline = None if timeout is None else t + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            try:
                peak = max(peak, child.memory_info().rss)
            except psutil.Error:  # exited between the two calls
                pass
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting on a reaped child
    finally:
        if log:
            out.close()  # type: ignore[union-attr]
    return wall, peak / 2**20, proc.returncode, usage.ru_utime + usage.ru_stime


def _last_invocation(out_dir: Path) -> dict[str, Any]:
    """The runner's own record of the last ``ptst run`` (seconds, stage seconds, report seconds)."""
    try:
        return json.loads((out_dir / "manifest.json").read_text())["invocations"][-1]
    except (OSError, ValueError, KeyError, IndexError):
        return {}


# What a fully cached rerun pays before it does any study work, each probed in a fresh interpreter.
STARTUP_PROBES = [
    ("smoke_cli_startup", ["-m", "ptst", "--version"]),
    ("import_torch", ["-c", "import torch"]),
    ("load_tokenizer", ["-c", "from ptst.models import load_tokenizer, resolve_model; "
                               "load_tokenizer(resolve_model('tiny-random'))"]),
]


def smoke_spec_path(spec: str | os.PathLike | None = None) -> Path:
    """The study spec to time (``examples/smoke.yaml`` of the source checkout by default); checked to exist."""
    spec_path = Path(spec) if spec else DEFAULT_SPEC
    if not spec_path.is_file():
        from ptst.errors import PtstError

        raise PtstError(f"{spec_path}: study spec not found (the smoke part needs a source checkout for "
                        "examples/smoke.yaml, or --smoke-spec FILE)")
    return spec_path


def bench_smoke(spec: str | os.PathLike | None = None, reuse_models: bool = True, keep: str | None = None,
                timeout: float = 1800.0, log: Any = None) -> dict[str, Any]:
    """Time ``ptst run SPEC`` cold and warm in a temporary ``PTST_HOME``; see the module docstring.

    ``keep`` names a directory to keep the study and its logs in (else a temporary one is removed afterwards).
    Raises ``RuntimeError`` (with the log's tail) if a run fails."""
    from ptst.paths import models_dir

    spec_path = smoke_spec_path(spec)
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="ptst-bench-smoke-"))
    work.mkdir(parents=True, exist_ok=True)
    home = work / "home"
    home.mkdir(exist_ok=True)
    if reuse_models and models_dir().is_dir() and not (home / "models").exists():
        (home / "models").symlink_to(models_dir().resolve(), target_is_directory=True)
    env = {**os.environ, "PTST_HOME": str(home), "PTST_CACHE": str(home / "cache.sqlite")}
    out_dir = work / "study"
    cmd = [sys.executable, "-m", "ptst", "run", str(spec_path.resolve()), "--out", str(out_dir), "--quiet"]
    res: dict[str, Any] = {"smoke_spec": str(spec_path), "smoke_model_cache_reused": bool(reuse_models)}
    try:
        for phase in ("cold", "warm"):
            if log:
                log(f"smoke: ptst run {spec_path.name} ({phase})")
            logfile = work / f"{phase}.log"
            wall, rss, rc, cpu = timed_child(cmd, env, logfile, timeout)
            if rc != 0:
                tail = logfile.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"ptst run ({phase}) exited with status {rc}:\n{tail}")
            inv = _last_invocation(out_dir)
            res[f"smoke_{phase}_s"] = round(wall, 2)
            res[f"smoke_{phase}_cpu_s"] = round(cpu, 2)
            res[f"smoke_{phase}_peak_rss_mb"] = round(rss, 1)
            res[f"smoke_{phase}_runner_s"] = round(float(inv.get("seconds", 0.0)), 2)
            res[f"smoke_{phase}_report_s"] = inv.get("report_seconds")
            res[f"smoke_{phase}_stage_seconds"] = inv.get("stage_seconds")
        res["smoke_warm_over_cold"] = round(res["smoke_warm_s"] / res["smoke_cold_s"], 4)
        res["smoke_rerun_speedup"] = round(res["smoke_cold_s"] / res["smoke_warm_s"], 1)
        res["smoke_rerun_speedup_cpu"] = round(res["smoke_cold_cpu_s"] / res["smoke_warm_cpu_s"], 1)
        if log:
            log("smoke: start-up costs (ptst --version, import torch, import transformers + load the tokenizer)")
        for key, code in STARTUP_PROBES:
            wall, _, _, cpu = timed_child([sys.executable, *code], env)
            res[f"{key}_s"], res[f"{key}_cpu_s"] = round(wall, 2), round(cpu, 2)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    return res
