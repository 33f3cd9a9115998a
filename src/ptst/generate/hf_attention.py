"""Decode-step attention that reads a shared prompt prefix once per batch instead of once per row.

During decoding, attention is memory-bound: every step each row reads its whole key/value cache. When the rows of
a batch start with the same system prompt (an evaluation renders every query with one template), most of that cache
is the same prefix, duplicated per row. Here the batch's distinct prefixes are kept once, concatenated into a
"prefix bank", and attended with one kernel call for all rows (a mask keeps each row to its own prefix); each row's
own keys/values (its query suffix and generated tokens) are attended separately, and the two softmax parts are
merged exactly with their log-sum-exp statistics ("cascade" attention). This changes only the floating-point
summation order of attention.

The function is registered with transformers' ``AttentionInterface`` as ``ptst_cascade`` and switched on only
inside :func:`cascade`; outside a decode step (prefill, plain ``generate``) it defers to the stock SDPA function.
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import torch
from transformers import AttentionInterface
from transformers.integrations.sdpa_attention import sdpa_attention_forward

NAME = "ptst_cascade"


@dataclass
class PrefixBank:
    """The batch's distinct prefixes, concatenated: per layer (keys, values), each [1, kv_heads, total, dim], and
    which bank columns each row may attend to (None when one prefix serves every row)."""

    kv: Sequence[tuple[torch.Tensor, torch.Tensor]]
    allowed: torch.Tensor | None  # [batch, total] bool

    @classmethod
    def build(cls, row_prefixes: Sequence[tuple[int, ...]], store: dict, device: Any) -> "PrefixBank | None":
        """From each row's prefix (token tuple, empty = none) and the per-prefix KV ``store``."""
        distinct = [p for p in dict.fromkeys(row_prefixes) if p]
        if not distinct:
            return None
        if len(distinct) == 1 and all(p == distinct[0] for p in row_prefixes):
            return cls(store[distinct[0]], None)
        layers = [store[p] for p in distinct]
        kv = [(torch.cat([lay[i][0] for lay in layers], 2), torch.cat([lay[i][1] for lay in layers], 2))
              for i in range(len(layers[0]))]
        starts, total = {}, 0
        for p in distinct:
            starts[p] = total
            total += len(p)
        allowed = torch.zeros((len(row_prefixes), total), dtype=torch.bool, device=device)
        for j, p in enumerate(row_prefixes):
            if p:
                allowed[j, starts[p] : starts[p] + len(p)] = True
        return cls(kv, allowed)


@dataclass
class _Step:
    bank: PrefixBank
    prefix_mask: torch.Tensor | None  # additive [1, 1, batch*rep, total], built once per step for all layers
    has_prefix: torch.Tensor | None  # [batch] bool, rows without any prefix (their prefix part is empty)


_CTX: contextvars.ContextVar[_Step | None] = contextvars.ContextVar("ptst_cascade", default=None)
_FLASH_CPU = getattr(torch.ops.aten, "_scaled_dot_product_flash_attention_for_cpu", None)


def _cascade_attention(module, query, key, value, attention_mask, scaling=None, dropout=0.0, **kwargs):
    step = _CTX.get()
    # (a sliding window needs no handling here: the backend only uses this engine when every sequence fits in it)
    if step is None or query.shape[2] != 1:
        return sdpa_attention_forward(module, query, key, value, attention_mask, dropout=dropout, scaling=scaling,
                                      **kwargs)
    b, hq, _, d = query.shape
    hk = key.shape[1]
    rep = hq // hk
    scale = scaling if scaling is not None else d**-0.5
    q = query.reshape(b, hk, rep, d)
    pk, pv = step.bank.kv[module.layer_idx]
    qq = q.permute(1, 0, 2, 3).reshape(1, hk, b * rep, d)  # every row's queries against the bank, in one call
    if query.device.type == "cpu" and _FLASH_CPU is not None:
        # PyTorch's CPU flash kernel returns each part's log-sum-exp: a handful of operations per layer (per-op
        # overhead dominates a decode step on CPU)
        out, lse = _FLASH_CPU(q, key, value, 0.0, False, attn_mask=attention_mask, scale=scale)
        op, lp = _FLASH_CPU(qq, pk, pv, 0.0, False, attn_mask=step.prefix_mask, scale=scale)
    else:
        out, lse = _attend(q, key, value, attention_mask, scale)
        op, lp = _attend(qq, pk, pv, step.prefix_mask, scale)
    op = op.reshape(hk, b, rep, -1).permute(1, 0, 2, 3)
    lp = lp.reshape(hk, b, rep).permute(1, 0, 2)
    if step.has_prefix is not None:  # rows with no prefix: an empty prefix part
        lp = lp.masked_fill(~step.has_prefix[:, None, None], float("-inf"))
    lse_all = torch.logaddexp(lse.float(), lp.float())
    merged = out.float() * torch.exp(lse - lse_all).unsqueeze(-1) + op.float() * torch.exp(lp - lse_all).unsqueeze(-1)
    return merged.to(query.dtype).reshape(b, hq, 1, value.shape[-1]).transpose(1, 2).contiguous(), None


def _attend(q, k, v, mask, scale):
    """Attention output and log-sum-exp with plain operations (devices without the CPU kernel). Scores come out of
    the matmul in the model's dtype; the softmax statistics are float32, as SDPA kernels keep them."""
    s = torch.matmul(q, k.transpose(-1, -2)).float().mul_(scale)
    if mask is not None:
        s = s + mask.float()
    m = s.amax(-1, keepdim=True).clamp_min(torch.finfo(torch.float32).min)
    p = torch.exp(s - m)
    den = p.sum(-1, keepdim=True)
    out = torch.matmul(p.to(v.dtype), v).float() / den
    return out, (m + den.log()).squeeze(-1)


AttentionInterface.register(NAME, _cascade_attention)


def additive(allowed: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """0 where ``allowed``, -inf elsewhere."""
    return torch.zeros(allowed.shape, dtype=dtype, device=allowed.device).masked_fill_(~allowed, float("-inf"))


def prepare(model: Any, bank: PrefixBank) -> _Step:
    """The per-batch state of :func:`cascade`: the bank and its additive mask for every (row, head-group) query."""
    prefix_mask = has_prefix = None
    if bank.allowed is not None:
        hk = bank.kv[0][0].shape[1]
        rep = model.config.num_attention_heads // hk
        allowed = bank.allowed.repeat_interleave(rep, dim=0)  # rows x rep query vectors, row-major like ``qq``
        allowed = allowed | ~allowed.any(-1, keepdim=True)  # a row with no prefix: any column, masked out later
        prefix_mask = additive(allowed, model.dtype)[None, None]
        with_prefix = bank.allowed.any(-1)
        has_prefix = None if bool(with_prefix.all()) else with_prefix
    return _Step(bank, prefix_mask, has_prefix)


@contextlib.contextmanager
def cascade(model: Any, step: _Step) -> Iterator[None]:
    """Within this block, decode steps of ``model`` attend to the prepared bank's prefixes plus each row's own
    cache; the attention mask passed to the model must be additive (:func:`additive`) and cover the own part only."""
    cfg = model.config
    old = cfg._attn_implementation
    token = _CTX.set(step)
    cfg._attn_implementation_internal = NAME
    try:
        yield
    finally:
        cfg._attn_implementation_internal = old
        _CTX.reset(token)
