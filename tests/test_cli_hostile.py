"""The CLI's edges under hostile and mistaken input (issue 18), driven through the real ``ptst`` entry point
in-process (``ptst.cli.main.main``): every user error is one ``ptst: error:`` line with exit 2 and no traceback,
nothing the user owns is overwritten, no secret reaches disk, ``--validate`` catches what the run would trip on,
and flags mean one thing. The classes and their tests are listed in docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
import yaml

from ptst.cli.main import main
from tests.conftest import SHARED

RUBRIC = SHARED / "spec" / "qi2023-judge-template.txt"

GOOD = {
    "name": "t",
    "model": "tiny-random",
    "format": "native",
    "evaluate": {
        "templates": ["chat:vanilla"],
        "judges": ["keyword"],
        "benchmarks": [{"name": "harmful", "dataset": "builtin:harmful", "limit": 2}],
    },
}


def cli(argv, capsys):
    """(exit code, stdout, stderr) of ``ptst ARGV`` run in-process."""
    with pytest.raises(SystemExit) as e:
        main([str(a) for a in argv])
    out = capsys.readouterr()
    code = e.value.code
    return (0 if code is None else code), out.out, out.err


def one_error(argv, capsys, *expect: str) -> str:
    """Assert the contract for a user error: exit 2, one stderr line starting ``ptst: error:``, no traceback."""
    code, _, err = cli(argv, capsys)
    lines = err.strip().splitlines()
    assert code == 2, (code, err)
    assert len(lines) == 1 and lines[0].startswith("ptst: error: "), err
    assert "Traceback" not in err
    for e in expect:
        assert e in lines[0], lines[0]
    return lines[0]


def spec_file(tmp_path: Path, data=None, text: str | None = None, name="spec.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text if text is not None else yaml.safe_dump(data if data is not None else GOOD))
    return p


def with_(base: dict, **changes) -> dict:
    """A deep copy of ``base`` with ``evaluate__backend_options=...``-style changes (``__`` separates keys)."""
    data = json.loads(json.dumps(base))
    for path, value in changes.items():
        keys = path.split("__")
        node = data
        for k in keys[:-1]:
            node = node[int(k)] if k.isdigit() else node.setdefault(k, {})
        node[int(keys[-1]) if keys[-1].isdigit() else keys[-1]] = value
    return data


# ---- 5. usage errors are one line ----------------------------------------------------------------------------


@pytest.mark.parametrize("argv, expect", [
    (["nope"], "No such command 'nope'"),
    (["generate", "-m", "x"], "Missing option"),
    (["eval", "--limit", "abc", "-m", "x", "-t", "chat:llama", "-b", "builtin:harmful", "-o", "o"], "--limit"),
    (["cache", "clear", "--kind"], "requires an argument"),
    (["run", "--bogus-flag"], "No such option"),
    (["data", "show"], "Missing argument"),
])
def test_usage_errors_are_one_line(argv, expect, capsys):
    one_error(argv, capsys, expect)


def test_help_and_bare_groups_still_print_help(capsys):
    code, out, _ = cli(["--help"], capsys)
    assert code == 0 and "Usage" in out
    code, out, _ = cli(["data"], capsys)
    assert code == 0 and "Usage" in out


# ---- 3. no secret reaches disk -------------------------------------------------------------------------------


@pytest.mark.parametrize("changes, field", [
    ({"evaluate__backend_options": {"api_key": {"value": "sk-abcdefghijklmnopqrstuv"}}},
     "evaluate.backend_options.api_key"),
    ({"evaluate__backend_options": {"api_key_env": "sk-abcdefghijklmnopqrstuv"}}, "evaluate.backend_options.api_key_env"),
    ({"evaluate__backend_options": {"headers": [{"x": "Bearer abcdefghijklmnop"}]}},
     "evaluate.backend_options.headers.0.x"),
    ({"evaluate__judge_options": {"rubric": {"extra": {"token": 12345678}}}}, "evaluate.judge_options.rubric.extra.token"),
    ({"description": "my key is sk-abcdefghijklmnopqrstuv"}, "description"),
])
def test_secrets_anywhere_in_a_spec_are_refused_and_never_copied(tmp_path, capsys, changes, field):
    spec = spec_file(tmp_path, with_(GOOD, **changes))
    line = one_error(["run", spec, "--validate"], capsys, f"field '{field}'")
    assert "sk-abc" not in line and "abcdefghijklmnop" not in line  # the message never repeats the secret
    out = tmp_path / "study"
    one_error(["run", spec, "-o", out], capsys, f"field '{field}'")
    assert not out.exists()


@pytest.mark.parametrize("argv", [
    ["score", "-s", "rubric", "-i", "{tmp}/in.jsonl", "-o", "{tmp}/o.jsonl", "--base-url", "http://127.0.0.1:9/v1",
     "--rubric-path", str(RUBRIC), "--api-key-env", "sk-abcdefghijklmnopqrstuv"],
    ["generate", "--backend", "openai", "-m", "x", "-t", "chat:vanilla", "-d", "builtin:harmful", "-o",
     "{tmp}/o.jsonl", "--base-url", "http://127.0.0.1:9/v1", "--api-key-env", "sk-abcdefghijklmnopqrstuv"],
])
def test_a_key_passed_as_the_variable_name_is_refused_and_not_echoed(tmp_path, capsys, argv):
    (tmp_path / "in.jsonl").write_text(json.dumps({"instruction": "a", "response": "b"}) + "\n")
    line = one_error([a.format(tmp=tmp_path) for a in argv], capsys, "api_key_env must name an environment variable")
    assert "abcdefghijklmnop" not in line
    assert not (tmp_path / "o.jsonl").exists()


def test_env_fields_naming_a_variable_are_fine(tmp_path, capsys):
    spec = spec_file(tmp_path, with_(GOOD, evaluate__backend_options={"batch_size": 2}))
    code, out, err = cli(["run", spec, "--validate"], capsys)
    assert code == 0 and out.startswith("ok"), err


# ---- 4. --validate catches what the run would trip on ---------------------------------------------------------


BILLION_LAUGHS = """
name: t
model: tiny-random
evaluate:
  templates: [chat:vanilla]
  benchmarks: [{name: harmful, dataset: "builtin:harmful", limit: 2}]
  backend_options:
    a: &a ["x","x","x","x","x","x","x","x","x","x"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
"""


@pytest.mark.parametrize("text, expect", [
    ("name: t\nname: u\nevaluate: {templates: [chat:vanilla], benchmarks: [{dataset: 'builtin:harmful'}]}\n",
     ":2: invalid YAML (duplicate key 'name' (first on line 1))"),
    (BILLION_LAUGHS, "invalid YAML (YAML expands to"),
    ("a: &a [*a]\n", "invalid YAML"),
])
def test_yaml_limits_and_duplicate_keys(tmp_path, capsys, text, expect):
    import time

    spec = spec_file(tmp_path, text=text)
    t0 = time.perf_counter()
    for flag in ("--validate", "--dry-run"):
        one_error(["run", spec, flag], capsys, expect)
    assert time.perf_counter() - t0 < 10


def test_yaml_merge_keys_still_work(tmp_path):
    from ptst.config import load_yaml

    p = tmp_path / "m.yaml"
    p.write_text("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 5\n")
    assert load_yaml(p) == {"base": {"x": 1, "y": 2}, "c": {"x": 5, "y": 2}}


@pytest.mark.parametrize("changes, expect", [
    ({"evaluate__benchmarks__0__limit": True}, "field 'evaluate.benchmarks.0.limit': expected a number, got a boolean"),
    ({"evaluate__benchmarks__0__limit": "8"}, "expected an integer, got text"),
    ({"evaluate__baseline": "yes"}, "field 'evaluate.baseline': expected true or false"),
    ({"evaluate__decoding": {"max_new_tokens": 1.5}}, "evaluate.decoding.max_new_tokens"),
])
def test_strict_scalar_types(tmp_path, capsys, changes, expect):
    one_error(["run", spec_file(tmp_path, with_(GOOD, **changes)), "--validate"], capsys, expect)


@pytest.mark.parametrize("train, expect", [
    ({"seeds": [0, True]}, "field 'train.seeds': item 1: expected a number, got a boolean"),
    ({"seeds": ["1"]}, "field 'train.seeds': item 0: expected an integer, got text"),
    ({"safety_mixing": [1]}, "field 'train.safety_mixing': item 0: expected true or false"),
])
def test_strict_types_inside_lists(tmp_path, capsys, train, expect):
    spec = {**GOOD, "train": {"dataset": "builtin:math:train", "templates": ["chat:vanilla"], **train}}
    one_error(["run", spec_file(tmp_path, spec), "--validate"], capsys, expect)


def test_well_typed_lists_still_validate(tmp_path, capsys):
    spec = {**GOOD, "train": {"dataset": "builtin:math:train", "templates": ["chat:vanilla"], "seeds": [0, 1],
                              "safety_mixing": [False, True]}}
    assert cli(["run", spec_file(tmp_path, spec), "--validate"], capsys)[0] == 0


# ---- 1. nothing a user owns is overwritten --------------------------------------------------------------------


@pytest.fixture
def user_files(tmp_path):
    data = tmp_path / "mydata.csv"
    data.write_text("instruction,id\nhello,1\n")
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"instruction": "x", "response": "I'm sorry, I can't."}) + "\n")
    cache = tmp_path / "cache.sqlite"
    sqlite3.connect(cache).execute("CREATE TABLE keep (x)").connection.commit()
    return {"data": data, "rows": rows, "cache": cache}


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


GEN = ["generate", "-m", "tiny-random", "-t", "chat:vanilla"]


@pytest.mark.parametrize("argv, expect", [
    (GEN + ["-d", "{data}", "-o", "{data}"], "is the file this command reads"),
    (GEN + ["-d", "{data}", "-o", "{cache}", "--cache", "{cache}"], "is the file this command reads"),
    (GEN + ["-d", "{data}", "-o", "{tmp}/./mydata.csv"], "is the file this command reads"),
    (GEN + ["-d", "{data}", "-o", "{tmp}"], "is a directory"),
    (GEN + ["-d", "{data}", "-o", "{data}/out.jsonl"], "is a file, not a directory"),
    (["score", "-s", "keyword", "-i", "{rows}", "-o", "{rows}"], "is the file this command reads"),
    (["score", "-s", "keyword", "-i", "{rows}", "-o", "{tmp}/o.jsonl", "--summary", "{rows}"], "reads"),
    (["score", "-s", "keyword", "-i", "{rows}", "-o", "{tmp}/o.jsonl", "--cache", "{tmp}/o.jsonl"], "reads"),
    (["eval", "-m", "tiny-random", "-t", "chat:vanilla", "-b", "builtin:harmful", "-o", "{data}"],
     "is a file, expected a directory"),
    (["train", "-m", "tiny-random", "-d", "builtin:math:train", "-t", "chat:vanilla", "-o", "{data}",
      "--max-steps", "1"], "--output-dir"),
    (["align", "-o", "{data}"], "is a file, expected a directory"),
    (["bench", "-o", "{tmp}"], "is a directory"),
])
def test_outputs_never_replace_what_the_command_reads(tmp_path, capsys, user_files, argv, expect):
    fill = {k: str(v) for k, v in user_files.items()} | {"tmp": str(tmp_path)}
    before = snapshot(tmp_path)
    one_error([a.format(**fill) for a in argv], capsys, expect)
    assert snapshot(tmp_path) == before


def test_a_cache_that_is_not_sqlite_is_one_line(tmp_path, capsys, user_files):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("my notes, not a database\n" * 20)
    one_error(["cache", "stats", "--cache", bad], capsys, "not a usable ptst cache")
    one_error(["score", "-s", "keyword", "-i", user_files["rows"], "-o", tmp_path / "o.jsonl", "--cache", bad],
              capsys, "not a usable ptst cache")
    assert bad.read_text().startswith("my notes")


def test_ptst_home_that_is_a_file_is_one_line(tmp_path, capsys, monkeypatch, user_files):
    home = tmp_path / "home-file"
    home.write_text("x")
    monkeypatch.setenv("PTST_HOME", str(home))
    one_error(["cache", "stats"], capsys, "$PTST_HOME", "is a file")
    one_error(["score", "-s", "keyword", "-i", user_files["rows"], "-o", tmp_path / "o.jsonl"], capsys, "is a file")


def test_run_refuses_a_non_empty_folder_that_is_not_a_study(tmp_path, capsys):
    folder = tmp_path / "mine"
    (folder / "sub").mkdir(parents=True)
    (folder / "report.md").write_text("my own report")
    (folder / "sub" / ".swap.abcd1234.tmp").write_text("another program's temp file")
    before = snapshot(folder)
    one_error(["run", spec_file(tmp_path), "-o", folder], capsys, "not a ptst study", "--force")
    assert snapshot(folder) == before
    one_error(["run", spec_file(tmp_path), "-o", tmp_path / "spec.yaml"], capsys, "is the file this command reads")
    one_error(["run", spec_file(tmp_path), "-o", folder / "report.md"], capsys, "is a file, expected a directory")
    one_error(["run", spec_file(tmp_path), "--cache", tmp_path / "spec.yaml"], capsys, "is the file this command reads")


TRAIN = ["train", "-m", "tiny-random", "-d", "builtin:math:train", "-t", "chat:vanilla", "--limit", "4",
         "--max-steps", "1", "--batch-size", "4"]


def test_train_refuses_a_non_empty_folder_that_is_not_a_training_run(tmp_path, capsys):
    folder = tmp_path / "mine"
    (folder / "final").mkdir(parents=True)
    (folder / "notes.txt").write_text("my own notes")
    (folder / "final" / "keep.bin").write_bytes(b"my own weights")
    before = snapshot(folder)
    one_error(TRAIN + ["--output-dir", folder], capsys, "--output-dir", "not a ptst training run", "--force")
    assert snapshot(folder) == before
    one_error(TRAIN + ["--output-dir", folder, "--backend", "openai", "--force"], capsys,
              "--force only applies to --backend hf")
    # --force writes the run beside the user's files (names it does not use stay as they were)
    code, out, err = cli(TRAIN + ["--output-dir", folder, "--force"], capsys)
    assert code == 0, err
    assert out.strip().splitlines()[-1] == str(folder.resolve())
    assert (folder / "notes.txt").read_text() == "my own notes" and (folder / "manifest.json").is_file()
    # now it is a training run: the same command without --force reuses it
    code, out, err = cli(TRAIN + ["--output-dir", folder], capsys)
    assert code == 0 and "reusing the finished run" in err, err


def test_stale_temp_cleanup_touches_only_ptst_temp_files(tmp_path):
    from ptst.io import atomic_write_text, remove_stale_temp_files

    ours = tmp_path / "items" / ".harmful.jsonl.ptst-abcd1234.tmp"
    ours.parent.mkdir()
    ours.write_text("partial")
    theirs = [tmp_path / ".notes.txt.abcd1234.tmp", tmp_path / "items" / ".x.tmp", tmp_path / "a.tmp"]
    for p in theirs:
        p.write_text("keep")
    atomic_write_text(tmp_path / "items" / "ok.jsonl", "{}\n")
    assert remove_stale_temp_files(tmp_path) == 1
    assert not ours.exists() and all(p.read_text() == "keep" for p in theirs)


@pytest.mark.parametrize("damage, expect", [
    ("empty", "no result rows"),
    ("corrupt-spec", "spec.yaml:3: invalid YAML"),
    ("non-numeric", "column 'value' must be a number"),
    ("bad-json", "malformed JSON"),
])
def test_report_is_never_replaced_from_empty_or_unreadable_results(tmp_path, capsys, damage, expect):
    from tests.test_report import _write_study

    out = _write_study(tmp_path)
    code, _, err = cli(["report", out], capsys)
    assert code == 0, err
    good = {p: (out / p).read_bytes() for p in ("report.md", "report.html")}
    results = out / "results.jsonl"
    if damage == "empty":
        results.write_text("")
    elif damage == "corrupt-spec":
        (out / "spec.yaml").write_text("name: t\nevaluate: [unclosed\n")
    elif damage == "non-numeric":
        rows = [json.loads(line) for line in results.read_text().splitlines()]
        rows[3]["value"] = "n/a"
        results.write_text("".join(json.dumps(r) + "\n" for r in rows))
    else:
        results.write_text(results.read_text() + "{not json\n")
    one_error(["report", out], capsys, expect)
    assert {p: (out / p).read_bytes() for p in good} == good


# ---- 6. flags mean one thing -----------------------------------------------------------------------------------


EVAL = ["eval", "-m", "tiny-random", "-t", "chat:vanilla", "-o", "{tmp}/e"]


@pytest.mark.parametrize("argv, expect", [
    (EVAL + ["-b", "builtin:harmful", "-n", "-1"], "--limit must be at least 1, got -1"),
    (EVAL + ["-b", "builtin:harmful", "-n", "0"], "--limit must be at least 1, got 0"),
    (EVAL + ["-b", "builtin:harmful", "--per-category-limit", "0"], "--per-category-limit must be at least 1"),
    (EVAL + ["-b", "builtin:harmful,builtin:harmful"], "'builtin:harmful' is given twice"),
    (EVAL + ["-b", "builtin:harmful", "-j", "keyword,keyword"], "--judge: 'keyword' is given twice"),
    (EVAL + ["-b", "builtin:harmful", "--base-url", "http://127.0.0.1:9/v1"], "--base-url does not apply"),
    (EVAL + ["-b", "builtin:harmful", "--backend", "openai", "--device", "cpu"], "--device does not apply"),
    (EVAL + ["-b", "builtin:harmful", "--device", "tpu"], "unknown device 'tpu'"),
    (GEN + ["-d", "builtin:harmful", "-o", "{tmp}/o.jsonl", "-n", "0"], "--limit must be at least 1"),
    (GEN + ["-d", "builtin:harmful", "-o", "{tmp}/o.jsonl", "--cache", "{tmp}/c.sqlite", "--no-cache"],
     "--cache and --no-cache contradict"),
    (GEN + ["-d", "builtin:harmful", "-o", "{tmp}/o.jsonl", "--base-url", "http://127.0.0.1:9/v1"],
     "--base-url does not apply to --backend hf"),
    (GEN + ["-d", "builtin:harmful", "-o", "{tmp}/o.jsonl", "--backend", "openai", "--threads", "1"],
     "--threads does not apply to --backend openai"),
    (GEN + ["-d", "builtin:harmful", "-o", "{tmp}/o.jsonl", "--device", "tpu"], "unknown device 'tpu'"),
    (["score", "-s", "keyword", "-i", "{tmp}/in.jsonl", "-o", "{tmp}/o.jsonl", "--cache", "{tmp}/c.sqlite",
      "--no-cache"], "--cache and --no-cache contradict"),
    (["run", "--validate", "--dry-run"], "--validate and --dry-run contradict"),
    (["run", "--json"], "--json prints the --dry-run counts"),
    (["data", "show", "builtin:harmful", "-n", "0"], "--limit must be at least 1"),
])
def test_flags_mean_one_thing(tmp_path, capsys, argv, expect):
    before = snapshot(tmp_path)
    one_error([a.format(tmp=tmp_path) for a in argv], capsys, expect)
    assert snapshot(tmp_path) == before


def test_repeated_cache_kind_clears_each_kind(tmp_path, capsys):
    from ptst.cache import Cache

    db = tmp_path / "c.sqlite"
    c = Cache(db)
    c.put("generation", "g", {"text": "x"})
    c.put("judgment", "j", {"refused": True})
    c.close()
    code, out, err = cli(["cache", "clear", "--kind", "generation", "--kind", "judgment", "--yes", "--cache", db],
                         capsys)
    assert code == 0, err
    assert json.loads(out)["removed"] == {"generation": 1, "judgment": 1}


# ---- 5. ptst serve answers 400, never 500, to malformed requests ---------------------------------------------

from tests.test_serve_http import serve  # noqa: E402,F401  (the fixture: real app on a free port)


@pytest.mark.parametrize("body, expect", [
    (b'{"model": "m", "messages": [{"role": "user", "content": "\\ud800"}], "max_tokens": 2}', "not valid Unicode"),
    (b'{"model": "m", "prompt": "a\\udfff b", "max_tokens": 2}', "not valid Unicode"),
    (b'{"model": "m", "messages": [{"role": "user", "content": "x"}], "extra": ' + b"[" * 5000 + b"]" * 5000 + b"}",
     "nested"),
    (b'{"model": "m", "messages": [{"role": "user", "content": "x"}], "extra": ' + b"[" * 100 + b"]" * 100 + b"}",
     "nested"),
    (b'{"model": "m", "messages": [{"role": "user", "content": "x"}], "max_tokens": true}', "max_tokens"),
    (b'{"model": "m", "messages": [{"role": "user", "content": "x"}], "max_tokens": "8"}', "max_tokens"),
    (b'{"model": "m", "messages": [{"role": "user", "content": "x"}], "stream": "yes"}', "stream"),
])
def test_serve_answers_400_to_malformed_requests(serve, body, expect):
    import httpx

    url = serve(lambda ps, d: ["ok"] * len(ps), served_model_name="m")
    path = "/completions" if b'"prompt"' in body else "/chat/completions"
    r = httpx.post(url + path, content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert expect in r.json()["error"]["message"] or expect == r.json()["error"].get("param")
    ok = httpx.post(url + "/chat/completions", json={"model": "m", "messages": [{"role": "user", "content": "x"}],
                                                     "max_tokens": 2})
    assert ok.status_code == 200


# ---- 4 (cont.): declared options, local paths ------------------------------------------------------------------


@pytest.mark.parametrize("changes, expect", [
    ({"evaluate__backend_options": {"bogus": 1}}, "field 'evaluate.backend_options.bogus': unknown option of backend hf"),
    ({"evaluate__judge_options": {"refusal": {"bogus": 2}}},
     "field 'evaluate.judge_options.refusal': unknown option 'bogus' of judge refusal; known: threshold"),
    ({"evaluate__judge_options": {"keyword": {"threshold": 0.5}}}, "unknown option 'threshold' of judge keyword"),
    ({"evaluate__judge_options": {"classifier": {"modle": "x"}}}, "unknown option 'modle' of judge classifier"),
    ({"model": "./no-such-model"}, "field 'model': ./no-such-model: no such model directory"),
    ({"model": "/nonexistent/model"}, "no such model directory"),
    ({"evaluate__benchmarks__0__path": "missing.csv"}, "missing.csv: file not found"),
])
def test_validate_catches_what_the_run_would_trip_on(tmp_path, capsys, changes, expect):
    spec = spec_file(tmp_path, with_(GOOD, **changes))
    one_error(["run", spec, "--validate"], capsys, expect)
    one_error(["run", spec, "--dry-run"], capsys, expect)


def test_every_judge_declares_its_options():
    from ptst.judges import list_scorers
    from ptst.judges.base import scorer_class

    for name in list_scorers():
        assert scorer_class(name).option_names() is not None, name


@pytest.mark.parametrize("argv, expect", [
    (["train", "--lora", "--full", "-m", "tiny-random"], "--lora and --full contradict each other"),
    (GEN + ["-d", "builtin:harmful", "-o", "{tmp}/a.jsonl", "-o", "{tmp}/b.jsonl"], "-o is given twice"),
    (GEN + ["-d", "builtin:harmful", "-o", "{tmp}/a.jsonl", "--out", "{tmp}/b.jsonl"], "the same option, given twice"),
    (["data", "show", "builtin:harmful", "--json", "--text"], "--json and --text contradict"),
    (EVAL + ["-b", "builtin:harmful", "-n", "2", "-n", "3"], "-n is given twice"),
])
def test_repeated_single_value_options_and_on_off_pairs_are_refused(tmp_path, capsys, argv, expect):
    before = snapshot(tmp_path)
    one_error([a.format(tmp=tmp_path) for a in argv], capsys, expect)
    assert snapshot(tmp_path) == before
