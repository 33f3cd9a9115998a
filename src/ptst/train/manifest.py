"""The run directory's ``manifest.json``: what a run was, where its checkpoints are, and whether it finished.

Layout of a run directory::

    RUN/manifest.json                       this file (written atomically at start, at every checkpoint, at the end)
    RUN/checkpoints/checkpoint-<step>/      adapter (or full model) + optimizer/scheduler/RNG state, for resume
    RUN/final/                              the final adapter (or full model) and tokenizer

Each checkpoint and ``final`` loads with ``ptst.models.load_model(BASE, adapter=DIR)`` (LoRA) or
``load_model(DIR)`` (full fine-tuning). Paths inside the manifest are relative to the run directory, so a run
directory can be moved or copied.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ptst.errors import PtstError
from ptst.io import atomic_write_json

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Checkpoint:
    """A saved point of the trajectory: directory, optimizer step and (fractional) epoch."""

    path: Path
    step: int
    epoch: float

    def to_json(self, run_dir: Path) -> dict[str, Any]:
        return {"path": os.path.relpath(self.path, run_dir), "step": self.step, "epoch": round(float(self.epoch), 4)}

    @classmethod
    def from_json(cls, d: dict[str, Any], run_dir: Path) -> "Checkpoint":
        return cls(path=(run_dir / d["path"]).resolve(), step=int(d["step"]), epoch=float(d["epoch"]))


def manifest_path(run_dir: Path) -> Path:
    return Path(run_dir) / MANIFEST


def read_manifest(run_dir: Path) -> dict[str, Any] | None:
    p = manifest_path(run_dir)
    if not p.exists():
        return None
    try:
        m = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise PtstError(f"{p}: unreadable manifest ({e})") from None
    if not isinstance(m, dict) or m.get("kind") != "train":
        raise PtstError(f"{p}: not a ptst train manifest")
    return m


def write_manifest(run_dir: Path, manifest: dict[str, Any]) -> None:
    manifest["updated_at"] = now_iso()
    atomic_write_json(manifest_path(run_dir), manifest)


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


# ---- checkpoint bookkeeping ---------------------------------------------------------------------------------------


def checkpoints_of(manifest: dict[str, Any], run_dir: Path) -> list[Checkpoint]:
    return [Checkpoint.from_json(c, run_dir) for c in manifest.get("checkpoints", [])]


def add_checkpoint(manifest: dict[str, Any], ckpt: Checkpoint, run_dir: Path) -> None:
    entries = [c for c in manifest.get("checkpoints", []) if int(c["step"]) != ckpt.step]
    entries.append(ckpt.to_json(run_dir))
    manifest["checkpoints"] = sorted(entries, key=lambda c: c["step"])


def first_difference(a: dict[str, Any], b: dict[str, Any]) -> str | None:
    """Name of the first key whose value differs between two flat dicts, for a one-line refusal message."""
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            return f"{k}: {a.get(k)!r} there, {b.get(k)!r} now"
    return None
