"""Study specs for the tests, built from the same few parts: a study on the tiny random model, a LoRA fine-tuning
on the built-in math set, an evaluation section, a benchmark, and the spec written as YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import yaml


def tiny_study(name: str, evaluate: dict[str, Any], train: dict[str, Any] | None = None, *,
               model: str = "tiny-random", fmt: str = "native", **fields: Any) -> dict[str, Any]:
    """A study spec (``fields``: other top-level fields, such as ``description`` or ``attacks``)."""
    spec: dict[str, Any] = {"name": name, "model": model, "format": fmt, **fields, "evaluate": evaluate}
    if train is not None:
        spec["train"] = train
    return spec


def math_training(templates: Iterable[str], *, limit: int = 8, epochs: int = 1, batch_size: int = 8,
                  **fields: Any) -> dict[str, Any]:
    """A ``train`` section: ``limit`` items of builtin:math:train, seed 0, learning rate 1e-3."""
    return {"dataset": "builtin:math:train", "limit": limit, "templates": list(templates), "seeds": [0],
            "config": {"epochs": epochs, "batch_size": batch_size, "lr": 1.0e-3}, **fields}


def evaluation(templates: Iterable[str], benchmarks: Iterable[dict[str, Any]], *, max_new_tokens: int,
               batch_size: int | None = None, judges: Iterable[str] = ("keyword",), **fields: Any) -> dict[str, Any]:
    """An ``evaluate`` section; ``batch_size`` is the generation backend's (``backend_options``), when given."""
    ev: dict[str, Any] = {"templates": list(templates), "decoding": {"max_new_tokens": max_new_tokens},
                          "judges": list(judges), "benchmarks": list(benchmarks), **fields}
    if batch_size is not None:
        ev["backend_options"] = {"batch_size": batch_size}
    return ev


def benchmark(name: str, dataset: str | None = None, **fields: Any) -> dict[str, Any]:
    """One benchmark entry; the dataset defaults to ``builtin:NAME`` (``benchmark("harmful", limit=2)``)."""
    return {"name": name, "dataset": dataset or f"builtin:{name}", **fields}


def write_spec(d: Path, data: dict[str, Any], name: str = "spec.yaml") -> Path:
    """``data`` as ``d/name`` (``d`` is created)."""
    d.mkdir(parents=True, exist_ok=True)
    p = d / name
    p.write_text(yaml.safe_dump(data))
    return p
