"""The report's figures, drawn with matplotlib (Agg backend) and saved as PNG and SVG under ``DIR/figures/``.

Files are written deterministically (no timestamps, fixed SVG ids), so rerunning a report over the same results
produces the same bytes. Drawing is the slow part of a report (matplotlib's import alone takes about a second), so
every figure is :func:`memoised`: a figure whose data, drawing code and matplotlib version are unchanged, and whose
files are untouched, is not drawn again.
"""

from __future__ import annotations

import functools
import inspect
import io
import math
from pathlib import Path
from typing import Any, Callable, Sequence

from ptst.io import atomic_write_bytes, sha256_file, stable_hash
from ptst.memo import Memo
from ptst.report.tables import BASELINE, Matrix, fmt_pct

FIGURE_MEMO = ".ptst-figures.json"

CMAPS = {"asr": "Reds", "accuracy": "Blues", "refusal_rate": "Oranges"}
PTST_COLOR = "#1a9850"
SAME_COLOR = "#000000"


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.hashsalt"] = "ptst"
    matplotlib.rcParams["svg.fonttype"] = "path"
    return plt


def matplotlib_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        return ""


@functools.lru_cache(maxsize=1)
def _drawing_code() -> str:
    """Hash of the code that turns figure data into pixels (this module, and the tables whose reprs are the data)."""
    here = Path(__file__).resolve().parent
    return stable_hash([sha256_file(here / "plots.py"), sha256_file(here / "tables.py"), matplotlib_version()])


def memoised(draw: Callable[..., dict[str, Path]]) -> Callable[..., dict[str, Path]]:
    """Skip drawing a figure (``draw(..., figdir, stem)``) whose inputs are those of the files already there.

    The key is a hash of every argument but ``figdir``/``stem`` (their reprs: plain data and dataclasses), the
    drawing code and the matplotlib version; ``figdir/.ptst-figures.json`` (a :class:`ptst.memo.Memo`) keeps each
    stem's key and the sha256 of its PNG and SVG, so an edited or deleted file is drawn again."""
    sig = inspect.signature(draw)

    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> dict[str, Path]:
        bound = sig.bind(*args, **kwargs)
        figdir, stem = Path(bound.arguments["figdir"]), str(bound.arguments["stem"])
        data = {k: v for k, v in bound.arguments.items() if k not in ("figdir", "stem")}
        key = stable_hash({"figure": draw.__name__, "data": repr(data), "code": _drawing_code()})
        memo = Memo(figdir / FIGURE_MEMO)
        if memo.get(stem, key) is not None:
            return {ext: figdir / f"{stem}.{ext}" for ext in ("png", "svg")}
        out = draw(*args, **kwargs)
        memo.put(stem, key, files=out.values())
        return out

    return wrapper


def save(fig: Any, figdir: Path, stem: str) -> dict[str, Path]:
    """Save ``fig`` as ``stem.png`` and ``stem.svg`` (atomically) and close it."""
    plt = _plt()
    out = {}
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        buf = io.BytesIO()
        fig.savefig(buf, format=ext, dpi=110, bbox_inches="tight", metadata=meta)
        p = figdir / f"{stem}.{ext}"
        atomic_write_bytes(p, buf.getvalue())
        out[ext] = p
    plt.close(fig)
    return out


def _short(t: str) -> str:
    return "baseline (none)" if t == BASELINE else t


@memoised
def heatmap(m: Matrix, figdir: Path, stem: str) -> dict[str, Path]:
    """The train x test matrix as a heatmap; PTST cells framed green (dashed), same-template cells black."""
    plt = _plt()
    from matplotlib.patches import Rectangle

    nr, nc = len(m.rows), len(m.cols)
    fig, ax = plt.subplots(figsize=(1.6 + 1.35 * nc, 1.0 + 0.62 * nr))
    data = [[(m.get(r, c).mean if m.get(r, c) and m.get(r, c).mean is not None else math.nan) for c in m.cols]
            for r in m.rows]
    is_rate = m.metric in CMAPS
    im = ax.imshow(data, cmap=CMAPS.get(m.metric, "viridis"), vmin=0, vmax=1 if is_rate else None, aspect="auto")
    for i, r in enumerate(m.rows):
        for j, c in enumerate(m.cols):
            cell = m.get(r, c)
            if cell is None or cell.mean is None:
                continue
            txt = fmt_pct(cell.mean) if is_rate else f"{cell.mean:.2f}"
            if cell.seeds > 1:
                txt += f"\n±{fmt_pct(cell.std) if is_rate else f'{cell.std:.2f}'}"
            dark = is_rate and cell.mean > 0.6
            ax.text(j, i, txt, ha="center", va="center", fontsize=8, color="white" if dark else "black")
            if cell.ptst:
                ax.add_patch(Rectangle((j - 0.46, i - 0.46), 0.92, 0.92, fill=False, ec=PTST_COLOR, lw=2.2, ls="--"))
            if cell.same:
                ax.add_patch(Rectangle((j - 0.48, i - 0.48), 0.96, 0.96, fill=False, ec=SAME_COLOR, lw=1.6))
    if m.rows and m.rows[0] == BASELINE and nr > 1:
        ax.axhline(0.5, color="grey", lw=1.5)
    ax.set_xticks(range(nc), m.cols, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(nr), [_short(r) for r in m.rows], fontsize=8)
    ax.set_xlabel("test template")
    ax.set_ylabel("training template")
    ax.set_title(m.title + (" (%)" if is_rate else ""), fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.04)
    ax.text(0, -0.02 - 0.35 / max(nr, 1), "green dashed: PTST cell    black frame: same template",
            transform=ax.transAxes, fontsize=7, va="top", color="#444444")
    return save(fig, figdir, stem)


@memoised
def scatter(points: Sequence[dict[str, Any]], xlabel: str, ylabel: str, title: str, figdir: Path,
            stem: str) -> dict[str, Path]:
    """Helpfulness (x) vs ASR (y), one point per cell; PTST cells green, same-template black, baseline grey."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.2, 4.4))
    groups = (("baseline", "#999999", "s"), ("PTST", PTST_COLOR, "*"), ("same template", SAME_COLOR, "D"),
              ("other", "#4575b4", "o"))
    for name, color, marker in groups:
        pts = [p for p in points if p["group"] == name]
        if not pts:
            continue
        ax.scatter([100 * p["x"] for p in pts], [100 * p["y"] for p in pts], c=color, marker=marker,
                   s=90 if marker == "*" else 40, label=name, zorder=3)
        for p in pts:
            ax.annotate(p["label"], (100 * p["x"], 100 * p["y"]), fontsize=6, xytext=(3, 3),
                        textcoords="offset points")
    ax.set_xlabel(xlabel + " (%)")
    ax.set_ylabel(ylabel + " (%)")
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    return save(fig, figdir, stem)


@memoised
def curves(series: dict[str, list[tuple[int, float, float]]], ptst_points: dict[str, tuple[int, float]],
           ylabel: str, title: str, figdir: Path, stem: str) -> dict[str, Path]:
    """A metric against the checkpoint step for same-template runs, with PTST's final points as stars."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.2, 4.0))
    for label, pts in series.items():
        xs = [p[0] for p in pts]
        ys = [100 * p[1] for p in pts]
        err = [100 * p[2] for p in pts]
        ax.errorbar(xs, ys, yerr=err if any(err) else None, marker="o", ms=4, capsize=2, label=label)
    for label, (x, y) in ptst_points.items():
        ax.scatter([x], [100 * y], marker="*", s=140, c=PTST_COLOR, zorder=4)
        ax.annotate(label, (x, 100 * y), fontsize=6, xytext=(4, -8), textcoords="offset points", color=PTST_COLOR)
    ax.set_xlabel("training step (0 = before fine-tuning)")
    ax.set_ylabel(ylabel + " (%)")
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    return save(fig, figdir, stem)


@memoised
def tradeoff(series: dict[str, list[tuple[int, float, float]]], ptst_points: dict[str, tuple[float, float]],
             xlabel: str, ylabel: str, title: str, figdir: Path, stem: str) -> dict[str, Path]:
    """Helpfulness (x) vs ASR (y) along the checkpoints of same-template runs (labelled by step), PTST as stars:
    the paper's "early stopping vs PTST at equal helpfulness" view."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.2, 4.2))
    for label, pts in series.items():
        ax.plot([100 * p[1] for p in pts], [100 * p[2] for p in pts], marker="o", ms=4, label=label)
        for step, x, y in pts:
            ax.annotate(str(step), (100 * x, 100 * y), fontsize=6, xytext=(3, 3), textcoords="offset points")
    for label, (x, y) in ptst_points.items():
        ax.scatter([100 * x], [100 * y], marker="*", s=140, c=PTST_COLOR, zorder=4)
        ax.annotate(label, (100 * x, 100 * y), fontsize=6, xytext=(4, -8), textcoords="offset points",
                    color=PTST_COLOR)
    ax.set_xlabel(xlabel + " (%)")
    ax.set_ylabel(ylabel + " (%)")
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    return save(fig, figdir, stem)


@memoised
def category_heatmap(labels: Sequence[str], categories: Sequence[str], values: Sequence[Sequence[float | None]],
                     title: str, figdir: Path, stem: str) -> dict[str, Path]:
    """ASR per harm category (columns) for each cell (rows)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(1.8 + 1.1 * len(categories), 0.9 + 0.34 * len(labels)))
    data = [[math.nan if v is None else v for v in row] for row in values]
    im = ax.imshow(data, cmap="Reds", vmin=0, vmax=1, aspect="auto")
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if v is not None:
                ax.text(j, i, fmt_pct(v, 0), ha="center", va="center", fontsize=7,
                        color="white" if v > 0.6 else "black")
    ax.set_xticks(range(len(categories)), categories, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.set_title(title + " (%)", fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.04)
    return save(fig, figdir, stem)
