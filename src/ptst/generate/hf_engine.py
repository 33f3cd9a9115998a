"""A batched decode loop for Hugging Face causal LMs, built for evaluation throughput.

``transformers``' ``generate`` is general; an evaluation needs one thing done fast: greedy (or seeded sampled)
completions of many prompts that share a template. This loop calls the model's own ``forward`` (so it works for any
architecture whose attention accepts a 4-D mask and explicit position ids) and adds, each measured in
docs/generate.md:

* **shared-prefix KV cache**: prompts are grouped by their common token prefix (the rendered system prompt); the
  prefix's keys/values are computed once (batch 1) and kept per template;
* **packed prefill**: the prompts' own suffixes are run concatenated, without padding, each attending to its
  group's prefix;
* **a preallocated KV slab**: the cache is one ``[batch, heads, capacity, dim]`` buffer per layer written in place,
  instead of ``torch.cat``-ing a growing cache every step (which copies the whole cache each token);
* **cascade decode attention** (:mod:`ptst.generate.hf_attention`): decode steps read the shared prefixes once per
  batch instead of once per row;
* **finished rows leave the batch**: a row that produced EOS (or a stop string) is dropped from the batch and its
  KV slab, so no compute is spent on padding after a short answer;
* **no per-step generality**: no logits processors or stopping-criteria objects, one top-2 per step.

Layout of a batch in the slab (P = longest prefix in the batch, S = longest suffix)::

    columns  [0, P)         prefix of the row's group, right-aligned (left part masked); absent (P = 0) when
                            decode steps use cascade attention, which keeps the prefixes outside the slab
             [P, P+S)       the row's own suffix, left-padded (padding masked)
             [P+S, ...)     generated tokens

Position ids are the row's logical positions (prefix 0..p-1, then suffix and generated tokens continue), so the
model sees exactly the token sequence it would see unbatched; only floating-point summation order can differ,
which :mod:`ptst.generate.hf` guards against with a logit-margin check.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import torch
from transformers.cache_utils import Cache, DynamicCache, DynamicLayer

from ptst.generate.hf_attention import PrefixBank, additive, cascade, prepare


# ---- the KV slab ---------------------------------------------------------------------------------------------


class _SlabLayer(DynamicLayer):
    """One layer's cache: a preallocated buffer written in place; ``keys``/``values`` are views of the used part."""

    def __init__(self, kbuf: torch.Tensor, vbuf: torch.Tensor, length: int):
        super().__init__()
        self.kbuf, self.vbuf, self.length = kbuf, vbuf, length
        self.keys, self.values = kbuf[:, :, :length], vbuf[:, :, :length]
        self.device = kbuf.device
        self.is_initialized = True

    def update(self, key_states: torch.Tensor, value_states: torch.Tensor, *args, **kwargs):
        end = self.length + key_states.shape[-2]
        if end > self.kbuf.shape[-2]:
            raise RuntimeError(f"KV slab overflow: {end} > {self.kbuf.shape[-2]}")
        self.kbuf[:, :, self.length : end] = key_states
        self.vbuf[:, :, self.length : end] = value_states
        self.length = end
        self.keys, self.values = self.kbuf[:, :, :end], self.vbuf[:, :, :end]
        return self.keys, self.values

    def get_seq_length(self) -> int:
        return self.length

    def get_mask_sizes(self, query_length: int) -> tuple[int, int]:
        return self.length + query_length, 0

    def select_rows(self, idx: torch.Tensor) -> None:
        self.kbuf, self.vbuf = self.kbuf.index_select(0, idx), self.vbuf.index_select(0, idx)
        self.keys, self.values = self.kbuf[:, :, : self.length], self.vbuf[:, :, : self.length]


class SlabCache(Cache):
    """A :class:`~transformers.cache_utils.Cache` of preallocated per-layer buffers (see the module docstring)."""

    def __init__(self, buffers: Sequence[tuple[torch.Tensor, torch.Tensor]], length: int):
        super().__init__(layers=[_SlabLayer(k, v, length) for k, v in buffers])

    def select_rows(self, idx: torch.Tensor) -> None:
        for layer in self.layers:
            layer.select_rows(idx)


# ---- the model call ------------------------------------------------------------------------------------------


# Causal-LM classes whose logits are exactly ``lm_head(last hidden state)`` (no scaling, soft-capping or bias).
PLAIN_HEAD_CLASSES = {"LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM"}


def _params(fn: Any) -> set[str]:
    return set(inspect.signature(fn).parameters)


@dataclass
class ModelCaller:
    """Calls the model with the right cache keyword and mask type, returning float32 logits of chosen positions.

    For the plain-head architectures of :data:`PLAIN_HEAD_CLASSES` it runs the decoder and computes the logits as
    ``W @ h.T``: on CPU this orientation of the (vocab x hidden) product runs faster than ``linear(h, W)`` at
    decode batch sizes (docs/generate.md), and the head is a fifth of a small model's compute.
    """

    model: Any
    cache_kw: str = "past_key_values"
    keep_kw: bool = True
    bool_mask: bool = True
    num_layers: int = 0
    decoder: Any = None  # set when logits are computed here from the decoder's hidden states
    head_weight: torch.Tensor | None = None

    @classmethod
    def for_model(cls, model: Any, split_head: bool = True) -> "ModelCaller":
        base = model.get_base_model() if hasattr(model, "get_base_model") else model
        cfg = base.config.get_text_config() if hasattr(base.config, "get_text_config") else base.config
        impl = getattr(base.config, "_attn_implementation", "sdpa") or "sdpa"
        decoder = head_weight = None
        if split_head and type(base).__name__ in PLAIN_HEAD_CLASSES:
            head = base.get_output_embeddings()
            if type(head) is torch.nn.Linear and head.bias is None:
                decoder, head_weight = base.get_decoder(), head.weight
        target = decoder if decoder is not None else model
        params = _params(target.forward if decoder is not None else base.forward)
        return cls(
            model=model,
            cache_kw="cache" if "cache" in params else "past_key_values",
            keep_kw="logits_to_keep" in params,
            bool_mask=impl == "sdpa",
            num_layers=int(cfg.num_hidden_layers),
            decoder=decoder,
            head_weight=head_weight,
        )

    def mask(self, allowed: torch.Tensor) -> torch.Tensor:
        """A 4-D attention mask from a boolean [batch, 1, q, k] "may attend" tensor."""
        if self.bool_mask:
            return allowed
        dtype = self.model.dtype
        out = torch.zeros(allowed.shape, dtype=dtype, device=allowed.device)
        return out.masked_fill_(~allowed, torch.finfo(dtype).min)

    def forward(self, input_ids, position_ids, allowed, cache, keep, bool_mask: bool = False) -> torch.Tensor:
        """float32 logits [n, vocab] at positions ``keep`` of the (single) sequence axis: an int k means the last k
        positions of every row (flattened), a 1-D tensor means those positions of row 0 (packed prefill)."""
        kw = {self.cache_kw: cache, "use_cache": True}
        mask = None if allowed is None else (allowed if bool_mask else self.mask(allowed))
        if self.decoder is not None:
            out = self.decoder(input_ids=input_ids, position_ids=position_ids, attention_mask=mask, **kw)
            h = out.last_hidden_state
            h = h[:, -keep:].reshape(-1, h.shape[-1]) if isinstance(keep, int) else h[0, keep]
            # contiguous [n, vocab]: the per-step argmax/top-2 over a transposed view would be 3x slower
            return torch.matmul(self.head_weight, h.T).T.float().contiguous()
        if self.keep_kw:
            kw["logits_to_keep"] = keep
        logits = self.model(input_ids=input_ids, position_ids=position_ids, attention_mask=mask, **kw).logits
        if isinstance(keep, int):
            return logits[:, -keep:].reshape(-1, logits.shape[-1]).float()
        return (logits[0] if self.keep_kw else logits[0, keep]).float()

    def __call__(self, input_ids, position_ids, allowed, cache, bool_mask: bool = False) -> torch.Tensor:
        """Logits of the last position, [batch, vocab], in float32."""
        return self.forward(input_ids, position_ids, allowed, cache, 1, bool_mask=bool_mask)


def prefix_kv(caller: ModelCaller, tokens: Sequence[int], device: torch.device) -> list[tuple[torch.Tensor, ...]]:
    """Per-layer (keys, values) of a prompt prefix, computed once at batch 1."""
    ids = torch.tensor([list(tokens)], dtype=torch.long, device=device)
    cache = DynamicCache(config=caller.model.config)
    pos = torch.arange(len(tokens), device=device).unsqueeze(0)
    caller.forward(ids, pos, None, cache, 1)
    return [(layer.keys, layer.values) for layer in cache.layers]


def _seeded_cache(caller: ModelCaller, kv: list[tuple[torch.Tensor, torch.Tensor]] | None) -> DynamicCache:
    cache = DynamicCache(config=caller.model.config)
    for i, (k, v) in enumerate(kv or []):
        cache.update(k, v, i)
    return cache


@dataclass
class Prefilled:
    """The state after prefill: last-position logits per row, the slab cache, and the decode bookkeeping."""

    logits: torch.Tensor  # [batch, vocab] float32
    cache: SlabCache
    valid: torch.Tensor  # [batch, capacity] bool: which slab columns each row attends to
    next_pos: torch.Tensor  # [batch] position id of each row's next token
    length: int  # slab columns in use


def prefill(
    caller: ModelCaller,
    rows: Sequence["Row"],
    prefix_store: dict[tuple[int, ...], list[tuple[torch.Tensor, torch.Tensor]]],
    max_new_tokens: int,
    device: torch.device,
    pack_tokens: int = 256,
    prefix_in_slab: bool = True,
) -> Prefilled:
    """Run the rows' suffixes through the model, packed without padding, and lay the result out in a KV slab.

    Suffixes are concatenated into sequences of about ``pack_tokens`` tokens (one forward each, no padding); each
    packed token attends to its own group's prefix (computed once, at batch 1, and kept in ``prefix_store``) and to
    the earlier tokens of its own suffix. Packing bounds the dense attention cost of the block-diagonal mask while
    keeping the matrix multiplies large (hundreds of rows), which is where a CPU is efficient.

    With ``prefix_in_slab=False`` the slab holds only the rows' own columns (suffix and generated tokens); the
    decode steps then attend to the shared prefixes separately (:mod:`ptst.generate.hf_attention`).
    """
    b = len(rows)
    pmax = max(len(r.prefix) for r in rows) if prefix_in_slab else 0
    smax = max(len(r.suffix) for r in rows)
    cap = pmax + smax + max_new_tokens
    for r in rows:
        if r.prefix and r.prefix not in prefix_store:
            prefix_store[r.prefix] = prefix_kv(caller, r.prefix, device)

    # pack consecutive rows into chunks of about pack_tokens suffix tokens
    chunks: list[list[int]] = [[]]
    n = 0
    for j, r in enumerate(rows):
        if chunks[-1] and n + len(r.suffix) > pack_tokens:
            chunks.append([])
            n = 0
        chunks[-1].append(j)
        n += len(r.suffix)

    logits = [None] * b
    bufs: list[tuple[torch.Tensor, torch.Tensor]] = []
    for chunk in chunks:
        pfx = list(dict.fromkeys(rows[j].prefix for j in chunk if rows[j].prefix))
        poff = {}
        ptot = 0
        for p in pfx:
            poff[p] = ptot
            ptot += len(p)
        kv = None
        if pfx:
            layers = [prefix_store[p] for p in pfx]
            kv = [(torch.cat([lay[i][0] for lay in layers], 2), torch.cat([lay[i][1] for lay in layers], 2))
                  for i in range(len(layers[0]))]
        ids, pos, seg, pcols_lo, pcols_hi, last = [], [], [], [], [], []
        for k, j in enumerate(chunk):
            r = rows[j]
            p, sl = len(r.prefix), len(r.suffix)
            ids += r.suffix
            pos += range(p, p + sl)
            seg += [k] * sl
            lo = poff.get(r.prefix, 0)
            pcols_lo += [lo] * sl
            pcols_hi += [lo + p] * sl
            last.append(len(ids) - 1)
        t = len(ids)
        seg_t = torch.tensor(seg, device=device)
        ar = torch.arange(t, device=device)
        pc = torch.arange(ptot, device=device)
        lo_t = torch.tensor(pcols_lo, device=device)[:, None]
        hi_t = torch.tensor(pcols_hi, device=device)[:, None]
        own_prefix = (pc[None, :] >= lo_t) & (pc[None, :] < hi_t)  # [T, ptot]
        own_causal = (seg_t[:, None] == seg_t[None, :]) & (ar[None, :] <= ar[:, None])  # [T, T]
        allowed = torch.cat([own_prefix, own_causal], 1)[None, None]
        cache = _seeded_cache(caller, kv)
        lg = caller.forward(
            torch.tensor([ids], device=device),
            torch.tensor([pos], device=device),
            allowed,
            cache,
            torch.tensor(last, device=device),
        )
        for k, j in enumerate(chunk):
            logits[j] = lg[k]
        if not bufs:  # allocate the slab from the first chunk's shapes
            for layer in cache.layers:
                _, h, _, d = layer.keys.shape
                dv = layer.values.shape[-1]
                bufs.append((layer.keys.new_zeros((b, h, cap, d)), layer.values.new_zeros((b, h, cap, dv))))
        # scatter each row's suffix keys/values into its slab row, right-aligned at column pmax + smax
        row_idx = torch.tensor([j for j in chunk for _ in rows[j].suffix], device=device)
        col_idx = torch.tensor(
            [pmax + smax - len(rows[j].suffix) + i for j in chunk for i in range(len(rows[j].suffix))], device=device
        )
        for (kb, vb), layer in zip(bufs, cache.layers):
            kb[row_idx, :, col_idx] = layer.keys[0, :, ptot:].transpose(0, 1)
            vb[row_idx, :, col_idx] = layer.values[0, :, ptot:].transpose(0, 1)
        del cache

    valid = torch.zeros((b, cap), dtype=torch.bool, device=device)
    next_pos = torch.empty(b, dtype=torch.long, device=device)
    for p in dict.fromkeys(r.prefix for r in rows):
        js = torch.tensor([j for j, r in enumerate(rows) if r.prefix == p], device=device)
        if p and prefix_in_slab:
            for (kb, vb), (pk, pv) in zip(bufs, prefix_store[p]):
                kb[js, :, pmax - len(p) : pmax] = pk
                vb[js, :, pmax - len(p) : pmax] = pv
            valid[js, pmax - len(p) : pmax] = True
    for j, r in enumerate(rows):
        valid[j, pmax + smax - len(r.suffix) : pmax + smax] = True
        next_pos[j] = len(r.prefix) + len(r.suffix)
    return Prefilled(torch.stack(logits), SlabCache(bufs, pmax + smax), valid, next_pos, pmax + smax)


# ---- token choice --------------------------------------------------------------------------------------------


@dataclass
class Sampler:
    """Greedy (``temperature == 0``) or temperature/top-p sampling with one random stream per prompt.

    Each prompt's stream is seeded from (seed, the prompt's own seed), so a sampled completion does not depend on
    which other prompts share its batch or in what order they come.
    """

    temperature: float = 0.0
    top_p: float = 1.0
    seeds: dict[int, int] = field(default_factory=dict)  # prompt index -> seed of its random stream
    _gens: dict[int, torch.Generator] = field(default_factory=dict)

    @property
    def greedy(self) -> bool:
        return self.temperature == 0

    def _gen(self, row: int) -> torch.Generator:
        if row not in self._gens:
            self._gens[row] = torch.Generator().manual_seed(self.seeds.get(row, row))
        return self._gens[row]

    def choose(self, logits: torch.Tensor, rows: Sequence[int]) -> torch.Tensor:
        """Next token per batch slot; ``rows`` gives each slot's prompt index (negative: finished, ignored)."""
        if self.greedy:
            return logits.argmax(dim=-1)
        probs = torch.softmax(logits.double() / self.temperature, dim=-1)
        if self.top_p < 1.0:
            sp, si = probs.sort(dim=-1, descending=True)
            drop = (sp.cumsum(dim=-1) - sp) >= self.top_p  # smallest set reaching top_p mass, at least one token
            probs = torch.zeros_like(probs).scatter_(-1, si, sp.masked_fill(drop, 0.0))
        cdf = probs.cumsum(dim=-1).cpu()
        out = torch.zeros(len(rows), dtype=torch.long)
        for j, r in enumerate(rows):
            if r < 0:
                continue
            # inverse-CDF draw: the first token whose cumulative mass reaches u (u > 0, so never a zero-mass token)
            u = torch.rand(1, generator=self._gen(r), dtype=torch.float64).clamp_min(1e-12) * cdf[j, -1]
            out[j] = int(torch.searchsorted(cdf[j], u).clamp_max(cdf.shape[-1] - 1))
        return out.to(logits.device)


# ---- one batch -----------------------------------------------------------------------------------------------


@dataclass
class Row:
    """A prompt in a batch: its group's prefix tokens and its own suffix tokens."""

    index: int  # position in the caller's prompt list
    prefix: tuple[int, ...]
    suffix: list[int]


@dataclass
class RowResult:
    tokens: list[int]
    min_margin: float  # smallest (top-1 minus top-2) logit gap over the greedy steps; inf when sampling
    stopped_by: str = "length"  # "eos", "stop" or "length"


def run_batch(
    caller: ModelCaller,
    rows: Sequence[Row],
    prefix_store: dict[tuple[int, ...], list[tuple[torch.Tensor, torch.Tensor]]],
    max_new_tokens: int,
    eos_ids: set[int],
    sampler: Sampler,
    device: torch.device,
    stop_check: Callable[[int, list[int]], bool] | None = None,
    stop_every: int = 8,
    compact_min: float = 0.125,
    pack_tokens: int = 256,
    shared_attention: bool = True,
) -> dict[int, RowResult]:
    """Generate for one batch of rows; returns results keyed by ``Row.index``.

    A finished row is dropped from the batch (and the slab) once at least ``compact_min`` of the batch has
    finished, since dropping copies the slab; until then it rides along, ignored.

    With ``shared_attention`` the shared prefixes stay out of the slab and decode steps attend to them once per
    batch (:mod:`ptst.generate.hf_attention`); otherwise each row carries its own copy of its prefix.
    """
    b = len(rows)
    shared = shared_attention and any(r.prefix for r in rows)
    state = prefill(caller, rows, prefix_store, max_new_tokens, device, pack_tokens, prefix_in_slab=not shared)
    logits, cache, valid, next_pos, cur = state.logits, state.cache, state.valid, state.next_pos, state.length
    row_prefix = [r.prefix for r in rows]  # per batch slot, kept in step with compaction
    step_ctx = None

    def decode_step(tokens: torch.Tensor) -> torch.Tensor:
        nonlocal step_ctx
        if shared and step_ctx is None:  # once per batch, and again after rows leave
            bank = PrefixBank.build(row_prefix, prefix_store, device)
            step_ctx = prepare(caller.model, bank) if bank is not None else False  # False: no row has a prefix
        if not shared or step_ctx is False:
            return caller(tokens[:, None], next_pos[:, None], valid[:, None, None, :cur], cache)
        mask = additive(valid[:, None, None, :cur], caller.model.dtype)  # one mask per step, shared by all layers
        with cascade(caller.model, step_ctx):
            return caller(tokens[:, None], next_pos[:, None], mask, cache, bool_mask=True)

    slots: list[int | None] = list(range(b))  # batch slot -> position in ``rows``; None once finished
    results: dict[int, RowResult] = {}
    out_tokens: list[list[int]] = [[] for _ in rows]
    margins = [float("inf")] * b
    for step in range(max_new_tokens):
        if sampler.greedy:
            top2 = torch.topk(logits, 2, dim=-1)
            nxt = top2.indices[:, 0]
            gap_t = top2.values[:, 0] - top2.values[:, 1]
            gaps = gap_t.tolist()
            if min(gaps) <= 0:  # an exact tie: take the first maximum, as ``generate``'s argmax does
                nxt = torch.where(gap_t <= 0, logits.argmax(dim=-1), nxt)
        else:
            live_rows = [rows[a].index if a is not None else -1 for a in slots]
            nxt = sampler.choose(logits, live_rows)
            gaps = None
        nxt_list = nxt.tolist()
        check_stops = stop_check is not None and (step + 1) % stop_every == 0
        for slot, a in enumerate(slots):
            if a is None:
                continue
            tok = nxt_list[slot]
            out_tokens[a].append(tok)
            if gaps is not None and gaps[slot] < margins[a]:
                margins[a] = gaps[slot]
            if tok in eos_ids:
                results[rows[a].index] = RowResult(out_tokens[a], margins[a], "eos")
                slots[slot] = None
            elif check_stops and stop_check(rows[a].index, out_tokens[a]):
                results[rows[a].index] = RowResult(out_tokens[a], margins[a], "stop")
                slots[slot] = None
        live = [s for s, a in enumerate(slots) if a is not None]
        if not live or step == max_new_tokens - 1:
            break
        valid[:, cur] = True
        cur += 1
        if len(slots) - len(live) >= max(1.0, compact_min * len(slots)):
            # drop finished rows from the batch and the KV slab (a copy, so only once enough have finished)
            idx = torch.tensor(live, device=device)
            cache.select_rows(idx)
            valid = valid.index_select(0, idx)
            next_pos = next_pos.index_select(0, idx)
            nxt = nxt.index_select(0, idx)
            slots = [slots[s] for s in live]
            row_prefix = [row_prefix[s] for s in live]
            step_ctx = None
        logits = decode_step(nxt)
        next_pos += 1
    for a in range(b):
        if rows[a].index not in results:
            results[rows[a].index] = RowResult(out_tokens[a], margins[a], "length")
    return results
