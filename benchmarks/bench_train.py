"""Training part of ``ptst bench`` alone: ``python benchmarks/bench_train.py [--quick] [--model=NAME] [--steps=N]``.

The code lives in :mod:`ptst.bench.training`; this file keeps the script path working."""

from ptst.bench.training import bench_train, main

__all__ = ["bench_train", "main"]

if __name__ == "__main__":
    main()
