"""The generation interface every backend implements, and cached generation on top of it.

A backend turns prompts into completions. A prompt is a rendered string (``llama2``/``native`` formats, for
``hf`` and for completions endpoints) or a list of chat messages (``openai`` format, for chat endpoints).
:func:`generate_cached` looks every prompt up in the :class:`~ptst.cache.Cache` first and sends only the misses to
the backend, storing each batch as soon as it is done, so a rerun generates nothing and an interrupted run resumes.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from ptst.cache import Cache, generation_key
from ptst.errors import Interrupted, PartialResultsError, PtstError
from ptst.registry import Registry

Prompt = str | list[dict[str, str]]
# progress(done, total) is called as completions become available
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Decoding:
    """Decoding parameters. The paper's: greedy (``temperature=0``), at most 512 new tokens, seed 42."""

    max_new_tokens: int = 512
    temperature: float = 0.0
    top_p: float = 1.0
    seed: int = 42
    stop: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.max_new_tokens < 1:
            raise PtstError(f"max_new_tokens must be at least 1, got {self.max_new_tokens}")
        if self.temperature < 0:
            raise PtstError(f"temperature must be >= 0, got {self.temperature}")
        if not 0 < self.top_p <= 1:
            raise PtstError(f"top_p must be in (0, 1], got {self.top_p}")

    @property
    def greedy(self) -> bool:
        return self.temperature == 0

    def key(self) -> dict[str, Any]:
        """The parameters a completion depends on (the seed only matters when sampling)."""
        d = asdict(self)
        d["stop"] = list(self.stop)
        if self.greedy:
            d.pop("seed")
            d.pop("top_p")
        return d


class Backend(ABC):
    """A text generator. Subclasses set ``name`` and implement :meth:`identity` and :meth:`generate`."""

    name: str = "base"
    #: takes chat-message prompts (the ``openai`` prompt format), not only rendered strings
    chat_messages: bool = False
    #: applies a LoRA adapter directory (``adapter=``) itself, so a study can evaluate local fine-tunings with it
    loads_adapters: bool = True

    @classmethod
    def option_names(cls) -> list[str]:
        """The options a spec's ``backend_options`` may set: the keyword parameters of the constructor, less the
        model and adapter (set per evaluated model) and injected objects."""
        params = inspect.signature(cls.__init__).parameters.values()
        return sorted(p.name for p in params if p.name not in ("self", "model", "adapter", "client")
                      and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))

    @classmethod
    def study_options(cls, options: dict[str, Any], log_dir: Path, lora_rank: int | None) -> dict[str, Any]:
        """The options every evaluation of a study uses: the spec's ``backend_options``, completed by the backend
        (``log_dir``: the study's log folder; ``lora_rank``: the rank of the LoRA adapters the study trains, None
        when it trains none)."""
        return dict(options)

    @classmethod
    def check_training(cls, train_options: dict[str, Any]) -> tuple[str, str] | None:
        """For a study that evaluates its own fine-tunings with this backend: ``(option, why)`` when the training
        options would make adapters this backend cannot load, else None (checked before anything trains)."""
        return None

    @classmethod
    def close_shared(cls) -> None:
        """Release what a study's evaluations shared (servers); called once when they are over."""

    @abstractmethod
    def identity(self) -> dict[str, Any]:
        """What the completions depend on besides prompt and decoding (model content hashes, endpoint+model)."""

    def identity_key(self) -> str:
        from ptst.io import stable_hash

        return stable_hash({"backend_model": self.identity()})[:32]

    @abstractmethod
    def generate(self, prompts: Sequence[Prompt], decoding: Decoding, progress: Progress | None = None) -> list[str]:
        """Completions for ``prompts``, in order. Greedy decoding must be deterministic."""

    def close(self) -> None:  # release models, connections
        pass


def generate_cached(
    backend: Backend,
    prompts: Sequence[Prompt],
    decoding: Decoding,
    cache: Cache | None = None,
    progress: Progress | None = None,
    chunk_size: int | None = None,
) -> list[str]:
    """Completions for ``prompts``, served from the cache where possible; misses are generated in chunks and each
    chunk is stored before the next starts. The chunk size defaults to the backend's ``preferred_chunk_size``
    (one full batch of a local model), else 64."""
    chunk_size = chunk_size or getattr(backend, "preferred_chunk_size", None) or 64
    cache = cache or Cache.default()
    mkey = backend.identity_key()
    dkey = decoding.key()
    keys = [generation_key(mkey, p, dkey) for p in prompts]
    found = cache.get_many("generation", keys)
    out: dict[str, str] = {k: v["text"] for k, v in found.items()}
    todo_keys = list(dict.fromkeys(k for k in keys if k not in out))
    first = {k: p for k, p in zip(keys, prompts)}
    done = len(keys) - sum(1 for k in keys if k not in out)
    if progress:
        progress(done, len(keys))
    for i in range(0, len(todo_keys), chunk_size):
        chunk = todo_keys[i : i + chunk_size]
        try:
            texts = backend.generate([first[k] for k in chunk], decoding)
        except (PartialResultsError, Interrupted) as e:  # keep what succeeded, so a rerun generates only the rest
            kept = [(k, t) for k, t in zip(chunk, e.partial) if t is not None]
            cache.put_many("generation", [(k, {"text": t}, {"backend": backend.name}) for k, t in kept])
            raise
        if len(texts) != len(chunk):
            raise RuntimeError(f"backend {backend.name} returned {len(texts)} completions for {len(chunk)} prompts")
        cache.put_many("generation", [(k, {"text": t}, {"backend": backend.name}) for k, t in zip(chunk, texts)])
        out.update(zip(chunk, texts))
        if progress:
            progress(sum(1 for k in keys if k in out), len(keys))
    return [out[k] for k in keys]


# ---- registry -------------------------------------------------------------------------------------------------

#: the modules that register the shipped backends; a new backend is one registered class in a module listed here
BUILTIN_BACKEND_MODULES = ("ptst.generate.hf", "ptst.generate.openai_backend", "ptst.generate.vllm_backend")

BACKENDS: Registry[Backend] = Registry("backend", BUILTIN_BACKEND_MODULES)
#: class decorator, ``@register_backend("hf")``: the class is constructed with the options given to get_backend
register_backend = BACKENDS.register
#: the registered class of a backend, not constructed (building one may load a model)
backend_class = BACKENDS.get
list_backends = BACKENDS.names
#: ``get_backend("hf", model=...)``: a backend constructed with its options
get_backend = BACKENDS.create
