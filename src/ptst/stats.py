"""Paired statistics for two conditions measured on the same items.

Every cell of a study answers the *same* items, so two cells are compared item by item: a 2x2 table of pairs
(``both`` true, true in ``A`` only, true in ``B`` only, ``neither``). This module has the tests and intervals the
study's claims use, all exact or closed-form, with no dependency beyond the standard library:

* :func:`mcnemar_exact` -- the exact McNemar test: two-sided binomial test of the discordant pairs against 1/2;
* :func:`newcombe_paired_interval` -- the 95% interval of the paired difference ``rate_a - rate_b`` by Newcombe's
  method 10 (Newcombe 1998, "Improved confidence intervals for the difference between binomial proportions based
  on paired data", Stat Med 17:2635-2650: Wilson score limits of both margins combined with a corrected
  correlation);
* :func:`margin_p_value` -- the two-sided p-value of ``diff = margin`` found by inverting that interval (the level
  at which one of its limits touches the margin), for non-inferiority claims;
* :func:`holm` -- Holm's step-down adjustment of a family of p-values;
* :func:`decide` -- the verdict (holds / does not hold / inconclusive) of one claim from its adjusted p-value.

This is a lower-layer module: it imports nothing from ``ptst.study``, ``ptst.report`` or ``ptst.cli``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Sequence

from ptst.metrics import wilson_interval

Z95 = 1.959963984540054  # the 97.5% quantile of the standard normal
ALPHA = 0.05

HOLDS = "holds"
DOES_NOT_HOLD = "does not hold"
INCONCLUSIVE = "inconclusive"
NOT_APPLICABLE = "not applicable"


# ---- the exact binomial tail and McNemar's test ----------------------------------------------------------------


def _log_binom_pmf(k: int, n: int, p: float) -> float:
    if p <= 0.0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1.0:
        return 0.0 if k == n else -math.inf
    return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
            + k * math.log(p) + (n - k) * math.log1p(-p))


def binom_cdf(k: int, n: int, p: float = 0.5) -> float:
    """``P(X <= k)`` for ``X ~ Binomial(n, p)``, summed in log space (exact to floating point for any n)."""
    if n < 0 or not 0.0 <= p <= 1.0:
        raise ValueError(f"need n >= 0 and 0 <= p <= 1, got n={n}, p={p}")
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if p in (0.0, 1.0):
        return 1.0 if p == 0.0 else 0.0
    step = math.log(p) - math.log1p(-p)
    logs = [0.0] * (k + 1)
    logs[0] = n * math.log1p(-p)
    for i in range(k):  # log pmf(i + 1) = log pmf(i) + log((n - i) / (i + 1)) + log(p / (1 - p))
        logs[i + 1] = logs[i] + math.log((n - i) / (i + 1)) + step
    top = max(logs)
    return min(1.0, math.exp(top) * sum(math.exp(v - top) for v in logs))


def mcnemar_exact(a_only: int, b_only: int) -> float:
    """Exact two-sided McNemar p-value: ``2 * P(X <= min(a_only, b_only))`` for ``X ~ Bin(a_only + b_only, 1/2)``,
    capped at 1 (1 when there is no discordant pair)."""
    if a_only < 0 or b_only < 0:
        raise ValueError(f"counts must be >= 0, got {a_only}, {b_only}")
    n = a_only + b_only
    if n == 0:
        return 1.0
    return min(1.0, 2.0 * binom_cdf(min(a_only, b_only), n, 0.5))


# ---- Newcombe's paired interval -----------------------------------------------------------------------------------


def _normal_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _paired_phi(both: int, a_only: int, b_only: int, neither: int) -> float:
    """Newcombe's corrected correlation of the pairs: ``(ad - bc) / sqrt(product of the margins)`` with the
    numerator lowered by ``n/2`` when positive (0 when that would cross zero), and 0 when a margin is empty."""
    n = both + a_only + b_only + neither
    denom = (both + a_only) * (b_only + neither) * (both + b_only) * (a_only + neither)
    if denom == 0:
        return 0.0
    num = both * neither - a_only * b_only
    if num > n / 2:
        num = num - n / 2
    elif num >= 0:
        num = 0.0
    return num / math.sqrt(denom)


def newcombe_paired_interval(both: int, a_only: int, b_only: int, neither: int,
                             z: float = Z95) -> tuple[float, float]:
    """Interval of ``rate_a - rate_b = (a_only - b_only) / n`` by Newcombe's method 10 (two-sided, ``z`` = 1.96
    for 95%). ``(-1, 1)`` when there are no pairs."""
    cells = (both, a_only, b_only, neither)
    if any(c < 0 for c in cells):
        raise ValueError(f"counts must be >= 0, got {cells}")
    n = sum(cells)
    if n == 0:
        return -1.0, 1.0
    k_a, k_b = both + a_only, both + b_only
    p_a, p_b = k_a / n, k_b / n
    l_a, u_a = wilson_interval(k_a, n, z)
    l_b, u_b = wilson_interval(k_b, n, z)
    phi = _paired_phi(*cells)
    d = p_a - p_b
    lo_sq = (p_a - l_a) ** 2 - 2 * phi * (p_a - l_a) * (u_b - p_b) + (u_b - p_b) ** 2
    hi_sq = (p_b - l_b) ** 2 - 2 * phi * (p_b - l_b) * (u_a - p_a) + (u_a - p_a) ** 2
    return max(-1.0, d - math.sqrt(max(0.0, lo_sq))), min(1.0, d + math.sqrt(max(0.0, hi_sq)))


def margin_p_value(both: int, a_only: int, b_only: int, neither: int, margin: float) -> float:
    """Two-sided p-value of ``H0: rate_a - rate_b = margin``, by inverting :func:`newcombe_paired_interval`: the
    ``p`` at which the ``1 - p`` interval has ``margin`` as a limit. ``p < 0.05`` exactly when the 95% interval
    excludes ``margin``. 1 when the estimate equals the margin (or there are no pairs)."""
    n = both + a_only + b_only + neither
    if n == 0:
        return 1.0
    d = (a_only - b_only) / n
    if d == margin:
        return 1.0
    upper = margin > d  # the margin lies above the estimate: the upper limit reaches it

    def limit(z: float) -> float:
        lo, hi = newcombe_paired_interval(both, a_only, b_only, neither, z)
        return hi if upper else lo

    def reached(z: float) -> bool:
        return limit(z) >= margin if upper else limit(z) <= margin

    lo_z, hi_z = 0.0, 1.0
    while not reached(hi_z):
        hi_z *= 2
        if hi_z > 64:  # no interval reaches the margin (it lies beyond [-1, 1]): every level excludes it
            return 0.0
    for _ in range(80):
        mid = (lo_z + hi_z) / 2
        if reached(mid):
            hi_z = mid
        else:
            lo_z = mid
    return min(1.0, 2.0 * (1.0 - _normal_cdf(hi_z)))


# ---- comparisons ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairedComparison:
    """Two conditions on the same ``n`` items: counts of each outcome pair, both rates, their difference with its
    95% interval (Newcombe method 10) and the exact McNemar p-value (two-sided, unadjusted)."""

    n: int
    both: int
    a_only: int
    b_only: int
    neither: int
    rate_a: float | None
    rate_b: float | None
    diff: float | None
    diff_lo: float | None
    diff_hi: float | None
    p_value: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def compare_counts(both: int, a_only: int, b_only: int, neither: int) -> PairedComparison:
    n = both + a_only + b_only + neither
    if n == 0:
        return PairedComparison(0, 0, 0, 0, 0, None, None, None, None, None, 1.0)
    lo, hi = newcombe_paired_interval(both, a_only, b_only, neither)
    return PairedComparison(n, both, a_only, b_only, neither, (both + a_only) / n, (both + b_only) / n,
                            (a_only - b_only) / n, lo, hi, mcnemar_exact(a_only, b_only))


def compare_pairs(pairs: Iterable[tuple[bool, bool]]) -> PairedComparison:
    """Compare from ``(outcome_a, outcome_b)`` pairs (pairs where either outcome is ``None`` must be dropped by the
    caller, who knows why they are missing)."""
    t = [0, 0, 0, 0]
    for x, y in pairs:
        t[0 if (x and y) else 1 if x else 2 if y else 3] += 1
    return compare_counts(*t)


# ---- multiplicity and decisions ---------------------------------------------------------------------------------


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (same order as given): the i-th smallest p is multiplied by ``m - i``
    (i from 0), made non-decreasing along that order and capped at 1. Rejecting where the adjusted value is below
    alpha controls the family-wise error rate at alpha."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    out = [1.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        out[i] = running
    return out


def decide(effect_on_claimed_side: bool, p_adjusted: float, alpha: float = ALPHA) -> str:
    """A claim's verdict from a two-sided test of its boundary (0 for superiority, the margin for non-inferiority):
    significant and on the claimed side -> holds; significant on the other side -> does not hold; else
    inconclusive."""
    if p_adjusted < alpha:
        return HOLDS if effect_on_claimed_side else DOES_NOT_HOLD
    return INCONCLUSIVE


@functools.lru_cache(maxsize=65536)
def mcnemar_critical(m: int, alpha: float = ALPHA) -> int:
    """The largest ``c`` with ``mcnemar_exact(c, m - c) < alpha`` (-1 when no split of ``m`` discordant pairs is
    significant): the test rejects exactly when the smaller side has at most ``c`` pairs."""
    lo, hi = -1, m // 2  # bisection: mcnemar_exact(c, m - c) grows with c up to m/2
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if mcnemar_exact(mid, m - mid) < alpha:
            lo = mid
        else:
            hi = mid - 1
    return lo


def power_paired(n: int, p_discordant_a: float, p_discordant_b: float, alpha: float = ALPHA) -> float:
    """Power of the exact two-sided McNemar test at level ``alpha`` with ``n`` pairs, when a pair is discordant in
    A's favour with probability ``p_discordant_a`` and in B's with ``p_discordant_b`` (exact: sums over the number
    of discordant pairs and their split; numbers of discordant pairs with probability below 1e-15 are skipped)."""
    q = p_discordant_a + p_discordant_b
    if not (0 <= q <= 1) or n < 0 or p_discordant_a < 0 or p_discordant_b < 0:
        raise ValueError("need discordant probabilities >= 0 summing to at most 1, and n >= 0")
    if q == 0:
        return 0.0
    share = p_discordant_a / q
    total = 0.0
    for m in range(1, n + 1):
        w = math.exp(_log_binom_pmf(m, n, q))
        if w < 1e-15:
            continue
        c = mcnemar_critical(m, alpha)
        if c < 0:
            continue
        low = binom_cdf(c, m, share)  # A wins few discordant pairs
        high = 1.0 - binom_cdf(m - c - 1, m, share)  # A wins most
        total += w * (low + high)
    return min(1.0, total)


def discordance_under_independence(rate_a: float, rate_b: float) -> tuple[float, float]:
    """``(P(A only), P(B only))`` when the two cells' outcomes on an item are independent given the rates: the
    planning assumption used when no paired data exist yet (item-level correlation makes real discordance lower,
    and power higher)."""
    return rate_a * (1 - rate_b), rate_b * (1 - rate_a)


def power_for_difference(n: int, rate_b: float, difference: float, alpha: float = ALPHA) -> float:
    """Power of the exact McNemar test with ``n`` pairs to detect ``rate_a = rate_b + difference`` (outcomes
    independent given the rates, see :func:`discordance_under_independence`)."""
    rate_a = min(1.0, max(0.0, rate_b + difference))
    return power_paired(n, *discordance_under_independence(rate_a, rate_b), alpha=alpha)


def pairs_for_power(rate_b: float, difference: float, power: float = 0.8, alpha: float = ALPHA,
                    max_n: int = 20000) -> int | None:
    """The fewest pairs from which :func:`power_for_difference` stays at or above ``power`` (checked over the next
    10 values: the exact test's power is not monotone in n); None beyond ``max_n``. Doubling, then bisection, then
    a short walk forward."""

    def ok(n: int) -> bool:
        return power_for_difference(n, rate_b, difference, alpha) >= power

    hi = 1
    while not ok(hi):
        hi *= 2
        if hi > max_n:
            return None
    lo = hi // 2  # not ok (or 0)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    n = hi
    while n <= max_n:
        bad = next((k for k in range(n + 1, n + 11) if not ok(k)), None)
        if bad is None:
            return n
        n = bad + 1
        while n <= max_n and not ok(n):
            n += 1
    return None
