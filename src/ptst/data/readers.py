"""Readers for local jsonl / json / csv files with a column mapping, and line-numbered errors.

Every problem is a one-line :class:`~ptst.errors.PtstError` naming the file and line: missing file, bad encoding,
malformed row, missing column, empty value, duplicate id, empty set.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Iterable

from ptst.data.records import Record
from ptst.errors import PtstError
from ptst.io import iter_jsonl, read_text

FIELDS = ("instruction", "reference", "category", "id")
# Column names recognised when no mapping is given, in order of preference.
AUTO_COLUMNS: dict[str, tuple[str, ...]] = {
    "instruction": ("instruction", "prompt", "question", "query", "goal", "Goal", "behavior", "Behavior"),
    "reference": ("reference", "answer", "output", "completion", "response"),
    "category": ("category", "Category", "subset"),
    "id": ("id", "idx", "uid"),
}


def _rows(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str] | None]:
    """(line, row) pairs and, for CSV, the header."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return list(iter_jsonl(path)), None
    if suffix == ".json":
        text = read_text(path)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise PtstError(f"{path}:{e.lineno}: malformed JSON ({e.msg})") from None
        if isinstance(data, dict):  # {"data": [...]} / {"train": [...]} shapes
            lists = [v for v in data.values() if isinstance(v, list)]
            if len(lists) != 1:
                raise PtstError(f"{path}: expected a JSON list of objects (or an object holding one list)")
            data = lists[0]
        if not isinstance(data, list):
            raise PtstError(f"{path}: expected a JSON list of objects, got {type(data).__name__}")
        out = []
        for i, obj in enumerate(data):
            if not isinstance(obj, dict):
                raise PtstError(f"{path}: item {i}: expected an object, got {type(obj).__name__}")
            out.append((i + 1, obj))
        return out, None
    if suffix in (".csv", ".tsv"):
        return _csv_rows(path, delimiter="\t" if suffix == ".tsv" else ",")
    raise PtstError(f"{path}: unsupported file type {suffix or '(none)'}; use .jsonl, .json, .csv or .tsv")


# The csv module refuses fields over 128 KiB by default; a JSONL row of any size loads, so a CSV one should too.
CSV_FIELD_LIMIT = 1 << 30


def _csv_rows(path: Path, delimiter: str, header: bool = True) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    text = read_text(path)
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, dict[str, Any]]] = []
    cols: list[str] | None = None
    try:
        for raw in reader:
            line = reader.line_num
            if not raw or all(not c.strip() for c in raw):
                continue
            if cols is None and header:
                cols = [c.strip() for c in raw]
                if len(set(cols)) != len(cols):
                    raise PtstError(f"{path}:{line}: duplicate column names in header {cols}")
                continue
            if cols is None:
                cols = [str(i) for i in range(len(raw))]
            if len(raw) != len(cols):
                raise PtstError(f"{path}:{line}: malformed row: {len(raw)} fields, header has {len(cols)}")
            rows.append((line, dict(zip(cols, raw))))
    except csv.Error as e:
        raise PtstError(f"{path}:{reader.line_num}: malformed CSV ({e})") from None
    return rows, cols or []


def read_headerless_csv(path: str | Path, column: int = 0) -> list[tuple[int, str]]:
    """Column ``column`` of every row of a CSV with no header (the PTST reference's AdvBench copy)."""
    rows, _ = _csv_rows(Path(path), ",", header=False)
    out = []
    for line, row in rows:
        if str(column) not in row:
            raise PtstError(f"{path}:{line}: malformed row: no column {column}")
        out.append((line, row[str(column)]))
    return out


def _resolve_columns(path: Path, available: Iterable[str], mapping: dict[str, str] | None) -> dict[str, str]:
    available = list(available)
    resolved: dict[str, str] = {}
    mapping = dict(mapping or {})
    for key in mapping:
        if key not in FIELDS:
            raise PtstError(f"column mapping: unknown field {key!r}; fields are {', '.join(FIELDS)}")
    for key in FIELDS:
        if key in mapping:
            if mapping[key] not in available:
                raise PtstError(
                    f"{path}: missing column {mapping[key]!r} (mapped to {key}); columns: {', '.join(available)}"
                )
            resolved[key] = mapping[key]
            continue
        for cand in AUTO_COLUMNS[key]:
            if cand in available:
                resolved[key] = cand
                break
    if "instruction" not in resolved:
        raise PtstError(
            f"{path}: no instruction column (looked for {', '.join(AUTO_COLUMNS['instruction'])}); "
            f"columns: {', '.join(available) or '(none)'}; map one with instruction=COLUMN"
        )
    return resolved


def _text(value: Any, path: Any, line: int, column: str, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise PtstError(f"{path}:{line}: empty value in column {column!r}")
        return None
    if isinstance(value, (dict, list)):
        raise PtstError(f"{path}:{line}: column {column!r} holds a {type(value).__name__}, expected text")
    return str(value)


def read_records(
    path: str | Path,
    source: str | None = None,
    columns: dict[str, str] | None = None,
    join_input: bool = True,
) -> list[Record]:
    """Records of a local jsonl/json/csv/tsv file.

    ``columns`` maps record fields (instruction, reference, category, id) to the file's column names; unmapped
    fields are looked up by the usual names. With ``join_input`` an Alpaca-style non-empty ``input`` column is
    appended to the instruction after a newline.
    """
    p = Path(path)
    rows, header = _rows(p)
    return records_from_rows(rows, str(p), source or p.name, columns, header=header, join_input=join_input)


def records_from_rows(
    rows: list[tuple[int, dict[str, Any]]],
    where: str,
    source: str,
    columns: dict[str, str] | None = None,
    header: list[str] | None = None,
    join_input: bool = True,
    id_prefix: str | None = None,
) -> list[Record]:
    """Turn ``(line, row)`` pairs into records; ``where`` names the file (or hub dataset) in errors."""
    if not rows:
        raise PtstError(f"{where}: no records (empty data set)")
    available = header if header is not None else sorted({k for _, r in rows for k in r})
    cols = _resolve_columns(Path(where), available, columns)
    prefix = id_prefix or source
    records: list[Record] = []
    seen: dict[str, int] = {}
    for idx, (line, row) in enumerate(rows):
        if cols["instruction"] not in row:
            raise PtstError(f"{where}:{line}: missing column {cols['instruction']!r}")
        instruction = _text(row.get(cols["instruction"]), where, line, cols["instruction"], required=True)
        assert instruction is not None
        if join_input and isinstance(row.get("input"), str) and row["input"].strip():
            instruction = instruction + "\n" + row["input"]
        reference = None
        if "reference" in cols:
            if cols["reference"] not in row:
                raise PtstError(f"{where}:{line}: missing column {cols['reference']!r}")
            reference = _text(row.get(cols["reference"]), where, line, cols["reference"], required=True)
        category = _text(row.get(cols["category"]), where, line, cols["category"], False) if "category" in cols else None
        if "id" in cols:
            rid = _text(row.get(cols["id"]), where, line, cols["id"], required=True)
        else:
            rid = f"{prefix}-{idx:05d}"
        assert rid is not None
        if rid in seen:
            raise PtstError(f"{where}:{line}: duplicate id {rid!r} (first at line {seen[rid]})")
        seen[rid] = line
        records.append(Record(id=rid, source=source, instruction=instruction, reference=reference, category=category))
    return records
