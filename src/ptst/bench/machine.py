"""What a benchmark needs besides the workload: the machine's matmul rate, its description, and peak memory.

Every throughput figure of ``ptst bench`` is a ratio against something measured in the same process minutes
apart (a baseline method, or a dense matrix product), because the absolute numbers of a shared or throttled
machine move by 2x from one minute to the next while the ratios move much less.
"""

from __future__ import annotations

import os
import platform
import threading
import time
from dataclasses import dataclass, field
from typing import Any


def matmul_flops(dtype: Any = None, device: str = "cpu", n: int = 2048, reps: int = 5) -> float:
    """Best-of-``reps`` FLOP/s of an ``n x n @ n x n`` matrix product (the roofline every fraction is against)."""
    import torch

    dtype = dtype or torch.float32
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    best = float("inf")
    for _ in range(reps + 1):
        sync(device)
        t = time.perf_counter()
        (a @ b).sum().item()
        best = min(best, time.perf_counter() - t)
    return 2 * n**3 / best


def sync(device: Any) -> None:
    if str(device).startswith("cuda"):
        import torch

        torch.cuda.synchronize()


def cpu_model() -> str:
    """The CPU's model name (``lscpu``'s "Model name"), or the platform's processor string."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_simd() -> list[str]:
    """The vector instruction sets the CPU reports that matter to fp32 matmul speed (``/proc/cpuinfo`` flags)."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        return []
    return [x for x in ("avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16") if x in flags]


def machine_info() -> dict[str, Any]:
    """CPU, cores, memory, load, thread settings, library versions: what the bench's figures came from."""
    import torch

    info: dict[str, Any] = {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "simd": cpu_simd(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
    }
    try:
        import transformers

        info["transformers"] = transformers.__version__
    except ImportError:  # pragma: no cover - a dependency
        pass
    try:
        info["memory_gib"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    try:
        info["load_avg_1min"] = round(os.getloadavg()[0], 2)
    except OSError:
        pass
    if torch.cuda.is_available():
        info["gpus"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return info


def rss_mb() -> float:
    """This process's resident memory now, in MiB."""
    import psutil

    return psutil.Process().memory_info().rss / 2**20


@dataclass
class PeakRSS:
    """Peak resident memory of this process while a block runs, sampled every ``interval`` seconds.

    ``resource.getrusage`` only gives the peak over the whole process life, so the second part of a benchmark could
    not be told apart from the first; a sampling thread can (PyTorch releases the GIL in its kernels, so sampling
    keeps up while the work runs). Use as ``with PeakRSS() as m: ...; m.peak_mb``.
    """

    interval: float = 0.02
    peak_mb: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> "PeakRSS":
        import psutil

        proc = psutil.Process()
        self.peak_mb = proc.memory_info().rss / 2**20

        def sample() -> None:
            while not self._stop.wait(self.interval):
                self.peak_mb = max(self.peak_mb, proc.memory_info().rss / 2**20)

        self._thread = threading.Thread(target=sample, name="ptst-peak-rss", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.peak_mb = round(max(self.peak_mb, rss_mb()), 1)
