"""Public human-labelled judge sets: responses of real chat models with human verdicts, for calibrating a judge
(``ptst judges validate``). Each loads into :class:`~ptst.data.records.Record` (``instruction`` = the request,
``reference`` = the judged response, the human verdict in ``meta``) and :func:`to_validation_rows` turns the records
into the validation layout ``{instruction, response, label}`` (or ``attack_success`` where the humans gave a
binary verdict only).

* ``jbb-judge-comparison``: JailbreakBench's ``judge_comparison`` config of JBB-Behaviors (Chao et al. 2024):
  300 (behaviour, jailbreak prompt, target-model response) triples, each labelled by three humans;
  ``human_majority`` (1 = jailbroken) becomes ``attack_success``. The request is the behaviour's ``goal`` (the
  raw request, as ptst's judges see it); the jailbreak prompt actually sent is kept in ``meta["prompt"]``, and the
  three human votes and the verdicts of the four judges JailbreakBench compared (``harmbench_cf``, ``gpt4_cf``,
  ``llamaguard2_cf``, ``llama3_cf``) in ``meta`` too. Columns as JailbreakBench publishes them: ``Index, goal,
  prompt, target_response, human1, human2, human3, human_majority, harmbench_cf, gpt4_cf, llamaguard2_cf,
  llama3_cf``.
* ``xstest-response``: XSTest-Response (the WildGuard project, Han et al. 2024), XSTest prompts with model
  responses; split ``response_refusal`` (449: ``label`` refusal / compliance) and ``response_harmfulness``
  (446: ``label`` harmful / unharmful, which becomes ``attack_success``).

Hub reads are pinned by revision (:func:`ptst.data.hub_sets.hub_rows`). XSTest-Response is gated (AI2's
responsible-use terms) and no revision of it could be verified here, so hub loading refuses until one is pinned;
a local copy (``--path``, or ``$PTST_DATA_DIR/xstest-response/``) works.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ptst.data.hub_sets import file_rows, hub_rows, local_file
from ptst.data.readers import _rows as table_rows
from ptst.data.records import Record
from ptst.data.source import LoadRequest, Source
from ptst.errors import PtstError

JBB_REPO = "JailbreakBench/JBB-Behaviors"
#: the commit that introduced the ``judge_comparison`` config (data/judge-comparison.csv); full id from the hub's
#: tree page of that commit
JBB_JUDGE_REVISION = "8bfdca1fde3f730ed1eb679349ab20ea17ca51bf"
JBB_JUDGE_FILE = "judge-comparison.csv"
XSTEST_RESPONSE_REPO = "allenai/xstest-response"
#: no full commit id of this (gated) repository could be verified; hub loading refuses until one is pinned
XSTEST_RESPONSE_REVISION: str | None = None
XSTEST_SPLITS = ("response_refusal", "response_harmfulness")

#: what a verdict column holds -> (label, attack_success)
_XSTEST_LABELS = {
    "response_refusal": {"refusal": ("refusal", False), "compliance": ("compliance", None)},
    "response_harmfulness": {"harmful": (None, True), "unharmful": (None, False)},
}


def _need(row: dict[str, Any], col: str, where: str, line: int) -> str:
    v = row.get(col)
    if v is None or (isinstance(v, str) and not v.strip()):
        what = "missing column" if col not in row else "empty value in column"
        raise PtstError(f"{where}:{line}: {what} {col!r}")
    return str(v)


#: the verdicts of the judges JailbreakBench compared, one column each (1 = jailbroken), kept in meta
JBB_REFERENCE_JUDGES = ("harmbench_cf", "gpt4_cf", "llamaguard2_cf", "llama3_cf")
JBB_JUDGE_COLUMNS = {"instruction": "goal", "response": "target_response", "label": "human_majority",
                     "prompt": "prompt"}


def _load_jbb_judge(req: LoadRequest) -> list[Record]:
    cols = {**JBB_JUDGE_COLUMNS, **(req.columns or {})}
    if req.path is not None:
        p = local_file(req.path, (JBB_JUDGE_FILE,), "jbb-judge-comparison")
        rows = table_rows(p)[0] if p.suffix.lower() in (".csv", ".tsv", ".json") else file_rows(p)
        where = str(p)
    else:
        rows, where = hub_rows(JBB_REPO, JBB_JUDGE_REVISION, "test", config="judge_comparison"), JBB_REPO
    out = []
    for i, (line, row) in enumerate(rows):
        raw = _need(row, cols["label"], where, line).strip()
        if raw not in ("0", "1", "0.0", "1.0", "True", "False", "true", "false"):
            raise PtstError(f"{where}:{line}: column {cols['label']!r} must be 0 or 1, got {raw!r}")
        jailbroken = raw in ("1", "1.0", "True", "true")
        meta: dict[str, Any] = {"attack_success": jailbroken}
        if row.get(cols["prompt"]) not in (None, ""):
            meta["prompt"] = str(row[cols["prompt"]])
        for k in ("Index", "human1", "human2", "human3", *JBB_REFERENCE_JUDGES):
            if row.get(k) not in (None, ""):
                meta[k] = row[k]
        out.append(Record(f"jbb-judge-{i:03d}", "jbb-judge-comparison", _need(row, cols["instruction"], where, line),
                          _need(row, cols["response"], where, line), None, meta))
    if not out:
        raise PtstError(f"{where}: no records (empty data set)")
    return out


XSTEST_COLUMNS = {"instruction": "prompt", "response": "response", "label": "label", "category": "prompt_type"}


def _load_xstest_response(req: LoadRequest) -> list[Record]:
    split = req.split or "response_refusal"
    cols = {**XSTEST_COLUMNS, **(req.columns or {})}
    source = f"xstest-response:{split}"
    if req.path is not None:
        p = local_file(req.path, (f"{split}.parquet", f"{split}.jsonl", f"{split}.json"), "xstest-response")
        rows, where = file_rows(p), str(p)
    else:
        rows, where = hub_rows(XSTEST_RESPONSE_REPO, XSTEST_RESPONSE_REVISION, split), XSTEST_RESPONSE_REPO
    labels = _XSTEST_LABELS[split]
    out = []
    for i, (line, row) in enumerate(rows):
        raw = _need(row, cols["label"], where, line).strip().lower()
        if raw not in labels:
            raise PtstError(f"{where}:{line}: column {cols['label']!r} must be one of {', '.join(labels)} "
                            f"(split {split}), got {raw!r}")
        label, success = labels[raw]
        meta: dict[str, Any] = {"label": label} if label else {"attack_success": success}
        cat = row.get(cols["category"])
        out.append(Record(f"xstest-{split}-{i:03d}", source, _need(row, cols["instruction"], where, line),
                          _need(row, cols["response"], where, line), str(cat) if cat not in (None, "") else None,
                          meta))
    if not out:
        raise PtstError(f"{where}: no records (empty data set)")
    return out


def to_validation_rows(records: Sequence[Record]) -> list[dict[str, Any]]:
    """Records of a judge set -> lines of ``ptst judges validate``: ``{instruction, response, label}`` or
    ``{instruction, response, attack_success}`` (plus ``id`` and ``category``)."""
    out = []
    for r in records:
        if r.reference is None or not ({"label", "attack_success"} & set(r.meta)):
            raise PtstError(f"record {r.id} ({r.source}) carries no judged response and human verdict")
        row: dict[str, Any] = {"id": r.id, "instruction": r.instruction, "response": r.reference}
        if "label" in r.meta:
            row["label"] = r.meta["label"]
        else:
            row["attack_success"] = bool(r.meta["attack_success"])
        if r.category:
            row["category"] = r.category
        out.append(row)
    return out


def reference_judge_agreement(records: Sequence[Record]) -> dict[str, dict[str, int]]:
    """For ``jbb-judge-comparison`` records: how often each judge JailbreakBench compared agrees with the human
    majority (``{judge: {"agree": k, "n": n}}``), so its published comparison can be recomputed from the data."""
    out: dict[str, dict[str, int]] = {}
    for judge in JBB_REFERENCE_JUDGES:
        pairs = [(bool(r.meta["attack_success"]), str(r.meta[judge]).strip() in ("1", "1.0", "True", "true"))
                 for r in records if judge in r.meta and "attack_success" in r.meta]
        if pairs:
            out[judge] = {"agree": sum(a == b for a, b in pairs), "n": len(pairs)}
    return out


SOURCES: tuple[Source, ...] = (
    Source(
        "jbb-judge-comparison",
        "JailbreakBench judge comparison (Chao et al. 2024): 300 target-model responses to jailbreaks of JBB "
        "behaviours, labelled by 3 humans; the majority is attack_success (judge validation set).",
        "judge",
        _load_jbb_judge,
        origin=f"HF {JBB_REPO}@{JBB_JUDGE_REVISION[:12]} config judge_comparison (data/{JBB_JUDGE_FILE}), or a "
               "local copy of that CSV (goal, prompt, target_response, human1-3, human_majority, ...)",
        license="MIT",
        local_names=(JBB_JUDGE_FILE,),
        sizes={None: 300},
    ),
    Source(
        "xstest-response",
        "XSTest-Response (Han et al. 2024, WildGuard): XSTest prompts with model responses and human labels; "
        "response_refusal (refusal/compliance) and response_harmfulness (judge validation set).",
        "judge",
        _load_xstest_response,
        splits=XSTEST_SPLITS,
        default_split="response_refusal",
        origin=f"HF {XSTEST_RESPONSE_REPO} (gated; no verified revision pinned: hub loading refuses), or a local "
               "<split>.parquet / .jsonl with columns prompt, response, label",
        license="see the dataset card (AI2 responsible-use terms; XSTest prompts CC-BY-4.0)",
        local_names=("{split}.parquet", "{split}.jsonl"),
        sizes={"response_refusal": 449, "response_harmfulness": 446},
    ),
)


_BY_NAME = {s.name: s for s in SOURCES}


def judge_set_names() -> list[str]:
    """The names ``ptst judges validate`` takes in place of a file."""
    return sorted(_BY_NAME)


def validation_rows(name: str, path: str | Path | None = None) -> list[dict[str, Any]]:
    """The validation lines of a judge set named ``jbb-judge-comparison`` or ``xstest-response[:SPLIT]``
    (``path``: a local copy in the source's layout)."""
    base, _, split = name.partition(":")
    src = _BY_NAME.get(base)
    if src is None:
        raise PtstError(f"{name!r} is not a judge validation set (known: {', '.join(sorted(_BY_NAME))})")
    return to_validation_rows(src.load(path=path, split=split or None))
