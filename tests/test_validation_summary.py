"""The committed validation summary (ptst/judges/data/validation_summary.json): generated from the validation sets,
fresh against the sets and the judges' identities (a cheap digest check), internally consistent, and equal to a full
recomputation (slow)."""

from __future__ import annotations

import json
import shutil

import pytest

from ptst.judges import validation_summary as vs
from ptst.metrics import wilson_interval


def test_summary_is_fresh():
    # fails when a validation set or a judge's weights/version changed without regenerating the file
    assert vs.stale() == "", vs.stale()


def test_summary_covers_every_set_and_judge_consistently():
    doc = vs.load_summary()
    assert doc is not None
    assert set(doc["judges"]) == set(vs.JUDGES)  # (that it covers every set in the folder: test_summary_is_fresh)
    for judge, entry in doc["judges"].items():
        sets = {r["set"] for r in entry["results"]}
        assert sets == set(doc["sets"]), judge
        for r in entry["results"]:
            for what in ("accuracy", "precision", "recall"):
                p = r[what]
                if p["n"]:
                    assert p["value"] == pytest.approx(p["k"] / p["n"], abs=1e-6)
                    lo, hi = wilson_interval(p["k"], p["n"])
                    assert (p["lo"], p["hi"]) == (pytest.approx(lo, abs=1e-6), pytest.approx(hi, abs=1e-6))
            c = r["confusion"]
            assert c["tp"] + c["fn"] == r["n_harmful"] and sum(c.values()) == r["n"] - r["n_invalid"]
            assert r["accuracy"]["k"] == c["tp"] + c["tn"]
        assert any(r["three_way_accuracy"] for r in entry["results"]) == (judge in ("objective", "objective-cross"))
    assert doc["sets"]["smollm2-135m"]["provenance"].startswith("150 real greedy responses")


def test_stale_notices_a_changed_set_or_judge(tmp_path, monkeypatch):
    """Independent of whether the committed file is fresh: the state it was made from is rebuilt (the sets it
    lists, the identities it records), then one thing at a time is changed."""
    doc = json.loads(vs.summary_path().read_text())
    copies = []
    for s in doc["sets"].values():
        shutil.copy(vs.data_dir() / s["file"], tmp_path / s["file"])
        copies.append(tmp_path / s["file"])
    if any(vs.sha256_file(p) != s["sha256"] for p, s in zip(copies, doc["sets"].values())):
        pytest.skip("a validation set changed since the summary was made (test_summary_is_fresh fails)")
    recorded = {j: e["identity"] for j, e in doc["judges"].items()}
    monkeypatch.setattr(vs, "set_files", lambda: sorted(copies))
    monkeypatch.setattr(vs, "judge_identities", lambda judges=vs.JUDGES: {j: recorded[j] for j in judges})
    assert vs.stale(doc) == ""
    assert "stale" in vs.stale({**doc, "inputs_sha256": "0" * 64})
    # a validation set edited: the digest of its bytes moves
    copies[0].write_text(copies[0].read_text() + "\n", encoding="utf-8")
    assert "stale" in vs.stale(doc)
    # a new set in the folder that the summary does not cover
    extra = tmp_path / "objective_validation_new.jsonl"
    extra.write_text("", encoding="utf-8")
    monkeypatch.setattr(vs, "set_files", lambda: sorted([*copies, extra]))
    assert "objective_validation_new.jsonl" in vs.stale(doc)
    # a judge whose identity (weights, version) changed
    copies[0].write_text(copies[0].read_text()[:-1], encoding="utf-8")
    monkeypatch.setattr(vs, "set_files", lambda: sorted(copies))
    assert vs.stale(doc) == ""
    monkeypatch.setattr(vs, "judge_identities",
                        lambda judges=vs.JUDGES: {**{j: recorded[j] for j in judges}, "refusal": {"version": "x"}})
    assert "stale" in vs.stale(doc)


@pytest.mark.slow
def test_summary_equals_a_full_recomputation(shared_data):
    doc = vs.compute_summary(shared_data)
    assert doc == vs.load_summary()


def test_markdown_table_lists_every_row_of_the_summary(capsys):
    doc = vs.load_summary()
    for judge, entry in doc["judges"].items():
        table = vs.markdown_table(judge).splitlines()
        assert len(table) == 2 + len(entry["results"])
        for line, r in zip(table[2:], entry["results"]):
            cells = [c.strip() for c in line.strip("|").split("|")]
            assert cells[:3] == [r["set"], r["subset"], f"{r['n']} ({r['n_harmful']})"]
            assert cells[3].startswith(f"{r['accuracy']['value']:.3f} [")
    assert vs.main(["--markdown", "objective-cross"]) == 0
    assert capsys.readouterr().out.startswith("| set | subset |")
    assert vs.main(["--markdown", "no-such-judge"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no-such-judge" in err and len(err.strip().splitlines()) == 1
