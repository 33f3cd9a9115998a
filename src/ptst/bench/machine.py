"""What a benchmark needs besides the workload: the machine's matmul rate and peak memory (its description is
:func:`ptst.provenance.bench_machine`).

Every throughput figure of ``ptst bench`` is a ratio against something measured in the same process minutes
apart (a baseline method, or a dense matrix product), because the absolute numbers of a shared or throttled
machine move by 2x from one minute to the next while the ratios move much less.
"""

from __future__ import annotations

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
