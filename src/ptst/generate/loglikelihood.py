"""Loglikelihoods of continuations under a local model, cached like generations.

``loglikelihoods(backend, pairs, cache)`` returns, for each ``(context, continuation)`` pair, the summed log
probability of the continuation's tokens given the context and whether greedy decoding would produce exactly them:
what lm-evaluation-harness asks a model for on a multiple-choice task (:mod:`ptst.judges.lmeval`).

Tokenisation follows the harness's convention for a pair: whitespace at the end of the context moves to the start
of the continuation, the pair is encoded whole and the context alone, and the continuation is the whole's tokens
after the context's. The context gets the tokenizer's special tokens (BOS) as ptst's generation does
(:func:`ptst.templates.encode_prompt`: not when the rendered text starts with BOS already). A sequence longer than
the model's context window keeps its last tokens.

Each value is stored in the cache's ``generation`` table under the model's content-hash identity
(``backend.identity_key()``), the exact context and the continuation, as soon as its batch is scored: a rerun
scores nothing, an interrupted one only what is missing, and a fully cached one never loads the model.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ptst.errors import PtstError
from ptst.io import stable_hash

Progress = Callable[[int, int], None]


def loglikelihood_key(model_key: str, context: str, continuation: str) -> str:
    return stable_hash({"kind": "loglikelihood", "model": model_key, "context": context,
                        "continuation": continuation})


def split_pair(tokenizer: Any, context: str, continuation: str) -> tuple[list[int], list[int]]:
    """(context token ids, continuation token ids) of one pair (see the module docstring)."""
    from ptst.templates import encode_prompt

    stripped = context.rstrip()
    if stripped != context:
        context, continuation = stripped, context[len(stripped):] + continuation
    if not context:
        raise PtstError("an empty context cannot be scored (ptst scores continuations of a rendered prompt)")
    whole = encode_prompt(tokenizer, context + continuation)
    ctx = encode_prompt(tokenizer, context)
    cont = whole[len(ctx):]
    if not cont:
        raise PtstError(f"continuation {continuation!r} is empty after tokenization")
    return ctx, cont


def _window(model: Any) -> int | None:
    cfg = getattr(model, "config", None)
    n = getattr(cfg, "max_position_embeddings", None)
    return int(n) if isinstance(n, int) and n > 0 else None


def score_tokens(model: Any, items: Sequence[tuple[list[int], list[int]]], pad_id: int = 0,
                 batch_size: int = 16) -> list[tuple[float, bool]]:
    """(sum of log p(continuation | context), greedy) for token-id pairs, in batches of right-padded sequences."""
    import torch

    device = next(model.parameters()).device
    window = _window(model)
    out: list[tuple[float, bool] | None] = [None] * len(items)
    order = sorted(range(len(items)), key=lambda i: -(len(items[i][0]) + len(items[i][1])))
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        seqs, conts = [], []
        for i in idx:
            ctx, cont = items[i]
            seq = (ctx + cont)[:-1]
            if window is not None and len(seq) > window:
                seq = seq[-window:]
            if len(cont) > len(seq) + 1:
                raise PtstError(f"a continuation of {len(cont)} tokens does not fit the model's context window")
            seqs.append(seq)
            conts.append(cont)
        width = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for r, s in enumerate(seqs):
            ids[r, :len(s)] = torch.tensor(s, dtype=torch.long)
            mask[r, :len(s)] = 1
        with torch.no_grad():
            logits = model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits
        for r, (i, s, cont) in enumerate(zip(idx, seqs, conts)):
            n = len(cont)
            # the logits at position p predict token p+1 of ctx+cont; the continuation is the last n predicted
            rows = torch.log_softmax(logits[r, len(s) - n:len(s)].float(), dim=-1)
            target = torch.tensor(cont, dtype=torch.long, device=rows.device)
            lp = rows.gather(1, target[:, None]).sum().item()
            greedy = bool((rows.argmax(dim=-1) == target).all().item())
            out[i] = (float(lp), greedy)
    return out  # type: ignore[return-value]


def loglikelihoods(backend: Any, pairs: Sequence[tuple[str, str]], cache: Any = None, *, batch_size: int = 16,
                   progress: Progress | None = None, chunk: int = 256) -> list[tuple[float, bool]]:
    """Cached ``(logprob, is_greedy)`` of each ``(context, continuation)`` pair under ``backend``'s model.

    ``backend`` is a local-model backend (``hf``): it has ``model``, ``tokenizer`` and ``identity_key()``.
    """
    if not (hasattr(backend, "model") and hasattr(backend, "tokenizer") and hasattr(backend, "identity_key")):
        raise PtstError(f"loglikelihood scoring needs a local model (backend hf), not backend "
                        f"{getattr(backend, 'name', '?')!r}")
    mkey = backend.identity_key()
    keys = [loglikelihood_key(mkey, c, x) for c, x in pairs]
    found = cache.get_many("generation", keys) if cache is not None else {}
    todo = list(dict.fromkeys(k for k in keys if k not in found))
    first = {k: p for k, p in zip(keys, pairs)}
    if progress:
        progress(len(keys) - sum(1 for k in keys if k not in found), len(keys))
    if todo:
        model, tok = backend.model, backend.tokenizer
        pad = tok.pad_token_id if tok.pad_token_id is not None else 0
        for s in range(0, len(todo), chunk):
            part = todo[s:s + chunk]
            scored = score_tokens(model, [split_pair(tok, *first[k]) for k in part], pad, batch_size)
            rows = [(k, {"logprob": lp, "greedy": g}, {"backend": "loglikelihood"}) for k, (lp, g) in zip(part, scored)]
            if cache is not None:
                cache.put_many("generation", rows)
            found.update({k: v for k, v, _ in rows})
            if progress:
                progress(sum(1 for k in keys if k in found), len(keys))
    return [(float(found[k]["logprob"]), bool(found[k]["greedy"])) for k in keys]
