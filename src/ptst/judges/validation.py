"""Validating a safety judge against labelled responses: accuracy, precision, recall, Cohen's kappa, confusion.

A labelled file is JSONL with ``instruction``, ``response`` and either ``label`` (``refusal`` / ``compliance`` /
``off_topic``) or a boolean ``attack_success`` (true = the response complies with the harmful request). Lines may
instead carry ``benchmark`` + ``item`` (an index into a public benchmark, see :func:`rejoin_request`) in place of
``instruction``, so that a validation set stores no benchmark text.

Two views are scored:

* **binary** (every judge): positive = ``harmful`` (attack success, what ASR counts) against the reference
  ``compliance`` (or ``attack_success: true``); accuracy, precision, recall with Wilson 95% intervals, kappa and the
  2x2 confusion matrix;
* **three-way** (a judge that gives ``verdict``, and labels that name all three outcomes): accuracy with its
  interval, kappa, per-class precision/recall and the 3x3 confusion matrix (rows = reference, columns = judge).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Sequence

from ptst.errors import PtstError
from ptst.io import iter_jsonl, read_text
from ptst.metrics import wilson_interval

LABELS = ("refusal", "compliance", "off_topic")
#: public benchmark files a validation line may point into (``benchmark`` + ``item``), relative to a data root
BENCHMARK_FILES = {
    "advbench": ("advbench/harmful_behaviors.csv", "goal"),
    "directharm4": ("directharm4/test.jsonl", "instruction"),
    "gsm8k": ("gsm8k/test.jsonl", "question"),
}


def _proportion(k: int, n: int) -> dict[str, Any]:
    lo, hi = wilson_interval(k, n)
    return {"value": (k / n) if n else None, "lo": lo, "hi": hi, "k": k, "n": n}


def cohen_kappa(ref: Sequence[str], pred: Sequence[str]) -> float | None:
    """Cohen's kappa of two labelings of the same items (any number of classes); ``None`` when undefined."""
    n = len(ref)
    if n == 0 or n != len(pred):
        return None
    po = sum(a == b for a, b in zip(ref, pred)) / n
    cats = set(ref) | set(pred)
    pe = sum((sum(a == c for a in ref) / n) * (sum(b == c for b in pred) / n) for c in cats)
    return None if pe >= 1.0 else (po - pe) / (1 - pe)


def confusion(ref: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    """``m[i][j]`` = items with reference ``labels[i]`` that the judge called ``labels[j]``."""
    idx = {c: i for i, c in enumerate(labels)}
    m = [[0] * len(labels) for _ in labels]
    for a, b in zip(ref, pred):
        m[idx[a]][idx[b]] += 1
    return m


def binary_metrics(ref: Sequence[bool], pred: Sequence[bool]) -> dict[str, Any]:
    tp = sum(a and b for a, b in zip(ref, pred))
    fp = sum((not a) and b for a, b in zip(ref, pred))
    fn = sum(a and (not b) for a, b in zip(ref, pred))
    tn = sum((not a) and (not b) for a, b in zip(ref, pred))
    return {
        "positive": "harmful (compliance / attack_success)",
        "n": len(ref),
        "accuracy": _proportion(tp + tn, len(ref)),
        "precision": _proportion(tp, tp + fp),
        "recall": _proportion(tp, tp + fn),
        "kappa": cohen_kappa([str(a) for a in ref], [str(b) for b in pred]),
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
    }


def three_way_metrics(ref: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    m = confusion(ref, pred, LABELS)
    per_class = {}
    for i, c in enumerate(LABELS):
        col = sum(m[r][i] for r in range(len(LABELS)))
        per_class[c] = {"precision": _proportion(m[i][i], col), "recall": _proportion(m[i][i], sum(m[i]))}
    return {
        "labels": list(LABELS),
        "n": len(ref),
        "accuracy": _proportion(sum(m[i][i] for i in range(len(LABELS))), len(ref)),
        "kappa": cohen_kappa(ref, pred),
        "per_class": per_class,
        "confusion": m,
    }


def _benchmark_texts(name: str, data_root: Path) -> list[str]:
    rel, column = BENCHMARK_FILES[name]
    path = data_root / rel
    if not path.is_file():
        raise PtstError(f"{path}: not found (needed to rejoin {name} requests; pass --data-root DIR)")
    if path.suffix == ".csv":
        with open(path, newline="", encoding="utf-8") as fh:
            return [r[column] for r in csv.DictReader(fh)]
    return [json.loads(line)[column] for line in read_text(path).splitlines() if line.strip()]


def load_labelled_file(path: str | Path, data_root: str | Path | None = None) -> list[dict[str, Any]]:
    """Rows with ``instruction``, ``response`` and ``gold`` (a label of :data:`LABELS`, or ``None`` when only the
    boolean ``attack_success`` is known) and ``gold_harmful`` (bool). Errors name the file and line."""
    try:
        items = list(iter_jsonl(path))
    except FileNotFoundError:
        raise PtstError(f"{path}: no such file") from None
    return labelled_rows(items, str(path), data_root)


def labelled_rows(items: Sequence[tuple[int, dict[str, Any]]], path: str,
                  data_root: str | Path | None = None) -> list[dict[str, Any]]:
    """:func:`load_labelled_file` on ``(line, object)`` pairs already read (e.g. a public judge set's validation
    rows); ``path`` names them in errors."""
    rows: list[dict[str, Any]] = []
    texts: dict[str, list[str]] = {}
    for n, obj in items:
        if "instruction" not in obj and "benchmark" in obj:
            bench = obj["benchmark"]
            if bench not in BENCHMARK_FILES:
                raise PtstError(f"{path}:{n}: unknown benchmark {bench!r} (known: {', '.join(BENCHMARK_FILES)})")
            if data_root is None:
                raise PtstError(f"{path}:{n}: the line points into {bench}; pass --data-root DIR (e.g. ../shared/data)")
            if bench not in texts:
                texts[bench] = _benchmark_texts(bench, Path(data_root))
            item = obj.get("item")
            if not isinstance(item, int) or not 0 <= item < len(texts[bench]):
                raise PtstError(f"{path}:{n}: field 'item' must be an index into {bench} (0..{len(texts[bench]) - 1}), "
                                f"got {item!r}")
            obj = {**obj, "instruction": texts[bench][item]}
        for field in ("instruction", "response"):
            if not isinstance(obj.get(field), str):
                what = "missing" if field not in obj else f"must be text, got {type(obj[field]).__name__}"
                raise PtstError(f"{path}:{n}: field {field!r} {what}")
        if "label" in obj:
            label = obj["label"]
            if label not in LABELS:
                raise PtstError(f"{path}:{n}: field 'label' must be one of {', '.join(LABELS)}, got {label!r}")
            gold, gold_harmful = label, label == "compliance"
        elif "attack_success" in obj:
            if not isinstance(obj["attack_success"], bool):
                raise PtstError(f"{path}:{n}: field 'attack_success' must be true or false, got {obj['attack_success']!r}")
            gold, gold_harmful = None, obj["attack_success"]
        else:
            raise PtstError(f"{path}:{n}: needs a 'label' ({', '.join(LABELS)}) or a boolean 'attack_success'")
        rows.append({**obj, "gold": gold, "gold_harmful": gold_harmful, "line": n})
    if not rows:
        raise PtstError(f"{path}: no labelled lines")
    return rows


def validate(rows: Sequence[dict[str, Any]], judged: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Metrics of a judge's output (``judged[i]`` holds its fields for ``rows[i]``). Items whose judgment failed
    (``harmful is None``) are left out and counted in ``n_invalid``."""
    ok = [(r, j) for r, j in zip(rows, judged) if j.get("harmful") is not None]
    out: dict[str, Any] = {"n": len(rows), "n_invalid": len(rows) - len(ok)}
    out["binary"] = binary_metrics([r["gold_harmful"] for r, _ in ok], [bool(j["harmful"]) for _, j in ok])
    three = [(r["gold"], j["verdict"]) for r, j in ok if r["gold"] is not None and j.get("verdict") in LABELS]
    if three and len(three) == len(ok):
        out["three_way"] = three_way_metrics([a for a, _ in three], [b for _, b in three])
    else:
        out["three_way"] = None
    return out


def _fmt(p: dict[str, Any]) -> str:
    if p["value"] is None:
        return "n/a (no items)"
    return f"{p['value']:.3f} [{p['lo']:.3f}, {p['hi']:.3f}] ({p['k']}/{p['n']})"


def format_report(name: str, judge: str, res: dict[str, Any]) -> str:
    b = res["binary"]
    k = "n/a" if b["kappa"] is None else f"{b['kappa']:.3f}"
    c = b["confusion"]
    lines = [
        f"{name}: judge {judge}, n={res['n']}" + (f" ({res['n_invalid']} not judged)" if res["n_invalid"] else ""),
        "binary (positive = harmful: compliance / attack_success), Wilson 95% intervals:",
        f"  accuracy   {_fmt(b['accuracy'])}",
        f"  precision  {_fmt(b['precision'])}",
        f"  recall     {_fmt(b['recall'])}",
        f"  kappa      {k}",
        "  confusion  reference harmful:     judge harmful {tp:4d}   judge not {fn:4d}".format(**c),
        "             reference not harmful: judge harmful {fp:4d}   judge not {tn:4d}".format(**c),
    ]
    t = res.get("three_way")
    if t:
        k3 = "n/a" if t["kappa"] is None else f"{t['kappa']:.3f}"
        lines += ["three-way (refusal / compliance / off_topic):", f"  accuracy   {_fmt(t['accuracy'])}",
                  f"  kappa      {k3}", "  confusion (rows = reference, columns = judge):",
                  "  " + " " * 12 + "".join(f"{c:>12}" for c in t["labels"])]
        for lab, row in zip(t["labels"], t["confusion"]):
            lines.append(f"  {lab:<12}" + "".join(f"{v:>12d}" for v in row))
        for lab, pc in t["per_class"].items():
            lines.append(f"  {lab:<12} precision {_fmt(pc['precision'])}  recall {_fmt(pc['recall'])}")
    return "\n".join(lines)
