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
import platform
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ptst.errors import PtstError
from ptst.io import atomic_write_json

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
PACKAGES = ("ptst", "torch", "transformers", "peft", "accelerate", "trl", "datasets", "tokenizers", "safetensors")


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


# ---- environment ------------------------------------------------------------------------------------------------


def package_versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def git_state() -> dict[str, Any] | None:
    """Commit (and whether the tree has local changes) of the git checkout ptst is imported from, if any."""
    here = Path(__file__).resolve().parent
    try:
        top = subprocess.run(["git", "-C", str(here), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, timeout=10)
        if top.returncode != 0:
            return None
        commit = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no", "--", "src"],
                               capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit or None, "dirty": bool(dirty)}


def cpu_model() -> str | None:
    """The CPU's model name (``/proc/cpuinfo`` on Linux, else what :mod:`platform` knows): two machines with the
    same core count can still compute different floats."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.lower().startswith(("model name", "hardware", "cpu model")):
                    return line.split(":", 1)[1].strip() or None
    except OSError:
        pass
    return platform.processor() or None


def hardware(world_size: int = 1) -> dict[str, Any]:
    import torch

    hw: dict[str, Any] = {"platform": platform.platform(), "python": platform.python_version(),
                          "cpu_model": cpu_model(), "cpu_count": os.cpu_count(),
                          "torch_threads": torch.get_num_threads(), "world_size": world_size,
                          "device": "cuda" if torch.cuda.is_available() else "cpu"}
    if torch.cuda.is_available():
        hw["cuda"] = {"device_count": torch.cuda.device_count(), "name": torch.cuda.get_device_name(0),
                      "cuda_version": torch.version.cuda}
    return hw


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
