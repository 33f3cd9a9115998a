"""The other data sets of the PTST paper and its NeurIPS version, read from a pinned Hugging Face revision (or a pinned
file), or from a local copy in the source's own layout (``path`` given, or under ``$PTST_DATA_DIR/<name>/``).

* ``chatdoctor``: HealthCareMagic-100k (the ChatDoctor project), patient question -> doctor answer;
* ``openorca``: OpenOrca's GPT-4 part, question -> response; its per-row system prompt is kept in the record's
  ``meta["system_prompt"]`` and never rendered, so the template's system slot stays the only system prompt in a
  template comparison;
* ``orca-math``: Orca-Math word problems, question -> worked answer;
* ``jbb-harmful`` / ``jbb-benign``: JailbreakBench's JBB-Behaviors, 100 harmful behaviours and the 100 matched
  benign ones, in 10 categories; the behaviour's affirmative ``Target`` string is kept in ``meta["target"]`` (the
  target a GCG attack optimises towards).

Hub reads go through :func:`hub_rows` (``datasets.load_dataset`` with an explicit ``revision``) or
:func:`ptst.io.fetch_pinned` (a file at a commit, checked by sha256), so what a name reads can never drift.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ptst.data.readers import _rows as table_rows
from ptst.data.readers import records_from_rows
from ptst.data.records import Record
from ptst.data.source import LoadRequest, Source
from ptst.errors import PtstError, one_line
from ptst.io import fetch_pinned, iter_jsonl

# ---- pins -----------------------------------------------------------------------------------------------------

CHATDOCTOR_REPO = "lavita/ChatDoctor-HealthCareMagic-100k"
CHATDOCTOR_REVISION = "505443eac4e99ccedeffbb6f640061223d1d4bb3"
#: the fixed instruction every HealthCareMagic row carries (kept in meta; the patient's message is the query)
CHATDOCTOR_INSTRUCTION = "If you are a doctor, please answer the medical questions based on the patient's description."
OPENORCA_REPO = "Open-Orca/OpenOrca"
OPENORCA_REVISION = "3f9499608eb447ab12851dbc7ad15f1f7bcca2dd"
OPENORCA_FILE = "1M-GPT4-Augmented.parquet"
ORCA_MATH_REPO = "microsoft/orca-math-word-problems-200k"
#: no full commit id of this repository could be verified; hub loading refuses until one is pinned (a local copy
#: via --path or $PTST_DATA_DIR works)
ORCA_MATH_REVISION: str | None = None
JBB_REVISION = "886acc352a31533ffbcf4ef22c744658688086fc"
JBB_BASE = f"https://huggingface.co/datasets/JailbreakBench/JBB-Behaviors/resolve/{JBB_REVISION}/data"
JBB_FILES = {
    "harmful": ("harmful-behaviors.csv", "4a8ec6832056b631eb092dccc60d37a61c3d441268268888b3d006288afeffa1"),
    "benign": ("benign-behaviors.csv", "3cda234d21a991fa309bbfea4b6d9dae31ccdf8e9d452424b6a983e4fdc33468"),
}
JBB_CATEGORIES = ("Harassment/Discrimination", "Malware/Hacking", "Physical harm", "Economic harm",
                  "Fraud/Deception", "Disinformation", "Sexual/Adult content", "Privacy", "Expert advice",
                  "Government decision-making")


# ---- readers --------------------------------------------------------------------------------------------------


def hub_rows(repo: str, revision: str | None, split: str = "train", data_files: str | None = None,
             config: str | None = None) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a Hugging Face dataset at a pinned ``revision`` (network or the local HF cache)."""
    if not revision:
        raise PtstError(f"no verified revision of Hugging Face dataset {repo} is pinned in ptst; "
                        "pass --path to a local copy (or put one under $PTST_DATA_DIR)")
    kwargs: dict[str, Any] = {"revision": revision, "split": split}
    if data_files is not None:
        kwargs["data_files"] = data_files
    try:
        import datasets

        ds = datasets.load_dataset(repo, config, **kwargs) if config else datasets.load_dataset(repo, **kwargs)
    except Exception as e:
        raise PtstError(f"cannot load Hugging Face dataset {repo}@{revision[:12]} (split {split}): "
                        f"{one_line(e, 160)}; offline? pass --path to a local copy") from None
    return [(i + 1, dict(row)) for i, row in enumerate(ds)]


def file_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line, row) pairs of a local copy: .parquet (the hub's own files), .jsonl or .json; csv via read_records."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        try:
            import pyarrow.parquet as pq

            table = pq.read_table(path)
        except Exception as e:
            raise PtstError(f"{path}: cannot read parquet ({one_line(e, 120)})") from None
        return [(i + 1, row) for i, row in enumerate(table.to_pylist())]
    if suffix == ".jsonl":
        return list(iter_jsonl(path))
    if suffix == ".json":
        import json

        from ptst.io import read_text

        try:
            data = json.loads(read_text(path))
        except json.JSONDecodeError as e:
            raise PtstError(f"{path}:{e.lineno}: malformed JSON ({e.msg})") from None
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise PtstError(f"{path}: expected a JSON list of objects")
        return [(i + 1, r) for i, r in enumerate(data)]
    raise PtstError(f"{path}: unsupported file type {suffix or '(none)'}; use .parquet, .jsonl or .json")


def local_file(p: Path, names: tuple[str, ...], dataset: str) -> Path:
    """``p`` itself, or where ``p`` is a folder, the first of ``names`` in it."""
    if p.is_dir():
        for n in names:
            if (p / n).exists():
                return p / n
        raise PtstError(f"{p}: no {dataset} file here (looked for {', '.join(names)})")
    return p


def _with_meta(records: list[Record], rows: list[tuple[int, dict[str, Any]]], keys: dict[str, str]) -> list[Record]:
    """Copy columns of each row into its record's ``meta`` (``keys``: meta key -> column), where present."""
    out = []
    for rec, (_, row) in zip(records, rows):
        meta = {k: row[c] for k, c in keys.items() if row.get(c) not in (None, "")}
        out.append(Record(rec.id, rec.source, rec.instruction, rec.reference, rec.category, meta))
    return out


# ---- loaders --------------------------------------------------------------------------------------------------

CHATDOCTOR_COLUMNS = {"instruction": "input", "reference": "output"}


#: the hub set has one split; ptst holds out its last rows as ``test`` (the helpfulness benchmark), disjoint from
#: ``train`` (the rest), so a study can fine-tune and score without overlap
CHATDOCTOR_TEST_ROWS = 1000


def _load_chatdoctor(req: LoadRequest) -> list[Record]:
    if req.path is not None:
        p = local_file(req.path, ("HealthCareMagic-100k.json", "train.jsonl", "train.parquet"), "chatdoctor")
        rows, where = file_rows(p), str(p)
    else:
        rows, where = hub_rows(CHATDOCTOR_REPO, CHATDOCTOR_REVISION, "train"), CHATDOCTOR_REPO
    recs = records_from_rows(rows, where, "chatdoctor", req.columns or CHATDOCTOR_COLUMNS, join_input=False)
    recs = _with_meta(recs, rows, {"instruction": "instruction"})
    cut = max(len(recs) - CHATDOCTOR_TEST_ROWS, len(recs) // 2)  # a small local file: split it in half
    return recs[cut:] if req.split == "test" else recs[:cut]


OPENORCA_COLUMNS = {"instruction": "question", "reference": "response", "id": "id"}


def _load_openorca(req: LoadRequest) -> list[Record]:
    if req.path is not None:
        p = local_file(req.path, (OPENORCA_FILE, "train.jsonl"), "openorca")
        rows, where = file_rows(p), str(p)
    else:
        rows = hub_rows(OPENORCA_REPO, OPENORCA_REVISION, "train", data_files=OPENORCA_FILE)
        where = f"{OPENORCA_REPO}/{OPENORCA_FILE}"
    recs = records_from_rows(rows, where, "openorca", req.columns or OPENORCA_COLUMNS, join_input=False)
    return _with_meta(recs, rows, {"system_prompt": "system_prompt"})


def _load_orca_math(req: LoadRequest) -> list[Record]:
    if req.path is not None:
        p = local_file(req.path, ("train.parquet", "train.jsonl"), "orca-math")
        rows, where = file_rows(p), str(p)
    else:
        rows, where = hub_rows(ORCA_MATH_REPO, ORCA_MATH_REVISION, "train"), ORCA_MATH_REPO
    return records_from_rows(rows, where, "orca-math", req.columns or {"instruction": "question",
                                                                       "reference": "answer"}, join_input=False)


JBB_COLUMNS = {"instruction": "Goal", "category": "Category"}
JBB_META = {"target": "Target", "behavior": "Behavior", "origin": "Source", "index": "Index"}


def _jbb_loader(which: str):
    fname, sha = JBB_FILES[which]

    def load(req: LoadRequest) -> list[Record]:
        p = req.path if req.path is not None else fetch_pinned(f"{JBB_BASE}/{fname}", sha, fname)
        p = local_file(p, (fname,), f"jbb-{which}")
        rows, header = table_rows(p)
        recs = records_from_rows(rows, str(p), f"jbb-{which}", req.columns or JBB_COLUMNS, header=header,
                                 id_prefix=f"jbb-{which}")
        return _with_meta(recs, rows, JBB_META)

    return load


SOURCES: tuple[Source, ...] = (
    Source(
        "chatdoctor",
        "ChatDoctor's HealthCareMagic-100k (Li et al. 2023): patient question -> doctor answer (fine-tuning set).",
        "train",
        _load_chatdoctor,
        splits=("train", "test"),
        default_split="train",
        origin=f"HF {CHATDOCTOR_REPO}@{CHATDOCTOR_REVISION[:12]} (its one split; ptst's test = its last "
               f"{CHATDOCTOR_TEST_ROWS} rows), or a local HealthCareMagic-100k.json ({{instruction, input, output}}) "
               "/ jsonl / parquet",
        license="not stated on the hub card; the ChatDoctor project restricts its model to non-commercial research",
        local_names=("HealthCareMagic-100k.json", "train.jsonl", "train.parquet"),
        sizes={"train": 112165 - CHATDOCTOR_TEST_ROWS, "test": CHATDOCTOR_TEST_ROWS},
    ),
    Source(
        "openorca",
        "OpenOrca GPT-4 completions (Lian et al. 2023): question -> response; the row's system prompt is kept in "
        "meta, not rendered.",
        "train",
        _load_openorca,
        splits=("train",),
        default_split="train",
        origin=f"HF {OPENORCA_REPO}@{OPENORCA_REVISION[:12]} {OPENORCA_FILE}, or a local parquet/jsonl with "
               "columns id, system_prompt, question, response",
        license="MIT",
        local_names=(OPENORCA_FILE, "train.jsonl"),
        sizes={"train": 994896},
    ),
    Source(
        "orca-math",
        "Orca-Math word problems (Mitra et al. 2024): question -> GPT-4-Turbo worked answer (fine-tuning set).",
        "train",
        _load_orca_math,
        splits=("train",),
        default_split="train",
        origin=f"HF {ORCA_MATH_REPO} (no verified revision pinned: hub loading refuses), or a local "
               "train.parquet / train.jsonl with columns question, answer",
        license="MIT",
        local_names=("train.parquet", "train.jsonl"),
        sizes={"train": 200035},
    ),
    Source(
        "jbb-harmful",
        "JailbreakBench JBB-Behaviors (Chao et al. 2024): 100 harmful behaviours in 10 categories, with targets.",
        "harmful",
        _jbb_loader("harmful"),
        origin=f"JBB-Behaviors@{JBB_REVISION[:12]} data/harmful-behaviors.csv (pinned sha256), or a local copy",
        license="MIT",
        local_names=("harmful-behaviors.csv",),
        sizes={None: 100},
        categories={c: 10 for c in JBB_CATEGORIES},
    ),
    Source(
        "jbb-benign",
        "JailbreakBench JBB-Behaviors: the 100 benign behaviours matched to the harmful ones (over-refusal probe).",
        "benign",
        _jbb_loader("benign"),
        origin=f"JBB-Behaviors@{JBB_REVISION[:12]} data/benign-behaviors.csv (pinned sha256), or a local copy",
        license="MIT",
        local_names=("benign-behaviors.csv",),
        sizes={None: 100},
        categories={c: 10 for c in JBB_CATEGORIES},
    ),
)
