"""Where a result came from: package versions, the git commit, the machine, and content hashes.

Study manifests (``ptst run``), training manifests (``ptst train``), the up-to-date fingerprint of a study and
``ptst bench`` all describe their environment with these functions, so a fact such as "which CPU" is read in one
place. Each caller keeps the fields its file has always had (see :func:`hardware`, :func:`train_hardware` and
:func:`bench_machine`); what differs between them is the selection, never how a fact is obtained.

Nothing here imports torch at module level: the up-to-date check of a study runs without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any, Sequence

from ptst.errors import PtstError
from ptst.io import sha256_file, sha256_tree
from ptst.models import content_hash

#: the distributions a study manifest records (``python`` is the interpreter's version)
STUDY_PACKAGES = ("python", "ptst", "torch", "transformers", "peft", "accelerate", "datasets", "tokenizers",
                  "safetensors", "openai", "numpy", "matplotlib", "pydantic")
#: the distributions a training manifest records
TRAIN_PACKAGES = ("ptst", "torch", "transformers", "peft", "accelerate", "datasets", "tokenizers", "safetensors")
#: the entries of :func:`hardware` that need torch
TORCH_HARDWARE_KEYS = ("torch_threads", "device", "gpus")


# ---- software ----------------------------------------------------------------------------------------------------


def package_versions(names: Sequence[str] = STUDY_PACKAGES) -> dict[str, str | None]:
    """Installed version of each distribution (``None`` when it is not installed); ``python`` is the interpreter."""
    out: dict[str, str | None] = {}
    for name in names:
        if name == "python":
            out[name] = platform.python_version()
            continue
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_commit() -> dict[str, Any] | None:
    """The commit (and whether tracked files have local changes) of the git checkout ptst is imported from, or
    ``None`` when it does not run from one."""
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=10)
        if head.returncode != 0:
            return None
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=20)
        return {"commit": head.stdout.strip(), "dirty": bool(dirty.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        return None


# ---- hardware ----------------------------------------------------------------------------------------------------


def cpu_model() -> str | None:
    """The CPU's model name (``/proc/cpuinfo`` on Linux, else what :mod:`platform` knows): two machines with the
    same core count can still compute different floats."""
    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.lower().startswith(("model name", "hardware", "cpu model")):
                    return line.split(":", 1)[1].strip() or None
    return platform.processor() or None


def cpu_simd() -> list[str]:
    """The vector instruction sets the CPU reports that matter to fp32 matmul speed (``/proc/cpuinfo`` flags)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            flags = next((line.split(":", 1)[1].split() for line in fh if line.startswith("flags")), [])
    except OSError:
        return []
    return [x for x in ("avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16") if x in flags]


def memory_gib() -> float | None:
    """Physical memory in GiB (one decimal), ``None`` where the platform does not say."""
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        return None


def gpu_names() -> list[str]:
    """Names of the visible CUDA devices (imports torch)."""
    import torch

    if not torch.cuda.is_available():
        return []
    return [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]


def hardware(with_torch: bool = True, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The machine a study ran on (its manifest's ``hardware``). ``with_torch=False`` leaves torch unimported (an
    up-to-date study needs nothing else from it) and keeps the torch-derived entries of ``previous``, the hardware
    the results were computed on."""
    info: dict[str, Any] = {"platform": platform.platform(), "machine": platform.machine(),
                            "cpu_model": cpu_model(), "cpu_count": os.cpu_count()}
    mem = memory_gib()
    if mem is not None:
        info["memory_gib"] = mem
    if not with_torch:
        info.update({k: v for k, v in (previous or {}).items() if k in TORCH_HARDWARE_KEYS})
        return info
    with contextlib.suppress(Exception):
        import torch

        info["torch_threads"] = torch.get_num_threads()
        info["device"] = "cuda" if torch.cuda.is_available() else "cpu"
        if torch.cuda.is_available():
            info["gpus"] = gpu_names()
    return info


def train_hardware(world_size: int = 1) -> dict[str, Any]:
    """The machine of a training run (its manifest's ``environment.hardware``); imports torch."""
    import torch

    hw: dict[str, Any] = {"platform": platform.platform(), "python": platform.python_version(),
                          "cpu_model": cpu_model(), "cpu_count": os.cpu_count(),
                          "torch_threads": torch.get_num_threads(), "world_size": world_size,
                          "device": "cuda" if torch.cuda.is_available() else "cpu"}
    if torch.cuda.is_available():
        hw["cuda"] = {"device_count": torch.cuda.device_count(), "name": torch.cuda.get_device_name(0),
                      "cuda_version": torch.version.cuda}
    return hw


def bench_machine() -> dict[str, Any]:
    """CPU, cores, memory, load, thread settings, library versions: what ``ptst bench``'s figures came from."""
    import torch

    info: dict[str, Any] = {
        "cpu": cpu_model() or platform.machine(),
        "cores": os.cpu_count(),
        "simd": cpu_simd(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
    }
    version = package_versions(("transformers",))["transformers"]
    if version is not None:
        info["transformers"] = version
    mem = memory_gib()
    if mem is not None:
        info["memory_gib"] = mem
    with contextlib.suppress(OSError):
        info["load_avg_1min"] = round(os.getloadavg()[0], 2)
    if torch.cuda.is_available():
        info["gpus"] = gpu_names()
    return info


# ---- content hashes ----------------------------------------------------------------------------------------------


def package_tree_hash() -> str:
    """sha256 over every file of the installed ``ptst`` package (code, built-in data, templates, judge weights).

    About 100 files and 3 MB: ~10 ms. Catches edits that a git commit id would not (an uncommitted change)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                    and not p.name.endswith((".pyc", ".tmp"))):
        h.update(f.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def path_digest(path: str | Path) -> str:
    """sha256 of a file, ``dir:`` + the tree hash of a directory, or ``missing``."""
    p = Path(path)
    if p.is_file():
        return sha256_file(p)
    if p.is_dir():
        return "dir:" + sha256_tree(p)
    return "missing"


def model_hash(path: str | None) -> str | None:
    """Content hash of a model or adapter directory (:func:`ptst.models.content_hash`), ``None`` when ``path`` is
    not a directory or holds no model files."""
    if not path or not Path(path).is_dir():
        return None
    with contextlib.suppress(PtstError):
        return content_hash(path)
    return None
