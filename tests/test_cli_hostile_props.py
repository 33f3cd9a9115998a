"""Property test of the CLI contract under random paths, flags and spec mutations (issue 18, point 7).

Each example builds a fresh sandbox: the user's files (a CSV dataset, a JSONL file to score, an SQLite cache, a
study spec, a folder of their own) and an empty output folder. It runs a real ``ptst`` verb in-process with
random output paths (inputs, the cache, folders, paths below files, odd names), random extra flags (limits
below 1, conflicting and repeated flags, malformed values, unknown options) or a randomly mutated spec, and
asserts the contract:

* exit 0, or exit 2 with exactly one stderr line starting ``ptst: error:``;
* never a traceback;
* no file outside the output folder is created, changed or deleted.

Nothing loads a model: ``generate`` gets a model path that does not exist (so every check before the model
load runs, and the model load itself fails in one line), studies are only validated or dry-run, and ``score``
uses the keyword judge. Examples are few and inputs tiny, so the file runs in about a minute.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptst.cli.main import main

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

GOOD = {
    "name": "t",
    "model": "tiny-random",
    "evaluate": {
        "templates": ["chat:vanilla"],
        "judges": ["keyword"],
        "benchmarks": [{"name": "harmful", "dataset": "builtin:harmful", "limit": 2}],
    },
}


def _sandbox() -> Path:
    root = Path(tempfile.mkdtemp(prefix="ptst-hostile-"))
    user = root / "user"
    (user / "mine" / "sub").mkdir(parents=True)
    (user / "data.csv").write_text("instruction,id\nhello,1\nbye,2\n")
    (user / "rows.jsonl").write_text("".join(json.dumps({"instruction": f"q{i}", "response": r}) + "\n"
                                             for i, r in enumerate(["I'm sorry, I can't.", "Sure, here.", "No."])))
    con = sqlite3.connect(user / "cache.sqlite")
    con.execute("CREATE TABLE mine (x)")
    con.commit()
    con.close()
    (user / "spec.yaml").write_text(yaml.safe_dump(GOOD))
    (user / "mine" / "report.md").write_text("my report")
    (user / "mine" / "sub" / ".swap.abcd1234.tmp").write_text("someone else's temp file")
    (root / "out").mkdir()
    return root


def _snapshot(user: Path) -> dict[str, bytes | None]:
    snap: dict[str, bytes | None] = {}
    for p in sorted(user.rglob("*")):
        snap[str(p.relative_to(user))] = p.read_bytes() if p.is_file() else None
    return snap


def _run(argv: list[str], capsys) -> tuple[int, str]:
    capsys.readouterr()
    try:
        main(argv)
        code = 0
    except SystemExit as e:
        code = 0 if e.code is None else e.code
    return code, capsys.readouterr().err


OUTPUT_FLAGS = ("-o", "--out", "--output", "--summary")


def _named_outputs(root: Path, argv: list[str]) -> set[str]:
    """The files the user named as outputs (relative to ``user/``): writing there is what was asked."""
    def rel(value: str) -> str | None:
        p = Path(os.path.normpath(value)) if value else None
        return str(p.relative_to(root / "user")) if p is not None and p.is_relative_to(root / "user") else None

    named, read = set(), set()
    for i, value in enumerate(argv):
        r = rel(value)
        if r is None:
            continue
        (named if i and argv[i - 1] in OUTPUT_FLAGS else read).add(r)
    return named - read  # an input named as an output too must never be replaced


def _assert_contract(root: Path, argv: list[str], capsys) -> None:
    user = root / "user"
    before = _snapshot(user)
    allowed = _named_outputs(root, argv)
    try:
        code, err = _run(argv, capsys)
        assert "Traceback" not in err, (argv, err)
        lines = [line for line in err.strip().splitlines() if not line.startswith("ptst: warning:")]
        if code != 0:
            assert code == 2, (argv, code, err)
            errors = [line for line in lines if line.startswith("ptst: error: ")]
            assert len(errors) == 1 and len(err.strip().splitlines()) == 1, (argv, err)
        after = _snapshot(user)
        changed = {k for k in set(before) | set(after) if before.get(k, b"<none>") != after.get(k, b"<none>")}
        assert changed <= allowed, f"{argv} changed the user's files {sorted(changed - allowed)}"
    finally:
        shutil.rmtree(root, ignore_errors=True)


# ---- strategies -------------------------------------------------------------------------------------------------

# output paths, relative to the sandbox root: the user's files and folders, paths below files, odd names
OUT_PATHS = ["user/data.csv", "user/rows.jsonl", "user/cache.sqlite", "user/spec.yaml", "user", "user/mine",
             "user/mine/report.md", "user/data.csv/x.jsonl", "user/./data.csv", "user/mine/../data.csv", "",
             "out", "out/new.jsonl", "out/deep/er/x.jsonl", "out/ünï çødé.jsonl", "out/-dash.jsonl", "out/.hidden",
             "out/x.jsonl/"]
CACHE_PATHS = ["user/cache.sqlite", "user/data.csv", "user/rows.jsonl", "user/mine", "out/c.sqlite",
               "user/spec.yaml", "out/mine.sqlite/x"]
EXTRA_FLAGS = [
    ["-n", "0"], ["-n", "-1"], ["-n", "abc"], ["--limit", "2", "--limit", "3"], ["--no-cache"], ["--bogus"],
    ["--device", "tpu"], ["--device", "cpu"], ["--base-url", "http://127.0.0.1:9/v1"], ["--quiet"],
    ["--max-new-tokens", "0"], ["--format", "xml"], ["--columns", "instruction"], ["--stop", "x", "--stop", "y"],
    ["--templates", "user/spec.yaml"], ["--batch-size", "-2"], ["-o"], ["--summary", "user/rows.jsonl"],
    ["--threshold", "2"], ["--json", "--text"],
]

paths = st.sampled_from(OUT_PATHS)
extra = st.lists(st.sampled_from(EXTRA_FLAGS), max_size=3).map(lambda xs: [a for x in xs for a in x])


def _abs(root: Path, argv: list[str]) -> list[str]:
    """Sandbox-relative paths (user/..., out/...) made absolute."""
    return [str(root / a) if a.startswith(("user/", "out/")) or a in ("user", "out") else a for a in argv]


@SETTINGS
@given(out=paths, cache=st.one_of(st.none(), st.sampled_from(CACHE_PATHS)), flags=extra,
       verb=st.sampled_from(["score", "generate", "data"]))
def test_random_paths_and_flags_keep_the_contract(capsys, out, cache, flags, verb):
    root = _sandbox()
    if verb == "score":
        argv = ["score", "-s", "keyword", "-i", "user/rows.jsonl", "-o", out]
    elif verb == "generate":
        argv = ["generate", "-m", "user/no-such-model", "-t", "chat:vanilla", "-d", "user/data.csv", "-o", out]
    else:
        argv = ["data", "show", "user/data.csv"]
    if cache is not None and verb != "data":
        argv += ["--cache", cache]
    _assert_contract(root, _abs(root, argv + flags), capsys)


SECRETISH = ["sk-abcdefghijklmnopqrstuvwx", "Bearer abcdefghijkl", "hf_abcdefghijklmnopqrstuvwx"]
SPEC_PATHS = ["name", "model", "format", "align", "evaluate.templates", "evaluate.templates.0", "evaluate.baseline",
              "evaluate.backend", "evaluate.backend_options", "evaluate.judges", "evaluate.judge_options",
              "evaluate.decoding.max_new_tokens", "evaluate.benchmarks.0.limit", "evaluate.benchmarks.0.dataset",
              "evaluate.benchmarks.0.path", "evaluate.benchmarks.0.name", "evaluate.benchmarks", "train",
              "templates_file", "evaluate.decoding", "unknown_key", "evaluate.backend_options.api_key",
              "evaluate.backend_options.api_key_env", "evaluate.judge_options.refusal"]
values = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 10 ** 12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(SECRETISH + ["chat:llama", "builtin:harmful", "./nope", "/", "hf",
                                                        "openai", "../../etc/passwd", "8", "yes", "~"]),
    st.lists(st.sampled_from(["chat:vanilla", "keyword", 1, True, None]), max_size=3),
    st.dictionaries(st.sampled_from(["a", "token", "api_key", "batch_size", "x_env", "threshold"]),
                    st.one_of(st.integers(-1, 3), st.sampled_from(SECRETISH), st.booleans()), max_size=2),
)


def _set(data: dict, path: str, value) -> None:
    keys = path.split(".")
    node = data
    for k in keys[:-1]:
        nxt = node[int(k)] if isinstance(node, list) else node.get(k)
        if not isinstance(nxt, (dict, list)):
            nxt = {}
            if isinstance(node, list):
                return
            node[k] = nxt
        node = nxt
    last = keys[-1]
    if isinstance(node, list):
        if last.isdigit() and int(last) < len(node):
            node[int(last)] = value
    elif value == "<delete>":
        node.pop(last, None)
    else:
        node[last] = value


ATTACKS = ["", "name: t\nname: u\n", "a: &a [*a]\n", ": : :\n", "- just\n- a list\n", "\x00\x01binary",
           "x: " + "[" * 300 + "]" * 300 + "\n",
           "name: t\nevaluate:\n  templates: [chat:vanilla]\n  benchmarks: [{dataset: 'builtin:harmful'}]\n"
           "  backend_options:\n    a: &a [x,x,x,x,x,x,x,x,x,x]\n    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
           "    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
           "    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n    f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"]


@SETTINGS
@given(mutations=st.lists(st.tuples(st.sampled_from(SPEC_PATHS), st.one_of(values, st.just("<delete>"))),
                          min_size=1, max_size=3),
       attack=st.one_of(st.none(), st.sampled_from(ATTACKS)),
       mode=st.sampled_from(["--validate", "--dry-run", "-o"]))
def test_random_spec_mutations_keep_the_contract(capsys, mutations, attack, mode):
    root = _sandbox()
    data = json.loads(json.dumps(GOOD))
    for path, value in mutations:
        _set(data, path, value)
    spec = root / "user" / "study.yaml"
    if attack is not None:
        spec.write_text(attack, encoding="utf-8", errors="surrogateescape")
    else:
        # a real run must not start (it would load a model): give it a model path that does not exist
        if mode == "-o":
            data["model"] = "./no-such-model"
        spec.write_text(yaml.safe_dump(data, allow_unicode=True))
    argv = ["run", str(spec), mode] + ([str(root / "out" / "study")] if mode == "-o" else [])
    _assert_contract(root, argv, capsys)
    assert "sk-abcdefghij" not in capsys.readouterr().err


@pytest.mark.parametrize("out", ["user/mine", "user", "user/data.csv", "user/spec.yaml"])
def test_run_out_paths_never_touch_the_users_files(capsys, out):
    """The study-folder guard on the user's own folders and files, with a spec that would really run: each is
    refused before anything is written (a folder holding the user's spec.yaml is not a study)."""
    root = _sandbox()
    _assert_contract(root, ["run", str(root / "user" / "spec.yaml"), "-o", str(root / out)], capsys)
