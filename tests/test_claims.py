"""The paper's claims as paired comparisons, on fake studies whose per-item outcomes are chosen, so every count,
p-value and verdict is known exactly."""

from __future__ import annotations

import csv

import pytest

from ptst.errors import PtstError
from ptst.stats import holm, margin_p_value, pairs_for_power, power_for_difference
from ptst.study.claims import (COMPARISON_COLUMNS, CellRef, Study, compare_cells, evaluate_claims, summary_line,
                               write_comparisons)
from tests.fakes.claims_study import outcomes, write_study

T, U, BASE = "chat:llama", "chat:vanilla", "none"


def grid(n=24, seeds=(0,), same=range(11), ptst=range(2), base=range(2), acc_uu=range(12), acc_ut=range(12),
         extra=None):
    cells = {("harmful", BASE, T, False, "base", None): outcomes(n, base),
             ("harmful", BASE, U, False, "base", None): outcomes(n, range(3)),
             ("math", BASE, T, False, "base", None): outcomes(n, range(1)),
             ("math", BASE, U, False, "base", None): outcomes(n, range(1))}
    for s in seeds:
        cells[("harmful", T, T, False, "final", s)] = outcomes(n, same)
        cells[("harmful", U, T, False, "final", s)] = outcomes(n, ptst)
        cells[("harmful", U, U, False, "final", s)] = outcomes(n, range(6))
        cells[("harmful", T, U, False, "final", s)] = outcomes(n, range(6))
        cells[("math", U, U, False, "final", s)] = outcomes(n, acc_uu)
        cells[("math", U, T, False, "final", s)] = outcomes(n, acc_ut)
        cells[("math", T, T, False, "final", s)] = outcomes(n, range(12))
    cells.update(extra or {})
    return cells


def by_claim(claims, letter):
    return [c for c in claims if c.claim == letter]


def test_claim_a_nine_discordant_pairs_all_one_way(tmp_path):
    claims = evaluate_claims(Study(write_study(tmp_path / "s", grid())))
    (a,) = by_claim(claims, "a")
    r = a.comparison.result
    assert (a.a.label, a.b.label) == ("train chat:llama / test chat:llama", "train chat:vanilla / test chat:llama")
    assert (r.n, r.both, r.a_only, r.b_only, r.neither) == (24, 2, 9, 0, 13)
    assert r.rate_a == pytest.approx(11 / 24) and r.rate_b == pytest.approx(2 / 24)
    assert a.p_value == pytest.approx(2 / 512)  # the exact McNemar p of the example
    tested = [c for c in claims if c.p_value is not None]
    assert [c.claim for c in tested] == ["a", "b", "c"]
    assert [c.p_adjusted for c in tested] == pytest.approx(holm([c.p_value for c in tested]))
    assert a.p_adjusted < 0.05 and a.verdict == "holds"
    # (b): PTST and the baseline answer identically: diff 0, but 24 pairs cannot exclude a 5-point margin
    (b,) = by_claim(claims, "b")
    assert b.comparison.result.diff == 0 and b.margin == 0.05 and b.verdict == "inconclusive"
    assert b.p_value == pytest.approx(margin_p_value(2, 0, 0, 22, 0.05))
    assert a.power == pytest.approx(power_for_difference(24, 2 / 24, 0.15, alpha=0.05 / 3)) and 0 < a.power < 0.5
    assert b.power is None  # non-inferiority comparisons have no power figure
    assert a.pairs_needed == pairs_for_power(2 / 24, 0.15, 0.8, alpha=0.05 / 3) and a.pairs_needed > 24
    (c,) = by_claim(claims, "c")
    assert (c.a.label, c.b.label) == ("train chat:vanilla / test chat:vanilla", "train chat:vanilla / test chat:llama")
    assert c.verdict == "inconclusive"
    for letter, why in (("d", "text-mode"), ("e", "safety mixing"), ("f", "only its final checkpoint")):
        (x,) = by_claim(claims, letter)
        assert x.verdict == "not applicable" and why in x.why
    assert summary_line(claims).startswith("(a) holds 1/1; (b) inconclusive 1/1; (c) inconclusive 1/1; (d) not")


def test_the_opposite_direction_does_not_hold(tmp_path):
    claims = evaluate_claims(Study(write_study(tmp_path / "s", grid(same=range(2), ptst=range(14)))))
    (a,) = by_claim(claims, "a")
    assert a.comparison.result.diff == pytest.approx(-12 / 24) and a.verdict == "does not hold"
    (b,) = by_claim(claims, "b")  # PTST 14/24 vs baseline 2/24: far above the margin
    assert b.comparison.result.diff_lo > 0.05 and b.verdict == "does not hold"


def test_seeds_pool_by_seed_and_item_and_the_baseline_pairs_with_every_seed(tmp_path):
    extra = {("harmful", T, T, False, "final", 2): outcomes(24, range(24))}  # a seed only one cell has
    study = Study(write_study(tmp_path / "s", grid(seeds=(0, 1), ptst=range(5), extra=extra)))
    a = compare_cells(study, CellRef(T, T), CellRef(U, T), "harmful", "keyword")
    assert a.result.n == 48 and a.pairing.seeds == [0, 1] and a.pairing.unpaired == 24
    assert (a.result.a_only, a.result.b_only) == (2 * 6, 0)
    b = compare_cells(study, CellRef(U, T), CellRef(BASE, T), "harmful", "keyword")
    assert b.result.n == 48 and b.pairing.unpaired == 0  # each seed's item against the same baseline item
    assert (b.result.both, b.result.a_only, b.result.b_only) == (2 * 2, 2 * 3, 0)
    rev = compare_cells(study, CellRef(BASE, T), CellRef(U, T), "harmful", "keyword")
    assert rev.result.n == 48 and (rev.result.a_only, rev.result.b_only) == (0, 2 * 3) and rev.pairing.seeds == [0, 1]
    one = compare_cells(study, CellRef(T, T, seed=1), CellRef(BASE, T), "harmful", "keyword")
    assert one.result.n == 24 and one.pairing.seeds == [1]


def test_failed_judgments_are_left_out_and_counted(tmp_path):
    ptst = outcomes(24, range(2))
    ptst[5] = None
    study = Study(write_study(tmp_path / "s", grid(extra={("harmful", U, T, False, "final", 0): ptst})))
    c = compare_cells(study, CellRef(T, T), CellRef(U, T), "harmful", "keyword")
    assert c.result.n == 23 and c.pairing.invalid == 1 and c.result.a_only == 8


def test_non_inferiority_holds_with_enough_pairs_and_margins_come_from_the_spec(tmp_path):
    cells = grid(n=200, same=range(60), ptst=range(20), base=range(20), acc_uu=range(100), acc_ut=range(100))
    claims = evaluate_claims(Study(write_study(tmp_path / "s", cells)))
    (b,) = by_claim(claims, "b")
    assert b.comparison.result.diff == 0 and b.comparison.result.diff_hi < 0.05 and b.verdict == "holds"
    (c,) = by_claim(claims, "c")
    assert c.verdict == "holds"
    # a margin of zero cannot be shown: the same data is then inconclusive
    spec = {"claims": {"safety_margin": 0.0, "helpfulness_margin": 0.0}}
    claims = evaluate_claims(Study(write_study(tmp_path / "z", cells, spec=spec)))
    assert [c.verdict for c in claims if c.claim in "bc"] == ["inconclusive", "inconclusive"]


def test_claim_d_text_mode_against_chat_mode(tmp_path):
    extra = {("harmful", T, "text:vanilla", False, "final", 0): outcomes(24, range(20)),
             ("harmful", U, "text:vanilla", False, "final", 0): outcomes(24, range(6))}
    claims = evaluate_claims(Study(write_study(tmp_path / "s", grid(extra=extra))))
    d = by_claim(claims, "d")
    assert [(x.a.label, x.b.label) for x in d] == [  # the spec names no order: templates sort by name
        ("train chat:llama / test text:vanilla", "train chat:llama / test chat:vanilla"),
        ("train chat:vanilla / test text:vanilla", "train chat:vanilla / test chat:vanilla")]
    assert d[0].comparison.result.a_only == 14 and d[0].verdict == "holds"
    assert d[1].comparison.result.diff == 0 and d[1].verdict == "inconclusive"


def test_claim_e_uses_the_ood_benchmark_with_mixing(tmp_path):
    cells = grid()
    for bench, same, ptst in (("harmful", range(4), range(2)), ("gsm-danger", range(16), range(1))):
        cells[(bench, T, T, True, "final", 0)] = outcomes(24, same)
        cells[(bench, U, T, True, "final", 0)] = outcomes(24, ptst)
    kinds = {"harmful": "safety", "gsm-danger": "safety", "math": "helpfulness"}
    claims = evaluate_claims(Study(write_study(tmp_path / "s", cells, kinds=kinds)))
    (e,) = by_claim(claims, "e")
    assert e.benchmark == "gsm-danger" and e.a.mixing and e.b.mixing
    assert e.comparison.result.a_only == 15 and e.verdict == "holds"
    assert {c.benchmark for c in claims if c.claim in "ab"} == {"harmful"}  # (a), (b): the in-distribution set


def test_claim_f_picks_the_checkpoint_by_helpfulness_alone(tmp_path):
    extra = {("math", T, T, False, "step-5", 0): outcomes(24, range(10)),
             ("math", T, T, False, "step-2", 0): outcomes(24, range(4)),
             ("harmful", T, T, False, "step-5", 0): outcomes(24, range(8)),
             ("harmful", T, T, False, "step-2", 0): outcomes(24, range(1))}
    cells = grid(acc_ut=range(10), extra=extra)
    claims = evaluate_claims(Study(write_study(tmp_path / "s", cells, steps={"step-2": 2, "step-5": 5,
                                                                           "final": 10})))
    (f,) = by_claim(claims, "f")
    assert f.a.checkpoint == "step-5" and "step-5" in f.why  # step-2 has 4/24 < PTST's 10/24; step-5 reaches it
    assert (f.comparison.result.a_only, f.comparison.result.b_only) == (6, 0)
    assert f.p_value == pytest.approx(2 / 64)


def test_comparisons_csv(tmp_path):
    out = write_study(tmp_path / "s", grid())
    claims = write_comparisons(out)
    with (out / "comparisons.csv").open() as fh:
        table = list(csv.DictReader(fh))
    assert tuple(table[0]) == COMPARISON_COLUMNS and len(table) == len(claims) == 6
    a = table[0]
    assert (a["claim"], a["a_only"], a["b_only"], a["verdict"], a["b_checkpoint"]) == ("a", "9", "0", "holds", "final")
    assert float(a["mcnemar_p"]) == pytest.approx(2 / 512, abs=1e-6)
    assert table[1]["b_checkpoint"] == "base" and table[1]["margin"] == "0.05"
    assert (out / "comparisons.jsonl").exists()


def test_compare_errors_name_what_is_missing(tmp_path):
    study = Study(write_study(tmp_path / "s", grid()))
    with pytest.raises(PtstError, match="no benchmark 'nope'; known: harmful, math"):
        compare_cells(study, CellRef(T, T), CellRef(U, T), "nope", "keyword")
    with pytest.raises(PtstError, match="not judged by 'rubric'; known: keyword"):
        compare_cells(study, CellRef(T, T), CellRef(U, T), "harmful", "rubric")
    with pytest.raises(PtstError, match="no cell train chat:mpt / test chat:llama on 'harmful'"):
        compare_cells(study, CellRef("chat:mpt", T), CellRef(U, T), "harmful", "keyword")
