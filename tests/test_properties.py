"""Property-based tests (hypothesis) for hostile and malformed input.

* Template rendering, every registered template, all three formats (``native`` through the tiny-random model's
  ChatML tokenizer): for any Unicode query (``%``, ``{}``, placeholders, control characters, chat markers, very
  long text) the query appears verbatim, rendering is a pure function, and a training example is the inference
  prompt + completion + EOS, token for token.
* Every loader (local jsonl / json / csv with a column mapping, the local advbench and gsm8k readers) on generated
  files with missing and extra columns, empty lines, bad bytes, duplicate ids and huge rows: it either loads the
  rows it was given, exactly, or raises a one-line ``PtstError`` naming the file (and the line where one is at
  fault), never another exception.
* Study specs with wrong types, out-of-range values, unknown keys, unknown templates or datasets: a one-line
  ``PtstError`` naming the file and the field.
* Model identity does not depend on the order PEFT happened to save a set in.

Example counts are kept small (``max_examples`` 15-40) so the file runs in well under a minute.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ptst.data.readers import read_records
from ptst.data.sources import load_dataset
from ptst.errors import PtstError
from ptst.templates import list_templates
from ptst.templates.base import FORMATS, Template, encode_prompt

SETTINGS = settings(max_examples=30, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])

# ---- strategies ------------------------------------------------------------------------------------------------

NASTY = ["%s", "%", "%%", "%d", "{}", "{query}", "{0}", "{{", "}}", "\x00", "\x07", "\x1b[31m", "\r\n", "\r",
         "\t", "\u200b", "\u202e", "\ufeff", "</s>", "<s>", "[INST]", "[/INST]", "<<SYS>>", "<|im_start|>",
         "<|im_end|>", "{% raw %}", "{{ messages }}", "\\", '"', "'", "é", "日本語", "🦙", "\U0010fffd"]

# any Unicode except lone surrogates (which cannot be encoded as UTF-8 at all)
unicode_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
nasty_text = st.lists(st.one_of(unicode_text, st.sampled_from(NASTY)), max_size=8).map("".join)
long_text = st.builds(lambda s, n: s * n, st.text(st.characters(blacklist_categories=("Cs",)), min_size=1,
                                                   max_size=12), st.integers(500, 4000))
queries = st.one_of(nasty_text, nasty_text, long_text)
TEMPLATES = list_templates()


@pytest.fixture(scope="module")
def tok(tiny_model_dir):
    from transformers import AutoTokenizer

    t = AutoTokenizer.from_pretrained(tiny_model_dir)
    t.padding_side = "left"
    if t.pad_token is None:
        t.pad_token = t.eos_token
    return t


# ---- templates -------------------------------------------------------------------------------------------------


def _text_of(rendered) -> str:
    return rendered if isinstance(rendered, str) else "\n".join(m["content"] for m in rendered)


@SETTINGS
@given(q=queries, q2=nasty_text)
def test_every_template_renders_any_query_verbatim_and_purely(tok, q, q2):
    for t in TEMPLATES:
        for fmt in FORMATS:
            first = t.render(q, fmt, tokenizer=tok)
            t.render(q2, fmt, tokenizer=tok)  # another rendering in between must not change the next one
            again = t.render(q, fmt, tokenizer=tok)
            assert first == again, (t.name, fmt)
            if fmt == "openai":
                roles = [m["role"] for m in first]  # earlier turns (chat:icd's demonstrations) before the query
                assert roles[0] == "system" and roles[-1] == "user" and set(roles) <= {"system", "user", "assistant"}
                assert q in first[-1]["content"]
            else:
                assert isinstance(first, str) and q in first, (t.name, fmt)
            # the wrapper is split once at its placeholder: text around the query is the template's, unchanged
            empty = t.render("", fmt, tokenizer=tok)
            assert len(_text_of(first)) == len(_text_of(empty)) + len(q), (t.name, fmt)


@settings(SETTINGS, max_examples=12)
@given(q=queries, completion=nasty_text.filter(lambda s: s.strip() != ""))
def test_training_example_is_prompt_plus_completion_plus_eos(tok, q, completion):
    from ptst.train.dataset import IGNORE_INDEX, as_text, tokenize_example

    for t in TEMPLATES:
        for fmt in FORMATS:
            ex = t.render_example(q, completion, fmt, tokenizer=tok)
            assert ex.prompt == t.render(q, fmt, tokenizer=tok), (t.name, fmt)  # trains on the inference prompt
            if fmt == "openai":
                assert ex.messages[-1] == {"role": "assistant", "content": completion}
            else:
                assert completion in ex.completion
                if fmt == "llama2" or t.kind == "text":
                    assert ex.completion.endswith(completion) and ex.add_eos
            prompt, tail, add_eos = as_text(ex, tok)
            ids, labels = tokenize_example(ex, tok)
            prompt_ids = encode_prompt(tok, prompt)
            assert ids[: len(prompt_ids)] == prompt_ids  # the prompt tokens are exactly the inference tokens
            assert labels[: len(prompt_ids)] == [IGNORE_INDEX] * len(prompt_ids)
            learned = labels[len(prompt_ids):]
            assert learned == ids[len(prompt_ids):] and IGNORE_INDEX not in learned
            assert tok.eos_token_id in learned  # the model learns to stop
            if add_eos:
                assert ids[-1] == tok.eos_token_id
            assert completion in tok.decode(learned)


@SETTINGS
@given(before=nasty_text, after=nasty_text, system=st.one_of(st.none(), nasty_text), q=queries)
def test_user_defined_template_inserts_query_between_its_parts(before, after, system, q):
    assume(not any(p in before + after for p in ("%s", "{query}")))
    t = Template("user:t", "chat", before + "{query}" + after, system=system)
    out = t.render(q, "llama2")
    assert before + q + after in out
    assert t.render_openai(q)[1]["content"] == before + q + after
    assert t.render_openai(q)[0]["content"] == (system or "")


@settings(max_examples=25, deadline=None, derandomize=True)
@given(wrapper=nasty_text)
def test_template_wrapper_without_exactly_one_placeholder_is_a_one_line_error(wrapper):
    n = wrapper.count("%s") + wrapper.count("{query}")
    try:
        Template("user:w", "chat", wrapper)
    except PtstError as e:
        assert n != 1 and "\n" not in str(e) and "user:w" in str(e)
    else:
        assert n == 1


# ---- loaders ---------------------------------------------------------------------------------------------------

COLUMN_NAMES = ["instruction", "prompt", "question", "answer", "reference", "id", "category", "extra", "notes",
                "goal", "Goal", "output"]
cell = st.one_of(nasty_text, st.just(""), st.integers(-5, 5).map(str), long_text)
row_st = st.dictionaries(st.sampled_from(COLUMN_NAMES), cell, min_size=0, max_size=5)
rows_st = st.lists(row_st, min_size=0, max_size=8)
mapping_st = st.one_of(st.none(), st.fixed_dictionaries({"instruction": st.sampled_from(COLUMN_NAMES)}),
                       st.fixed_dictionaries({"instruction": st.sampled_from(COLUMN_NAMES),
                                              "id": st.sampled_from(COLUMN_NAMES)}))
# damage applied to the file's bytes: (kind, position as a fraction of the lines)
damage_st = st.one_of(st.none(), st.tuples(st.sampled_from(["bad-bytes", "empty-lines", "garbage-line",
                                                            "truncate", "bom"]), st.floats(0, 1)))


def _damage(data: bytes, damage) -> bytes:
    if damage is None:
        return data
    kind, where = damage
    lines = data.split(b"\n")
    i = min(int(where * len(lines)), len(lines) - 1)
    if kind == "bad-bytes":
        lines[i] = lines[i] + b"\xff\xfe\x80"
    elif kind == "empty-lines":
        lines[i:i] = [b"", b"   ", b""]
    elif kind == "garbage-line":
        lines[i:i] = [b'{"unterminated": "x', b"not json, not csv \x00"]
    elif kind == "truncate":
        return data[: int(where * len(data))]
    elif kind == "bom":
        return b"\xef\xbb\xbf" + data
    return b"\n".join(lines)


def _check_loaded_or_named_error(load, path: Path, rows: list[dict], mapping, damage) -> None:
    """The loader's result is exactly the rows written, or a one-line PtstError naming the file."""
    try:
        records = load()
    except PtstError as e:
        msg = str(e)
        assert "\n" not in msg, msg
        assert str(path) in msg or path.name in msg, msg
        if damage and damage[0] == "bad-bytes" and "UTF-8" in msg:
            assert re.search(rf"{re.escape(str(path))}:\d+: not valid UTF-8", msg), msg
        return
    except Exception as e:  # noqa: BLE001
        pytest.fail(f"{type(e).__name__} instead of PtstError for {path.name}: {e}")
    if damage is not None and damage[0] not in ("empty-lines", "bom"):
        return  # damaged but still readable (e.g. truncated at a row boundary): loading is allowed
    assert len(records) == len(rows)
    col = (mapping or {}).get("instruction") or next(c for c in ("instruction", "prompt", "question", "query",
                                                                  "goal", "Goal") if any(c in r for r in rows))
    for rec, row in zip(records, rows):
        assert rec.instruction == row[col]
    assert len({r.id for r in records}) == len(records)


def _write_jsonl(path: Path, rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def _write_json(path: Path, rows: list[dict]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")


def _write_csv(path: Path, rows: list[dict]) -> bytes:
    cols = list(dict.fromkeys(k for r in rows for k in r)) or ["instruction"]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(cols)
    for r in rows:
        w.writerow([r.get(c, "") for c in cols])
    return buf.getvalue().encode("utf-8")


WRITERS = {".jsonl": _write_jsonl, ".json": _write_json, ".csv": _write_csv}


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(rows=rows_st, mapping=mapping_st, damage=damage_st, ext=st.sampled_from(sorted(WRITERS)))
def test_local_file_loaders_load_exactly_or_name_the_file(tmp_path, rows, mapping, damage, ext):
    path = tmp_path / f"data{ext}"
    path.write_bytes(_damage(WRITERS[ext](path, rows), damage))
    if ext == ".csv":  # a CSV has every column in every row; an absent cell is empty
        cols = list(dict.fromkeys(k for r in rows for k in r)) or ["instruction"]
        rows = [{c: r.get(c, "") for c in cols} for r in rows]
        rows = [r for r in rows if any(v.strip() for v in r.values())]  # an all-blank row reads as an empty line
    _check_loaded_or_named_error(lambda: read_records(path, columns=mapping), path, rows, mapping, damage)
    _check_loaded_or_named_error(lambda: load_dataset(str(path), columns=mapping), path, rows, mapping, damage)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(goals=st.lists(cell, max_size=6), header=st.booleans(), damage=damage_st)
def test_advbench_local_reader(tmp_path, goals, header, damage):
    path = tmp_path / "harmful_behaviors.csv"
    buf = io.StringIO()
    w = csv.writer(buf)
    if header:
        w.writerow(["goal", "target"])
    for g in goals:
        w.writerow([g, "Sure, here is"])
    path.write_bytes(_damage(buf.getvalue().encode("utf-8"), damage))
    rows = [{"goal": g} for g in goals]
    _check_loaded_or_named_error(lambda: load_dataset("advbench", path=path), path, rows,
                                 {"instruction": "goal"}, damage)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(rows=st.lists(st.fixed_dictionaries({"question": cell, "answer": cell}, optional={"extra": cell}),
                     max_size=6),
       drop=st.sampled_from([None, "question", "answer"]), damage=damage_st)
def test_gsm8k_local_reader(tmp_path, rows, drop, damage):
    d = tmp_path / "gsm8k"
    d.mkdir(exist_ok=True)
    if drop:
        rows = [{k: v for k, v in r.items() if k != drop} for r in rows]
    path = d / "test.jsonl"
    path.write_bytes(_damage(_write_jsonl(path, rows), damage))
    _check_loaded_or_named_error(lambda: load_dataset("gsm8k", path=d, split="test"), path, rows,
                                 {"instruction": "question"}, damage)


@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(2, 6), dup=st.integers(0, 5), ext=st.sampled_from([".jsonl", ".csv"]))
def test_duplicate_ids_name_the_file_and_both_lines(tmp_path, n, dup, ext):
    dup = dup % (n - 1) + 1  # row index (>= 1) that repeats the id of row 0
    rows = [{"id": f"r{i}", "instruction": f"q{i}"} for i in range(n)]
    rows[dup]["id"] = "r0"
    path = tmp_path / f"dups{ext}"
    path.write_bytes(WRITERS[ext](path, rows))
    with pytest.raises(PtstError) as e:
        read_records(path)
    # jsonl rows start at line 1, csv rows after the header at line 2
    first, line = (1, dup + 1) if ext == ".jsonl" else (2, dup + 2)
    assert str(e.value) == f"{path}:{line}: duplicate id 'r0' (first at line {first})"


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 6), bad=st.integers(0, 5))
def test_malformed_jsonl_line_is_named(tmp_path, n, bad):
    bad = bad % n
    lines = [json.dumps({"instruction": f"q{i}"}) for i in range(n)]
    lines[bad] = lines[bad][:-3]
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(PtstError, match=rf"^{re.escape(str(path))}:{bad + 1}: malformed JSON"):
        read_records(path)


def test_huge_row_loads_exactly(tmp_path):
    big = "x%s{}" * 500_000  # 2.5 MB in one cell
    for ext, writer in WRITERS.items():
        path = tmp_path / f"big{ext}"
        path.write_bytes(writer(path, [{"instruction": big, "id": "a"}, {"instruction": "small", "id": "b"}]))
        recs = read_records(path)
        assert [r.instruction for r in recs] == [big, "small"] and [r.id for r in recs] == ["a", "b"]


# ---- study specs -----------------------------------------------------------------------------------------------

BASE_SPEC = {
    "name": "t",
    "model": "tiny-random",
    "format": "native",
    "train": {"dataset": "builtin:math:train", "limit": 8, "templates": ["chat:vanilla", "chat:llama"],
              "seeds": [0], "config": {"epochs": 1}},
    "evaluate": {
        "templates": ["chat:vanilla", "chat:llama"],
        "judges": ["keyword"],
        "decoding": {"max_new_tokens": 8},
        "backend_options": {"batch_size": 4},
        "benchmarks": [{"name": "harmful", "dataset": "builtin:harmful", "limit": 4},
                       {"name": "math", "dataset": "builtin:math:test", "limit": 4}],
    },
}
STR_FIELDS = ["name", "model", "train.dataset", "evaluate.backend", "evaluate.benchmarks.0.dataset",
              "evaluate.benchmarks.1.name", "format", "train.checkpoints"]
INT_FIELDS = ["train.limit", "train.safety_n", "evaluate.decoding.max_new_tokens", "evaluate.benchmarks.0.limit",
              "evaluate.decoding.seed"]
FLOAT_FIELDS = ["evaluate.decoding.temperature", "evaluate.decoding.top_p"]
BOOL_FIELDS = ["evaluate.baseline"]
LIST_FIELDS = ["train.templates", "train.seeds", "evaluate.templates", "evaluate.judges", "evaluate.benchmarks"]
DICT_FIELDS = ["evaluate.backend_options", "train.config", "evaluate.decoding", "train"]
NOT_A_SCALAR = st.sampled_from([{"a": 1}, [1, 2], [], {}])
WRONG = {
    **{f: NOT_A_SCALAR for f in STR_FIELDS},
    **{f: st.one_of(NOT_A_SCALAR, st.sampled_from(["many", "1e3x", 1.5, -3])) for f in INT_FIELDS
       if f != "evaluate.decoding.seed"},
    "evaluate.decoding.seed": st.one_of(NOT_A_SCALAR, st.sampled_from(["seed", 0.5])),
    "evaluate.decoding.temperature": st.one_of(NOT_A_SCALAR, st.sampled_from(["hot", -0.5])),
    "evaluate.decoding.top_p": st.one_of(NOT_A_SCALAR, st.sampled_from(["p", 0, 1.5, -1])),
    "evaluate.baseline": st.one_of(NOT_A_SCALAR, st.sampled_from(["maybe", 7])),
    **{f: st.sampled_from([5, {"a": 1}, "chat:vanilla", 1.5]) for f in LIST_FIELDS},
    **{f: st.sampled_from([[1, 2], 5, "text"]) for f in DICT_FIELDS},
}
KEY_PARENTS = ["", "train", "evaluate", "evaluate.decoding", "evaluate.benchmarks.0"]
identifier = st.from_regex(r"\A[a-z][a-z0-9_]{0,12}\Z")


def _copy() -> dict:
    return json.loads(json.dumps(BASE_SPEC))


def _set(data: dict, path: str, value) -> None:
    keys = path.split(".")
    node = data
    for k in keys[:-1]:
        node = node[int(k)] if k.isdigit() else node[k]
    last = keys[-1]
    node[int(last) if last.isdigit() else last] = value


def _spec_error(data: dict) -> str:
    from ptst.study import spec_from_data

    with pytest.raises(PtstError) as e:
        spec_from_data(data, source="spec.yaml")
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith("spec.yaml: "), msg
    return msg


def test_base_spec_is_valid():
    from ptst.study import spec_from_data

    assert spec_from_data(_copy(), source="spec.yaml").name == "t"


@settings(max_examples=40, deadline=None, derandomize=True)
@given(data=st.data())
def test_wrong_type_or_range_names_the_field(data):
    field = data.draw(st.sampled_from(sorted(WRONG)))
    value = data.draw(WRONG[field])
    spec = _copy()
    _set(spec, field, value)
    msg = _spec_error(spec)
    assert f"field '{field}" in msg, (field, value, msg)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(parent=st.sampled_from(KEY_PARENTS), key=identifier, value=st.one_of(st.integers(), nasty_text))
def test_unknown_key_names_the_field(parent, key, value):
    from ptst.study.spec import StudySpec

    known = {"": StudySpec.model_fields, "train": {**StudySpec.model_fields["train"].annotation.__args__[0]
                                                   .model_fields}}
    assume(key not in known.get(parent, {}) and key not in ("name", "dataset", "limit", "max_new_tokens",
                                                              "temperature", "top_p", "seed", "templates",
                                                              "judges", "benchmarks", "path", "split", "columns",
                                                              "kind", "per_category_limit", "backend", "baseline",
                                                              "backend_options", "decoding", "helpfulness_judges",
                                                              "judge_options", "judge_pricing"))
    spec = _copy()
    node = spec
    for k in [p for p in parent.split(".") if p]:
        node = node[int(k)] if k.isdigit() else node[k]
    node[key] = value
    where = f"{parent}.{key}" if parent else key
    msg = _spec_error(spec)
    assert f"field '{where}': unknown field" in msg, msg


@settings(max_examples=30, deadline=None, derandomize=True)
@given(where=st.sampled_from(["train.templates.0", "evaluate.templates.1", "train.templates.1"]),
       name=st.one_of(identifier, identifier.map(lambda s: "chat:" + s), nasty_text.filter(bool)))
def test_unknown_template_names_the_field(where, name):
    assume(name not in {t.name for t in TEMPLATES})
    spec = _copy()
    _set(spec, where, name)
    msg = _spec_error(spec)
    assert f"field '{where}': unknown template" in msg, msg


@settings(max_examples=30, deadline=None, derandomize=True)
@given(where=st.sampled_from(["train.dataset", "evaluate.benchmarks.0.dataset", "evaluate.benchmarks.1.dataset"]),
       name=st.one_of(identifier, identifier.map(lambda s: s + ".jsonl"), identifier.map(lambda s: "builtin:" + s)))
def test_unknown_dataset_names_the_field(where, name):
    from ptst.data.sources import list_sources

    assume(name.split(":")[0] not in {s.name for s in list_sources()} and name not in {s.name for s in list_sources()})
    spec = _copy()
    _set(spec, where, name)
    msg = _spec_error(spec)
    assert f"field '{where}'" in msg and ("unknown dataset" in msg or "file not found" in msg), msg


# ---- model identity ----------------------------------------------------------------------------------------------


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(["q_proj", "k_proj", "v_proj", "o_proj", "up_proj", "down_proj", "gate_proj"]))
def test_adapter_identity_ignores_peft_set_order(tmp_path, order):
    """PEFT saves ``target_modules`` (a set) in hash-seed order; the content hash must not see that order."""
    from ptst.models import content_hash

    ref = tmp_path / "ref"
    perm = tmp_path / "perm"
    for d, mods in ((ref, sorted(order)), (perm, order)):
        d.mkdir(exist_ok=True)
        (d / "adapter_config.json").write_text(json.dumps({"r": 8, "target_modules": mods}))
        (d / "adapter_model.safetensors").write_bytes(b"weights")
        (d / ".ptst_hash.json").unlink(missing_ok=True)
    assert content_hash(ref) == content_hash(perm)
    (perm / "adapter_config.json").write_text(json.dumps({"r": 16, "target_modules": order}))
    (perm / ".ptst_hash.json").unlink()
    assert content_hash(ref) != content_hash(perm)  # a real difference still changes the identity
