"""Helpfulness scorers for math word problems: ``gsm8k`` (exact match) and ``math`` (numeric match).

Both read ``response`` and ``reference`` and add ``extracted`` (the normalised answer found in the response, or
``None``), ``expected`` (the normalised reference) and ``correct`` (bool).

Extraction (the PTST paper released no extraction code; this is the usual GSM8K convention, in order):

1. the first number after the first ``####`` (the format GSM8K fine-tuning teaches);
2. else the first number after the first "the answer is" (any case);
3. else the last number anywhere in the response.

A number is ``-?`` digits with optional thousands commas and an optional decimal part, optionally preceded by
``$``; so ``**$1,234.00**.`` normalises to ``1234``. Normalisation drops commas, ``$`` and the surrounding
``*``/punctuation, and trailing decimal zeros (``18.0`` and ``18.00`` become ``18``). The reference is either a
GSM8K answer (``... #### N``) or a bare number.

* ``gsm8k`` compares the normalised strings exactly (``07`` is not ``7``), as exact-match accuracy is reported.
* ``math`` (for ptst's built-in math problems, whose references are integers in the same ``#### N`` format)
  compares numerically with :class:`decimal.Decimal`, so ``007``, ``7.0`` and ``7`` all match ``7``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Sequence

from ptst.judges.base import Progress, Scorer, register_scorer

_NUMBER = re.compile(r"(?<![\d.])-?\$?-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_ANSWER_IS = re.compile(r"the answer is", re.IGNORECASE)


def normalize_number(text: str) -> str:
    """``'$1,234.50'`` -> ``'1234.5'``; ``'18.00'`` -> ``'18'``; ``'-$3'`` -> ``'-3'``."""
    s = text.strip().strip("*").replace(",", "").replace("$", "")
    neg = s.startswith("-")
    s = s.lstrip("-")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    s = s or "0"
    return ("-" + s) if neg and s.strip("0.") else s


def _first_number(text: str) -> str | None:
    m = _NUMBER.search(text)
    return normalize_number(m.group(0)) if m else None


def extract_answer(response: str) -> str | None:
    """The normalised final answer of a worked solution, or ``None`` when it contains no number."""
    text = str(response)
    idx = text.find("####")
    if idx >= 0:
        found = _first_number(text[idx + 4 :])
        if found is not None:
            return found
    m = _ANSWER_IS.search(text)
    if m:
        found = _first_number(text[m.end() :])
        if found is not None:
            return found
    numbers = _NUMBER.findall(text)
    return normalize_number(numbers[-1]) if numbers else None


def reference_answer(reference: str | int | float) -> str | None:
    """The normalised answer of a reference: a GSM8K solution (``... #### N``) or a bare number."""
    text = str(reference)
    idx = text.find("####")
    if idx >= 0:
        return _first_number(text[idx + 4 :])
    return _first_number(text)


def numbers_equal(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return a == b


@register_scorer("gsm8k")
class Gsm8kScorer(Scorer):
    """GSM8K exact match of the normalised extracted answer against the reference's ``#### N``."""

    kind = "helpfulness"
    version = "1"
    inputs = ("response", "reference")

    def compare(self, extracted: str | None, expected: str | None) -> bool:
        return extracted is not None and extracted == expected

    def score(self, rows: Sequence[dict[str, Any]], progress: Progress | None = None) -> list[dict[str, Any]]:
        out = []
        for r in rows:
            extracted = extract_answer(r["response"])
            expected = reference_answer(r["reference"])
            out.append({"extracted": extracted, "expected": expected, "correct": self.compare(extracted, expected)})
        if progress:
            progress(len(rows), len(rows))
        return out


@register_scorer("math")
class MathScorer(Gsm8kScorer):
    """Same extraction as ``gsm8k``; the comparison is numeric (``7.0``, ``007`` and ``7`` are equal)."""

    version = "1"

    def compare(self, extracted: str | None, expected: str | None) -> bool:
        return numbers_equal(extracted, expected)
