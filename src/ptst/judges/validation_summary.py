"""The offline judges' measured accuracy on the committed validation sets, as one machine-readable file.

``data/validation_summary.json`` holds, for each offline judge (``keyword``, ``refusal``, ``objective``,
``objective-cross``) and each validation set ``data/objective_validation_*.jsonl`` (never used for fitting;
docs/judges.md, "Validation"): the set's provenance, n, and the binary view's accuracy, precision and recall with
Wilson 95% intervals and Cohen's kappa (positive = harmful = reference ``compliance``), plus the three-way accuracy
and kappa for a judge with three outcomes. The study report quotes it ("How far to trust the judges").

It is generated, never edited by hand::

    python -m ptst.judges.validation_summary --write --data-root ../shared/data
    python -m ptst.judges.validation_summary --check          # exit 1 when the file is stale

The file stores ``inputs_sha256``, the digest of every validation set's bytes and every judge's identity (its
version, weights digest, options), so a cheap check (:func:`stale`, run by the tests) notices when the sets or a
judge's weights changed without regenerating it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

from ptst.errors import PtstError
from ptst.io import atomic_write_text, stable_hash
from ptst.judges.base import get_scorer
from ptst.judges.validation import load_labelled_file, validate

SUMMARY_FILE = "validation_summary.json"
SET_GLOB = "objective_validation_*.jsonl"
#: the judges the summary measures (offline, deterministic, free)
JUDGES = ("objective", "objective-cross", "refusal", "keyword")
COMMAND = "python -m ptst.judges.validation_summary --write --data-root ../shared/data"

#: file -> (short name, provenance); a set not named here is still measured, with a pointer to docs/judges.md
KNOWN_SETS = {
    "objective_validation_smollm2.jsonl": (
        "smollm2-135m",
        "150 real greedy responses of SmolLM2-135M-Instruct (56 new tokens) under chat:vanilla, chat:llama and "
        "chat:alpaca to 20 AdvBench, 20 DirectHarm4 and 10 GSM8K requests, labelled by reading; the only set whose "
        "text ptst did not write; 'clear' leaves out the 52 labels a second reader could dispute"),
    "objective_validation_smollm2_aligned.jsonl": (
        "smollm2-135m-aligned",
        "148 real greedy responses (32 new tokens) of the built-in study's models (the aligned SmolLM2-135M and its "
        "math fine-tunes) under chat:vanilla and chat:llama to built-in harmful, GSM-Danger-style and benign "
        "requests, labelled by reading; text ptst did not write"),
    "objective_validation_styles.jsonl": (
        "styles-dev",
        "75 responses written for ptst in the styles of large chat models (Llama-2-chat, GPT, Claude, Mistral, "
        "Qwen), same writer as the training data; a development set (the first fit's errors on it were read)"),
    "objective_validation_styles_test.jsonl": (
        "styles-test",
        "50 more responses in large-chat-model styles (Gemini, Vicuna, DeepSeek, jailbreak personas), written for "
        "ptst after the last design change and scored once; same writer as the training data"),
    "objective_validation_styles_test2.jsonl": (
        "styles-test2",
        "80 responses in large-chat-model styles (Claude-2, Gemma, Zephyr, Mixtral, Vicuna, GCG suffixes, "
        "grandma/DAN personas, JSON/table/emoji layouts, French/German/Chinese; 22 answers to a different question), "
        "written for ptst before any scoring and never fitted on; same writer as the training data; scored once "
        "with objective v1 and once with objective-cross's final weights, whose errors were then read: a "
        "development set from then on"),
    "objective_validation_styles_test3.jsonl": (
        "styles-test3",
        "90 responses in large-chat-model styles (GPT-4 markdown, Claude, Llama-2-chat, Mistral/Vicuna, Qwen/Gemma, "
        "small fine-tuned models, DAN/AIM/grandma jailbreaks; 20 benign requests that sound dangerous, 25 answers "
        "to a different question), written 2026-12-02 by a writer who had not read ptst's training or validation "
        "sets, before any scoring; each judge scored once, then its errors were read (a development set since "
        "2026-12-02 evening); never fitted on"),
    "objective_validation_styles_test4.jsonl": (
        "styles-test4",
        "110 responses in the styles of many chat models (Llama-2/3, Mistral/Mixtral, Vicuna, Zephyr, GPT-3.5/4, "
        "Claude, Gemini, Qwen, Gemma, Phi, DeepSeek-R1, small rambling models; DAN and persona jailbreaks, 4 in "
        "other languages; 15 benign requests; 35 answers to a different question or degenerate), written "
        "2026-12-02 by a writer who had read none of ptst's training or validation data, told only the label "
        "definitions; each judge scored once with the weights before the present ones, then used to choose the "
        "present objective-cross fit over them (a development set since); never fitted on"),
    "objective_validation_styles_test5.jsonl": (
        "styles-test5",
        "100 responses in the styles of many chat models (Llama-2/3, Mistral/Mixtral, Vicuna, Zephyr, OpenChat, "
        "GPT-3.5/4o, Claude, Gemini, Qwen, Gemma, Phi, Yi, DeepSeek, Command-R, small broken models; persona, "
        "fiction and research-pretext jailbreaks, a few in other languages; 13 benign requests; 30 answers to a "
        "different question or degenerate), written 2026-12-02 evening by a fifth writer who had read none of "
        "ptst's training or validation data, told only the label definitions; scored once per judge, then used "
        "to choose the ensemble weights of 2026-12-03 (a development set since); never fitted on"),
    "objective_validation_styles_test6.jsonl": (
        "styles-test6",
        "180 responses by three more writers (2026-12-03 morning), each working alone, none of whom had read ptst's "
        "code or data, told only the label definitions: 60 in large chat models' house styles (Llama-2/3, Mistral, "
        "Qwen2.5/3, GPT-4/4o, Claude, Gemini, Vicuna; partial compliance, disclaimers, quiet answers to a safer "
        "question), 60 of small fine-tuned models and jailbreaks (template echoes, math answers, loops, DAN/AIM "
        "two-answer formats, 'Sure, here is' priming), 60 hard cases (compliance without compliance phrases, "
        "one-word or foreign refusals, homonyms, benign look-alikes); 53 off-topic, 30 benign requests; "
        "each judge scored once with the ensemble weights of 2026-12-03, then its errors were read (a development "
        "set since); never fitted on"),
    "objective_validation_styles_test7.jsonl": (
        "styles-test7",
        "175 responses by three more writers (2026-12-03 morning), each working alone, none of whom had read ptst's "
        "code or data, told only the label definitions: 60 in the answers of large chat models (GPT-4o, Claude 3.5, "
        "Llama-3.1-70B, Qwen2.5-72B, Mistral Large, Gemini, DeepSeek-V3, Command-R+) to benchmark-style and "
        "jailbreak-wrapped requests, 60 of small open and benign-fine-tuned models (math, medical; loops, echoes, "
        "answers to another question), 60 tricky cases for an annotator (compliance as song, script, code, table or "
        "in another language; sarcastic or poem refusals; topic without the task); 5 lines left out before "
        "scoring (2 by their writer's safety flag, 3 sharing a text with the training data); 52 off-topic; "
        "written while the ensemble was being refitted, kept sealed, and scored once per judge after the kept "
        "weights were chosen; never fitted on"),
    "objective_validation_styles_test8.jsonl": (
        "styles-test8",
        "179 responses by three more writers (2026-12-03 afternoon), each working alone, none of whom had read ptst's "
        "code or data, told only the label definitions: 60 in the answers of large chat models (GPT-4o/4.1, Claude "
        "3.5/3.7, Llama-3.1-70B/405B, Qwen2.5-72B, Mistral Large, Gemini, DeepSeek-V3/R1 with its thinking text, "
        "Command-R+, Grok) to direct and jailbreak-wrapped requests, 60 of small open and benign-fine-tuned models "
        "(Llama-2-7b-chat, Mistral-7B, Vicuna, Gemma-2B, Phi-2, TinyLlama, Qwen2-0.5B; GSM8K, ChatDoctor, Alpaca, "
        "OpenOrca fine-tunes: loops, template echoes, math answers, over-refusals), 60 hard cases for an annotator "
        "(compliance and refusal as poems, scripts, JSON, CSV, jokes or in other languages; neighbouring tasks; "
        "two-answer formats); 1 line left out before scoring (its response, \"I'm sorry, but I can't help with "
        "that.\", is in the training data); 53 off-topic, 48 not clear; written after the kept weights were chosen "
        "and scored once per judge; never fitted on"),
}


def data_dir() -> Path:
    return Path(str(resources.files("ptst.judges").joinpath("data")))


def set_files() -> list[Path]:
    return sorted(data_dir().glob(SET_GLOB))


def set_name(path: Path) -> str:
    return KNOWN_SETS.get(path.name, (path.stem.replace("objective_validation_", ""), ""))[0]


def provenance(path: Path) -> str:
    return KNOWN_SETS.get(path.name, ("", ""))[1] or "see docs/judges.md, 'Validation'"


def judge_identities(judges: Sequence[str] = JUDGES) -> dict[str, dict[str, Any]]:
    """Each judge's identity with its default options (building these judges loads no model)."""
    out = {}
    for j in judges:
        s = get_scorer(j)
        try:
            out[j] = s.identity()
        finally:
            s.close()
    return out


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def inputs_digest(files: Sequence[Path] | None = None, identities: dict[str, dict[str, Any]] | None = None) -> str:
    """sha256 over the validation sets' names and bytes and the judges' identities."""
    files = set_files() if files is None else files
    identities = judge_identities() if identities is None else identities
    sets = {p.name: sha256_file(p) for p in files}
    return stable_hash({"sets": sets, "judges": identities})


def _round(v: Any) -> Any:
    if isinstance(v, float):
        return round(v, 6)
    if isinstance(v, dict):
        return {k: _round(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_round(x) for x in v]
    return v


def _entry(set_: str, subset: str, res: dict[str, Any], n_harmful: int) -> dict[str, Any]:
    b, t = res["binary"], res["three_way"]
    return {
        "set": set_, "subset": subset, "n": res["n"], "n_invalid": res["n_invalid"], "n_harmful": n_harmful,
        "accuracy": b["accuracy"], "precision": b["precision"], "recall": b["recall"], "kappa": b["kappa"],
        "confusion": b["confusion"],
        "three_way_accuracy": t["accuracy"] if t else None, "three_way_kappa": t["kappa"] if t else None,
    }


def compute_summary(data_root: str | Path | None, judges: Sequence[str] = JUDGES) -> dict[str, Any]:
    """Score every validation set with every judge (a few minutes on 2 cores: the objective judge embeds)."""
    files = set_files()
    if not files:
        raise PtstError(f"{data_dir()}: no validation sets ({SET_GLOB})")
    identities = judge_identities(judges)
    doc: dict[str, Any] = {
        "about": "Offline judges measured on ptst's validation sets (never used for fitting). Binary view: "
                 "positive = harmful = reference compliance (or attack_success); Wilson 95% intervals. Generated, "
                 "not edited: see ptst.judges.validation_summary.",
        "command": COMMAND,
        "inputs_sha256": inputs_digest(files, identities),
        "sets": {set_name(p): {"file": p.name, "provenance": provenance(p),
                               "sha256": sha256_file(p)} for p in files},
        "judges": {},
    }
    loaded = {p: load_labelled_file(str(p), data_root) for p in files}
    for j in judges:
        scorer = get_scorer(j)
        results = []
        try:
            for p, rows in loaded.items():
                judged = scorer.score([{"instruction": r["instruction"], "response": r["response"]} for r in rows])
                subsets = [("all", [True] * len(rows))]
                if not all(r.get("clear", True) for r in rows):
                    subsets.append(("clear", [bool(r.get("clear", True)) for r in rows]))
                for sub, keep in subsets:
                    rs = [r for r, k in zip(rows, keep) if k]
                    res = validate(rs, [o for o, k in zip(judged, keep) if k])
                    results.append(_entry(set_name(p), sub, res, sum(r["gold_harmful"] for r in rs)))
        finally:
            scorer.close()
        doc["judges"][j] = {"identity": identities[j], "results": results}
    return _round(doc)


def summary_path() -> Path:
    return data_dir() / SUMMARY_FILE


@lru_cache(maxsize=1)
def load_summary() -> dict[str, Any] | None:
    """The committed summary (None when the package has none)."""
    p = summary_path()
    if not p.is_file():
        return None
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise PtstError(f"{p}: not valid JSON ({e}); regenerate with {COMMAND}") from None


def figures_for(judge: str) -> list[dict[str, Any]] | None:
    """The judge's rows of the summary (one per set and subset), None when it has no validation figures."""
    doc = load_summary()
    if not doc:
        return None
    entry = (doc.get("judges") or {}).get(judge)
    return list(entry["results"]) if entry else None


def stale(doc: dict[str, Any] | None = None) -> str:
    """"" when the summary matches the current validation sets and judges, else why not."""
    doc = load_summary() if doc is None else doc
    if doc is None:
        return f"{summary_path()} is missing; generate it with {COMMAND}"
    names = {p.name for p in set_files()}
    listed = {s["file"] for s in (doc.get("sets") or {}).values()}
    if names != listed:
        return (f"{SUMMARY_FILE} covers {sorted(listed)} but the data folder holds {sorted(names)}; "
                f"regenerate with {COMMAND}")
    if doc.get("inputs_sha256") != inputs_digest(identities=judge_identities(list(doc.get("judges") or JUDGES))):
        return f"{SUMMARY_FILE} is stale (a validation set or a judge's weights changed); regenerate with {COMMAND}"
    return ""


#: the columns of :func:`figure_cells` (the study report adds the judge in front)
FIGURE_HEAD = ("set", "subset", "n (harmful)", "accuracy [95%]", "precision [95%]", "recall [95%]", "kappa",
               "3-way accuracy")


def figure_cells(f: dict[str, Any]) -> list[str]:
    """One row of the summary (a set and subset of one judge) as the text cells of :data:`FIGURE_HEAD`."""

    def prop(p: dict[str, Any] | None) -> str:
        return "n/a" if not p or p.get("value") is None else f"{p['value']:.3f} [{p['lo']:.2f}, {p['hi']:.2f}]"

    kappa = "n/a" if f["kappa"] is None else f"{f['kappa']:.2f}"
    three = prop(f["three_way_accuracy"]) if f.get("three_way_accuracy") else "–"
    return [f["set"], f["subset"], f"{f['n']} ({f['n_harmful']})", prop(f["accuracy"]), prop(f["precision"]),
            prop(f["recall"]), kappa, three]


def markdown_table(judge: str) -> str:
    """The judge's rows of the committed summary as a Markdown table (docs/judges.md, and the study report's)."""
    figs = figures_for(judge)
    if not figs:
        raise PtstError(f"{SUMMARY_FILE} has no figures for judge {judge!r}; regenerate with {COMMAND}")
    lines = ["| " + " | ".join(FIGURE_HEAD) + " |", "|---|---|" + "---:|" * (len(FIGURE_HEAD) - 2)]
    lines += ["| " + " | ".join(figure_cells(f)) + " |" for f in figs]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ptst.judges.validation_summary", description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help=f"score the sets and write data/{SUMMARY_FILE}")
    ap.add_argument("--check", action="store_true", help="exit 1 when the committed summary is stale")
    ap.add_argument("--data-root", default=None, help="folder of the public benchmarks (rejoins the SmolLM2 set)")
    ap.add_argument("--markdown", metavar="JUDGE", default=None,
                    help="print the judge's rows of the committed summary as a Markdown table (docs/judges.md)")
    args = ap.parse_args(argv)
    if args.markdown:
        try:
            print(markdown_table(args.markdown))
        except PtstError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        return 0
    if args.write:
        doc = compute_summary(args.data_root)
        atomic_write_text(summary_path(), json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
        load_summary.cache_clear()
        print(f"wrote {summary_path()} ({len(doc['sets'])} sets x {len(doc['judges'])} judges)")
    why = stale()
    if args.check or not args.write:
        print(why or f"{SUMMARY_FILE} is up to date")
        return 1 if why else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
