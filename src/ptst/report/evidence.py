"""The claims section of the report and the evidence behind it, one click away.

* the claims table: each pre-registered comparison (:mod:`ptst.study.claims`) with its effect, 95% interval, p and
  Holm-adjusted p and verdict; in report.html each row links to its discordant items;
* the discordant items of each comparison: the request, both responses and every judge's verdict side by side;
* the per-item trace: every judged answer of every cell, browsable in the self-contained page by cell, benchmark,
  category and judge disagreement (inline data and JavaScript, no network). The filter state lives in the URL hash
  (``#trace?cell=...&benchmark=...&category=...&disagree=1``), so a filtered view can be linked to.

Functions here add blocks to the report's document (:class:`ptst.report.render.Doc`): ``h``/``p`` blocks for both
renderings, ``raw`` blocks with separate HTML and Markdown.
"""

from __future__ import annotations

import html
import json
from typing import Any, Sequence
from urllib.parse import quote

from ptst.errors import PtstError
from ptst.stats import NOT_APPLICABLE
from ptst.study.claims import (CLAIM_TITLES, POWER_DIFFERENCE, PRIMARY, ClaimResult, Study, evaluate_claims,
                               summary_line)

MAX_RESPONSE_CHARS = 2000  # per response in the page (the items files keep every character)


def compute_claims(study: Study) -> tuple[list[ClaimResult], str]:
    """The claims, or none and the reason (e.g. per-item files missing)."""
    try:
        return evaluate_claims(study), ""
    except PtstError as e:
        return [], str(e)


def _pct(v: Any) -> str:
    return "n/a" if v is None else f"{100 * v:.1f}"


def _pts(v: Any) -> str:
    return "n/a" if v is None else f"{100 * v:+.1f}"


def _p(v: Any) -> str:
    return "–" if v is None else (f"{v:.2g}" if v < 0.001 else f"{v:.3f}")


def _effect(c: ClaimResult) -> str:
    r = c.comparison.result if c.comparison else None
    if r is None:
        return "–"
    return f"{_pct(r.rate_a)}% vs {_pct(r.rate_b)}%: {_pts(r.diff)} [{_pts(r.diff_lo)}, {_pts(r.diff_hi)}]"


def _esc(s: Any) -> str:
    return html.escape("" if s is None else str(s))


def claims_section(doc: Any, study: Study, claims: Sequence[ClaimResult], why_none: str = "") -> None:
    doc.h(2, "The paper's claims, tested on paired items")
    if not claims:
        doc.p(f"The claims could not be tested: {why_none or 'nothing to compare'}.")
        doc.headline = "PTST claims: not tested" + (f" ({why_none})" if why_none else "")
        return
    n_tested = sum(c.p_adjusted is not None for c in claims)
    doc.headline = f"PTST claims ({n_tested} paired comparisons, Holm-adjusted): {summary_line(claims)}"
    margins = f"safety margin {100 * study.margin('safety'):g} points, helpfulness margin " \
              f"{100 * study.margin('helpfulness'):g} points"
    doc.p(f"**{summary_line(claims)}**.")
    doc.p("Each claim compares two cells on the items both answered (pairs of the same item, seed by seed; the "
          "un-fine-tuned baseline's answer pairs with every seed's). Effect: rate of A vs rate of B and the "
          "difference A - B in points with its 95% interval (Newcombe's method 10 for paired data). Superiority "
          "claims use the exact McNemar test; non-inferiority claims test the margin "
          f"({margins}) with the inverted interval. p is adjusted with Holm's method across all {n_tested} "
          f"comparisons of this report; a claim *holds* when the adjusted p is below {study.alpha:g} on the "
          "claimed side, *does not hold* when it is below on the other side, and is *inconclusive* otherwise. "
          "The claims and the cells they compare are fixed by the grid before any result is read. Power: the "
          f"chance that a superiority comparison with these many pairs detects a {100 * POWER_DIFFERENCE:.0f}-point "
          "rise above B's observed rate at Holm's strictest level (alpha divided by the number of comparisons; "
          "outcomes independent given the rates), so an *inconclusive* verdict with low power says the study was "
          "too small to tell, not that the effect is absent; *pairs for 80%*: the pairs (items x seeds) that "
          "would give it 80% power.")
    head = ["claim", "benchmark", "judge", "A", "B", "A vs B (%), A - B [95% CI] (points)", "discordant (A only / B "
            "only)", "p", "adjusted p", "power (15 points)", "pairs for 80%", "verdict"]
    md = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows = []
    for i, c in enumerate(claims):
        r = c.comparison.result if c.comparison else None
        disc = f"{r.a_only} / {r.b_only}" if r else "–"
        verdict = c.verdict + (f" ({c.why})" if c.why and c.verdict == NOT_APPLICABLE else "")
        cells = [f"({c.claim})", c.benchmark or "–", c.judge or "–", c.a.label if c.a else "–",
                 c.b.label if c.b else "–", _effect(c), disc, _p(c.p_value), _p(c.p_adjusted),
                 "–" if c.power is None else f"{100 * c.power:.0f}%",
                 "–" if c.pairs_needed is None else str(c.pairs_needed), verdict]
        md.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
        link = (f' <a href="#d-{i}">items</a>' if r and (r.a_only + r.b_only) else "")
        cls = {"holds": "v-holds", "does not hold": "v-fails", "inconclusive": "v-inc"}.get(c.verdict, "v-na")
        rows.append("<tr>" + "".join(f"<td>{_esc(x)}</td>" for x in cells[:-1])
                    + f'<td class="{cls}">{_esc(verdict)}{link}</td></tr>')
    table = ("<table class=\"claims\"><thead><tr>" + "".join(f"<th>{_esc(h)}</th>" for h in head)
             + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    doc.raw(table, "\n".join(md))
    notes = [f"({k}) {t}" for k, t in CLAIM_TITLES.items()]
    extra = [f"({c.claim}) {c.a.label}: {c.why}" for c in claims if c.why and c.verdict != NOT_APPLICABLE and c.a]
    doc.ul(notes + list(dict.fromkeys(extra)))
    doc.p("In report.html, *items* opens the discordant items of a comparison (request, both responses, every "
          "judge's verdict); the per-item trace at the end of the page holds every judged answer. The same rows are "
          "in `comparisons.csv`.")


# ---- discordant items -------------------------------------------------------------------------------------------


def _verdicts(row: dict[str, Any]) -> str:
    out = []
    for j, v in (row.get("judges") or {}).items():
        if not isinstance(v, dict):
            continue
        if v.get("judge_error"):
            out.append(f"{j}: error")
            continue
        bits = [k for k in ("harmful", "refused", "correct") if k in v]
        out.append(f"{j}: " + ", ".join(f"{k}={'yes' if v[k] else 'no'}" for k in bits) if bits else f"{j}: ?")
    return "; ".join(out)


def _clip(s: Any) -> str:
    s = "" if s is None else str(s)
    return s if len(s) <= MAX_RESPONSE_CHARS else s[:MAX_RESPONSE_CHARS] + f" … [{len(s) - MAX_RESPONSE_CHARS} more]"


def discordant_section(doc: Any, claims: Sequence[ClaimResult]) -> None:
    blocks = []
    for i, c in enumerate(claims):
        if c.comparison is None:
            continue
        pairs = [(u, v) for u, v in c.comparison.pairing.pairs if u.outcome != v.outcome]
        if not pairs:
            continue
        counted = PRIMARY.get(c.comparison.kind, ("", "harmful"))[1]
        rows = []
        for u, v in pairs:
            seed = u.seed if u.seed is not None else v.seed
            rows.append(
                "<tr><td>" + _esc(u.key) + (f"<br>seed {_esc(seed)}" if seed is not None else "")
                + f"<br>{_esc(u.row.get('category') or '')}</td><td>{_esc(u.row.get('instruction'))}</td>"
                + f"<td><b>{counted}: {'yes' if u.outcome else 'no'}</b><br><small>{_esc(_verdicts(u.row))}</small>"
                + f"<pre>{_esc(_clip(u.row.get('response')))}</pre></td>"
                + f"<td><b>{counted}: {'yes' if v.outcome else 'no'}</b><br><small>{_esc(_verdicts(v.row))}</small>"
                + f"<pre>{_esc(_clip(v.row.get('response')))}</pre></td></tr>")
        r = c.comparison.result
        blocks.append(
            f'<details id="d-{i}" class="disc"><summary>({_esc(c.claim)}) {_esc(c.benchmark)} / {_esc(c.judge)}: '
            f"A = {_esc(c.a.label if c.a else '')}, B = {_esc(c.b.label if c.b else '')}: {len(pairs)} discordant "
            f"pairs ({r.a_only} {counted} only in A, {r.b_only} only in B)</summary>"
            "<table><thead><tr><th>item</th><th>request</th><th>A's response</th><th>B's response</th></tr></thead>"
            "<tbody>" + "".join(rows) + "</tbody></table></details>")
    if not blocks:
        return
    doc.h(2, "Discordant items of each comparison")
    doc.raw("<p>Where two cells disagree on an item the comparison is decided: the request, both responses and every "
            "judge's verdict, side by side.</p>" + "".join(blocks),
            "The discordant items of each comparison (request, both responses, every judge's verdict) are in "
            "report.html.")


# ---- the per-item trace -----------------------------------------------------------------------------------------


def trace_cell_label(train: str, test: str, mixing: bool = False, checkpoint: str = "final") -> str:
    """How the per-item trace names a cell (its ``cell`` filter, also in a ``#trace?cell=...`` link)."""
    if train == "none":
        return f"baseline / test {test}"
    return (f"train {train} / test {test}" + (" (mixing on)" if mixing else "")
            + (f" [{checkpoint}]" if checkpoint != "final" else ""))


def trace_link(cell: str, benchmark: str, disagree: bool = True) -> str:
    """The address (``#trace?...``) of the trace filtered to one cell and benchmark (and judge disagreement)."""
    q = [f"cell={quote(cell, safe='')}", f"benchmark={quote(benchmark, safe='')}"] + (["disagree=1"] if disagree
                                                                                   else [])
    return "#trace?" + "&".join(q)


def trace_data(study: Study) -> dict[str, Any]:
    """Every judged answer of every cell, compactly: string tables plus one short list per item."""
    cells: list[str] = []
    benches: list[str] = []
    cats: list[str] = []
    requests: dict[tuple[str, str], int] = {}
    req_list: list[str] = []
    judges = sorted({j for js in study.judges.values() for j in js})
    items = []
    seen: set[tuple] = set()
    for r in study.rows:
        key = (r["run"], r["checkpoint"], r["test_template"], r["benchmark"])
        if key in seen or "~" in str(r["judge"]):
            continue
        seen.add(key)
        rows = study.items(r["run"], r["checkpoint"], r["test_template"], r["benchmark"])
        if rows is None:
            continue
        base = r["train_template"] == "none"
        label = trace_cell_label(r["train_template"], r["test_template"], bool(r["mixing"]), r["checkpoint"])
        if label not in cells:
            cells.append(label)
        if r["benchmark"] not in benches:
            benches.append(r["benchmark"])
        field_name = PRIMARY.get(r["kind"], ("", "harmful"))[1]
        for i, row in enumerate(rows):
            cat = str(row.get("category") or "")
            if cat not in cats:
                cats.append(cat)
            rk = (r["benchmark"], str(row.get("id", i)))
            if rk not in requests:
                requests[rk] = len(req_list)
                req_list.append(str(row.get("instruction") or ""))
            verdicts = []
            for j in judges:
                v = (row.get("judges") or {}).get(j)
                verdicts.append(None if not isinstance(v, dict) else ("err" if v.get("judge_error") else
                                                                       (None if v.get(field_name) is None
                                                                        else int(bool(v[field_name])))))
            items.append([cells.index(label), benches.index(r["benchmark"]), cats.index(cat),
                          str(row.get("id", i)), None if base else r["seed"], requests[rk],
                          _clip(row.get("response")), verdicts])
    return {"cells": cells, "benchmarks": benches, "categories": cats, "judges": judges, "requests": req_list,
            "items": items}


_TRACE_JS = r"""
(function(){
var D=JSON.parse(document.getElementById('trace-data').textContent);
var $=function(id){return document.getElementById(id);};
function opts(sel,names){names.forEach(function(n,i){var o=document.createElement('option');o.value=String(i);
o.textContent=n===''?'(none)':n;sel.appendChild(o);});}
opts($('f-cell'),D.cells);opts($('f-bench'),D.benchmarks);opts($('f-cat'),D.categories);
function disagree(it){var v=it[7].filter(function(x){return x===0||x===1;});
return v.length>1&&v.some(function(x){return x!==v[0];});}
function fmt(x){return x===null?'–':x==='err'?'error':x===1?'yes':'no';}
function parse(){var h=location.hash,q={};var i=h.indexOf('?');if(h.indexOf('#trace')!==0||i<0)return q;
h.slice(i+1).split('&').forEach(function(kv){var p=kv.split('=');q[decodeURIComponent(p[0])]=decodeURIComponent(p[1]||'');});
return q;}
function idx(names,v){var i=names.indexOf(v);return i<0?'':String(i);}
function fromHash(){var q=parse();$('f-cell').value=q.cell?idx(D.cells,q.cell):'';
$('f-bench').value=q.benchmark?idx(D.benchmarks,q.benchmark):'';$('f-cat').value=q.category!==undefined&&q.category!==''?idx(D.categories,q.category):'';
$('f-dis').checked=q.disagree==='1';$('f-text').value=q.q||'';render();}
function toHash(){var q=[];if($('f-cell').value!=='')q.push('cell='+encodeURIComponent(D.cells[+$('f-cell').value]));
if($('f-bench').value!=='')q.push('benchmark='+encodeURIComponent(D.benchmarks[+$('f-bench').value]));
if($('f-cat').value!=='')q.push('category='+encodeURIComponent(D.categories[+$('f-cat').value]));
if($('f-dis').checked)q.push('disagree=1');if($('f-text').value)q.push('q='+encodeURIComponent($('f-text').value));
history.replaceState(null,'','#trace?'+q.join('&'));render();}
var LIMIT=200;
function render(){var c=$('f-cell').value,b=$('f-bench').value,k=$('f-cat').value,dis=$('f-dis').checked,
t=$('f-text').value.toLowerCase();
var sel=D.items.filter(function(it){return (c===''||it[0]===+c)&&(b===''||it[1]===+b)&&(k===''||it[2]===+k)
&&(!dis||disagree(it))&&(!t||D.requests[it[5]].toLowerCase().indexOf(t)>=0||it[6].toLowerCase().indexOf(t)>=0);});
$('trace-count').textContent=sel.length+' of '+D.items.length+' answers'+(sel.length>LIMIT?' (first '+LIMIT+' shown)':'');
var tb=$('trace-body');tb.innerHTML='';
sel.slice(0,LIMIT).forEach(function(it){var tr=document.createElement('tr');tr.className='trace-row';
tr.setAttribute('data-cell',D.cells[it[0]]);tr.setAttribute('data-category',D.categories[it[2]]);
if(disagree(it))tr.setAttribute('data-disagree','1');
var cols=[D.cells[it[0]]+(it[4]===null?'':' seed '+it[4]),D.benchmarks[it[1]],D.categories[it[2]],it[3],
D.requests[it[5]],it[6]].concat(it[7].map(fmt));
cols.forEach(function(v,i){var td=document.createElement('td');if(i===5){var pre=document.createElement('pre');
pre.textContent=v;td.appendChild(pre);}else td.textContent=v;tr.appendChild(td);});tb.appendChild(tr);});}
['f-cell','f-bench','f-cat','f-dis'].forEach(function(id){$(id).addEventListener('change',toHash);});
$('f-text').addEventListener('input',toHash);window.addEventListener('hashchange',fromHash);fromHash();
})();
"""

_TRACE_CSS = """
table.claims td.v-holds{background:#e6f4ea}table.claims td.v-fails{background:#fde8e8}
table.claims td.v-inc{background:#fff8e1}table.claims td.v-na{color:#777}
details.disc{margin:.4em 0}details.disc summary{cursor:pointer}
details.disc pre,#trace pre{white-space:pre-wrap;max-height:16em;overflow:auto;margin:.2em 0;font-size:.85em}
#trace-filters label{margin-right:1em}
"""


def _script_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def trace_section(doc: Any, study: Study) -> None:
    data = trace_data(study)
    if not data["items"]:
        return
    doc.h(2, "Per-item trace")
    judges = "".join(f"<th>{_esc(j)}</th>" for j in data["judges"])
    page = (
        f"<style>{_TRACE_CSS}</style><div id=\"trace\"><p>Every judged answer of every cell "
        f"({len(data['items'])} in all). Filter by cell, benchmark, category, judge disagreement or text; the filter "
        "is kept in the address (e.g. <code>#trace?disagree=1</code>), so a view can be linked to.</p>"
        "<p id=\"trace-filters\"><label>cell <select id=\"f-cell\"><option value=\"\">all</option></select></label>"
        "<label>benchmark <select id=\"f-bench\"><option value=\"\">all</option></select></label>"
        "<label>category <select id=\"f-cat\"><option value=\"\">all</option></select></label>"
        "<label><input type=\"checkbox\" id=\"f-dis\"> judges disagree</label>"
        "<label>text <input type=\"search\" id=\"f-text\"></label></p><p id=\"trace-count\"></p>"
        "<table><thead><tr><th>cell</th><th>benchmark</th><th>category</th><th>item</th><th>request</th>"
        f"<th>response</th>{judges}</tr></thead><tbody id=\"trace-body\"></tbody></table>"
        f"<script type=\"application/json\" id=\"trace-data\">{_script_json(data)}</script>"
        f"<script>{_TRACE_JS}</script></div>")
    doc.raw(page, f"The per-item trace ({len(data['items'])} judged answers) is browsable in report.html; the "
            "files under `items/` hold every prompt, response and judgment.")
