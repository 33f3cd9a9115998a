"""gsm8k / math scorers: extraction order, normalisation, exact vs numeric comparison, real GSM8K references."""

from __future__ import annotations

import json

import pytest

from ptst.judges import get_scorer
from ptst.judges.math import extract_answer, normalize_number, reference_answer


@pytest.mark.parametrize(
    "response, expected",
    [
        ("Janet has 16 - 3 - 4 = <<16-3-4=9>>9 eggs.\n#### 18", "18"),  # #### wins over the last number
        ("#### $1,234.00.", "1234"),
        ("#### **42**", "42"),
        ("#### -7 degrees", "-7"),
        ("The answer is 12.50 dollars, then 3 more", "12.5"),  # "the answer is" wins over the last number
        ("so THE ANSWER IS: $3,000", "3000"),
        ("She pays 5 + 6 = 11 dollars. So 11.0", "11"),  # last number, trailing .0 dropped
        ("Total: 18.00.", "18"),
        ("#### \nThe answer is 5", "5"),  # a #### with no number falls through
        ("1,000,000 grains and 2 cups", "2"),
        ("First 2, then 3, finally 1,250", "1250"),
        ("I cannot solve this.", None),
        ("", None),
        ("#### 007", "007"),
        ("between 2-3 hours", "3"),
    ],
)
def test_extract_answer(response, expected):
    assert extract_answer(response) == expected


def test_normalize_number():
    assert normalize_number("$1,234.50") == "1234.5"
    assert normalize_number("-$3") == "-3"
    assert normalize_number("**18.00**") == "18"
    assert normalize_number("-0.0") == "0"
    assert normalize_number("0.50") == "0.5"


def test_reference_forms():
    assert reference_answer("He makes 2 * 9 = <<2*9=18>>18 dollars.\n#### 18") == "18"
    assert reference_answer("#### 1,200") == "1200"
    assert reference_answer(72) == "72"
    assert reference_answer("3.0") == "3"


def test_gsm8k_vs_math_scorers():
    rows = [
        {"response": "#### 18", "reference": "blah\n#### 18"},
        {"response": "The answer is 18.0", "reference": "18"},
        {"response": "#### 007", "reference": "#### 7"},
        {"response": "#### 17", "reference": "#### 18"},
        {"response": "no idea", "reference": "#### 18"},
        {"response": "#### 1,234", "reference": 1234},
    ]
    g = get_scorer("gsm8k").score(rows)
    m = get_scorer("math").score(rows)
    assert [r["correct"] for r in g] == [True, True, False, False, False, True]
    assert [r["correct"] for r in m] == [True, True, True, False, False, True]
    assert g[2]["extracted"] == "007" and g[2]["expected"] == "7"
    assert g[4]["extracted"] is None
    assert get_scorer("gsm8k").kind == get_scorer("math").kind == "helpfulness"
    assert get_scorer("gsm8k").identity() != get_scorer("math").identity()


def test_real_gsm8k_references_score_themselves(shared_data):
    """Every real GSM8K test answer, scored as its own response, is correct (extraction agrees on both sides)."""
    rows = []
    with open(shared_data / "gsm8k" / "test.jsonl", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            rows.append({"response": item["answer"], "reference": item["answer"]})
    assert len(rows) == 1319
    out = get_scorer("gsm8k").score(rows)
    assert all(r["correct"] for r in out)
    assert all(r["extracted"] is not None and "," not in r["extracted"] for r in out)
    # the worked solution without its final line: the last number is usually, but not always, the answer
    stripped = [{"response": r["response"].rsplit("####", 1)[0], "reference": r["reference"]} for r in rows]
    acc = sum(r["correct"] for r in get_scorer("gsm8k").score(stripped)) / len(rows)
    assert 0.8 < acc < 1.0


def test_math_scorer_on_builtin_math_references():
    """ptst's built-in math problems: every reference scores itself correct, and numeric variants match."""
    from ptst.data import load_dataset

    records = load_dataset("builtin:math", split="test")
    assert len(records) >= 100
    rows = [{"response": r.reference, "reference": r.reference} for r in records]
    out = get_scorer("math").score(rows)
    assert all(o["correct"] for o in out)
    assert all(o["extracted"].lstrip("-").isdigit() for o in out)  # integer answers
    answers = [o["expected"] for o in out]
    variants = [{"response": f"The answer is {a}.0", "reference": r.reference} for a, r in zip(answers, records)]
    variants += [{"response": f"#### 0{a}", "reference": r.reference} for a, r in zip(answers, records) if not a.startswith("-")]
    assert all(o["correct"] for o in get_scorer("math").score(variants))
    wrong = [{"response": f"#### {int(a) + 1}", "reference": r.reference} for a, r in zip(answers, records)]
    assert not any(o["correct"] for o in get_scorer("math").score(wrong))
