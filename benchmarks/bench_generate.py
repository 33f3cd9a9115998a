"""Generation part of ``ptst bench`` alone: ``python benchmarks/bench_generate.py [--quick] [--ablation] ...``.

The code lives in :mod:`ptst.bench.generation`; this file keeps the script path working."""

from ptst.bench.generation import ablation, bench_generate, bench_prompts, main

__all__ = ["ablation", "bench_generate", "bench_prompts", "main"]

if __name__ == "__main__":
    main()
