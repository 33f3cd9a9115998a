"""Paired statistics against published and hand-computed values.

* Newcombe's method 10: the method-10 rows of Table III of Newcombe (1998), "Improved confidence intervals for the
  difference between binomial proportions based on paired data", Stat Med 17:2635-2650 (cells e, f, g, h = both,
  A only, B only, neither; limits printed to 4 decimals), and the worked example of Fagerland, Lydersen & Laake,
  "Statistical Analysis of Contingency Tables" (2017), ch. 8 (Cavo et al. 2012: 59, 6, 16, 80 -> -0.0621,
  95% CI -0.1186 to -0.0046).
* The exact McNemar test and Holm's correction: small cases computed by hand in the comments.
"""

from __future__ import annotations

import math

import pytest

from ptst import stats
from ptst.stats import (compare_counts, compare_pairs, decide, holm, margin_p_value, mcnemar_exact,
                        newcombe_paired_interval, power_paired)

NEWCOMBE_TABLE_III = {
    (36, 12, 2, 0): (0.0569, 0.3404),
    (20, 12, 2, 16): (0.0562, 0.3292),
    (18, 12, 2, 18): (0.0562, 0.3290),
    (36, 14, 0, 0): (0.1528, 0.4167),
    (35, 14, 0, 1): (0.1461, 0.4175),
    (18, 14, 0, 18): (0.1441, 0.3963),
    (2, 97, 1, 0): (0.8721, 0.9854),
    (1, 97, 1, 1): (0.8736, 0.9850),
    (0, 29, 1, 0): (0.6666, 0.9882),
    (2, 98, 0, 0): (0.9178, 0.9945),
    (1, 98, 0, 1): (0.9171, 0.9916),
    (0, 30, 0, 0): (0.8395, 1.0),
    (54, 0, 0, 0): (-0.0664, 0.0664),
    (53, 0, 0, 1): (-0.0729, 0.0729),
    (30, 0, 0, 24): (-0.0358, 0.0358),
    (27, 0, 0, 27): (-0.0351, 0.0351),
}


@pytest.mark.parametrize("cells,published", sorted(NEWCOMBE_TABLE_III.items()))
def test_newcombe_method_10_matches_the_published_table(cells, published):
    lo, hi = newcombe_paired_interval(*cells)
    assert lo == pytest.approx(published[0], abs=1e-4) and hi == pytest.approx(published[1], abs=1e-4)


def test_newcombe_method_10_matches_the_textbook_example():
    lo, hi = newcombe_paired_interval(59, 6, 16, 80)
    assert (6 - 16) / 161 == pytest.approx(-0.0621, abs=1e-4)
    assert lo == pytest.approx(-0.1186, abs=1e-4) and hi == pytest.approx(-0.0046, abs=1e-4)


def test_interval_is_antisymmetric_and_contains_the_estimate():
    lo, hi = newcombe_paired_interval(2, 3, 1, 4)
    lo2, hi2 = newcombe_paired_interval(2, 1, 3, 4)
    assert lo == pytest.approx(-hi2) and hi == pytest.approx(-lo2)
    for cells in [(0, 0, 0, 1), (1, 0, 0, 0), (0, 5, 0, 0), (3, 2, 7, 11), (0, 0, 9, 0)]:
        lo, hi = newcombe_paired_interval(*cells)
        d = (cells[1] - cells[2]) / sum(cells)
        assert -1 <= lo <= d <= hi <= 1 and hi - lo > 0
    assert newcombe_paired_interval(0, 0, 0, 0) == (-1.0, 1.0)
    with pytest.raises(ValueError):
        newcombe_paired_interval(1, -1, 0, 0)


def test_mcnemar_exact_by_hand():
    # 9 discordant pairs all one way: 2 * (1/2)^9 = 2/512
    assert mcnemar_exact(9, 0) == pytest.approx(2 / 512) == mcnemar_exact(0, 9)
    # 3 vs 5: 2 * P(X <= 3), X ~ Bin(8, 1/2) = 2 * (1 + 8 + 28 + 56) / 256 = 186/256
    assert mcnemar_exact(3, 5) == pytest.approx(186 / 256)
    # 1 vs 1: 2 * P(X <= 1) = 2 * 3/4 > 1 -> capped at 1
    assert mcnemar_exact(1, 1) == 1.0 and mcnemar_exact(0, 0) == 1.0
    # 2 vs 10: 2 * (1 + 12 + 66) / 4096 = 158/4096
    assert mcnemar_exact(2, 10) == pytest.approx(158 / 4096)
    # large n stays finite and symmetric (log-space sum)
    p = mcnemar_exact(400, 600)
    assert 0 < p < 1e-9 and p == pytest.approx(mcnemar_exact(600, 400))


def test_binom_cdf_by_hand():
    assert stats.binom_cdf(2, 10) == pytest.approx((1 + 10 + 45) / 1024)
    assert stats.binom_cdf(0, 3, 0.2) == pytest.approx(0.8 ** 3)
    assert stats.binom_cdf(-1, 3) == 0.0 and stats.binom_cdf(3, 3) == 1.0


def test_holm_on_a_known_vector():
    # sorted 0.005, 0.01, 0.03, 0.04 -> x4, x3, x2, x1 = 0.02, 0.03, 0.06, 0.04 -> monotone: 0.02, 0.03, 0.06, 0.06
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    assert holm([0.02]) == [0.02] and holm([]) == []


def test_compare_counts_and_pairs_agree():
    pairs = [(True, False)] * 9 + [(True, True)] * 2 + [(False, False)] * 13
    c = compare_pairs(pairs)
    assert (c.n, c.both, c.a_only, c.b_only, c.neither) == (24, 2, 9, 0, 13)
    assert c.rate_a == pytest.approx(11 / 24) and c.rate_b == pytest.approx(2 / 24)
    assert c.diff == pytest.approx(9 / 24) and c.p_value == pytest.approx(2 / 512)
    assert c.diff_lo < c.diff < c.diff_hi and c.diff_lo > 0
    assert c == compare_counts(2, 9, 0, 13)
    assert compare_counts(0, 0, 0, 0).diff is None


def test_margin_p_value_inverts_the_interval():
    lo, hi = newcombe_paired_interval(36, 12, 2, 0)
    # at a limit of the 95% interval the p-value is 0.05; inside it is larger, outside smaller
    assert margin_p_value(36, 12, 2, 0, hi) == pytest.approx(0.05, abs=1e-6)
    assert margin_p_value(36, 12, 2, 0, lo) == pytest.approx(0.05, abs=1e-6)
    assert margin_p_value(36, 12, 2, 0, 0.45) < 0.05 < margin_p_value(36, 12, 2, 0, 0.30)
    assert margin_p_value(36, 12, 2, 0, 0.2) == 1.0  # the estimate itself
    assert margin_p_value(0, 0, 0, 0, 0.05) == 1.0


def test_decide():
    assert decide(True, 0.01) == "holds"
    assert decide(False, 0.01) == "does not hold"
    assert decide(True, 0.2) == decide(False, 0.06) == "inconclusive"


def test_power_paired_limits_and_a_hand_value():
    # with n = 1 no outcome reaches p < 0.05 (the smallest two-sided p is 1): power 0
    assert power_paired(1, 0.5, 0.0) == 0.0
    # n = 6, every pair discordant for A: 6 of 6 gives p = 2/64 < 0.05, 5 of 6 gives 14/64 -> power = P(all 6) = 1
    assert power_paired(6, 1.0, 0.0) == pytest.approx(1.0)
    # n = 6, each pair discordant for A with prob 1/2, never for B: rejects only when all 6 are (p = 2/64):
    # power = (1/2)^6
    assert power_paired(6, 0.5, 0.0) == pytest.approx(0.5 ** 6)
    assert power_paired(100, 0.05, 0.05) < 0.06  # no effect: at most alpha
    assert power_paired(100, 0.20, 0.05) > power_paired(50, 0.20, 0.05)
    assert math.isclose(power_paired(40, 0.0, 0.0), 0.0)


def test_mcnemar_critical_by_hand():
    # m = 5: even 0 vs 5 gives 2/32 = 0.0625 -> nothing is significant; m = 6: 0 vs 6 gives 2/64, 1 vs 5 gives 14/64
    assert stats.mcnemar_critical(5) == -1 and stats.mcnemar_critical(6) == 0
    # m = 10: 1 vs 9 gives 2 * 11/1024 = 0.021; 2 vs 8 gives 2 * 56/1024 = 0.109
    assert stats.mcnemar_critical(10) == 1


def test_power_for_a_difference_and_the_pairs_it_needs():
    a, b = stats.discordance_under_independence(0.19, 0.04)
    assert (a, b) == pytest.approx((0.19 * 0.96, 0.04 * 0.81))
    assert stats.power_for_difference(96, 0.04, 0.15) == pytest.approx(power_paired(96, a, b))
    n = stats.pairs_for_power(0.04, 0.15)
    assert stats.power_for_difference(n, 0.04, 0.15) >= 0.8 > stats.power_for_difference(n - 5, 0.04, 0.15)
    # a higher baseline rate means more discordant pairs of both kinds: more pairs needed; a stricter alpha too
    assert stats.pairs_for_power(0.10, 0.15) > n and stats.pairs_for_power(0.04, 0.15, alpha=0.01) > n
