"""Which PEFT adapters vLLM can serve, checked before a run starts (vLLM itself would fail mid-run).

vLLM's LoRA rules (vllm/config/lora.py, vllm/lora/peft_helper.py): the rank ``r`` must be one of
:data:`VLLM_LORA_RANKS` and at most ``--max-lora-rank``; no DoRA (``use_dora``), ``bias`` must be ``"none"``,
no ``modules_to_save``, no trainable added tokens, and only the LoRA A/B matrices of linear layers (no embedding or
``lm_head`` targets).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ptst.errors import PtstError

VLLM_LORA_RANKS = (1, 8, 16, 32, 64, 128, 256, 320, 512)
_EMBEDDING_NAMES = ("embed_tokens", "lm_head", "wte", "word_embeddings", "embed_in", "embed_out")


@dataclass(frozen=True)
class AdapterInfo:
    path: str
    rank: int


def _refuse(path: Path, field: str, why: str) -> PtstError:
    return PtstError(f"adapter {path}: field '{field}': {why}; vLLM cannot serve this adapter (use --backend hf)")


def check_vllm_adapter(adapter: str | Path) -> AdapterInfo:
    """The adapter's rank if vLLM can load it; otherwise a one-line error naming the adapter and the field."""
    path = Path(adapter).expanduser()
    cfg_path = path / "adapter_config.json"
    if not cfg_path.is_file():
        raise PtstError(f"{path}: not a PEFT adapter directory (no adapter_config.json)")
    try:
        cfg: dict[str, Any] = json.loads(cfg_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise PtstError(f"{cfg_path}: unreadable adapter config ({e})") from None
    if cfg.get("peft_type", "LORA") != "LORA":
        raise _refuse(path, "peft_type", f"{cfg.get('peft_type')!r} is not LORA")
    r = cfg.get("r")
    if not isinstance(r, int) or r not in VLLM_LORA_RANKS:
        raise _refuse(path, "r", f"rank {r!r} is not one of {', '.join(map(str, VLLM_LORA_RANKS))}")
    if cfg.get("use_dora"):
        raise _refuse(path, "use_dora", "DoRA adapters are not supported")
    if (cfg.get("bias") or "none") != "none":
        raise _refuse(path, "bias", f"{cfg.get('bias')!r} (only 'none' is supported)")
    if cfg.get("modules_to_save"):
        raise _refuse(path, "modules_to_save", f"{cfg['modules_to_save']!r} (fully trained modules are not supported)")
    if cfg.get("trainable_token_indices"):
        raise _refuse(path, "trainable_token_indices", "trainable added tokens are not supported")
    if not cfg.get("target_modules"):
        raise _refuse(path, "target_modules", "missing")
    targets = cfg["target_modules"]
    names = [targets] if isinstance(targets, str) else list(targets)
    for t in names:
        if any(e in str(t) for e in _EMBEDDING_NAMES):
            raise _refuse(path, "target_modules", f"{t!r} is an embedding or lm_head layer")
    for key in _safetensors_keys(path / "adapter_model.safetensors"):
        if any(e in key for e in _EMBEDDING_NAMES) or not ("lora_A" in key or "lora_B" in key):
            raise _refuse(path, "adapter_model.safetensors", f"tensor {key!r} is not a LoRA A/B matrix of a "
                          "linear layer")
    return AdapterInfo(str(path.resolve()), r)


def _safetensors_keys(f: Path) -> list[str]:
    """Tensor names from a safetensors header (no torch needed); empty when there is no such file."""
    if not f.is_file():
        return []
    try:
        with open(f, "rb") as fh:
            (n,) = struct.unpack("<Q", fh.read(8))
            header = json.loads(fh.read(n))
    except (OSError, ValueError, struct.error) as e:
        raise PtstError(f"{f}: unreadable safetensors header ({e})") from None
    return [k for k in header if k != "__metadata__"]


def max_lora_rank(ranks: list[int], at_least: int | None = None) -> int:
    """The smallest allowed ``--max-lora-rank`` that fits every rank (and ``at_least``)."""
    need = max([*ranks, at_least or 1])
    for r in VLLM_LORA_RANKS:
        if r >= need:
            return r
    raise PtstError(f"LoRA rank {need} exceeds vLLM's largest --max-lora-rank ({VLLM_LORA_RANKS[-1]})")


def check_lora_settings(config: dict[str, Any]) -> tuple[str, str] | None:
    """For a study that trains its own adapters: ``(field, why)`` when the LoRA training options would make an
    adapter vLLM cannot load (checked before any training starts), else ``None``."""
    if config.get("lora", True) is False:
        return None
    r = config.get("lora_r", 8)
    if r not in VLLM_LORA_RANKS:
        return "lora_r", f"rank {r!r} is not one of {', '.join(map(str, VLLM_LORA_RANKS))}, which vLLM can serve"
    targets = config.get("lora_target_modules", "all-linear")
    for t in [targets] if isinstance(targets, str) else list(targets):
        if any(e in str(t) for e in _EMBEDDING_NAMES):
            return "lora_target_modules", f"{t!r} is an embedding or lm_head layer, which vLLM cannot serve"
    return None
