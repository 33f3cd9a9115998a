"""The AI2 Reasoning Challenge (ARC, Clark et al. 2018): grade-school science questions with 3-5 answer choices,
the helpfulness benchmark of the OpenOrca experiment (scored by lm-evaluation-harness, :mod:`ptst.judges.lmeval`).

Read from the Hugging Face dataset ``allenai/ai2_arc`` at a pinned revision (``ARC-Challenge`` / ``ARC-Easy``
config), or from a local copy in that layout (``path`` given, or under ``$PTST_DATA_DIR/<name>/``): one row per
question with ``id``, ``question``, ``choices: {text: [...], label: [...]}`` and ``answerKey`` (one of the labels),
as ``.jsonl``, ``.json`` or the hub's own ``.parquet`` files.

Each record's ``instruction`` is the question, ``reference`` the answer key, and ``meta["choices"]`` the choices
(``{"text": [...], "label": [...]}``); every row is checked (labels unique, as many texts as labels, the answer key
among them), with a one-line error naming the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ptst.data.hub_sets import file_rows, hub_rows, local_file
from ptst.data.records import Record
from ptst.data.source import LoadRequest, Source
from ptst.errors import PtstError

ARC_REPO = "allenai/ai2_arc"
#: the revision several independent evaluation projects pin for ARC (ARC-Challenge test: 1,172 questions)
ARC_REVISION = "210d026faf9955653af8916fad021475a3f00453"
ARC_SPLITS = ("train", "validation", "test")
ARC_CONFIGS = {"arc-challenge": "ARC-Challenge", "arc-easy": "ARC-Easy"}
#: published sizes per split (the dataset card)
ARC_SIZES = {
    "arc-challenge": {"train": 1119, "validation": 299, "test": 1172},
    "arc-easy": {"train": 2251, "validation": 570, "test": 2376},
}


def _text(v: Any, where: str, line: int, field: str) -> str:
    if not isinstance(v, (str, int)) or isinstance(v, bool) or not str(v).strip():
        raise PtstError(f"{where}:{line}: field {field!r} must be non-empty text, got {v!r}")
    return str(v)


def arc_record(row: dict[str, Any], where: str, line: int, source: str, index: int) -> Record:
    """One ARC row (``id, question, choices{text,label}, answerKey``) as a record; errors name ``where:line``."""
    question = _text(row.get("question"), where, line, "question")
    choices = row.get("choices")
    if not isinstance(choices, dict) or not isinstance(choices.get("text"), list) \
            or not isinstance(choices.get("label"), list):
        raise PtstError(f"{where}:{line}: field 'choices' must be {{text: [...], label: [...]}}, got {choices!r}")
    texts = [_text(t, where, line, "choices.text") for t in choices["text"]]
    labels = [_text(lb, where, line, "choices.label") for lb in choices["label"]]
    if len(texts) != len(labels) or len(texts) < 2:
        raise PtstError(f"{where}:{line}: 'choices' needs at least 2 texts and as many labels "
                        f"(got {len(texts)} texts, {len(labels)} labels)")
    if len(set(labels)) != len(labels):
        raise PtstError(f"{where}:{line}: duplicate choice labels {labels}")
    key = _text(row.get("answerKey"), where, line, "answerKey")
    if key not in labels:
        raise PtstError(f"{where}:{line}: answerKey {key!r} is not one of the choice labels {labels}")
    rid = str(row["id"]) if row.get("id") not in (None, "") else f"{source}-{index:05d}"
    return Record(rid, source, question, key, None, {"choices": {"text": texts, "label": labels}})


def _arc_loader(name: str):
    config = ARC_CONFIGS[name]

    def load(req: LoadRequest) -> list[Record]:
        split = req.split or "test"
        if req.columns:
            raise PtstError(f"dataset {name}: a column mapping is not supported (the ARC layout is fixed: id, "
                            "question, choices{text,label}, answerKey)")
        if req.path is not None:
            p: Path = local_file(req.path, (f"{split}.jsonl", f"{split}.parquet", f"{split}-00000-of-00001.parquet",
                                            f"{split}.json"), name)
            rows, where = file_rows(p), str(p)
        else:
            rows, where = hub_rows(ARC_REPO, ARC_REVISION, split, config=config), f"{ARC_REPO}/{config}"
        if not rows:
            raise PtstError(f"{where}: no records (empty data set)")
        source = f"{name}:{split}"
        recs = [arc_record(row, where, line, source, i) for i, (line, row) in enumerate(rows)]
        seen: dict[str, int] = {}
        for (line, _), r in zip(rows, recs):
            if r.id in seen:
                raise PtstError(f"{where}:{line}: duplicate id {r.id!r} (first at line {seen[r.id]})")
            seen[r.id] = line
        return recs

    return load


SOURCES: tuple[Source, ...] = tuple(
    Source(
        name,
        f"AI2 Reasoning Challenge, {config} (Clark et al. 2018): science questions with answer choices; scored "
        "by lm-evaluation-harness (the lmeval scorer), the OpenOrca experiment's helpfulness metric.",
        "choice",
        _arc_loader(name),
        splits=ARC_SPLITS,
        default_split="test",
        origin=f"HF {ARC_REPO}@{ARC_REVISION[:12]} ({config}), or a local {{split}}.jsonl / .parquet with columns "
               "id, question, choices{text,label}, answerKey",
        license="CC BY-SA 4.0",
        local_names=("{split}.jsonl", "{split}.parquet", "{split}-00000-of-00001.parquet"),
        sizes=ARC_SIZES[name],
        scorers=("lmeval",),
    )
    for name, config in ARC_CONFIGS.items()
)
