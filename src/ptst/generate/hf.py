"""The ``hf`` backend: local generation with transformers, fast and exact.

``get_backend("hf", model="smollm2-135m", adapter=None, device="auto", dtype="auto", batch_size=64)`` loads the
model lazily (a LoRA adapter is applied with PEFT, unmerged). Prompts are rendered strings, tokenized with
:func:`ptst.templates.encode_prompt`. Two engines produce the tokens:

* ``fast`` (default for Llama/Mistral/Qwen2/Qwen3 architectures): :mod:`ptst.generate.hf_engine`, which shares
  the template's prompt prefix across the batch, packs prefill without padding, decodes into a preallocated KV
  slab and drops finished rows;
* ``generate``: plain ``model.generate`` on length-sorted, left-padded batches (any architecture).

**Exactness.** Greedy outputs are checked against one-prompt-at-a-time ``model.generate``: batching changes only
floating-point summation order (a matrix-vector product at batch 1 rounds differently from a matrix product at
batch 64), which can flip the greedy choice only where the top two logits are nearly tied. The fast engine
records, per prompt, the smallest top-1/top-2 logit gap over its steps; a prompt whose gap fell below
``verify_margin`` is regenerated alone with plain ``generate`` (the reference), so its output is the reference's.
The default margin (1e-4) is 3x the largest change of that gap measured between batched and single decoding of the
default model in fp32 (docs/generate.md). Half precision rounds far more coarsely, so verification is off there
unless asked for.

**Sampling** (``temperature > 0``) uses one random stream per prompt, seeded from the decoding seed and the prompt
text, so a prompt's sample does not depend on which prompts share its batch.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any, Sequence

from ptst.errors import PtstError
from ptst.generate.base import Backend, Decoding, Progress, Prompt, register_backend
from ptst.models import DEFAULT_MODEL

# model_type values the fast engine supports (standard decoder attention that takes a 4-D mask and position ids)
FAST_MODEL_TYPES = {"llama", "mistral", "qwen2", "qwen3"}
# the fp32 verification margin: a safety factor above the largest change of a top-1/top-2 gap between batched and
# one-at-a-time decoding of the default model (the measurement: docs/generate.md, "Exactness")
DEFAULT_VERIFY_MARGIN_FP32 = 1e-4
ENGINES = ("auto", "fast", "generate")


@dataclass
class GenerationStats:
    """What the backend did, for reports and benchmarks."""

    prompts: int = 0
    new_tokens: int = 0
    seconds: float = 0.0
    verified: int = 0  # prompts regenerated alone because a logit gap fell below the verification margin
    changed_by_verification: int = 0  # of those, how many came out different from the batched output
    engine: str = ""
    batches: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class TokenResult:
    tokens: list[int]
    min_margin: float = float("inf")
    verified: bool = False


def stop_index(text: str, stops: Sequence[str]) -> int | None:
    """Index of the earliest occurrence of any stop string in ``text``."""
    hits = [i for i in (text.find(s) for s in stops if s) if i >= 0]
    return min(hits) if hits else None


def truncate_at_stop(text: str, stops: Sequence[str]) -> str:
    i = stop_index(text, stops)
    return text if i is None else text[:i]


def prompt_seed(seed: int, prompt: str) -> int:
    """A per-prompt seed: the sampled completion of a prompt depends only on (seed, prompt)."""
    from ptst.io import stable_hash

    return int(stable_hash({"seed": seed, "prompt": prompt})[:15], 16)


def plain_generate(model: Any, token_lists: Sequence[Sequence[int]], decoding: Decoding, eos_ids: Sequence[int],
                   pad_id: int, seed: int | None = None) -> list[list[int]]:
    """Plain ``model.generate`` on one left-padded batch: the reference the fast engine is checked against.

    A clean generation config is used (only the decoding parameters given here), so a model's own defaults such as
    a repetition penalty do not leak in. Returned token lists end at (and include) the first EOS.
    """
    import torch
    from transformers import GenerationConfig

    device = next(model.parameters()).device
    width = max(len(t) for t in token_lists)
    ids = torch.tensor([[pad_id] * (width - len(t)) + list(t) for t in token_lists], device=device)
    mask = torch.tensor([[0] * (width - len(t)) + [1] * len(t) for t in token_lists], device=device)
    kw: dict[str, Any] = {"do_sample": False, "num_beams": 1}
    if not decoding.greedy:
        kw = {"do_sample": True, "temperature": decoding.temperature, "top_p": decoding.top_p, "top_k": 0}
        torch.manual_seed(decoding.seed if seed is None else seed)
    cfg = GenerationConfig(max_new_tokens=decoding.max_new_tokens, eos_token_id=list(eos_ids), pad_token_id=pad_id,
                           **kw)
    out = model.generate(input_ids=ids, attention_mask=mask, generation_config=cfg)
    eos = set(eos_ids)
    result = []
    for row in out[:, width:].tolist():
        cut = next((i for i, t in enumerate(row) if t in eos), None)
        result.append(row if cut is None else row[: cut + 1])
    return result


@register_backend("hf")
class HFBackend(Backend):
    """Local transformers generation (see the module docstring).

    Options: ``model``, ``adapter`` (PEFT directory, applied unmerged), ``device`` (auto/cpu/cuda[:N]), ``dtype``
    (auto = bf16 on a CUDA device that has it, else fp32), ``batch_size`` (default 64 on CPU, 128 on CUDA; batches
    are cut smaller when their KV cache would not fit memory), ``engine`` (auto/fast/generate),
    ``verify_margin`` (logit gap under which a greedy prompt is regenerated alone; default 1e-4 in fp32, off in
    half precision), ``share_prefix``, ``threads`` (torch CPU threads), ``trust_remote_code``, ``allow_pickle``.
    ``shared_attention`` and ``split_head`` switch single fast-engine techniques off for ablations.
    """

    def __init__(
        self,
        model: str | None = None,
        adapter: str | None = None,
        device: str = "auto",
        dtype: str = "auto",
        batch_size: int | None = None,
        trust_remote_code: bool = False,
        allow_pickle: bool = False,
        engine: str = "auto",
        verify_margin: float | None = None,
        share_prefix: bool = True,
        threads: int | None = None,
        shared_attention: bool = True,
        split_head: bool = True,
    ):
        if batch_size is not None and batch_size < 1:
            raise PtstError(f"batch_size must be at least 1, got {batch_size}")
        if engine not in ENGINES:
            raise PtstError(f"unknown hf engine {engine!r}; choose one of: {', '.join(ENGINES)}")
        if verify_margin is not None and verify_margin < 0:
            raise PtstError(f"verify_margin must be >= 0, got {verify_margin}")
        if threads is not None and threads < 1:
            raise PtstError(f"threads must be at least 1, got {threads}")
        self.model_name = str(model or DEFAULT_MODEL)
        self.adapter = str(adapter) if adapter else None
        self.device_req = device
        self.dtype_req = dtype
        self.batch_size_req = batch_size
        self.trust_remote_code = trust_remote_code
        self.allow_pickle = allow_pickle
        self.engine_req = engine
        self.verify_margin_req = verify_margin
        self.share_prefix = share_prefix
        self.shared_attention = shared_attention  # ablation switches of the fast engine (docs/generate.md)
        self.split_head = split_head
        self.threads = threads
        self.stats = GenerationStats()
        self._model: Any = None
        self._tok: Any = None
        self._caller: Any = None
        self._identity: dict[str, Any] | None = None
        self._prefix_store: dict = {}

    # ---- loading ------------------------------------------------------------------------------------------------
    def identity(self) -> dict[str, Any]:
        """Base and adapter content hashes, plus the weights' dtype (bf16 and fp32 give different completions)."""
        if self._identity is None:
            from ptst.models import model_identity

            self._identity = {**model_identity(self.model_name, self.adapter), "dtype": self.resolved_dtype()}
        return self._identity

    def identity_key(self) -> str:
        """The model's content-hash key (:func:`ptst.models.identity_key`); non-fp32 weights get their own key."""
        from ptst.io import stable_hash
        from ptst.models import identity_key

        ident = self.identity()
        key = identity_key(ident)
        return key if ident["dtype"] == "float32" else stable_hash([key, ident["dtype"]])[:32]

    def resolved_dtype(self) -> str:
        """The dtype the weights load in, without loading them."""
        if self._model is not None:
            return str(self._model.dtype).replace("torch.", "")
        from ptst.models import _dtype, pick_device

        return str(_dtype(self.dtype_req, pick_device(self.device_req))).replace("torch.", "")

    @property
    def tokenizer(self) -> Any:
        if self._tok is None:
            from ptst.models import load_tokenizer

            self._tok = load_tokenizer(self.model_name, trust_remote_code=self.trust_remote_code)
        return self._tok

    @property
    def model(self) -> Any:
        if self._model is None:
            import torch

            from ptst.models import load_model

            if self.threads:
                torch.set_num_threads(self.threads)
            self._model, self._tok = load_model(
                self.model_name, self.adapter, device=self.device_req, dtype=self.dtype_req,
                trust_remote_code=self.trust_remote_code, allow_pickle=self.allow_pickle,
            )
        return self._model

    @property
    def device(self) -> Any:
        return next(self.model.parameters()).device

    @property
    def engine(self) -> str:
        if self.engine_req != "auto":
            return self.engine_req
        base = self.model.get_base_model() if hasattr(self.model, "get_base_model") else self.model
        impl = getattr(base.config, "_attn_implementation", "sdpa")
        return "fast" if base.config.model_type in FAST_MODEL_TYPES and impl in ("sdpa", "eager") else "generate"

    @property
    def verify_margin(self) -> float:
        if self.verify_margin_req is not None:
            return self.verify_margin_req
        import torch

        return DEFAULT_VERIFY_MARGIN_FP32 if self.model.dtype == torch.float32 else 0.0

    @property
    def batch_size(self) -> int:
        if self.batch_size_req:
            return self.batch_size_req
        return 64 if self.device.type == "cpu" else 128

    @property
    def preferred_chunk_size(self) -> int:
        """Prompts per :func:`~ptst.generate.base.generate_cached` chunk: one full batch. Decided without loading
        the model, so a fully cached run never loads it."""
        if self.batch_size_req:
            return self.batch_size_req
        if self._model is not None:
            return self.batch_size
        from ptst.models import pick_device

        return 64 if pick_device(self.device_req) == "cpu" else 128

    def eos_ids(self) -> list[int]:
        ids = self.model.generation_config.eos_token_id if self.model.generation_config is not None else None
        if ids is None:
            ids = self.tokenizer.eos_token_id
        ids = [ids] if isinstance(ids, int) else list(ids or [])
        if not ids:
            raise PtstError(f"{self.model_name}: the model defines no end-of-sequence token")
        return ids

    def close(self) -> None:
        self._model = self._caller = None
        self._prefix_store = {}

    def with_options(self, **options: Any) -> "HFBackend":
        """Another backend on the same loaded weights with some options changed (benchmarks, ablations)."""
        keys = ("batch_size", "engine", "verify_margin", "share_prefix", "shared_attention", "split_head")
        unknown = set(options) - set(keys)
        if unknown:
            raise PtstError(f"with_options: cannot change {', '.join(sorted(unknown))} without reloading")
        current = {"batch_size": self.batch_size_req, "engine": self.engine_req,
                   "verify_margin": self.verify_margin_req, "share_prefix": self.share_prefix, "shared_attention": self.shared_attention,
                   "split_head": self.split_head}
        other = HFBackend(self.model_name, self.adapter, self.device_req, self.dtype_req, trust_remote_code=
                          self.trust_remote_code, allow_pickle=self.allow_pickle, threads=self.threads,
                          **{**current, **options})
        other._model, other._tok, other._identity = self.model, self.tokenizer, self._identity
        return other

    # ---- generation ---------------------------------------------------------------------------------------------
    def encode(self, prompts: Sequence[Prompt]) -> list[list[int]]:
        from ptst.templates import encode_prompt

        out = []
        for i, p in enumerate(prompts):
            if not isinstance(p, str):
                raise PtstError(
                    f"prompt {i}: the hf backend takes rendered strings (format llama2 or native), not chat messages"
                )
            ids = encode_prompt(self.tokenizer, p)
            if not ids:
                raise PtstError(f"prompt {i}: empty after tokenization")
            out.append(ids)
        return out

    def generate(self, prompts: Sequence[Prompt], decoding: Decoding, progress: Progress | None = None) -> list[str]:
        token_lists = self.encode(prompts)
        results = self.generate_tokens(token_lists, decoding, progress, texts=[str(p) for p in prompts])
        return [self.decode(r.tokens, decoding) for r in results]

    def decode(self, tokens: Sequence[int], decoding: Decoding) -> str:
        text = self.tokenizer.decode(list(tokens), skip_special_tokens=True)
        return truncate_at_stop(text, decoding.stop) if decoding.stop else text

    def generate_tokens(
        self,
        token_lists: Sequence[Sequence[int]],
        decoding: Decoding,
        progress: Progress | None = None,
        texts: Sequence[str] | None = None,
    ) -> list[TokenResult]:
        """New tokens (through the first EOS) for each prompt, in order; duplicates are generated once."""
        import torch

        t0 = time.perf_counter()
        unique: dict[tuple[int, ...], int] = {}
        seeds: list[int] = []
        for n, t in enumerate(token_lists):
            key = tuple(t)
            if key not in unique:
                unique[key] = len(unique)
                seeds.append(prompt_seed(decoding.seed, texts[n] if texts else str(list(key))))
        uniq = list(unique)
        engine = self.engine
        window = getattr(self.model.config, "sliding_window", None)
        if engine == "fast" and window and max(map(len, uniq)) + decoding.max_new_tokens > window:
            engine = "generate"  # the fast engine's masks do not implement a sliding window; plain generate does
        with torch.inference_mode():
            if engine == "fast":
                res = self._run_fast(uniq, decoding, seeds, progress)
            else:
                res = self._run_plain(uniq, decoding, progress)
            if decoding.greedy and engine == "fast" and self.verify_margin > 0:
                self._verify(uniq, res, decoding)
        out = [res[unique[tuple(t)]] for t in token_lists]
        self.stats.engine = engine
        self.stats.prompts += len(token_lists)
        self.stats.new_tokens += sum(len(r.tokens) for r in res)
        self.stats.seconds += time.perf_counter() - t0
        return out

    def _run_fast(self, uniq, decoding: Decoding, seeds, progress) -> list[TokenResult]:
        from ptst.generate.hf_engine import ModelCaller, Row, Sampler, run_batch
        from ptst.generate.hf_plan import group_by_prefix, plan_batches

        if self._caller is None:
            self._caller = ModelCaller.for_model(self.model, split_head=self.split_head)
        if self.share_prefix:
            groups, group_of = group_by_prefix(uniq)
            prefixes = [groups[g].tokens for g in group_of]
        else:
            prefixes = [()] * len(uniq)
        rows = [Row(i, tuple(p), list(t[len(p):])) for i, (t, p) in enumerate(zip(uniq, prefixes))]
        sampler = Sampler(decoding.temperature, decoding.top_p, seeds=dict(enumerate(seeds)))
        eos = set(self.eos_ids())
        stop_check = None
        if decoding.stop:
            def stop_check(_i: int, toks: list[int]) -> bool:
                text = self.tokenizer.decode(toks, skip_special_tokens=True)
                return stop_index(text, decoding.stop) is not None
        results: dict[int, Any] = {}
        for batch in self._batches(rows, decoding, plan_batches):
            out = run_batch(self._caller, [rows[i] for i in batch], self._prefix_store, decoding.max_new_tokens,
                            eos, sampler, self.device, stop_check=stop_check,
                            shared_attention=self.shared_attention)
            results.update(out)
            self.stats.batches += 1
            if progress:
                progress(len(results), len(rows))
        if len(self._prefix_store) > 64:  # keep the prefix KV of recent templates only
            self._prefix_store = dict(list(self._prefix_store.items())[-16:])
        return [TokenResult(results[i].tokens, results[i].min_margin) for i in range(len(rows))]

    def _batches(self, rows, decoding: Decoding, plan_batches) -> list[list[int]]:
        """Length-sorted batches of at most ``batch_size`` rows, smaller where the KV slab would not fit memory."""
        kv_token = self._kv_bytes_per_token()
        budget = self._memory_budget()
        out = []
        for batch in plan_batches([len(r.suffix) for r in rows], self.batch_size):
            width = max(len(rows[i].suffix) for i in batch) + max(len(rows[i].prefix) for i in batch)
            per_row = max(1, (width + decoding.max_new_tokens) * kv_token)
            fit = max(1, int(budget // per_row))
            out += [batch[i : i + fit] for i in range(0, len(batch), fit)]
        return out

    def _kv_bytes_per_token(self) -> int:
        cfg = self.model.config
        cfg = cfg.get_text_config() if hasattr(cfg, "get_text_config") else cfg
        heads = getattr(cfg, "num_attention_heads", 1)
        kv_heads = getattr(cfg, "num_key_value_heads", None) or heads
        head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // heads
        return int(cfg.num_hidden_layers) * 2 * kv_heads * head_dim * self.model.dtype.itemsize

    def _memory_budget(self) -> float:
        """Bytes the KV slab of one batch may take: 60% of free GPU memory, or 40% of available RAM."""
        import torch

        if self.device.type == "cuda":
            return torch.cuda.mem_get_info(self.device)[0] * 0.6
        try:
            avail = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):
            avail = 8 << 30
        return avail * 0.4

    def _run_plain(self, uniq, decoding: Decoding, progress) -> list[TokenResult]:
        from ptst.generate.hf_plan import plan_batches

        tok = self.tokenizer
        results: dict[int, TokenResult] = {}
        for batch in plan_batches([len(t) for t in uniq], self.batch_size):
            outs = plain_generate(self.model, [uniq[i] for i in batch], decoding, self.eos_ids(), tok.pad_token_id)
            for i, o in zip(batch, outs):
                results[i] = TokenResult(o)
            self.stats.batches += 1
            if progress:
                progress(len(results), len(uniq))
        return [results[i] for i in range(len(uniq))]

    def _verify(self, uniq, res: list[TokenResult], decoding: Decoding) -> None:
        """Regenerate alone, with plain ``generate``, every prompt whose greedy choice was a near tie."""
        for i, r in enumerate(res):
            if r.min_margin < self.verify_margin:
                ref = plain_generate(self.model, [uniq[i]], decoding, self.eos_ids(), self.tokenizer.pad_token_id)[0]
                self.stats.verified += 1
                if decoding.stop:
                    same = self.decode(ref, decoding) == self.decode(r.tokens, decoding)
                else:
                    same = ref == r.tokens
                self.stats.changed_by_verification += 0 if same else 1
                res[i] = TokenResult(ref, r.min_margin, verified=True)
