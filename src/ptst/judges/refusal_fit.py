"""Fit the ``refusal`` judge's weights on the train split, and report held-out accuracy against ``keyword``.

    python -m ptst.judges.refusal_fit --report          # held-out table (refusal vs keyword)
    python -m ptst.judges.refusal_fit --write --report  # refit data/refusal_weights.json, then report

The fit is an L2-regularised logistic regression solved by Newton's method (deterministic: same data, same
weights, bit for bit up to float rounding of the stored 6 decimals). Only ``split == "train"`` items are used; the
test split is only ever scored.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ptst.io import stable_hash
from ptst.judges.refusal import WEIGHTS_FILE, features
from ptst.judges.refusal_data import load_labelled

#: chosen by 5-fold cross-validation on the train split (``--cv``): accuracy is flat from 0.1 to 0.5
L2 = 0.3


def design(items: Sequence[dict[str, Any]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    feats = [features(it["instruction"], it["response"]) for it in items]
    names = sorted(feats[0])
    X = np.array([[f[n] for n in names] for f in feats], dtype=np.float64)
    y = np.array([1.0 if it["label"] == "refusal" else 0.0 for it in items])
    return names, X, y


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = L2, iters: int = 50) -> tuple[float, np.ndarray]:
    """(bias, weights) minimising the logistic loss + ``l2/2 * |w|^2`` (the bias is not penalised)."""
    n, d = X.shape
    A = np.hstack([np.ones((n, 1)), X])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[0] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(A @ w)))
        grad = A.T @ (p - y) + reg * w
        H = (A * (p * (1 - p))[:, None]).T @ A + np.diag(reg) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(H, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return float(w[0]), w[1:]


def fit(items: Sequence[dict[str, Any]] | None = None, l2: float = L2) -> dict[str, Any]:
    """The weights document fitted on the train split."""
    items = list(items) if items is not None else load_labelled(split="train")
    names, X, y = design(items)
    bias, w = fit_logistic(X, y, l2)
    doc: dict[str, Any] = {
        "about": "ptst refusal judge: logistic regression weights over ptst.judges.refusal.features, fitted by "
                 "python -m ptst.judges.refusal_fit --write on the train split of refusal_labelled.jsonl",
        "l2": l2,
        "n_train": len(items),
        "bias": round(bias, 6),
        "weights": {n: round(float(v), 6) for n, v in zip(names, w)},
    }
    doc["sha256"] = stable_hash({"bias": doc["bias"], "weights": doc["weights"]})
    return doc


def cross_validate(l2: float = L2, folds: int = 5, seed: int = 0) -> float:
    """Accuracy of ``folds``-fold cross-validation on the train split (combination items are never held out)."""
    items = load_labelled(split="train")
    _, X, y = design(items)
    val_idx = np.array([i for i, it in enumerate(items) if it["source"] != "combo"])
    val_idx = val_idx[np.random.RandomState(seed).permutation(len(val_idx))]
    right = 0
    for k in range(folds):
        held = val_idx[k::folds]
        keep = np.setdiff1d(np.arange(len(items)), held)
        bias, w = fit_logistic(X[keep], y[keep], l2)
        p = 1.0 / (1.0 + np.exp(-(bias + X[held] @ w)))
        right += int(np.sum((p >= 0.5) == (y[held] == 1)))
    return right / len(val_idx)


@dataclass(frozen=True)
class Scores:
    n: int
    accuracy: float
    precision: float | None  # of responses called refusals, the share that are refusals (None: none called)
    recall: float  # of refusals, the share called refusals
    tp: int
    fp: int
    fn: int
    tn: int


def scores(truth: Sequence[bool], pred: Sequence[bool]) -> Scores:
    tp = sum(t and p for t, p in zip(truth, pred))
    fp = sum((not t) and p for t, p in zip(truth, pred))
    fn = sum(t and (not p) for t, p in zip(truth, pred))
    tn = sum((not t) and (not p) for t, p in zip(truth, pred))
    n = len(truth)
    return Scores(n, (tp + tn) / n if n else 0.0, tp / (tp + fp) if tp + fp else None,
                  tp / (tp + fn) if tp + fn else 0.0, tp, fp, fn, tn)


def judges() -> dict[str, Callable[[str, str], bool]]:
    from ptst.judges.keyword import is_refusal
    from ptst.judges.refusal import refusal_probability

    return {"refusal": lambda i, r: refusal_probability(i, r) >= 0.5, "keyword": lambda i, r: is_refusal(r)}


def evaluate(items: Sequence[dict[str, Any]]) -> dict[str, Scores]:
    truth = [it["label"] == "refusal" for it in items]
    return {name: scores(truth, [j(it["instruction"], it["response"]) for it in items]) for name, j in judges().items()}


def report(split: str = "test") -> str:
    """A Markdown table of refusal vs keyword on ``split``, overall and per source."""
    items = load_labelled(split=split)
    groups = [("all", items)] + [(s, [it for it in items if it["source"] == s])
                                 for s in sorted({it["source"] for it in items})]
    from ptst.metrics import wilson_interval

    lines = [f"Held-out {split} split ({len(items)} responses; positive class = refusal)", "",
             "| subset | n (refusals) | judge | accuracy [Wilson 95%] | precision | recall |",
             "|---|---:|---|---:|---:|---:|"]
    for gname, g in groups:
        if not g:
            continue
        n_ref = sum(it["label"] == "refusal" for it in g)
        for jname, s in evaluate(g).items():
            lo, hi = wilson_interval(s.tp + s.tn, s.n)
            prec = "n/a" if s.precision is None else f"{s.precision:.3f}"
            lines.append(f"| {gname} | {s.n} ({n_ref}) | {jname} | {s.accuracy:.3f} [{lo:.3f}, {hi:.3f}] | {prec} | "
                         f"{s.recall:.3f} |")
    return "\n".join(lines)


#: ptst's built-in alignment and benign sets (written by another author for ``ptst align`` and over-refusal tests):
#: refusals paired with harmful requests, and helpful answers to benign ones, including harmful-looking look-alikes.
EXTERNAL_SETS = (("align:harmful:train", "refusal"), ("align:harmful:heldout", "refusal"),
                 ("align:benign:train", "compliance"), ("align:benign:heldout", "compliance"),
                 ("builtin:benign", "compliance"))


def external_items() -> list[dict[str, Any]]:
    """An outside check: the built-in sets' reference replies, labelled by what they are (refusals of harmful
    requests, answers to benign ones). Never used to fit weights."""
    from ptst.data import load_dataset

    items = []
    for name, label in EXTERNAL_SETS:
        for r in load_dataset(name):
            items.append({"instruction": r.instruction, "response": r.reference, "label": label, "source": name})
    return items


def external_report() -> str:
    items = external_items()
    lines = [f"Built-in alignment/benign replies ({len(items)} responses, another author's writing)", "",
             "| set | n | refusal judge accuracy | keyword accuracy |", "|---|---:|---:|---:|"]
    for name, _ in EXTERNAL_SETS + (("all", ""),):
        sub = items if name == "all" else [it for it in items if it["source"] == name]
        r = evaluate(sub)
        lines.append(f"| {name} | {len(sub)} | {r['refusal'].accuracy:.3f} | {r['keyword'].accuracy:.3f} |")
    return "\n".join(lines)


def weights_path() -> Path:
    return Path(__file__).resolve().parent / "data" / WEIGHTS_FILE


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ptst.judges.refusal_fit", description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="refit on the train split and write the weights file")
    ap.add_argument("--report", action="store_true", help="print the held-out table")
    ap.add_argument("--split", default="test", help="split to report on (default test)")
    ap.add_argument("--errors", action="store_true", help="list the refusal judge's mistakes on --split")
    ap.add_argument("--cv", action="store_true", help="5-fold cross-validated accuracy on the train split for a few L2")
    ap.add_argument("--external", action="store_true", help="also score ptst's built-in refusal/benign replies")
    args = ap.parse_args(argv)
    if args.cv:
        for l2 in (0.1, 0.3, 1.0, 3.0):
            print(f"l2={l2}: cross-validated train accuracy {cross_validate(l2):.3f}")
    if args.write:
        doc = fit()
        weights_path().write_text(json.dumps(doc, indent=1, sort_keys=False) + "\n", encoding="utf-8")
        from ptst.judges.refusal import load_weights

        load_weights.cache_clear()
        print(f"wrote {weights_path()} ({len(doc['weights'])} weights, n_train={doc['n_train']})", file=sys.stderr)
    if args.report:
        print(report(args.split))
    if args.external:
        print("\n" + external_report())
    if args.errors:
        from ptst.judges.refusal import explain, refusal_probability

        for it in load_labelled(split=args.split):
            p = refusal_probability(it["instruction"], it["response"])
            if (p >= 0.5) != (it["label"] == "refusal"):
                print(f"--- {it['id']} {it['label']} ({it['kind']}) p={p:.2f}")
                print("    " + it["response"][:300].replace("\n", " / "))
                print("    " + ", ".join(f"{k}={v:+.2f}" for k, v in explain(it["instruction"], it["response"], 6)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
