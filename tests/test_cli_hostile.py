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
