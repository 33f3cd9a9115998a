"""Build the study report and render it twice: ``report.md`` (figures linked as PNG) and a self-contained
``report.html`` (figures inlined as SVG, styles inline, no external assets).

The report is assembled as a short list of blocks (headings, paragraphs, tables, figures), so both renderings
always say the same thing.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ptst.config import load_yaml
from ptst.errors import PtstError
from ptst.io import atomic_write_text, slug
from ptst.report import plots
from ptst.report.evidence import claims_section, compute_claims, discordant_section, trace_section
from ptst.report.tables import (BASELINE, Cell, Matrix, build_matrix, checkpoint_curves, fmt_pct, format_cell,
                                has_multiple_checkpoints, published_rows, select)
from ptst.report.trust import trust_section
from ptst.study.claims import Study
from ptst.study.judge_agreement import FILE as JUDGE_AGREEMENT_FILE
from ptst.study.judge_agreement import agreement_csv
from ptst.study.results import read_results

PTST_MARK = "†"
SAME_MARK = "*"


# ---- a tiny document model -------------------------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    classes: list[list[str]] | None = None


@dataclass
class Figure:
    paths: dict[str, Path]
    caption: str


@dataclass
class Doc:
    blocks: list[tuple[str, Any]] = field(default_factory=list)
    headline: str = ""  # the PTST verdict in one line (printed by ptst run / ptst report)
    files: dict[str, str] = field(default_factory=dict)  # tables written beside the report (name -> CSV text)

    def h(self, level: int, text: str) -> None:
        self.blocks.append(("h", (level, text)))

    def p(self, text: str) -> None:
        self.blocks.append(("p", text))

    def ul(self, items: Sequence[str]) -> None:
        self.blocks.append(("ul", list(items)))

    def table(self, t: Table) -> None:
        self.blocks.append(("table", t))

    def fig(self, f: Figure) -> None:
        self.blocks.append(("fig", f))

    def raw(self, html_text: str, md_text: str) -> None:
        """A block rendered differently: ``html_text`` as is in report.html, ``md_text`` in report.md."""
        self.blocks.append(("raw", (html_text, md_text)))


# ---- building --------------------------------------------------------------------------------------------------


@dataclass
class Context:
    out: Path
    rows: list[dict[str, Any]]
    spec: dict[str, Any]
    manifest: dict[str, Any]
    template_order: list[str]
    safety_templates: set[str]
    kinds: dict[str, str]
    judges: dict[str, list[str]]
    mixings: list[bool]
    figdir: Path


def _context(out: Path) -> Context:
    rows = read_results(out)
    if not rows:  # never replace a good report with an empty one
        raise PtstError(f"{out / 'results.jsonl'}: no result rows; the report is left as it was (rerun ptst run)")
    spec: dict[str, Any] = {}
    if (out / "spec.yaml").exists():
        spec = load_yaml(out / "spec.yaml") or {}
        if not isinstance(spec, dict):
            raise PtstError(f"{out / 'spec.yaml'}: not a study spec (expected a mapping)")
    manifest: dict[str, Any] = {}
    if (out / "manifest.json").exists():
        try:
            manifest = json.loads((out / "manifest.json").read_text())
        except json.JSONDecodeError:
            manifest = {}
    order = list(dict.fromkeys([*((spec.get("train") or {}).get("templates") or []),
                                *((spec.get("evaluate") or {}).get("templates") or [])]))
    safety = {r["test_template"] for r in rows if r.get("test_safety")}
    safety |= {r["train_template"] for r in rows if r.get("train_safety")}
    kinds: dict[str, str] = {}
    judges: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        kinds.setdefault(r["benchmark"], r["kind"])
        if "~" not in r["judge"] and r["judge"] not in judges[r["benchmark"]]:
            judges[r["benchmark"]].append(r["judge"])
    bench_order = [b.get("name") or b.get("dataset") for b in (spec.get("evaluate") or {}).get("benchmarks") or []]
    kinds = {b: kinds[b] for b in sorted(kinds, key=lambda b: (bench_order.index(b) if b in bench_order else 99, b))}
    mixings = sorted({bool(r["mixing"]) for r in rows if r["train_template"] != BASELINE}) or [False]
    figdir = out / "figures"
    figdir.mkdir(parents=True, exist_ok=True)
    return Context(out, rows, spec, manifest, order, safety, kinds, dict(judges), mixings, figdir)


def matrix_table(m: Matrix) -> Table:
    header = ["train \\ test", *m.cols]
    rows, classes = [], []
    for r in m.rows:
        line = ["baseline (none)" if r == BASELINE else r]
        cls = ["rowhead"]
        for c in m.cols:
            cell = m.get(r, c)
            text = format_cell(cell, m.metric)
            marks = []
            if cell is not None and cell.ptst:
                marks.append(PTST_MARK)
            if cell is not None and cell.same:
                marks.append(SAME_MARK)
            line.append(text + (" " + "".join(marks) if marks else ""))
            cls.append(" ".join(x for x, on in (("ptst", cell is not None and cell.ptst),
                                                 ("same", cell is not None and cell.same),
                                                 ("base", r == BASELINE)) if on))
        rows.append(line)
        classes.append(cls)
    return Table(header, rows, classes)


def _legend(m: Matrix) -> str:
    seeds = max((c.seeds for c in m.cells.values()), default=1)
    how = ("mean ± std over seeds" if seeds > 1 else "one seed; brackets: Wilson 95% interval")
    unit = "%" if m.metric in ("asr", "accuracy", "refusal_rate") else "score"
    return (f"Rows: training template (baseline = not fine-tuned); columns: test template; {unit}, {how}. "
            f"{PTST_MARK} PTST cell (no safety prompt in training, safety prompt at test), "
            f"{SAME_MARK} same template for training and test.")


def build_report(out_dir: str | Path) -> Doc:
    ctx = _context(Path(out_dir))
    doc = Doc()
    spec = ctx.spec
    name = spec.get("name") or (ctx.rows[0]["study"] if ctx.rows else Path(out_dir).name)
    doc.h(1, f"ptst study: {name}")
    if spec.get("description"):
        doc.p(spec["description"])
    _summary(doc, ctx)
    safety = [b for b, k in ctx.kinds.items() if k == "safety"]
    helpful = [b for b, k in ctx.kinds.items() if k == "helpfulness"]
    benign = [b for b, k in ctx.kinds.items() if k == "benign"]

    # 1. the claims first: they are what the study is for (paired comparisons on the shared items)
    study = Study(ctx.out, ctx.rows, ctx.spec)
    claims, why_none = compute_claims(study)
    claims_section(doc, study, claims, why_none)

    # 2. matrices
    if helpful:
        doc.h(2, "Helpfulness")
        for b in helpful:
            for j in ctx.judges.get(b, []):
                for mixing in ctx.mixings:
                    _matrix_block(doc, ctx, build_matrix(ctx.rows, b, j, "accuracy", mixing,
                                                         template_order=ctx.template_order))
    if safety:
        doc.h(2, "Attack success rate (ASR)")
        for b in safety:
            for j in ctx.judges.get(b, []):
                for mixing in ctx.mixings:
                    _matrix_block(doc, ctx, build_matrix(ctx.rows, b, j, "asr", mixing,
                                                         template_order=ctx.template_order))
    if safety and helpful:
        _scatter_section(doc, ctx, helpful[0], safety[0])
    if has_multiple_checkpoints(ctx.rows) and safety:
        _early_stopping_section(doc, ctx, helpful[0] if helpful else None, safety[0])
    if safety:
        _category_section(doc, ctx, safety)
    if benign:
        doc.h(2, "Over-refusal on benign look-alike requests")
        doc.p("Share of harmless requests that the model refused (lower is better): safety that comes from "
              "refusing everything is not safety.")
        for b in benign:
            for j in ctx.judges.get(b, []):
                for mixing in ctx.mixings:
                    _matrix_block(doc, ctx, build_matrix(ctx.rows, b, j, "refusal_rate", mixing,
                                                         template_order=ctx.template_order))
    if spec.get("published"):
        _published_section(doc, ctx)
    _judges_section(doc, ctx)
    agreement = trust_section(doc, study, ctx.spec)
    if agreement is not None:
        doc.files[JUDGE_AGREEMENT_FILE] = agreement_csv(agreement)
    discordant_section(doc, claims)
    trace_section(doc, study)
    _provenance_section(doc, ctx)
    return doc


def _summary(doc: Doc, ctx: Context) -> None:
    spec, rows = ctx.spec, ctx.rows
    tr = spec.get("train") or {}
    ev = spec.get("evaluate") or {}
    dec = ev.get("decoding") or {}
    items = []
    if spec.get("model"):
        items.append(f"base model: `{spec['model']}`{' (safety-aligned with ptst align)' if spec.get('align') else ''}"
                     f", prompt format `{spec.get('format')}`")
    if tr:
        items.append(f"fine-tuning: `{tr.get('dataset')}` ({tr.get('backend', 'hf')}), training templates "
                     f"{', '.join(tr.get('templates') or [])}; seeds {tr.get('seeds', [0])}; safety mixing "
                     f"{tr.get('safety_mixing', [False])}; checkpoints evaluated: {tr.get('checkpoints', 'final')}")
    if ev:
        greedy = not dec.get("temperature")
        items.append(f"test templates: {', '.join(ev.get('templates') or [])}; decoding: "
                     f"{'greedy' if greedy else 'temperature ' + str(dec.get('temperature'))}, "
                     f"max {dec.get('max_new_tokens', 512)} new tokens; backend {ev.get('backend', 'hf')}")
    for b, kind in ctx.kinds.items():
        n = max((r["n"] + (r["n_invalid"] or 0) for r in rows if r["benchmark"] == b and r["category"] == "all"
                 and r["metric"] in ("asr", "accuracy", "refusal_rate") and r["n"] is not None), default=0)
        items.append(f"benchmark `{b}` ({kind}): {n} items; judges: {', '.join(ctx.judges.get(b, []))}")
    doc.ul(items)
    doc.p("Every number can be traced to its responses: `items/<run>/<checkpoint>/<test template>/<benchmark>.jsonl` "
          "(`items/base/...` for the baseline) holds each prompt, response and judgment; `results.csv` is the tidy "
          "table behind every table and figure here.")


def _matrix_block(doc: Doc, ctx: Context, m: Matrix) -> None:
    if not m.cells:
        return
    doc.h(3, m.title)
    doc.table(matrix_table(m))
    doc.p(_legend(m))
    stem = slug("matrix", m.metric, m.benchmark, m.judge, "mixing" if m.mixing else "")
    doc.fig(Figure(plots.heatmap(m, ctx.figdir, stem), m.title))


def _scatter_section(doc: Doc, ctx: Context, helpful: str, safety: str) -> None:
    hj = ctx.judges[helpful][0]
    sj = ctx.judges[safety][0]
    for mixing in ctx.mixings:
        acc = build_matrix(ctx.rows, helpful, hj, "accuracy", mixing, template_order=ctx.template_order)
        asr = build_matrix(ctx.rows, safety, sj, "asr", mixing, template_order=ctx.template_order)
        points = []
        for key, a in acc.cells.items():
            s = asr.cells.get(key)
            if s is None or a.mean is None or s.mean is None:
                continue
            group = "baseline" if key[0] == BASELINE else "PTST" if s.ptst else "same template" if s.same else "other"
            label = f"{'base' if key[0] == BASELINE else key[0]}→{key[1]}"
            points.append({"x": a.mean, "y": s.mean, "group": group, "label": label})
        if not points:
            continue
        title = f"Helpfulness ({helpful}) vs ASR ({safety}, {sj}){', mixing on' if mixing else ''}"
        doc.h(2, "Helpfulness vs safety" + (" (safety mixing on)" if mixing else ""))
        doc.p("Each point is a (training template → test template) cell, mean over seeds. The trade-off PTST "
              "addresses: fine-tuning moves points right (more helpful); PTST should keep them low (safe).")
        stem = slug("scatter", helpful, safety, sj, "mixing" if mixing else "")
        doc.fig(Figure(plots.scatter(points, f"accuracy on {helpful}", f"ASR on {safety}", title, ctx.figdir, stem),
                       title))


def _early_stopping_section(doc: Doc, ctx: Context, helpful: str | None, safety: str) -> None:
    doc.h(2, "Early stopping vs PTST")
    doc.p("Same-template training evaluated at every saved checkpoint (step 0 is the model before fine-tuning), "
          "against PTST's final checkpoints (stars). The paper's claim: PTST beats stopping same-template training "
          "early at equal helpfulness.")
    sj = ctx.judges[safety][0]
    if helpful:
        _tradeoff_figure(doc, ctx, helpful, safety, sj)
    specs = [(safety, sj, "asr", f"ASR on {safety} ({sj})")]
    if helpful:
        hj = ctx.judges[helpful][0]
        specs.insert(0, (helpful, hj, "accuracy", f"accuracy on {helpful}"))
    for bench, judge, metric, ylabel in specs:
        cur = checkpoint_curves(ctx.rows, bench, judge, metric)
        series = {f"train=test={tr}": pts for (tr, te), pts in cur.items() if tr == te and len(pts) > 1}
        ptst_pts = {}
        for (tr, te), pts in cur.items():
            cells = select(ctx.rows, train_template=tr, test_template=te, benchmark=bench, judge=judge,
                           metric=metric, category="all", checkpoint="final", mixing=False)
            if cells and cells[0]["ptst"]:
                final = [r for r in cells]
                step = max(int(r["step"] or 0) for r in final)
                ptst_pts[f"PTST {tr}→{te}"] = (step, sum(r["value"] for r in final) / len(final))
        if not series:
            continue
        title = f"{ylabel} by checkpoint"
        doc.fig(Figure(plots.curves(series, ptst_pts, ylabel, title, ctx.figdir, slug("early-stopping", metric,
                                                                                         bench, judge)), title))
        t = Table(["cell", *[f"step {s}" for s in sorted({p[0] for pts in series.values() for p in pts})]], [])
        steps = [int(h.split()[1]) for h in t.header[1:]]
        for label, pts in series.items():
            by = {p[0]: p for p in pts}
            t.rows.append([label, *[fmt_pct(by[s][1]) if s in by else "–" for s in steps]])
        doc.p(f"{ylabel} (%) at each checkpoint; PTST final: " +
              (", ".join(f"{k} = {fmt_pct(v[1])} at step {v[0]}" for k, v in ptst_pts.items()) or "no PTST cell") + ".")
        doc.table(t)


def _tradeoff_figure(doc: Doc, ctx: Context, helpful: str, safety: str, sj: str) -> None:
    hj = ctx.judges[helpful][0]
    acc = checkpoint_curves(ctx.rows, helpful, hj, "accuracy")
    asr = checkpoint_curves(ctx.rows, safety, sj, "asr")
    series, ptst_pts = {}, {}
    for key in acc:
        if key not in asr:
            continue
        a = {p[0]: p[1] for p in acc[key]}
        s = {p[0]: p[1] for p in asr[key]}
        pts = [(step, a[step], s[step]) for step in sorted(set(a) & set(s))]
        tr, te = key
        if tr == te and len(pts) > 1:
            series[f"train=test={tr}"] = pts
        cells = select(ctx.rows, train_template=tr, test_template=te, benchmark=safety, judge=sj, metric="asr",
                       category="all", checkpoint="final", mixing=False)
        if cells and cells[0]["ptst"] and pts:
            ptst_pts[f"PTST {tr}→{te}"] = (pts[-1][1], pts[-1][2])
    if not series:
        return
    title = f"Helpfulness vs ASR along training ({helpful} / {safety}, {sj}); numbers are steps"
    doc.fig(Figure(plots.tradeoff(series, ptst_pts, f"accuracy on {helpful}", f"ASR on {safety}", title,
                                  ctx.figdir, slug("early-stopping-tradeoff", helpful, safety, sj)), title))


def _category_section(doc: Doc, ctx: Context, safety: list[str]) -> None:
    for b in safety:
        cats = sorted({r["category"] for r in ctx.rows if r["benchmark"] == b and r["category"] != "all"
                       and r["metric"] == "asr"})
        if not cats:
            continue
        j = ctx.judges[b][0]
        doc.h(2, f"ASR by harm category: {b} ({j})")
        m_all = {c: build_matrix(ctx.rows, b, j, "asr", False, category=c, template_order=ctx.template_order)
                 for c in cats}
        base = next(iter(m_all.values()))
        labels, values = [], []
        t = Table(["cell", *cats], [])
        for r in base.rows:
            for te in base.cols:
                cells = [m_all[c].get(r, te) for c in cats]
                if all(c is None for c in cells):
                    continue
                mark = ""
                c0 = next(c for c in cells if c is not None)
                if c0.ptst:
                    mark = " " + PTST_MARK
                elif c0.same:
                    mark = " " + SAME_MARK
                label = f"{'baseline' if r == BASELINE else r} → {te}{mark}"
                labels.append(label)
                vals = [c.mean if c is not None else None for c in cells]
                values.append(vals)
                t.rows.append([label, *[fmt_pct(v) for v in vals]])
        doc.table(t)
        doc.p("ASR (%) per category, final checkpoints, mixing off, mean over seeds.")
        doc.fig(Figure(plots.category_heatmap(labels, cats, values, f"ASR by category on {b} ({j})", ctx.figdir,
                                              slug("categories", b, j)), f"ASR by category on {b}"))


def _published_section(doc: Doc, ctx: Context) -> None:
    doc.h(2, "Published numbers vs this run")
    doc.p("Published values are from the PTST paper (Lyu et al. 2024, Llama-2-7B-chat on GSM8K, as quoted in the "
          "preset). A small model or a small subset will not match them; the comparison shows direction and scale.")
    t = Table(["setting", "benchmark", "metric", "judge", "published (%)", "measured (%)"], [])
    for p in published_rows(ctx.spec["published"], ctx.rows):
        setting = (f"before fine-tuning, test {p['test_template']}" if p.get("stage") == "before"
                   else f"train {p['train_template']} / test {p['test_template']}")
        meas = "not measured" if p["measured"] is None else (
            f"{fmt_pct(p['measured'], 2)}" + (f" ± {fmt_pct(p['measured_std'], 2)}" if p["seeds"] > 1 else ""))
        t.rows.append([setting + (f" ({p['note']})" if p.get("note") else ""), p["benchmark"], p["metric"],
                       p["judge"], f"{100 * p['value']:.2f}", meas])
    doc.table(t)


def _judges_section(doc: Doc, ctx: Context) -> None:
    pf: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in ctx.rows:
        if r["metric"] == "parse_failures" and r["category"] == "all":
            pf[(r["benchmark"], r["judge"])][0] += r["k"] or 0
            pf[(r["benchmark"], r["judge"])][1] += (r["n"] or 0) + (r["n_invalid"] or 0)
    agree: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in ctx.rows:
        if r["metric"] in ("agreement", "kappa") and r["value"] is not None:
            agree[(r["benchmark"], r["judge"])][r["metric"]].append(r["value"])
    if not pf and not agree:
        return
    doc.h(2, "Judges: parse failures and agreement")
    t = Table(["benchmark", "judge", "unparseable / failed judgments"], [])
    for (b, j), (k, n) in pf.items():
        t.rows.append([b, j, f"{k} of {n}"])
    doc.table(t)
    if agree:
        t2 = Table(["benchmark", "judges", "agreement (mean over cells)", "Cohen's kappa (mean)"], [])
        for (b, j), d in agree.items():
            a = d.get("agreement", [])
            kp = d.get("kappa", [])
            t2.rows.append([b, j.replace("~", " vs "), fmt_pct(sum(a) / len(a)) + "%" if a else "n/a",
                            f"{sum(kp) / len(kp):.2f}" if kp else "n/a"])
        doc.table(t2)
    doc.p("Failed or unparseable judgments are excluded from each rate's n and counted here, never silently "
          "dropped.")


def last_computing_run(manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The last finished invocation that computed the results (a rerun that found the study up to date and
    did nothing is not one: the report describes where the numbers came from)."""
    inv = [i for i in manifest.get("invocations", []) if i.get("status") == "finished" and not i.get("up_to_date")]
    return inv[-1] if inv else None


def _provenance_section(doc: Doc, ctx: Context) -> None:
    m = ctx.manifest
    if not m:
        return
    doc.h(2, "Provenance")
    v = m.get("versions") or {}
    git = m.get("git") or {}
    hw = m.get("hardware") or {}
    items = [
        "versions: " + ", ".join(f"{k} {val}" for k, val in v.items() if val),
        f"git: {git.get('commit', 'n/a')}{' (uncommitted changes)' if git.get('dirty') else ''}",
        "hardware: " + ", ".join(f"{k} {val}" for k, val in hw.items()),
    ]
    last = last_computing_run(m)
    if last:
        items.append(f"last run: {last.get('started')} ({last.get('seconds')} s; trainings run: "
                     f"{last.get('trainings_run')}; cache: {last.get('cache')})")
    items.append(f"spec sha256: {m.get('spec_sha256')}")
    doc.ul(items)


# ---- rendering -------------------------------------------------------------------------------------------------


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def to_markdown(doc: Doc, out: Path) -> str:
    lines: list[str] = []
    for kind, x in doc.blocks:
        if kind == "h":
            lines += ["#" * x[0] + " " + x[1], ""]
        elif kind == "p":
            lines += [x, ""]
        elif kind == "ul":
            lines += [f"- {i}" for i in x] + [""]
        elif kind == "table":
            lines.append("| " + " | ".join(_md_escape(h) for h in x.header) + " |")
            lines.append("|" + "|".join("---" for _ in x.header) + "|")
            for r in x.rows:
                lines.append("| " + " | ".join(_md_escape(c) for c in r) + " |")
            lines.append("")
        elif kind == "raw":
            lines += [x[1], ""] if x[1] else []
        elif kind == "fig":
            rel = x.paths["png"].relative_to(out)
            lines += [f"![{x.caption}]({rel.as_posix()})", ""]
    return "\n".join(lines).rstrip() + "\n"


_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}
table{border-collapse:collapse;margin:.6em 0 1em;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .55em;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.ptst{background:#e6f4ea;outline:2px dashed #1a9850;outline-offset:-3px}
td.same{font-weight:bold;outline:2px solid #000;outline-offset:-3px}
td.base{background:#f7f7f7}
td.rowhead{font-weight:600}
code{background:#f3f3f3;padding:0 .2em}
figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.85em;color:#555}
"""


def _inline(text: str) -> str:
    s = html.escape(text)
    s = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s)
    s = re.sub(r"`(.+?)`", r"<code>\1</code>", s)
    s = re.sub(r"(?<![\w*])\*(\w.+?)\*(?![\w*])", r"<em>\1</em>", s)
    return s


def _svg_inline(path: Path) -> str:
    svg = path.read_text(encoding="utf-8")
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    return svg


def to_html(doc: Doc, title: str) -> str:
    parts = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
             f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"]
    for kind, x in doc.blocks:
        if kind == "h":
            parts.append(f"<h{x[0]}>{_inline(x[1])}</h{x[0]}>")
        elif kind == "p":
            parts.append(f"<p>{_inline(x)}</p>")
        elif kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in x) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{html.escape(h)}</th>" for h in x.header)
            body = []
            for i, r in enumerate(x.rows):
                cls = x.classes[i] if x.classes else [""] * len(r)
                body.append("<tr>" + "".join(
                    f"<td class=\"{c}\">{html.escape(v)}</td>" if c else f"<td>{html.escape(v)}</td>"
                    for v, c in zip(r, cls)) + "</tr>")
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
        elif kind == "raw":
            parts.append(x[0])
        elif kind == "fig":
            parts.append(f"<figure>{_svg_inline(x.paths['svg'])}<figcaption>{html.escape(x.caption)}</figcaption>"
                         "</figure>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_report(out_dir: str | Path) -> dict[str, Path]:
    """Write ``report.md``, ``report.html``, ``figures/`` and ``judge_agreement.csv`` (when the study has judges to
    compare; :mod:`ptst.study.judge_agreement`) for the study in ``out_dir``.

    The text is rebuilt every time (it is cheap: tables from the results); a figure whose data did not change is
    kept as it is, without importing matplotlib (see :func:`ptst.report.plots.memoised`)."""
    out = Path(out_dir)
    md = out / "report.md"
    page = out / "report.html"
    doc = build_report(out)
    title = next((x[1] for k, x in doc.blocks if k == "h"), "ptst study")
    _write_if_changed(md, to_markdown(doc, out))
    _write_if_changed(page, to_html(doc, title))
    for name, text in doc.files.items():
        _write_if_changed(out / name, text)
    return {"md": md, "html": page, "figures": out / "figures", "headline": doc.headline}


def _write_if_changed(path: Path, text: str) -> None:
    """Atomically write ``text`` unless the file already holds exactly it (an unchanged report keeps its files)."""
    with contextlib.suppress(OSError):
        if path.read_bytes() == text.encode("utf-8"):
            return
    atomic_write_text(path, text)
