#!/usr/bin/env python3
"""How well could any alignment of a model separate harmful from benign requests? A linear-probe ceiling.

    python scripts/align_probe.py                       # smollm2-135m, chat:vanilla, about 3 minutes on 2 cores
    python scripts/align_probe.py --model DIR --template chat:llama --layers 6,9,12,15

Renders every request of ``align:harmful:train`` / ``align:benign:train`` (and the held-out splits) with a test
template, runs the model once, and fits an L2-regularised logistic regression per layer on two features of the
prompt: the hidden state of the last prompt token (the position whose next-token distribution decides between
refusing and answering) and the mean hidden state over all prompt tokens. It prints, per layer and feature, the
held-out ROC AUC and the share of held-out harmful requests flagged at the threshold that flags 10% of held-out
benign ones: the "90% refused, 10% benign refused" target of ``ptst align`` needs that share >= 0.9.

docs/align.md quotes what it found for SmolLM2-135M-Instruct: the information is in the model (mean-pooled
mid-layer states reach AUC ~0.97), the last token alone carries less of it linearly (~0.95), which is what an
aligned model must learn to route there.
"""

from __future__ import annotations

import argparse

import torch

from ptst.data import load_dataset
from ptst.errors import PtstError
from ptst.models import load_model, resolve_model
from ptst.templates import get_template

SETS = ("align:harmful:train", "align:benign:train", "align:harmful:heldout", "align:benign:heldout")


def features(model, tok, template, records, batch: int = 32) -> tuple[torch.Tensor, torch.Tensor]:
    """(last-token states, mean states) per record, each of shape [n, layers + 1, hidden]."""
    last, mean = [], []
    for i in range(0, len(records), batch):
        prompts = [template.render(r.instruction, "native", tok) for r in records[i:i + batch]]
        enc = tok(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
        hs = model(**enc, output_hidden_states=True, logits_to_keep=1).hidden_states
        m = enc["attention_mask"][:, :, None].float()
        last.append(torch.stack([h[:, -1] for h in hs], 1))
        mean.append(torch.stack([(h * m).sum(1) / m.sum(1) for h in hs], 1))
    return torch.cat(last), torch.cat(mean)


def fit_probe(x: torch.Tensor, y: torch.Tensor, l2: float) -> tuple[torch.Tensor, torch.Tensor]:
    w = torch.zeros(x.shape[1], requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=200)

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(x @ w + b, y) + l2 * (w ** 2).sum()
        loss.backward()
        return loss

    with torch.enable_grad():
        opt.step(closure)
    return w.detach(), b.detach()


def auc(pos: torch.Tensor, neg: torch.Tensor) -> float:
    return float((pos[:, None] > neg[None]).float().mean() + 0.5 * (pos[:, None] == neg[None]).float().mean())


def _layers(text: str) -> list[int]:
    try:
        return [int(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma list of layer numbers: {text!r}") from None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="smollm2-135m")
    ap.add_argument("--template", default="chat:vanilla")
    ap.add_argument("--layers", type=_layers, default="3,6,9,12,15,18,21,24,27",
                    help="comma list of hidden-state indices (0 = embeddings)")
    args = ap.parse_args()
    try:
        probe(args)
    except PtstError as e:  # unknown model or template: one line, no traceback
        raise SystemExit(f"align_probe: {e}") from None


def probe(args: argparse.Namespace) -> None:
    torch.set_grad_enabled(False)
    model, tok = load_model(resolve_model(args.model), device="cpu", dtype="float32")
    tok.padding_side = "left"
    n_states = model.config.num_hidden_layers + 1  # the embeddings, then every layer's output
    bad = [v for v in args.layers if not 0 <= v < n_states]
    if bad:
        raise SystemExit(f"align_probe: --layers: {bad[0]} is not a hidden-state index of {args.model} "
                         f"(0-{n_states - 1})")
    tpl = get_template(args.template)
    data = {n: load_dataset(n) for n in SETS}
    feats = {n: features(model, tok, tpl, recs) for n, recs in data.items()}
    ytr = torch.cat([torch.ones(len(data[SETS[0]])), torch.zeros(len(data[SETS[1]]))])
    n_pos = len(data[SETS[2]])
    print(f"model {args.model}, template {args.template}; held-out: {n_pos} harmful, {len(data[SETS[3]])} benign")
    print("layer  feature  held-out AUC  harmful flagged at 10% benign flagged")
    for layer in args.layers:
        for k, name in ((0, "last"), (1, "mean")):
            xtr = torch.cat([feats[SETS[0]][k][:, layer], feats[SETS[1]][k][:, layer]])
            xte = torch.cat([feats[SETS[2]][k][:, layer], feats[SETS[3]][k][:, layer]])
            mu, sd = xtr.mean(0), xtr.std(0) + 1e-6
            best = None
            for l2 in (1e-3, 1e-2, 1e-1):  # a small grid; the best held-out AUC is an optimistic ceiling
                w, b = fit_probe((xtr - mu) / sd, ytr, l2)
                s = ((xte - mu) / sd) @ w + b
                pos, neg = s[:n_pos], s[n_pos:]
                thr = neg.sort().values[int(0.9 * len(neg))]
                cand = (auc(pos, neg), float((pos > thr).float().mean()))
                best = cand if best is None or cand[0] > best[0] else best
            print(f"{layer:>5}  {name:<7}  {best[0]:12.3f}  {best[1]:.3f}")


if __name__ == "__main__":
    main()
