"""Decode-step attention that reads a shared prompt prefix once per batch instead of once per row.

During decoding, attention is memory-bound: every step each row reads its whole key/value cache. When the rows of
a batch start with the same system prompt (an evaluation renders every query with one template), most of that cache
is the same prefix, duplicated per row. Here the prefix's keys/values are kept once per distinct prefix and attended
with one matrix multiply for all its rows; each row's own keys/values (its query suffix and generated tokens) are
attended separately, and the two softmax parts are merged exactly with their log-sum-exp statistics ("cascade"
attention). This changes only the floating-point summation order of attention.

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
class PrefixGroupKV:
    """Batch rows sharing one prefix, and that prefix's per-layer keys/values (each [1, kv_heads, p, dim])."""

    rows: torch.Tensor | None  # None: every row of the batch
    kv: Sequence[tuple[torch.Tensor, torch.Tensor]]


_CTX: contextvars.ContextVar[list[PrefixGroupKV] | None] = contextvars.ContextVar("ptst_cascade", default=None)


_FLASH_CPU = getattr(torch.ops.aten, "_scaled_dot_product_flash_attention_for_cpu", None)


def _cascade_attention(module, query, key, value, attention_mask, scaling=None, dropout=0.0, **kwargs):
    groups = _CTX.get()
    # (a sliding window needs no handling here: the backend only uses this engine when every sequence fits in it)
    if groups is None or query.shape[2] != 1:
        if attention_mask is not None and attention_mask.dtype != torch.bool and groups is not None:
            attention_mask = attention_mask == 0  # our additive mask, back to "may attend"
        return sdpa_attention_forward(module, query, key, value, attention_mask, dropout=dropout, scaling=scaling, **kwargs)
    if query.device.type == "cpu" and _FLASH_CPU is not None:
        return _cascade_flash_cpu(module, query, key, value, attention_mask, scaling, groups)
    if attention_mask is not None and attention_mask.dtype != torch.bool:
        attention_mask = attention_mask == 0
    b, hq, _, d = query.shape
    hk = key.shape[1]
    rep = hq // hk
    scale = scaling if scaling is not None else d**-0.5
    q = query.reshape(b, hk, rep, d)
    # Scores come out of the matmul in the model's dtype; the softmax statistics and the merge are kept in float32
    # (as SDPA kernels do), so half-precision models lose nothing beyond what their matmuls already round.
    s = torch.matmul(q, key.transpose(-1, -2)).float().mul_(scale)  # the row's own part: [b, hk, rep, L]
    if attention_mask is not None:
        s.masked_fill_(~attention_mask, float("-inf"))
    m = s.amax(-1, keepdim=True)
    p = torch.exp(s - m)
    den = p.sum(-1, keepdim=True)
    num = torch.matmul(p.to(value.dtype), value).float()  # [b, hk, rep, dv]
    # the shared prefixes: one matmul per distinct prefix for all of its rows
    layer = module.layer_idx
    for g in groups:
        pk, pv = g.kv[layer]
        if pk.shape[-2] == 0:
            continue
        qg = q if g.rows is None else q.index_select(0, g.rows)
        n = qg.shape[0]
        qq = qg.permute(1, 0, 2, 3).reshape(hk, n * rep, d)
        sp = torch.matmul(qq, pk[0].transpose(-1, -2)).float().mul_(scale)  # [hk, n*rep, p]
        mp = sp.amax(-1, keepdim=True)
        pp = torch.exp(sp - mp)
        denp = pp.sum(-1, keepdim=True)
        nump = torch.matmul(pp.to(pv.dtype), pv[0]).float()  # [hk, n*rep, dv]
        back = lambda t: t.reshape(hk, n, rep, t.shape[-1]).permute(1, 0, 2, 3)  # noqa: E731
        mp, denp, nump = back(mp), back(denp), back(nump)
        mo = m if g.rows is None else m.index_select(0, g.rows)
        mn = torch.maximum(mo, mp)
        ao, ap = torch.exp(mo - mn), torch.exp(mp - mn)
        dn = (den if g.rows is None else den.index_select(0, g.rows)) * ao + denp * ap
        nm = (num if g.rows is None else num.index_select(0, g.rows)) * ao + nump * ap
        if g.rows is None:
            m, den, num = mn, dn, nm
        else:
            m, den, num = m.index_copy(0, g.rows, mn), den.index_copy(0, g.rows, dn), num.index_copy(0, g.rows, nm)
    out = (num / den).to(query.dtype).reshape(b, hq, 1, value.shape[-1])
    return out.transpose(1, 2).contiguous(), None


def _cascade_flash_cpu(module, query, key, value, attention_mask, scaling, groups):
    """The same merge with PyTorch's CPU flash-attention kernel, which returns each part's log-sum-exp: a handful
    of operations per layer instead of some thirty (per-operation overhead dominates a decode step on CPU)."""
    b, hq, _, d = query.shape
    hk = key.shape[1]
    rep = hq // hk
    scale = scaling if scaling is not None else d**-0.5
    q = query.reshape(b, hk, rep, d)
    mask = attention_mask
    if mask is not None and mask.dtype == torch.bool:
        mask = torch.zeros(mask.shape, dtype=q.dtype, device=q.device).masked_fill_(~mask, float("-inf"))
    out, lse = _FLASH_CPU(q, key, value, 0.0, False, attn_mask=mask, scale=scale)  # [b,hk,rep,d], [b,hk,rep]
    layer = module.layer_idx
    for g in groups:
        pk, pv = g.kv[layer]
        if pk.shape[-2] == 0:
            continue
        qg = q if g.rows is None else q.index_select(0, g.rows)
        n = qg.shape[0]
        qq = qg.permute(1, 0, 2, 3).reshape(1, hk, n * rep, d)
        op, lp = _FLASH_CPU(qq, pk, pv, 0.0, False, scale=scale)  # [1,hk,n*rep,d], [1,hk,n*rep]
        op = op.reshape(hk, n, rep, d).permute(1, 0, 2, 3)
        lp = lp.reshape(hk, n, rep).permute(1, 0, 2)
        lo = lse if g.rows is None else lse.index_select(0, g.rows)
        oo = out if g.rows is None else out.index_select(0, g.rows)
        lm = torch.logaddexp(lo, lp)
        merged = oo * torch.exp(lo - lm).unsqueeze(-1) + op * torch.exp(lp - lm).unsqueeze(-1)
        if g.rows is None:
            out, lse = merged, lm
        else:
            out, lse = out.index_copy(0, g.rows, merged), lse.index_copy(0, g.rows, lm)
    return out.reshape(b, hq, 1, value.shape[-1]).transpose(1, 2).contiguous(), None


AttentionInterface.register(NAME, _cascade_attention)


@contextlib.contextmanager
def cascade(model: Any, groups: list[PrefixGroupKV]) -> Iterator[None]:
    """Within this block, decode steps of ``model`` attend to ``groups``' shared prefixes plus their own cache."""
    cfg = model.config
    old = cfg._attn_implementation
    token = _CTX.set(groups)
    cfg._attn_implementation_internal = NAME
    try:
        yield
    finally:
        cfg._attn_implementation_internal = old
        _CTX.reset(token)
