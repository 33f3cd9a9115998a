"""Named data sources behind one loader interface.

``load_dataset(NAME, path=..., split=...)`` returns a list of :class:`~ptst.data.records.Record`. ``NAME`` is a
registered source (``gsm8k``, ``advbench``, ``directharm4``, ``gsm-danger``, ``safety-tuned-llamas``, the built-in
``builtin:*`` sets) or the path of a local jsonl/json/csv file read with a column mapping. ``NAME:SPLIT`` picks a
split (``gsm8k:train``).

Each public source is read from a local copy when ``path`` is given (or found under ``$PTST_DATA_DIR``), otherwise
from its public origin: a Hugging Face dataset, or a file downloaded once and pinned by sha256.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ptst.data.readers import read_headerless_csv, read_records, records_from_rows
from ptst.data.records import Record
from ptst.errors import PtstError, one_line
from ptst.io import fetch_pinned

Loader = Callable[["LoadRequest"], list[Record]]


@dataclass
class LoadRequest:
    name: str
    path: Path | None = None
    split: str | None = None
    columns: dict[str, str] | None = None


@dataclass
class Source:
    """A named dataset. ``role`` says what it is for: ``harmful`` (safety benchmark), ``benign`` (over-refusal
    probe), ``math`` (helpfulness benchmark with exact answers), ``train`` (fine-tuning data), ``safety`` (safety
    examples to mix into fine-tuning)."""

    name: str
    description: str
    role: str
    loader: Loader
    splits: tuple[str, ...] = ()
    default_split: str | None = None
    origin: str = ""
    license: str = ""
    local_names: tuple[str, ...] = field(default=())  # file names looked for under $PTST_DATA_DIR/<name>/

    def load(self, path: str | Path | None = None, split: str | None = None, columns: dict[str, str] | None = None):
        split = split or self.default_split
        if self.splits and split not in self.splits:
            raise PtstError(f"dataset {self.name!r}: unknown split {split!r}; choose one of {', '.join(self.splits)}")
        p = Path(path).expanduser() if path else self._local_default(split)
        if p is not None and not p.exists():
            raise PtstError(f"{p}: file not found (dataset {self.name})")
        return self.loader(LoadRequest(self.name, p, split, columns))

    def _local_default(self, split: str | None) -> Path | None:
        base = os.environ.get("PTST_DATA_DIR")
        if not base:
            return None
        folder = Path(base).expanduser() / self.name
        for n in self.local_names:
            cand = folder / n.format(split=split)
            if cand.exists():
                return cand
        return None


_SOURCES: dict[str, Source] = {}


def register_source(source: Source, overwrite: bool = False) -> Source:
    if source.name in _SOURCES and not overwrite:
        raise PtstError(f"dataset {source.name!r} is already registered")
    _SOURCES[source.name] = source
    return source


def _ensure_loaded() -> None:
    if "builtin-loaded" not in _LOADED:
        _LOADED.add("builtin-loaded")
        try:  # the project's own built-in data sets register themselves
            import ptst.data.builtin  # noqa: F401
        except ModuleNotFoundError as e:
            if e.name != "ptst.data.builtin":
                raise


_LOADED: set[str] = set()


def get_source(name: str) -> Source:
    _ensure_loaded()
    try:
        return _SOURCES[name]
    except KeyError:
        raise PtstError(f"unknown dataset {name!r}; known: {', '.join(sorted(_SOURCES))}, or a .jsonl/.json/.csv path") from None


def list_sources() -> list[Source]:
    _ensure_loaded()
    return [_SOURCES[k] for k in sorted(_SOURCES)]


def parse_columns(spec: str | None) -> dict[str, str] | None:
    """``"instruction=prompt,reference=answer"`` -> mapping."""
    if not spec:
        return None
    out = {}
    for part in spec.split(","):
        if "=" not in part:
            raise PtstError(f"column mapping {part!r}: expected FIELD=COLUMN")
        k, v = part.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def load_dataset(
    name: str,
    path: str | Path | None = None,
    split: str | None = None,
    columns: dict[str, str] | None = None,
    limit: int | None = None,
) -> list[Record]:
    """Load a named source or a local file; see the module docstring."""
    _ensure_loaded()
    if name not in _SOURCES and ":" in name and name.rpartition(":")[0] in _SOURCES and split is None:
        name, _, split = name.rpartition(":")  # the split follows the last colon: builtin:math:train
    if name in _SOURCES:
        records = _SOURCES[name].load(path=path, split=split, columns=columns)
    else:
        p = Path(name).expanduser()
        if p.suffix.lower() in (".jsonl", ".json", ".csv", ".tsv") or p.exists():
            records = read_records(p, source=p.name, columns=columns)
        else:
            get_source(name)  # raises the unknown-dataset error
            raise AssertionError
    if limit is not None:
        if limit < 1:
            raise PtstError(f"--limit must be at least 1, got {limit}")
        records = records[:limit]
    if not records:
        raise PtstError(f"dataset {name!r}: no records")
    return records


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


def _pick_in_dir(p: Path, names: tuple[str, ...], dataset: str) -> Path:
    if p.is_dir():
        for n in names:
            if (p / n).exists():
                return p / n
        raise PtstError(f"{p}: no {dataset} file here (looked for {', '.join(names)})")
    return p


def _load_gsm8k(req: LoadRequest) -> list[Record]:
    split = req.split or "test"
    source = f"gsm8k:{split}"
    if req.path is not None:
        p = _pick_in_dir(req.path, (f"{split}.jsonl",), "gsm8k")
        cols = req.columns or {"instruction": "question", "reference": "answer"}
        return read_records(p, source=source, columns=cols)
    rows = hf_rows("openai/gsm8k", split, config="main")
    return records_from_rows(rows, "openai/gsm8k", source, {"instruction": "question", "reference": "answer"})


def _load_advbench(req: LoadRequest) -> list[Record]:
    p = req.path
    if p is None:
        p = fetch_pinned(ADVBENCH_URL, ADVBENCH_SHA256, "harmful_behaviors.csv")
    p = _pick_in_dir(p, ("harmful_behaviors.csv", "advbench-harmful-behaviors.ptst.csv"), "advbench")
    from ptst.io import read_text

    first = next((line for line in read_text(p).splitlines() if line.strip()), "").strip().lower()
    if first.replace(" ", "") == "goal,target":
        return read_records(p, source="advbench", columns=req.columns or {"instruction": "goal"})
    # the PTST reference copy: no header, goal in column 0 of every row
    rows = [(line, {"goal": goal}) for line, goal in read_headerless_csv(p, 0)]
    return records_from_rows(rows, str(p), "advbench", {"instruction": "goal"})


def _load_directharm4(req: LoadRequest) -> list[Record]:
    if req.path is not None:
        p = _pick_in_dir(req.path, ("test.jsonl", "directHarm4.csv"), "directharm4")
        return read_records(p, source="directharm4", columns=req.columns)
    rows = hf_rows("vfleaking/DirectHarm4", "test")
    return records_from_rows(rows, "vfleaking/DirectHarm4", "directharm4", {"instruction": "instruction", "category": "category"})


def _load_gsm_danger(req: LoadRequest) -> list[Record]:
    if req.path is not None:
        p = _pick_in_dir(req.path, ("test.jsonl", "gsm-danger.jsonl", "gsm-danger.csv"), "gsm-danger")
        return read_records(p, source="gsm-danger", columns=req.columns)
    rows = hf_rows("vfleaking/GSM-Danger", "test")
    return records_from_rows(rows, "vfleaking/GSM-Danger", "gsm-danger", req.columns)


def _load_safety_llamas(req: LoadRequest) -> list[Record]:
    p = req.path
    if p is None:
        p = fetch_pinned(SAFETY_LLAMAS_URL, SAFETY_LLAMAS_SHA256, "safety_only_data_Instructions.json")
    p = _pick_in_dir(p, ("safety_only_data_Instructions.json",), "safety-tuned-llamas")
    cols = req.columns or {"instruction": "instruction", "reference": "output"}
    return read_records(p, source="safety-tuned-llamas", columns=cols)


for _s in (
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
    ),
    Source(
        "advbench",
        "AdvBench harmful behaviors (Zou et al. 2023), 520 harmful instructions.",
        "harmful",
        _load_advbench,
        origin="llm-attacks harmful_behaviors.csv (pinned sha256), or a local CSV in either layout",
        license="MIT",
        local_names=("harmful_behaviors.csv", "advbench-harmful-behaviors.ptst.csv"),
    ),
    Source(
        "directharm4",
        "DirectHarm4 (Lyu et al. 2024): 400 direct harmful requests, categories malware/drug/phishing/disinfo.",
        "harmful",
        _load_directharm4,
        origin="HF vfleaking/DirectHarm4 (test), or a local jsonl/csv",
        license="Apache-2.0",
        local_names=("test.jsonl", "directHarm4.csv"),
    ),
    Source(
        "gsm-danger",
        "GSM-Danger (Lyu et al. 2024): 100 harmful requests dressed as math word problems.",
        "harmful",
        _load_gsm_danger,
        origin="HF vfleaking/GSM-Danger (test), or a local jsonl/csv",
        license="see the dataset card",
        local_names=("test.jsonl",),
    ),
    Source(
        "safety-tuned-llamas",
        "Safety examples of Bianchi et al. 2024 (2,483 harmful instructions with safe replies) for mixing.",
        "safety",
        _load_safety_llamas,
        origin="safety-tuned-llamas safety_only_data_Instructions.json (pinned sha256), or a local copy",
        license="CC BY-NC 4.0",
        local_names=("safety_only_data_Instructions.json",),
    ),
):
    register_source(_s)
