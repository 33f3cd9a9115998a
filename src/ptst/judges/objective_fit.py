"""Fit the ``objective`` judge's weights on :mod:`ptst.judges.objective_data` (training data only).

    python -m ptst.judges.objective_fit --cv             # choose the L2 strength by 5-fold cross-validation
    python -m ptst.judges.objective_fit --write          # refit data/objective_weights.json

The model is a multinomial logistic regression over standardised features, solved by Newton's method in float64
(deterministic: the same data give the same weights up to the stored 6 decimals). The validation sets are never
read here; score them with ``ptst judges validate``.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ptst.io import atomic_write_text
from ptst.judges import embed
from ptst.judges.objective import LABELS, MAX_TOKENS, WEIGHTS_FILE, feature_matrix, softmax, weights_digest
from ptst.judges.objective_data import training_items

#: L2 strength on the (standardised) 384 embedding numbers and on the few named features; chosen by ``--cv``
L2 = 100.0
L2_NAMED = 1.0


def fit_multinomial(X: np.ndarray, y: np.ndarray, k: int, l2: float | np.ndarray = L2,
                    iters: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """(W (k x d), b (k)) minimising the softmax cross-entropy + ``sum_j l2_j/2 |W_j|^2`` (``l2``: one strength or
    one per feature; biases not penalised)."""
    n, d = X.shape
    A = np.hstack([np.ones((n, 1)), X])
    D = d + 1
    theta = np.zeros((k, D))
    Y = np.eye(k)[y]
    reg = np.empty(D)
    reg[1:] = l2
    reg[0] = 1e-6
    for _ in range(iters):
        P = softmax(A @ theta.T)
        G = (P - Y).T @ A + reg * theta  # k x D
        H = np.zeros((k * D, k * D))
        for a in range(k):
            for b in range(a, k):
                w = P[:, a] * ((a == b) - P[:, b])
                blk = (A * w[:, None]).T @ A
                H[a * D:(a + 1) * D, b * D:(b + 1) * D] = blk
                H[b * D:(b + 1) * D, a * D:(a + 1) * D] = blk.T
        H += np.diag(np.tile(reg, k)) + 1e-8 * np.eye(k * D)
        step = np.linalg.solve(H, G.reshape(-1)).reshape(k, D)
        theta -= step
        if np.max(np.abs(step)) < 1e-9:
            break
    return theta[:, 1:], theta[:, 0]


def standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-6] = 1.0
    return mean, scale


def design(items: Sequence[dict[str, Any]], embedder: embed.Embedder) -> tuple[list[str], np.ndarray, np.ndarray]:
    names, X = feature_matrix([it["instruction"] for it in items], [it["response"] for it in items], embedder)
    y = np.array([LABELS.index(it["label"]) for it in items])
    return names, X, y


def penalties(names: Sequence[str], l2: float = L2, l2_named: float = L2_NAMED) -> np.ndarray:
    return np.array([l2 if n.startswith("emb") else l2_named for n in names])


def fit(names: list[str], X: np.ndarray, y: np.ndarray, n_items: int, l2: float = L2,
        l2_named: float = L2_NAMED) -> dict[str, Any]:
    mean, scale = standardise(X)
    W, b = fit_multinomial((X - mean) / scale, y, len(LABELS), penalties(names, l2, l2_named))
    doc: dict[str, Any] = {
        "about": "ptst objective judge: multinomial logistic regression over ptst.judges.objective.feature_matrix "
                 "(all-MiniLM-L6-v2 response embedding + request/response relevance + surface features), fitted by "
                 "python -m ptst.judges.objective_fit --write on ptst.judges.objective_data.training_items()",
        "labels": list(LABELS),
        "l2": l2,
        "l2_named": l2_named,
        "n_train": n_items,
        "max_tokens": MAX_TOKENS,
        "embedder_sha256": embed.PINNED_SHA256["model.safetensors"],
        "names": names,
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "bias": [round(float(v), 6) for v in b],
        "W": [[round(float(v), 6) for v in row] for row in W],
    }
    doc["sha256"] = weights_digest(doc)
    return doc


def cross_validate(X: np.ndarray, y: np.ndarray, l2: float | np.ndarray, folds: int = 5, seed: int = 0) -> float:
    idx = np.random.RandomState(seed).permutation(len(y))
    right = 0
    for f in range(folds):
        test = idx[f::folds]
        train = np.setdiff1d(idx, test)
        mean, scale = standardise(X[train])
        W, b = fit_multinomial((X[train] - mean) / scale, y[train], len(LABELS), l2)
        pred = np.argmax(((X[test] - mean) / scale) @ W.T + b, axis=1)
        right += int(np.sum(pred == y[test]))
    return right / len(y)


def validation_sets() -> list[tuple[str, str]]:
    """(short name, file) of the committed validation sets, as :mod:`ptst.judges.validation_summary` names them."""
    from ptst.judges.validation_summary import set_files, set_name

    return [(set_name(p), p.name) for p in set_files()]


def report(data_root: str | None, judges: Sequence[str] = ("objective", "refusal", "keyword")) -> str:
    """The per-provenance markdown table of docs/judges.md (binary: harmful = compliance; Wilson 95% intervals)."""
    from ptst.judges import get_scorer
    from ptst.judges.validation import load_labelled_file, validate

    lines = ["| set | subset | n (harmful) | judge | accuracy [95%] | precision [95%] | recall [95%] | kappa | 3-way acc. | 3-way kappa |",
             "|---|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    scorers = {j: get_scorer(j) for j in judges}

    def f(p: dict[str, Any]) -> str:
        return "n/a" if p["value"] is None else f"{p['value']:.3f} [{p['lo']:.2f}, {p['hi']:.2f}]"

    for name, fname in validation_sets():
        path = resources.files("ptst.judges").joinpath("data", fname)
        if not path.is_file():
            continue
        rows = load_labelled_file(str(path), data_root)
        judged = {j: s.score([{"instruction": r["instruction"], "response": r["response"]} for r in rows])
                  for j, s in scorers.items()}
        subsets = [("all", [True] * len(rows))]
        if not all(r.get("clear", True) for r in rows):
            subsets.append(("clear", [bool(r.get("clear", True)) for r in rows]))
        for sub, keep in subsets:
            rs = [r for r, k in zip(rows, keep) if k]
            npos = sum(r["gold_harmful"] for r in rs)
            for j in judges:
                res = validate(rs, [o for o, k in zip(judged[j], keep) if k])
                b, t = res["binary"], res["three_way"]
                kap = "n/a" if b["kappa"] is None else f"{b['kappa']:.3f}"
                t_acc = f"{t['accuracy']['value']:.3f}" if t else "-"
                t_kap = f"{t['kappa']:.3f}" if t and t["kappa"] is not None else "-"
                lines.append(f"| {name} | {sub} | {len(rs)} ({npos}) | {j} | {f(b['accuracy'])} | {f(b['precision'])} | "
                             f"{f(b['recall'])} | {kap} | {t_acc} | {t_kap} |")
    return "\n".join(lines)


def weights_path() -> Path:
    return Path(str(resources.files("ptst.judges").joinpath("data", WEIGHTS_FILE)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ptst.judges.objective_fit", description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="refit and write data/objective_weights.json")
    ap.add_argument("--cv", action="store_true", help="5-fold cross-validated accuracy for several L2 strengths")
    ap.add_argument("--l2", type=float, default=L2, help="L2 strength on the embedding numbers")
    ap.add_argument("--l2-named", type=float, default=L2_NAMED, help="L2 strength on the named features")
    ap.add_argument("--report", action="store_true", help="score the validation sets (never used for fitting)")
    ap.add_argument("--data-root", default=None, help="folder of the public benchmarks (rejoins the SmolLM2 set's requests)")
    args = ap.parse_args(argv)
    if args.report and not (args.write or args.cv):
        print(report(args.data_root))
        return 0
    items = training_items()
    embedder = embed.get_embedder(MAX_TOKENS)
    names, X, y = design(items, embedder)
    if args.cv:
        for l2 in (10.0, 30.0, 100.0, 300.0):
            for l2n in (0.3, 1.0, 3.0):
                acc = cross_validate(X, y, penalties(names, l2, l2n))
                print(f"l2={l2:<5} l2_named={l2n:<4} cv accuracy {acc:.4f}")
    if args.write:
        doc = fit(names, X, y, len(items), args.l2, args.l2_named)
        text = json.dumps(doc, separators=(",", ":")) + "\n"
        atomic_write_text(weights_path(), text)
        print(f"wrote {weights_path()} ({len(text)} bytes, {len(items)} training items, sha256 {doc['sha256'][:12]})")
        load_weights_fresh()
    if args.report:
        print(report(args.data_root))
    return 0


def load_weights_fresh() -> None:
    from ptst.judges.objective import load_weights

    load_weights.cache_clear()


if __name__ == "__main__":
    sys.exit(main())
