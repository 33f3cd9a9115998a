"""`ptst compare`: one JSON object with the paired counts, rates, interval and exact p; one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.fakes.claims_study import outcomes, write_study
from tests.test_claims import grid


def ptst(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ptst", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    extra = {("harmful", "chat:llama", "chat:llama", False, "step-5", 0): outcomes(24, range(5))}
    return write_study(tmp_path_factory.mktemp("cmp") / "s", grid(seeds=(0, 1), extra=extra))


def test_compare_json(study):
    p = ptst("compare", str(study), "--a", "chat:llama/chat:llama", "--b", "chat:vanilla/chat:llama",
             "--benchmark", "harmful", "--judge", "keyword", "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert (d["n"], d["a_only"], d["b_only"]) == (48, 18, 0)
    assert d["rate_a"] == pytest.approx(22 / 48) and d["rate_b"] == pytest.approx(4 / 48)
    assert d["diff"] == pytest.approx(18 / 48) and d["diff_lo"] < d["diff"] < d["diff_hi"]
    assert d["p_value"] == pytest.approx(2 / 2 ** 18) and d["verdict"] == "a higher"
    assert d["seeds"] == [0, 1] and d["counted"] == "harmful"


def test_compare_baseline_seed_checkpoint_and_helpfulness(study):
    p = ptst("compare", str(study), "--a", "none/chat:llama", "--b", "chat:llama/chat:llama", "--benchmark",
             "harmful", "--seed", "1", "--json")
    d = json.loads(p.stdout)
    assert d["n"] == 24 and d["seeds"] == [1] and (d["a_only"], d["b_only"]) == (0, 9) and d["verdict"] == "b higher"
    p = ptst("compare", str(study), "--a", "chat:llama/chat:llama", "--b", "none/chat:llama", "--benchmark",
             "harmful", "--checkpoint", "step-5", "--json")
    d = json.loads(p.stdout)
    assert d["n"] == 24 and (d["a_only"], d["b_only"]) == (3, 0) and d["verdict"] == "inconclusive"
    p = ptst("compare", str(study), "--a", "chat:vanilla/chat:vanilla", "--b", "chat:vanilla/chat:llama",
             "--benchmark", "math", "--json")
    d = json.loads(p.stdout)
    assert d["counted"] == "correct" and d["judge"] == "keyword" and d["rate_a"] == pytest.approx(0.5)
    text = ptst("compare", str(study), "--a", "chat:llama/chat:llama", "--b", "chat:vanilla/chat:llama",
                "--benchmark", "harmful").stdout
    assert "in A only 18, in B only 0" in text and "exact McNemar p = 7.629e-06" in text


@pytest.mark.parametrize("args,msg", [
    (["--a", "chat:mpt/chat:llama", "--b", "none/chat:llama", "--benchmark", "harmful"],
     "no cell train chat:mpt / test chat:llama on 'harmful'"),
    (["--a", "chat:llama", "--b", "none/chat:llama", "--benchmark", "harmful"], "--a 'chat:llama': expected TRAIN/TEST"),
    (["--a", "none/chat:llama", "--b", "none/chat:vanilla", "--benchmark", "nope"], "no benchmark 'nope'; known"),
    (["--a", "none/chat:llama", "--b", "none/chat:vanilla", "--benchmark", "harmful", "--judge", "rubric"],
     "was not judged by 'rubric'"),
])
def test_compare_errors_are_one_line(study, args, msg):
    p = ptst("compare", str(study), *args)
    assert p.returncode == 2 and msg in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
