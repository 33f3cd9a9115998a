"""``ptst bench``: measured performance of generation, training and a whole study, as ratios to baselines.

Every figure is measured in one process beside a baseline (or a dense matmul) timed minutes apart on the same
machine, because absolute speed on a shared or throttled machine moves far more than these ratios. See
docs/performance.md for what each figure means and the latest numbers.

Modules: :mod:`~ptst.bench.machine` (matmul roofline, machine description, peak memory),
:mod:`~ptst.bench.generation`, :mod:`~ptst.bench.training`, :mod:`~ptst.bench.smoke` (the parts) and
:mod:`~ptst.bench.suite` (all of them, the JSON object and the table). Heavy libraries are imported inside the
functions, so importing this package is cheap.
"""

from ptst.bench.suite import PARTS, REQUIRED_KEYS, BenchOptions, check_sane, format_table, run_bench

__all__ = ["PARTS", "REQUIRED_KEYS", "BenchOptions", "check_sane", "format_table", "run_bench"]
