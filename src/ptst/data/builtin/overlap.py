"""Exact and near-duplicate detection between text collections (the disjointness checks of the built-in data).

Why character 8-grams: our items are short (10-40 words). Word 5-grams are too coarse for that length: changing
one word in the middle of a ten-word request destroys five of its six word 5-grams, so a lightly edited copy would
look unrelated. Character 8-grams of the normalised text (lowercase, punctuation dropped, single spaces) survive
such edits: one substituted word removes only the ~8 grams that span it.

Two scores per pair of shingle sets A, B:

* Jaccard ``|A & B| / |A | B|`` -- the whole texts are largely the same;
* overlap coefficient ``|A & B| / min(|A|, |B|)`` -- the shorter text is (mostly) contained in the longer one,
  e.g. a copied request embedded in a longer story. Only used when the shorter text has at least
  ``MIN_CONTAINED`` shingles, because a very short text ("how do i make meth") is contained in many unrelated ones.

A pair is a near-duplicate when Jaccard >= ``JACCARD`` or (overlap >= ``OVERLAP`` and the shorter side is long
enough). The thresholds are justified in docs/data.md: lightly edited copies of real benchmark items score above
them (tests/test_builtin_data.py edits public items and checks they are caught), while independently written
requests on the same topic score well below.

The search is exact, not sampled: a prefix filter (Bayardo et al., "Scaling up all pairs similarity search",
2007) proposes every pair that could pass, and each candidate is then scored exactly. A text X can only have
``|X & Y| >= t * |X|`` if Y contains one of any ``|X| - ceil(t |X|) + 1`` shingles of X, so the smaller text of
each pair is probed with that many of its rarest shingles against the full posting lists of the other side
(t = OVERLAP for containment; t = JACCARD for Jaccard, which also needs ``|Y| <= |X| / JACCARD``).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

NGRAM = 8
JACCARD = 0.5
OVERLAP = 0.7
MIN_CONTAINED = 30  # shingles, i.e. a normalised text of at least 37 characters

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lowercase, every run of non-alphanumeric characters to one space, stripped."""
    return _NON_ALNUM.sub(" ", text.lower()).strip()


def exact_key(text: str) -> str:
    """The key two texts share when they are exact duplicates up to case, punctuation and whitespace."""
    return normalise(text).replace(" ", "")


def shingles(text: str, n: int = NGRAM) -> frozenset[str]:
    """Character n-grams of the normalised text (the whole text when it is shorter than n)."""
    s = normalise(text)
    if len(s) <= n:
        return frozenset([s]) if s else frozenset()
    return frozenset(s[i : i + n] for i in range(len(s) - n + 1))


@dataclass(frozen=True)
class Match:
    """A near-duplicate pair: index into the first and the second collection, and both scores."""

    a: int
    b: int
    jaccard: float
    overlap: float


def scores(x: frozenset[str], y: frozenset[str]) -> tuple[float, float]:
    """(Jaccard, overlap coefficient) of two shingle sets."""
    if not x or not y:
        return 0.0, 0.0
    inter = len(x & y)
    return inter / len(x | y), inter / min(len(x), len(y))


def is_near(x: frozenset[str], y: frozenset[str], jaccard: float = JACCARD, overlap: float = OVERLAP) -> bool:
    j, o = scores(x, y)
    return j >= jaccard or (o >= overlap and min(len(x), len(y)) >= MIN_CONTAINED)


def _prefix_len(size: int, t: float) -> int:
    return size - math.ceil(t * size) + 1


class Collection:
    """Texts with their shingle sets and a posting list per shingle, built once and reused across comparisons
    (a public benchmark is compared with several built-in files)."""

    def __init__(self, texts: Iterable[str]):
        self.texts = list(texts)
        self.sets = [shingles(t) for t in self.texts]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(self.sets):
            for g in s:
                self.postings[g].append(i)
        self.exact: dict[str, list[int]] = defaultdict(list)
        for i, t in enumerate(self.texts):
            self.exact[exact_key(t)].append(i)

    def __len__(self) -> int:
        return len(self.texts)


def _as_collection(x: Collection | Sequence[str]) -> Collection:
    return x if isinstance(x, Collection) else Collection(x)


def _candidates(probe: Collection, target: Collection, jaccard: float, overlap: float) -> set[tuple[int, int]]:
    """Pairs (i in probe, j in target) with probe text i the smaller (or equal) of the two, that could pass."""
    out: set[tuple[int, int]] = set()
    tp = target.postings
    for i, x in enumerate(probe.sets):
        nx = len(x)
        if not nx:
            continue
        p_jac = _prefix_len(nx, jaccard)
        p_ov = _prefix_len(nx, overlap) if nx >= MIN_CONTAINED else 0
        # rarest in the target first: an absent shingle costs nothing, a common one costs its posting list
        prefix = sorted(x, key=lambda g: (len(tp.get(g, ())), g))[: max(p_jac, p_ov)]
        max_jac_size = nx / jaccard if jaccard > 0 else math.inf
        for k, g in enumerate(prefix):
            for j in tp.get(g, ()):
                ny = len(target.sets[j])
                if ny < nx:
                    continue  # the smaller text of the pair probes (the reverse pass covers it)
                if k < p_ov or (k < p_jac and ny <= max_jac_size):
                    out.add((i, j))
    return out


def near_duplicates(
    a: Collection | Sequence[str],
    b: Collection | Sequence[str],
    jaccard: float = JACCARD,
    overlap: float = OVERLAP,
) -> list[Match]:
    """Every pair (i, j) with ``a[i]`` and ``b[j]`` near-duplicates, sorted by decreasing Jaccard.

    Exact: a pair passing either test shares at least one shingle of the smaller text's prefix of rarest
    shingles (Jaccard >= t also bounds the size ratio by t), so the two probing passes find it."""
    ca, cb = _as_collection(a), _as_collection(b)
    candidates = _candidates(ca, cb, jaccard, overlap)
    candidates |= {(i, j) for j, i in _candidates(cb, ca, jaccard, overlap)}
    out = []
    for i, j in candidates:
        x, y = ca.sets[i], cb.sets[j]
        if is_near(x, y, jaccard, overlap):
            jac, ov = scores(x, y)
            out.append(Match(i, j, jac, ov))
    out.sort(key=lambda m: (-m.jaccard, -m.overlap, m.a, m.b))
    return out


def exact_duplicates(a: Collection | Sequence[str], b: Collection | Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) whose texts are equal after :func:`exact_key`."""
    ca, cb = _as_collection(a), _as_collection(b)
    return sorted((i, j) for key, ii in ca.exact.items() for i in ii for j in cb.exact.get(key, ()))
