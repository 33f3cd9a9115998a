"""Fit the ``objective-cross`` judge's delta (:mod:`ptst.judges.cross`) on :mod:`ptst.judges.cross_data`.

    python -m ptst.judges.cross_fit --write --data-root ../shared/data     # refit data/cross_weights.json
    python -m ptst.judges.cross_fit --out /tmp/cand.json --data-root ../shared/data   # a candidate elsewhere

Only the top :data:`~ptst.judges.cross.TRAINED_LAYERS` layers of the pinned MiniLM-L6 are trained (LoRA factors of
rank :data:`~ptst.judges.cross.LORA_RANK` on their six Linear modules, their LayerNorms) with a linear head, so the
hidden states below them are computed once, without gradients, and reused for every epoch. Seeded and run on one
CPU thread, the fit is deterministic (the same data give the same bytes). The validation sets are never read here.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

from ptst.io import atomic_write_text
from ptst.judges import cross, embed
from ptst.judges.cross import (HEAD_DIM, LABELS, LORA_ALPHA, LORA_RANK, LORA_TARGETS, N_LAYERS, NORMS,
                               TRAINED_LAYERS, PairEncoder, arrays_digest, bert_layer, pack, pool, weights_digest)

EPOCHS = 3
BATCH = 16
LR = 1e-3
WEIGHT_DECAY = 0.01
DROPOUT = 0.1
SEED = 15
#: the stored judge is an ensemble of fits that differ only in their seed (batch order, initial factors, dropout)
SEEDS = (15, 16, 17)
#: class weights (n / (k n_c)) ** this power: 0 = unweighted, 1 = balanced
CLASS_WEIGHT_POWER = 0.0


def _lengths_batches(lengths: Sequence[int], batch: int, rng: random.Random) -> list[list[int]]:
    """Batches of similar length (less padding), in a seeded random order."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    out: list[list[int]] = []
    pool_size = batch * 32
    for s in range(0, len(idx), pool_size):
        chunk = sorted(idx[s: s + pool_size], key=lambda i: lengths[i])
        out.extend(chunk[j: j + batch] for j in range(0, len(chunk), batch))
    rng.shuffle(out)
    return out


#: the fit records a digest of the trainable parameters after this many steps (``fit.trace`` of the stored
#: document), so that a test can check the stored weights' provenance by replaying only the first steps
TRACE_STEPS = 20


def fit(items: Sequence[dict[str, Any]], epochs: int = EPOCHS, batch: int = BATCH, lr: float = LR,
        seed: int = SEED, encoder: PairEncoder | None = None, log=print, trained_layers: int = TRAINED_LAYERS,
        rank: int = LORA_RANK, trace_only: bool = False, trace_steps: int = TRACE_STEPS) -> dict[str, Any]:
    """The weights document (see :mod:`ptst.judges.cross`) fitted on ``items`` (dicts with instruction, response,
    label). Gradients are switched on for the fit whatever the caller's setting. ``trace_only``: run only the first
    ``trace_steps`` steps (computing the frozen layers for their items alone) and return ``{"trace": ...}``,
    which equals the full fit's ``doc["fit"]["trace"]``."""
    import torch

    with torch.enable_grad():
        return _fit(items, epochs, batch, lr, seed, encoder, log, trained_layers, rank, trace_only, trace_steps)


def params_digest(params: dict[str, Any]) -> str:
    """sha256 of the parameters as they would be stored (packed fp16, :func:`ptst.judges.cross.arrays_digest`)."""
    return arrays_digest({k: pack(v.detach().numpy()) for k, v in params.items()})


def _fit(items: Sequence[dict[str, Any]], epochs: int, batch: int, lr: float, seed: int,
         encoder: PairEncoder | None, log, trained_layers: int, rank: int, trace_only: bool,
         trace_steps: int) -> dict[str, Any]:
    import torch
    import torch.nn.functional as F

    torch.manual_seed(seed)
    rng = random.Random(seed)
    enc = encoder or PairEncoder()
    first = N_LAYERS - trained_layers
    t0 = time.time()
    pairs = enc.token_ids([it["instruction"] for it in items], [it["response"] for it in items])
    y_all = torch.tensor([LABELS.index(it["label"]) for it in items])
    lengths = [len(ids) for ids, _ in pairs]
    plan = [_lengths_batches(lengths, batch, rng) for _ in range(epochs)]
    # hidden states below the trained layers, once per item (fp32, unpadded: each item on its own, so that a state
    # does not depend on which other items are computed)
    needed = sorted({i for b in plan[0][:trace_steps] for i in b}) if trace_only else range(len(pairs))
    states: list[Any] = [None] * len(pairs)
    for i in needed:
        ids, tt, am, _ = enc.batch([pairs[i]])
        states[i] = enc.hidden(ids, tt, am, upto=first, layers=enc.base_layers)[0].clone()
    frozen = f"frozen layers 0-{first - 1}" if first else "embeddings (no frozen layer)"
    log(f"cross_fit: {len(items)} items, {frozen} computed in {time.time() - t0:.0f} s")

    # trainable parameters
    g = torch.Generator().manual_seed(seed)
    params: dict[str, torch.nn.Parameter] = {}
    for i in range(first, N_LAYERS):
        base = enc.base_layers[i]
        for t in LORA_TARGETS:
            out_dim, in_dim = base[t + ".weight"].shape
            params[f"l{i}.{t}.A"] = torch.nn.Parameter(torch.randn(rank, in_dim, generator=g) / in_dim ** 0.5)
            params[f"l{i}.{t}.B"] = torch.nn.Parameter(torch.zeros(out_dim, rank))
        for nm in NORMS:
            params[f"l{i}.{nm}.weight"] = torch.nn.Parameter(base[nm + ".weight"].clone())
            params[f"l{i}.{nm}.bias"] = torch.nn.Parameter(base[nm + ".bias"].clone())
    params["head.weight"] = torch.nn.Parameter(torch.randn(len(LABELS), HEAD_DIM, generator=g) * 0.02)
    params["head.bias"] = torch.nn.Parameter(torch.zeros(len(LABELS)))
    opt = torch.optim.AdamW(list(params.values()), lr=lr, weight_decay=WEIGHT_DECAY)
    scale = LORA_ALPHA / rank
    counts = torch.bincount(y_all, minlength=len(LABELS)).double()
    class_w = ((counts.sum() / (len(LABELS) * counts)) ** CLASS_WEIGHT_POWER).float()

    def layer_params(i: int) -> dict[str, Any]:
        p = dict(enc.base_layers[i])
        for t in LORA_TARGETS:
            p[t + ".weight"] = p[t + ".weight"] + scale * (params[f"l{i}.{t}.B"] @ params[f"l{i}.{t}.A"])
        for nm in NORMS:
            p[nm + ".weight"] = params[f"l{i}.{nm}.weight"]
            p[nm + ".bias"] = params[f"l{i}.{nm}.bias"]
        return p

    total = sum(len(p) for p in plan)
    trace: dict[str, Any] = {}
    step = 0
    for ep in range(epochs):
        loss_sum, right, n = 0.0, 0, 0
        for b in plan[ep]:
            T = max(lengths[i] for i in b)
            h = torch.zeros((len(b), T, 384))
            am = torch.zeros((len(b), T), dtype=torch.long)
            rm = torch.zeros((len(b), T), dtype=torch.long)
            for j, i in enumerate(b):
                L, start = lengths[i], pairs[i][1]
                h[j, :L] = states[i]
                am[j, :L] = 1
                rm[j, start: L - 1] = 1
                if L - 1 <= start:
                    rm[j, L - 1] = 1
            mask = PairEncoder.additive_mask(am)
            for i in range(first, N_LAYERS):
                h = bert_layer(h, mask, layer_params(i))
            z = pool(h, rm, am)
            z = F.dropout(z, p=DROPOUT, training=True)
            logits = F.linear(z, params["head.weight"], params["head.bias"])
            y = y_all[b]
            loss = F.cross_entropy(logits, y, weight=class_w)
            for gr in opt.param_groups:  # linear warm-up (first 5%) then linear decay
                warm = max(1, total // 20)
                gr["lr"] = lr * min((step + 1) / warm, max(0.0, (total - step) / max(1, total - warm)))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(params.values()), 1.0)
            opt.step()
            step += 1
            if step == trace_steps:
                trace = {"steps": trace_steps, "sha256": params_digest(params)}
                if trace_only:
                    return {"trace": trace}
            loss_sum += float(loss.detach()) * len(b)
            right += int((logits.argmax(1) == y).sum())
            n += len(b)
        log(f"cross_fit: epoch {ep + 1}/{epochs} loss {loss_sum / n:.4f} train acc {right / n:.4f} "
            f"({time.time() - t0:.0f} s)")

    arrays = {k: pack(v.detach().numpy()) for k, v in sorted(params.items())}
    fit_info = {"n_train": len(items), "epochs": epochs, "batch": batch, "lr": lr, "seed": seed,
                "counts": {lab: int(c) for lab, c in zip(LABELS, counts.tolist())}, "trace": trace}
    return document([{"fit": fit_info, "arrays": arrays}], enc, trained_layers, rank)


def document(members: Sequence[dict[str, Any]], enc: PairEncoder, trained_layers: int = TRAINED_LAYERS,
             rank: int = LORA_RANK) -> dict[str, Any]:
    """The weights document of ``members`` (each ``{"fit", "arrays"}``: one fit's record and its packed
    parameters); several members are judged as their ensemble (the mean of their probabilities)."""
    doc: dict[str, Any] = {
        "about": "ptst objective-cross judge: LoRA deltas of the top layers of all-MiniLM-L6-v2 read as a "
                 "cross-encoder ([CLS] request [SEP] response [SEP]) plus a linear head, one per member of an "
                 "ensemble of seeds, fitted by python -m ptst.judges.cross_fit --write on "
                 "ptst.judges.cross_data.training_items()",
        "labels": list(LABELS),
        "request_tokens": enc.request_tokens,
        "response_tokens": enc.response_tokens,
        "request_head": enc.request_head,
        "trained_layers": trained_layers,
        "lora_rank": rank,
        "lora_alpha": LORA_ALPHA,
        "embedder_sha256": embed.PINNED_SHA256["model.safetensors"],
        "members": list(members),
    }
    doc["sha256"] = weights_digest(doc)
    return doc


def weights_path() -> Path:
    return Path(str(resources.files("ptst.judges").joinpath("data", cross.WEIGHTS_FILE)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ptst.judges.cross_fit", description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="refit and write data/cross_weights.json")
    ap.add_argument("--out", default=None, help="write the fitted document here instead")
    ap.add_argument("--data-root", default=None,
                    help="folder of the public data (safety-tuned-llamas refusals, GSM8K train answers)")
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--lr", type=float, default=LR)
    ap.add_argument("--seeds", default=",".join(map(str, SEEDS)),
                    help="comma-separated seeds, one ensemble member each (default %(default)s)")
    ap.add_argument("--member-out", default=None,
                    help="fit only the first seed and write that one-member document here (to fit members in "
                         "parallel processes and --merge them)")
    ap.add_argument("--merge", nargs="+", default=None,
                    help="instead of fitting, merge these one-member documents (in this order) into one")
    ap.add_argument("--trained-layers", type=int, default=TRAINED_LAYERS)
    ap.add_argument("--rank", type=int, default=LORA_RANK)
    ap.add_argument("--request-tokens", type=int, default=cross.REQUEST_TOKENS,
                    help="tokens of the request read (default %(default)s)")
    ap.add_argument("--request-head", type=int, default=cross.REQUEST_HEAD,
                    help="of a longer request, tokens kept from its start (the rest from its end; default %(default)s)")
    ap.add_argument("--response-tokens", type=int, default=cross.RESPONSE_TOKENS,
                    help="tokens of the response read (default %(default)s)")
    ap.add_argument("--limit", type=int, default=0, help="fit on the first N items only (for quick checks)")
    args = ap.parse_args(argv)
    for name in ("request_tokens", "request_head", "response_tokens", "trained_layers", "rank"):
        if getattr(args, name) < 1:
            raise SystemExit(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}")
    if args.trained_layers > N_LAYERS:
        raise SystemExit(f"--trained-layers must be at most {N_LAYERS}, got {args.trained_layers}")
    if args.request_tokens + args.response_tokens + 3 > 512:
        raise SystemExit(f"--request-tokens + --response-tokens + 3 must be at most 512 (MiniLM's positions), "
                         f"got {args.request_tokens + args.response_tokens + 3}")
    import torch

    torch.set_num_threads(1)
    from ptst.judges.cross_data import training_items

    items = training_items(args.data_root)
    if args.limit:
        items = items[: args.limit]
    seeds = [int(x) for x in str(args.seeds).split(",") if x.strip()]
    if args.merge:
        docs = [json.loads(Path(p).read_text(encoding="utf-8")) for p in args.merge]
        members = [m for d in docs for m in d["members"]]
        for d, p in zip(docs, args.merge):
            if d["sha256"] != weights_digest(d):
                raise SystemExit(f"{p}: its arrays do not match its sha256")
            for m in d["members"]:
                if m["fit"]["n_train"] != len(items):
                    raise SystemExit(f"{p}: fitted on {m['fit']['n_train']} items, the training data has {len(items)}")
        if [m["fit"]["seed"] for m in members] != seeds:
            raise SystemExit(f"merged seeds {[m['fit']['seed'] for m in members]} are not --seeds {seeds}")
        first = docs[0]
        enc = PairEncoder(request_tokens=first["request_tokens"], response_tokens=first["response_tokens"],
                          request_head=first["request_head"])
        doc = document(members, enc, first["trained_layers"], first["lora_rank"])
    else:
        enc = PairEncoder(request_tokens=args.request_tokens, response_tokens=args.response_tokens,
                          request_head=args.request_head)
        if args.member_out:
            seeds = seeds[:1]
        docs = [fit(items, epochs=args.epochs, lr=args.lr, seed=s, trained_layers=args.trained_layers,
                    rank=args.rank, encoder=enc) for s in seeds]
        doc = document([m for d in docs for m in d["members"]], enc, args.trained_layers, args.rank)
        if args.member_out:
            text = json.dumps(doc, separators=(",", ":")) + "\n"
            atomic_write_text(Path(args.member_out), text)
            print(f"wrote member {args.member_out} (seed {seeds[0]}, sha256 {doc['sha256'][:12]})")
            return 0
    text = json.dumps(doc, separators=(",", ":")) + "\n"
    if args.write or args.out:
        path = Path(args.out) if args.out else weights_path()
        atomic_write_text(path, text)
        print(f"wrote {path} ({len(text)} bytes, {len(items)} training items, sha256 {doc['sha256'][:12]})")
        cross.load_weights.cache_clear()
        cross.get_encoder.cache_clear()
    else:
        print(f"fitted (not written): sha256 {doc['sha256'][:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
