"""The dataset registry: every source carries complete metadata, and resolve() is the one reader of dataset names."""

from __future__ import annotations

import pytest

from ptst.data import DatasetRef, get_source, list_sources, load_dataset, resolve
from ptst.data.source import BENCHMARK_KINDS, ROLES
from ptst.errors import PtstError
from ptst.judges import list_scorers

SHIPPED = {"builtin:harmful", "builtin:gsm-danger", "builtin:benign", "builtin:math", "builtin:math-train",
           "builtin:math-test", "builtin:math-1step", "align:harmful", "align:benign"}
PUBLIC = {"gsm8k", "advbench", "directharm4", "gsm-danger", "safety-tuned-llamas", "chatdoctor", "openorca",
          "orca-math", "jbb-harmful", "jbb-benign", "arc-challenge", "arc-easy"}
JUDGE = {"jbb-judge-comparison", "xstest-response"}  # human-labelled judge validation sets (ptst.data.judge_sets)


def _splits(src):
    return list(src.splits) or [None]


def test_registry_holds_the_shipped_and_public_sets():
    assert {s.name for s in list_sources()} == SHIPPED | PUBLIC | JUDGE


@pytest.mark.parametrize("name", sorted(SHIPPED | PUBLIC | JUDGE))
def test_metadata_of_every_source_is_complete(name):
    src = get_source(name)
    assert src.description and src.origin and src.license
    assert src.role in ROLES and src.benchmark_kind in BENCHMARK_KINDS
    assert src.offline == (name in SHIPPED)  # align:* sets ship too, though their names do not start with builtin
    assert src.default_split is None or src.default_split in src.splits
    if src.splits:
        assert src.default_split is not None
    scorers = src.helpfulness_scorers
    assert scorers and set(scorers) <= set(list_scorers())
    for split in _splits(src):
        n = src.size(split)
        assert isinstance(n, int) and n > 0, (name, split)
        cats = src.category_sizes(split)
        assert cats == {} or sum(cats.values()) <= n
    if not src.offline:  # a network set declares its published size for every split, so nothing is downloaded
        assert set(src.sizes) == set(_splits(src))
        assert src.local_names
    else:
        assert not src.sizes and src.local_copy() is None and src.readable_offline()


def test_shipped_sizes_and_categories_are_counted(monkeypatch):
    assert get_source("builtin:math").size() == len(load_dataset("builtin:math:test"))
    assert get_source("builtin:math").size("train") == len(load_dataset("builtin:math:train"))
    cats = get_source("builtin:harmful").category_sizes()
    assert set(cats) == {"malware", "drug", "phishing", "disinfo"} and sum(cats.values()) == 235
    assert "two-step" not in get_source("builtin:math-1step").category_sizes("train")


def test_published_sizes_match_the_reference_copies(shared_data):
    for name, split, folder in [("gsm8k", "train", "gsm8k"), ("gsm8k", "test", "gsm8k"),
                                ("advbench", None, "advbench"), ("directharm4", None, "directharm4"),
                                ("safety-tuned-llamas", None, "safety-tuned-llamas")]:
        recs = load_dataset(name, path=shared_data / folder, split=split)
        assert len(recs) == get_source(name).size(split), name
    dh4 = load_dataset("directharm4", path=shared_data / "directharm4")
    counts = {c: sum(r.category == c for r in dh4) for c in get_source("directharm4").category_sizes()}
    assert counts == get_source("directharm4").category_sizes()


def test_local_copy_is_found_under_ptst_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PTST_DATA_DIR", str(tmp_path))
    assert get_source("gsm8k").local_copy("train") is None and not get_source("gsm8k").readable_offline("train")
    (tmp_path / "gsm8k").mkdir()
    (tmp_path / "gsm8k" / "train.jsonl").write_text('{"question": "q", "answer": "#### 1"}\n')
    assert get_source("gsm8k").local_copy("train") == tmp_path / "gsm8k" / "train.jsonl"
    assert get_source("gsm8k").local_copy() is None  # the default split is test, which is not there
    ref = resolve("gsm8k:train")
    assert ref.local_copy() == tmp_path / "gsm8k" / "train.jsonl" and ref.readable_offline() and not ref.offline
    assert [r.instruction for r in ref.load()] == ["q"]


@pytest.mark.parametrize("name, split, source, want_split", [
    ("gsm8k", None, "gsm8k", None),
    ("gsm8k:train", None, "gsm8k", "train"),
    ("gsm8k", "train", "gsm8k", "train"),
    ("builtin:math", None, "builtin:math", None),
    ("builtin:math:test", None, "builtin:math", "test"),
    ("builtin:math-test", None, "builtin:math-test", None),  # a registered name with a colon is taken whole
    ("builtin:math-1step:train", None, "builtin:math-1step", "train"),
    ("align:benign:heldout", None, "align:benign", "heldout"),
    ("directharm4:test", None, "directharm4", "test"),  # a network set without splits accepts its one split
])
def test_resolve_registered_names(name, split, source, want_split):
    ref = resolve(name, split)
    assert isinstance(ref, DatasetRef) and not ref.is_file
    assert ref.source is get_source(source) and ref.split == want_split and ref.name == name


def test_resolve_kinds_and_scorers():
    assert resolve("builtin:math-1step:test").kind == "helpfulness"
    assert resolve("builtin:math-1step:test").helpfulness_scorers == ("math",)
    assert resolve("gsm8k:test").helpfulness_scorers == ("gsm8k",)
    assert resolve("builtin:benign").kind == "benign"
    assert resolve("advbench").kind == "safety" and not resolve("advbench").offline
    assert resolve("align:harmful:train").offline
    assert resolve("mine.jsonl").kind == "safety" and resolve("mine.jsonl").helpfulness_scorers == ("gsm8k",)


def test_resolve_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("data/x.jsonl", "x.JSON", "y.csv", "z.tsv", str(tmp_path / "a.jsonl")):
        ref = resolve(name)
        assert ref.is_file and ref.source is None and ref.offline and ref.readable_offline()
    (tmp_path / "plain").write_text("instruction\nhi\n")
    assert resolve("plain").is_file  # an existing path is a file whatever its suffix (the reader names the problem)
    with pytest.raises(PtstError, match="unsupported file type"):
        load_dataset("plain")
    (tmp_path / "h.csv").write_text("instruction\nhello\n")
    assert [r.instruction for r in resolve("h.csv").load()] == ["hello"]


@pytest.mark.parametrize("name, split, match", [
    ("nope", None, r"^unknown dataset 'nope'; known: .*gsm8k.*, or a \.jsonl/\.json/\.csv path$"),
    ("builtin:nope", None, r"^unknown dataset 'builtin:nope'"),
    ("gsm8k:train", "test", r"^unknown dataset 'gsm8k:train'"),  # a split suffix and a split argument
    ("gsm8k:dev", None, r"^dataset 'gsm8k': unknown split 'dev'; choose one of train, test$"),
    ("gsm8k", "dev", r"^dataset 'gsm8k': unknown split 'dev'"),
    ("align:harmful:test", None, r"^dataset 'align:harmful': unknown split 'test'; choose one of train, heldout$"),
    ("builtin:harmful:train", None, r"^dataset 'builtin:harmful' has no split 'train'$"),
])
def test_resolve_bad_names_are_one_line_errors_naming_the_value(tmp_path, monkeypatch, name, split, match):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PtstError, match=match) as e:
        resolve(name, split)
    assert "\n" not in str(e.value)


def test_data_list_json_shows_the_metadata():
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "ptst", "data", "list", "--json"], capture_output=True, text=True,
                         check=True).stdout
    rows = {r["name"]: r for r in map(json.loads, out.splitlines())}
    assert set(rows) == SHIPPED | PUBLIC | JUDGE
    assert rows["xstest-response"]["role"] == "judge"
    assert rows["align:harmful"]["offline"] is True and rows["gsm8k"]["offline"] is False
    assert rows["builtin:math"]["kind"] == "helpfulness" and rows["builtin:math"]["default_split"] == "test"
    assert rows["builtin:benign"]["kind"] == "benign" and rows["builtin:benign"]["role"] == "benign"
