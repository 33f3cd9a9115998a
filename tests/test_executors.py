"""The study executor registry (ptst.study.executors) and the cache export a Ray task hands to the driver."""

import os

import pytest

from ptst.cache import Cache
from ptst.errors import PtstError
from ptst.study.executors import EXECUTORS, LocalExecutor, get_executor


def test_registry_names_and_errors():
    assert set(EXECUTORS) == {"local", "ray"}
    assert isinstance(get_executor("local"), LocalExecutor)
    with pytest.raises(PtstError, match="unknown executor 'dask'"):
        get_executor("dask")
    with pytest.raises(PtstError, match="--address names a Ray cluster"):
        get_executor("local", address="auto")


def test_cache_export_round_trips_into_another_cache(tmp_path):
    a = Cache(tmp_path / "a.sqlite")
    a.put_many("generation", [("k1", {"text": "hi"}, {"backend": "hf"}), ("k2", {"text": "yo"}, None)])
    a.put("judgment", "j1", {"harmful": False}, {"judge": "keyword"})
    rows = a.export()
    a.close()
    b = Cache(tmp_path / "b.sqlite")
    for kind, kind_rows in rows.items():
        b.put_many(kind, kind_rows)
    assert b.get_many("generation", ["k1", "k2"]) == {"k1": {"text": "hi"}, "k2": {"text": "yo"}}
    assert b.get("judgment", "j1") == {"harmful": False}
    b.close()


@pytest.mark.xdist_group("ray")  # one local Ray cluster at a time (scripts/test.sh runs pytest-xdist)
def test_ray_executor_gives_the_local_results(tmp_path, monkeypatch):
    """The same tiny study with the local executor and on a local Ray cluster: identical results.csv; the driver
    alone wrote the cache (PTST_CACHE_AUDIT logs the writing pid of every row)."""
    pytest.importorskip("ray")
    import yaml

    from ptst.study import load_spec, run_study
    from ptst.study.executors import PID_FILE_ENV, RayExecutor, Resources
    from tests.test_study_run import TINY

    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    monkeypatch.setenv("PTST_CACHE_AUDIT", "1")
    monkeypatch.setenv(PID_FILE_ENV, str(tmp_path / "pids.txt"))
    data = {**TINY, "train": {**TINY["train"], "templates": ["chat:vanilla"]}}
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(data))
    spec = load_spec(str(tmp_path / "spec.yaml"))
    local = run_study(spec, tmp_path / "local", progress=False)
    ex = RayExecutor(resources=Resources(cpus=1, max_retries=2))
    try:
        remote = run_study(spec, tmp_path / "ray", progress=False, executor=ex)
    finally:
        ex.close()
    assert (tmp_path / "local" / "results.csv").read_text() == (tmp_path / "ray" / "results.csv").read_text()
    assert len(remote.rows) == len(local.rows) > 0
    pids = {int(line.split()[1]) for line in (tmp_path / "pids.txt").read_text().split("\n") if line}
    kinds = {line.split()[0] for line in (tmp_path / "pids.txt").read_text().split("\n") if line}
    assert kinds == {"train", "eval"} and os.getpid() not in pids
    import sqlite3

    con = sqlite3.connect(tmp_path / "ray" / "cache.sqlite")
    writers = {p for (p,) in con.execute("SELECT DISTINCT pid FROM put_log")}
    con.close()
    assert writers == {os.getpid()}


def test_cli_refuses_an_unknown_executor_in_one_line(tmp_path):
    import subprocess
    import sys

    import yaml

    from tests.test_study_run import TINY

    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(TINY))
    r = subprocess.run([sys.executable, "-m", "ptst", "run", str(tmp_path / "spec.yaml"), "-o", str(tmp_path / "o"),
                        "--executor", "dask"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stderr.strip() == "ptst: error: unknown executor 'dask'; choose one of: local, ray"


@pytest.mark.xdist_group("ray")  # one local Ray cluster at a time (scripts/test.sh runs pytest-xdist)
def test_ray_task_killed_mid_task_is_retried_with_the_same_results(tmp_path, monkeypatch):
    """SIGKILL the worker of the first evaluation task as soon as it has written its pid: Ray retries the task
    (max_retries) and results.csv is the local executor's."""
    pytest.importorskip("ray")
    import signal
    import threading
    import time

    import yaml

    from ptst.study import load_spec, run_study
    from ptst.study.executors import PID_FILE_ENV, RayExecutor, Resources
    from tests.test_study_run import TINY

    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    pid_file = tmp_path / "pids.txt"
    monkeypatch.setenv(PID_FILE_ENV, str(pid_file))
    data = {k: v for k, v in TINY.items() if k != "train"}
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(data))
    spec = load_spec(str(tmp_path / "spec.yaml"))
    run_study(spec, tmp_path / "local", progress=False)
    killed: list[int] = []

    def killer() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            if pid_file.exists():
                for line in pid_file.read_text().splitlines():
                    kind, pid = line.split()
                    if kind == "eval":
                        os.kill(int(pid), signal.SIGKILL)
                        killed.append(int(pid))
                        return
            time.sleep(0.02)

    t = threading.Thread(target=killer, daemon=True)
    t.start()
    ex = RayExecutor(resources=Resources(cpus=1, max_retries=2))
    try:
        run_study(spec, tmp_path / "ray", progress=False, executor=ex)
    finally:
        ex.close()
    t.join(5)
    lines = [line.split() for line in pid_file.read_text().splitlines()]
    assert killed and [k for k, _ in lines].count("eval") == 2  # the killed attempt and its retry
    assert int(lines[-1][1]) != killed[0]
    assert (tmp_path / "local" / "results.csv").read_text() == (tmp_path / "ray" / "results.csv").read_text()
