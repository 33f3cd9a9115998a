"""The public data sets ptst knows by name (the paper's other sets, ChatDoctor, OpenOrca, Orca-Math and
JailbreakBench, are in :mod:`ptst.data.hub_sets` and listed here too), read from their origin (a Hugging Face dataset, or a file downloaded
once and pinned by sha256) or from a local copy: ``path`` given, or found under ``$PTST_DATA_DIR/<name>/``.

``SOURCES`` lists them; :mod:`ptst.data.sources` registers them. Their published sizes are recorded so a plan can
be counted without downloading anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ptst.data.hub_sets import SOURCES as HUB_SOURCES
from ptst.data.hub_sets import local_file
from ptst.data.readers import read_headerless_csv, read_records, records_from_rows
from ptst.data.records import Record
from ptst.data.source import LoadRequest, Source
from ptst.errors import PtstError, one_line
from ptst.io import fetch_pinned, read_text


# ---- Hugging Face hub ----------------------------------------------------------------------------------------


def hf_rows(hub_id: str, split: str, config: str | None = None) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a Hugging Face dataset split (network or the local HF cache)."""
    try:
        import datasets

        ds = datasets.load_dataset(hub_id, config, split=split) if config else datasets.load_dataset(hub_id, split=split)
    except Exception as e:
        raise PtstError(
            f"cannot load Hugging Face dataset {hub_id} (split {split}): {one_line(e, 160)}; "
            "offline? pass --path to a local copy"
        ) from None
    return [(i + 1, dict(row)) for i, row in enumerate(ds)]


# ---- the public sources ---------------------------------------------------------------------------------------

ADVBENCH_URL = (
    "https://raw.githubusercontent.com/llm-attacks/llm-attacks/0f505d82e25c15a83b6954db28191b69927a255d/"
    "data/advbench/harmful_behaviors.csv"
)
ADVBENCH_SHA256 = "6cd1a5c63c07610d7eb67307772ee5606017ee950b5770ab288a2c487489d3e1"
SAFETY_LLAMAS_URL = (
    "https://raw.githubusercontent.com/vinid/safety-tuned-llamas/36a4b8d5c2177ed165bf61f59b590161394f7f12/"
    "data/training/safety_only_data_Instructions.json"
)
SAFETY_LLAMAS_SHA256 = "7dde08acf87f10cf74fd1b76f56538eae8e413ae8e6b09e3f7bcd97769058dbe"


def _load_gsm8k(req: LoadRequest) -> list[Record]:
    split = req.split or "test"
    source = f"gsm8k:{split}"
    if req.path is not None:
        p = local_file(req.path, (f"{split}.jsonl",), "gsm8k")
        cols = req.columns or {"instruction": "question", "reference": "answer"}
        return read_records(p, source=source, columns=cols)
    rows = hf_rows("openai/gsm8k", split, config="main")
    return records_from_rows(rows, "openai/gsm8k", source, {"instruction": "question", "reference": "answer"})


def _load_advbench(req: LoadRequest) -> list[Record]:
    p = req.path
    if p is None:
        p = fetch_pinned(ADVBENCH_URL, ADVBENCH_SHA256, "harmful_behaviors.csv")
    p = local_file(p, ("harmful_behaviors.csv", "advbench-harmful-behaviors.ptst.csv"), "advbench")
    first = next((line for line in read_text(p).splitlines() if line.strip()), "").strip().lower()
    if first.replace(" ", "") == "goal,target":
        return read_records(p, source="advbench", columns=req.columns or {"instruction": "goal"})
    # the PTST reference copy: no header, goal in column 0 of every row
    rows = [(line, {"goal": goal}) for line, goal in read_headerless_csv(p, 0)]
    return records_from_rows(rows, str(p), "advbench", {"instruction": "goal"})


def _load_directharm4(req: LoadRequest) -> list[Record]:
    if req.path is not None:
        p = local_file(req.path, ("test.jsonl", "directHarm4.csv"), "directharm4")
        return read_records(p, source="directharm4", columns=req.columns)
    rows = hf_rows("vfleaking/DirectHarm4", "test")
    return records_from_rows(rows, "vfleaking/DirectHarm4", "directharm4", {"instruction": "instruction", "category": "category"})


def _load_gsm_danger(req: LoadRequest) -> list[Record]:
    if req.path is not None:
        p = local_file(req.path, ("test.jsonl", "gsm-danger.jsonl", "gsm-danger.csv"), "gsm-danger")
        return read_records(p, source="gsm-danger", columns=req.columns)
    rows = hf_rows("vfleaking/GSM-Danger", "test")
    return records_from_rows(rows, "vfleaking/GSM-Danger", "gsm-danger", req.columns)


def _load_safety_llamas(req: LoadRequest) -> list[Record]:
    p = req.path
    if p is None:
        p = fetch_pinned(SAFETY_LLAMAS_URL, SAFETY_LLAMAS_SHA256, "safety_only_data_Instructions.json")
    p = local_file(p, ("safety_only_data_Instructions.json",), "safety-tuned-llamas")
    cols = req.columns or {"instruction": "instruction", "reference": "output"}
    return read_records(p, source="safety-tuned-llamas", columns=cols)


#: sizes and categories are the published ones (from the papers and dataset cards)
SOURCES: tuple[Source, ...] = (
    Source(
        "gsm8k",
        "GSM8K grade-school math (Cobbe et al. 2021): question -> worked answer ending in '#### N'.",
        "math",
        _load_gsm8k,
        splits=("train", "test"),
        default_split="test",
        origin="HF openai/gsm8k (main), or a local {split}.jsonl",
        license="MIT",
        local_names=("{split}.jsonl",),
        sizes={"train": 7473, "test": 1319},
        scorers=("gsm8k",),
    ),
    Source(
        "advbench",
        "AdvBench harmful behaviors (Zou et al. 2023), 520 harmful instructions.",
        "harmful",
        _load_advbench,
        origin="llm-attacks harmful_behaviors.csv (pinned sha256), or a local CSV in either layout",
        license="MIT",
        local_names=("harmful_behaviors.csv", "advbench-harmful-behaviors.ptst.csv"),
        sizes={None: 520},
    ),
    Source(
        "directharm4",
        "DirectHarm4 (Lyu et al. 2024): 400 direct harmful requests, categories malware/drug/phishing/disinfo.",
        "harmful",
        _load_directharm4,
        origin="HF vfleaking/DirectHarm4 (test), or a local jsonl/csv",
        license="Apache-2.0",
        local_names=("test.jsonl", "directHarm4.csv"),
        sizes={None: 400},
        categories={"malware": 100, "drug": 100, "phishing": 100, "disinfo": 100},
    ),
    Source(
        "gsm-danger",
        "GSM-Danger (Lyu et al. 2024): 100 harmful requests dressed as math word problems.",
        "harmful",
        _load_gsm_danger,
        origin="HF vfleaking/GSM-Danger (test), or a local jsonl/csv",
        license="see the dataset card",
        local_names=("test.jsonl",),
        sizes={None: 100},
    ),
    Source(
        "safety-tuned-llamas",
        "Safety examples of Bianchi et al. 2024 (2,483 harmful instructions with safe replies) for mixing.",
        "safety",
        _load_safety_llamas,
        origin="safety-tuned-llamas safety_only_data_Instructions.json (pinned sha256), or a local copy",
        license="CC BY-NC 4.0",
        local_names=("safety_only_data_Instructions.json",),
        sizes={None: 2483},
    ),
    *HUB_SOURCES,
)
