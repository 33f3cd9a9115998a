"""The built-in data sets: counts, fields, categories, ids, loading speed, generator determinism and correctness,
refusal/answer style, and disjointness from each other and from the public benchmarks in ../shared/data."""

from __future__ import annotations

import importlib.util
import json
import random
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from ptst.data import get_source, list_sources, load_dataset
from ptst.data.builtin import (DATA_DIR, _read, align_benign_texts, align_harmful_texts, align_lookalike_texts, build,
                               load_builtin, mathgen)
from ptst.data.builtin import overlap as ov
from ptst.errors import PtstError
from ptst.judges.keyword import is_refusal

REPO = Path(__file__).resolve().parents[1]
HARM4 = {"malware", "drug", "phishing", "disinfo"}
ALIGN_HARM = {"violence", "weapons", "fraud", "hacking", "hate-harassment", "self-harm", "privacy", "chemicals",
              "extremism", "theft", "malware", "drug", "phishing", "disinfo"}

# name -> (minimum size, allowed categories (None: any), reference required)
SETS = {
    "builtin:harmful": (200, HARM4, False),
    "builtin:gsm-danger": (50, {"math-danger"}, False),
    "builtin:benign": (100, HARM4 | {"math-danger"}, True),
    "builtin:math:train": (2000, {"add", "sub", "mul", "div", "two-step"}, True),
    "builtin:math:test": (300, {"add", "sub", "mul", "div", "two-step"}, True),
    "builtin:math-1step:train": (1500, {"add", "sub", "mul", "div"}, True),
    "builtin:math-1step:test": (240, {"add", "sub", "mul", "div"}, True),
    "align:harmful:train": (300, ALIGN_HARM, True),
    "align:harmful:heldout": (80, ALIGN_HARM, True),
    "align:benign:train": (300, None, True),
    "align:benign:heldout": (80, None, True),
}
ALIGN = ["align:harmful:train", "align:harmful:heldout", "align:benign:train", "align:benign:heldout"]
BUILTIN_EVAL = ["builtin:harmful", "builtin:gsm-danger", "builtin:benign", "builtin:math:test"]
PUBLIC = ["advbench", "directharm4", "gsm8k:test", "safety-tuned-llamas"]


def texts(name: str) -> list[str]:
    return [r.instruction for r in load_dataset(name)]


# ---- registration, fields, counts ---------------------------------------------------------------------------


def test_sources_registered():
    names = {s.name for s in list_sources()}
    for n in ("builtin:harmful", "builtin:gsm-danger", "builtin:benign", "builtin:math", "builtin:math-train",
              "builtin:math-test", "align:harmful", "align:benign"):
        assert n in names
    assert get_source("builtin:math").splits == ("train", "test")
    for split in ("train", "test"):  # the one-step set is builtin:math without its two-step problems, in order
        full = load_dataset(f"builtin:math:{split}")
        one = load_dataset(f"builtin:math-1step:{split}")
        assert [(r.id, r.instruction, r.reference) for r in one] == \
            [(r.id, r.instruction, r.reference) for r in full if r.category != "two-step"]
    assert get_source("align:harmful").splits == ("train", "heldout")
    assert get_source("builtin:harmful").role == "harmful" and get_source("builtin:benign").role == "benign"


@pytest.mark.parametrize("name", list(SETS))
def test_counts_fields_categories(name):
    minimum, cats, needs_ref = SETS[name]
    recs = load_dataset(name)
    assert len(recs) >= minimum
    assert len({r.id for r in recs}) == len(recs)
    for r in recs:
        assert r.source == name
        assert r.instruction == r.instruction.strip() and len(r.instruction) >= 10
        assert r.category and (cats is None or r.category in cats), r.category
        if needs_ref:
            assert r.reference and r.reference.strip() == r.reference
        else:
            assert r.reference is None  # harmful requests carry no answer of any kind
    if cats is not None and name != "builtin:benign":
        assert {r.category for r in recs} == cats


def test_category_minimums():
    harmful = Counter(r.category for r in load_dataset("builtin:harmful"))
    assert set(harmful) == HARM4 and min(harmful.values()) >= 50
    benign = Counter(r.category for r in load_dataset("builtin:benign"))
    assert set(benign) == HARM4 | {"math-danger"} and min(benign.values()) >= 20
    for split in ("train", "heldout"):
        cats = Counter(r.category for r in load_dataset(f"align:harmful:{split}"))
        assert set(cats) == ALIGN_HARM and min(cats.values()) >= 5
    benign_cats = {r.category for r in load_dataset("align:benign:train")}
    assert {"general", "writing", "coding", "cooking", "health", "math", "lookalike"} <= benign_cats


def test_ids_unique_across_all_sets():
    ids = [r.id for name in SETS if "1step" not in name for r in load_dataset(name)]  # 1step: a subset of math
    assert len(ids) == len(set(ids))


def test_name_split_syntax_and_aliases():
    train = load_dataset("builtin:math:train")
    assert [r.id for r in train] == [r.id for r in load_dataset("builtin:math", split="train")]
    assert [r.id for r in train] == [r.id for r in load_dataset("builtin:math-train")]
    assert [r.id for r in load_dataset("builtin:math")] == [r.id for r in load_dataset("builtin:math-test")]
    assert load_dataset("align:benign:heldout")[0].source == "align:benign:heldout"
    assert len(load_dataset("builtin:harmful", limit=3)) == 3


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: load_dataset("builtin:math", split="dev"), r"unknown split 'dev'"),
        (lambda: load_dataset("align:harmful:test"), r"unknown split 'test'"),
        (lambda: load_dataset("builtin:harmful", split="train"), r"has no split 'train'"),
        (lambda: load_dataset("builtin:harmful", path="x.jsonl"), r"built in; --path does not apply"),
    ],
)
def test_bad_requests_are_one_line_errors(call, match, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.jsonl").write_text('{"instruction": "x"}\n')
    with pytest.raises(PtstError, match=match) as e:
        call()
    assert "\n" not in str(e.value)


def test_records_are_fresh_lists():
    a = load_dataset("builtin:gsm-danger")
    a.clear()
    assert len(load_dataset("builtin:gsm-danger")) >= 50


def test_loading_is_fast():
    """< 50 ms of CPU per file on first load (CPU time, so other processes on the machine do not count)."""
    for name in build.FILES:
        best = float("inf")
        for _ in range(3):
            _read.cache_clear()
            t = time.process_time()
            recs = load_builtin(name)
            best = min(best, time.process_time() - t)
        assert recs and best < 0.05, (name, best)


def test_data_files_ship_in_package():
    from importlib.resources import files

    root = files("ptst.data.builtin")
    for name in build.FILES:
        assert root.joinpath(name).is_file()
    pyproject = (REPO / "pyproject.toml").read_text()
    assert '"**/*.jsonl"' in pyproject  # package-data pattern that ships them


# ---- generation: shipped files == fresh build, determinism ----------------------------------------------------


@pytest.fixture(scope="module")
def built():
    return build.build_all(build.DEFAULT_SEED)


def test_shipped_files_equal_a_fresh_build(built):
    for name, rows in built.items():
        assert (DATA_DIR / name).read_text(encoding="utf-8") == build.to_jsonl(rows), f"{name} is stale"


def test_generator_is_deterministic(built):
    again = build.build_all(build.DEFAULT_SEED)
    assert {k: build.to_jsonl(v) for k, v in again.items()} == {k: build.to_jsonl(v) for k, v in built.items()}
    other = build.build_math(build.DEFAULT_SEED + 1)
    assert [r["instruction"] for r in other["math_test.jsonl"]] != [r["instruction"] for r in built["math_test.jsonl"]]
    other_align = build.build_align(build.DEFAULT_SEED + 1)
    assert build.to_jsonl(other_align["align_harmful_train.jsonl"]) != build.to_jsonl(built["align_harmful_train.jsonl"])
    # the hand-written sets do not depend on the seed, and their ids depend only on their text
    assert build.build_eval_sets() == {k: built[k] for k in ("harmful.jsonl", "gsm_danger.jsonl", "benign.jsonl")}


def test_script_check_and_write(tmp_path):
    spec = importlib.util.spec_from_file_location("make_builtin_data", REPO / "scripts" / "make_builtin_data.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main(["--check"]) == 0
    assert mod.main(["--out", str(tmp_path)]) == 0
    for name in build.FILES:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes()
    (tmp_path / "benign.jsonl").write_text("{}\n")
    assert mod.main(["--check", "--out", str(tmp_path)]) == 1


# ---- math: exact answers, difficulty, train/test disjoint -----------------------------------------------------

_INT = re.compile(r"\d+")


@pytest.mark.parametrize("name", ["builtin:math:train", "builtin:math:test"])
def test_math_answers_are_correct(name):
    templates = {t.name: t for t in mathgen.TEMPLATES}
    for r in load_dataset(name):
        n = mathgen.check_worked_answer(r.reference)  # every "a op b = c" right, "#### N" = last result
        assert n == r.meta["answer"]
        # recompute from the structured values (they are in the id: math-<template>-a12-b7)
        t = templates[r.meta["template"]]
        values = {m.group(1): int(m.group(2)) for m in re.finditer(r"-([a-z]+)(\d+)", r.id.removeprefix(f"math-{t.name}"))}
        assert t.solve(values) == n
        assert t.category == r.category
        # the worked answer reasons from the question: each operand is in the question or an earlier result
        known = {int(x) for x in _INT.findall(r.instruction)}
        steps = mathgen.EQUATION.findall(r.reference)
        assert 1 <= len(steps) <= 2 and (len(steps) == 2) == (r.category == "two-step")
        for a, _, b, c in steps:
            assert int(a) in known and int(b) in known, (r.id, a, b)
            assert int(c) >= 2  # positive, and never "1 cookies"
            known.add(int(c))
        assert 0 < n <= 1000 and len(r.reference) <= 160


def test_worked_answer_checker_rejects_wrong_arithmetic():
    assert mathgen.check_worked_answer("She has 12 + 7 = 19 apples.\n#### 19") == 19
    for bad in ("She has 12 + 7 = 18 apples.\n#### 18", "She has 12 + 7 = 19 apples.\n#### 20",
                "She has 12 + 7 = 19 apples.", "No steps.\n#### 3", "Each gets 7 / 2 = 3.\n#### 3"):
        with pytest.raises(ValueError):
            mathgen.check_worked_answer(bad)


def test_math_train_and_test_disjoint():
    train, test = load_dataset("builtin:math:train"), load_dataset("builtin:math:test")
    assert not ov.exact_duplicates([r.instruction for r in train], [r.instruction for r in test])
    # no number combination of a template is shared (the id is template + numbers)
    assert not {r.id for r in train} & {r.id for r in test}
    assert len({r.meta["template"] for r in test}) == len(mathgen.TEMPLATES) >= 40
    for recs in (train, test):
        assert len({ov.exact_key(r.instruction) for r in recs}) == len(recs)


def test_math_generator_never_reuses_a_combination():
    train, test = mathgen.generate(7, 300, 100)
    keys = [p.key() for p in train + test]
    assert len(keys) == len(set(keys))
    with pytest.raises(RuntimeError, match="no unused number combination"):
        mathgen.generate(7, 20000, 10, max_tries=50)


# ---- style of references --------------------------------------------------------------------------------------


def test_alignment_refusals_are_refusals():
    for split in ("train", "heldout"):
        recs = load_dataset(f"align:harmful:{split}")
        for r in recs:
            assert is_refusal(r.reference), r.reference  # the keyword judge recognises every refusal
            assert len(r.reference) <= 320
        # consistent in spirit, varied in wording
        assert len({r.reference for r in recs}) >= 0.6 * len(recs)
        assert len({r.reference.split(".")[0] for r in recs}) >= 8


@pytest.mark.parametrize("name", ["align:benign:train", "align:benign:heldout", "builtin:benign"])
def test_helpful_answers_never_look_like_refusals(name):
    for r in load_dataset(name):
        assert not is_refusal(r.reference), (r.id, r.reference)
        assert len(r.reference) <= 600


def test_benign_references_are_short_answers():
    for r in load_dataset("builtin:benign"):
        sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9'\"(])", r.reference) if s]
        assert 1 <= len(sentences) <= 5, (r.id, len(sentences))
        assert 40 <= len(r.reference) <= 500


def test_hand_written_share_of_alignment_data():
    hand_benign = {q for _, q, _ in align_benign_texts.HANDWRITTEN}
    hand_benign |= {q for pairs in align_lookalike_texts.LOOKALIKES.values() for q, _ in pairs}
    hand_benign |= {q for _, q, _ in align_lookalike_texts.FORM}
    train = load_dataset("align:benign:train")
    assert sum(r.instruction in hand_benign for r in train) >= 300
    assert all(r.instruction in hand_benign for r in load_dataset("align:benign:heldout"))
    hand_harm = {t for _, t in align_harmful_texts.HANDWRITTEN}
    assert sum(r.instruction in hand_harm for r in load_dataset("align:harmful:heldout")) >= 15


def test_heldout_harmful_acts_and_framings_unseen_in_training():
    H = align_harmful_texts
    train = " ".join(texts("align:harmful:train"))
    for cat, acts in H.ACTS.items():
        for kind, act in acts[-H.HELDOUT_PER_CATEGORY:]:
            assert act not in train and act[0].upper() + act[1:] not in train
    for kind in ("how", "write"):
        assert not set(H.FRAMINGS["train"][kind]) & set(H.FRAMINGS["heldout"][kind])


def test_harmful_requests_are_varied():
    recs = load_dataset("builtin:harmful")
    for cat in HARM4:
        items = [r.instruction for r in recs if r.category == cat]
        assert len({t.split()[0].lower() for t in items}) >= 10  # many openings, not one template
        assert sum(t.endswith("?") for t in items) >= 5  # questions as well as imperatives
        assert min(map(len, items)) < 60 and max(map(len, items)) > 140  # short and long
        assert sum(t[0].islower() for t in items) >= 1  # chat-style lower case too
    danger = texts("builtin:gsm-danger")
    assert all(_INT.search(t) for t in danger)  # a math-looking setup with quantities


# ---- disjointness ---------------------------------------------------------------------------------------------

_PUBLIC_CACHE: dict[tuple[str, str], ov.Collection] = {}
_BUILTIN_CACHE: dict[str, ov.Collection] = {}


def builtin_collection(name: str) -> ov.Collection:
    if name not in _BUILTIN_CACHE:
        _BUILTIN_CACHE[name] = ov.Collection(texts(name))
    return _BUILTIN_CACHE[name]


def public_collection(shared_data: Path, name: str) -> ov.Collection:
    key = (str(shared_data), name)
    if key not in _PUBLIC_CACHE:
        if name == "gsm8k:test":
            recs = load_dataset("gsm8k", path=shared_data / "gsm8k", split="test")
        else:
            recs = load_dataset(name, path=shared_data / name)
        _PUBLIC_CACHE[key] = ov.Collection(r.instruction for r in recs)
    return _PUBLIC_CACHE[key]


def assert_disjoint(a: ov.Collection, b: ov.Collection, label: str) -> None:
    exact = ov.exact_duplicates(a, b)
    assert not exact, f"{label}: exact duplicates, e.g. {a.texts[exact[0][0]]!r}"
    near = ov.near_duplicates(a, b)
    assert not near, (f"{label}: near-duplicates, e.g. {a.texts[near[0].a]!r} ~ {b.texts[near[0].b]!r} "
                      f"(jaccard {near[0].jaccard:.2f}, overlap {near[0].overlap:.2f})")


@pytest.mark.parametrize("align", ALIGN)
def test_alignment_data_disjoint_from_builtin_eval_sets(align):
    for ev in BUILTIN_EVAL:
        assert_disjoint(builtin_collection(align), builtin_collection(ev), f"{align} vs {ev}")


@pytest.mark.parametrize("align", ALIGN)
def test_alignment_data_disjoint_from_public_sets(align, shared_data):
    for pub in PUBLIC:
        assert_disjoint(builtin_collection(align), public_collection(shared_data, pub), f"{align} vs {pub}")


def test_builtin_eval_sets_disjoint_from_each_other():
    for i, x in enumerate(BUILTIN_EVAL):
        for y in BUILTIN_EVAL[i + 1:]:
            assert_disjoint(builtin_collection(x), builtin_collection(y), f"{x} vs {y}")


@pytest.mark.parametrize("name", BUILTIN_EVAL + ["builtin:math:train"])
def test_builtin_sets_not_copied_from_public_sets(name, shared_data):
    for pub in PUBLIC:
        assert_disjoint(builtin_collection(name), public_collection(shared_data, pub), f"{name} vs {pub}")


def test_refusals_not_copied_from_safety_tuned_llamas(shared_data):
    data = json.loads((shared_data / "safety-tuned-llamas" / "safety_only_data_Instructions.json").read_text())
    outputs = ov.Collection(d["output"] for d in data)
    refusals = ov.Collection({r.reference for s in ("train", "heldout") for r in load_dataset(f"align:harmful:{s}")})
    assert_disjoint(refusals, outputs, "align refusals vs safety-tuned-llamas outputs")


@pytest.mark.parametrize("kind", ["harmful", "benign"])
def test_alignment_train_and_heldout_disjoint(kind):
    assert_disjoint(builtin_collection(f"align:{kind}:train"), builtin_collection(f"align:{kind}:heldout"),
                    f"align:{kind} train vs heldout")


# ---- the near-duplicate detector itself -----------------------------------------------------------------------


def test_exact_key_normalisation():
    assert ov.exact_key("Hello, World!") == ov.exact_key("  hello world ") == "helloworld"
    assert ov.exact_key("Write a poem.") != ov.exact_key("Write a poem about cats.")


def test_near_duplicates_is_exact_against_brute_force(shared_data):
    """The prefix filter misses nothing: compare with scoring every pair, at the default and at lower thresholds."""
    rng = random.Random(0)
    a = rng.sample(texts("align:harmful:train"), 120) + rng.sample(texts("builtin:harmful"), 60)
    b = rng.sample(public_collection(shared_data, "directharm4").texts, 150) + rng.sample(texts("builtin:harmful"), 40)
    sa, sb = [ov.shingles(t) for t in a], [ov.shingles(t) for t in b]
    for jac, over in ((ov.JACCARD, ov.OVERLAP), (0.25, 0.45), (0.15, 0.3)):
        brute = {(i, j) for i in range(len(a)) for j in range(len(b)) if ov.is_near(sa[i], sb[j], jac, over)}
        fast = {(m.a, m.b) for m in ov.near_duplicates(a, b, jaccard=jac, overlap=over)}
        assert fast == brute
    assert len(brute) >= 20  # the low thresholds do produce pairs, so the comparison means something


def _edits(rng: random.Random):
    fillers = ["really", "quickly", "secret", "simple", "new", "my", "detailed"]

    def sub1(t):
        w = t.split()
        w[rng.randrange(len(w))] = rng.choice(fillers)
        return " ".join(w)

    def del1(t):
        w = t.split()
        del w[rng.randrange(len(w))]
        return " ".join(w)

    def prefix(t):
        return rng.choice(["Please ", "Can you ", "I need you to ", "Hey, "]) + t[0].lower() + t[1:]

    def embed(t):
        return "Tom has 12 apples and gives 5 to his sister, so he has 7 left. Then he asks: " + t

    return {"substitute a word": sub1, "delete a word": del1, "add a framing": prefix, "embed in a story": embed}


def test_detector_catches_lightly_edited_copies_of_public_items(shared_data):
    """Why the thresholds: copies of real benchmark items with one small edit score above them (>= 95% caught)."""
    items = public_collection(shared_data, "advbench").texts + public_collection(shared_data, "directharm4").texts
    rng = random.Random(1)
    sample = rng.sample(items, 300)
    for label, edit in _edits(rng).items():
        caught = sum(ov.is_near(ov.shingles(t), ov.shingles(edit(t))) for t in sample)
        assert caught >= 0.95 * len(sample), (label, caught)


def test_cli_lists_and_shows_builtin_sets():
    out = subprocess.run([sys.executable, "-m", "ptst", "data", "show", "builtin:math:train", "-n", "1"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    row = json.loads(out.stdout)
    assert row["source"] == "builtin:math:train" and row["reference"].splitlines()[-1].startswith("#### ")
    assert "builtin:math:train: 2000 records" in out.stderr
    bad = subprocess.run([sys.executable, "-m", "ptst", "data", "show", "align:harmful:test"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "unknown split 'test'" in bad.stderr and "Traceback" not in bad.stderr
