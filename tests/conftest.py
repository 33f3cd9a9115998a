"""Shared fixtures. Tests run offline; ``../shared/data`` beside the repository holds the real benchmark data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PTST_SHARED", REPO.parent / "shared"))
SHARED_DATA = SHARED / "data"

# Keep every test's caches away from the user's real ones, but share converted models across the session so the
# 30 s GGUF conversion happens once per test run.
_SESSION_HOME = Path(os.environ.get("PTST_TEST_HOME", "/tmp/ptst-test-home"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

# Under pytest-xdist (scripts/test.sh runs `-n <cores>`), each worker gets its share of the cores for torch's
# threads, set before anything imports torch: N workers each spinning the machine's full thread count oversubscribe
# the CPU, and OpenMP's spin-waiting then makes every process several times slower (docs/generate.md). An explicit
# OMP_NUM_THREADS is kept.
if os.environ.get("PYTEST_XDIST_WORKER") and "OMP_NUM_THREADS" not in os.environ:
    _cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    _workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
    os.environ["OMP_NUM_THREADS"] = str(max(1, _cores // max(1, _workers)))


def pytest_collection_modifyitems(config, items):
    """For pytest-xdist's ``--dist loadgroup`` (scripts/test.sh): tests that share an expensive fixture computed once
    per module (a module- or wider-scoped fixture defined in the test module itself, autouse ones aside) form one
    group, so one worker computes it once instead of every worker computing it again. Under xdist the slow tests
    are also sent first (longest first, the bigger groups next), so that none of them starts last and becomes the
    tail of the run while the other workers sit idle. Without xdist neither is done: the order stays pytest's."""
    if not os.environ.get("PYTEST_XDIST_WORKER") and not getattr(config.option, "numprocesses", None):
        return
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        if not item.get_closest_marker("xdist_group") and any(
                fd.scope in ("module", "package", "session") and _defined_in(fd) == module
                for fd in _requested_fixtures(item)):
            item.add_marker(pytest.mark.xdist_group(module))

    def rank(pair):
        index, item = pair
        try:
            longest = _LONGEST.index(item.name)
        except ValueError:
            longest = len(_LONGEST)
        return (longest, 0 if item.get_closest_marker("slow") else 1 if item.get_closest_marker("xdist_group") else 2,
                index)

    ordered = [item for _, item in sorted(enumerate(items), key=rank)]
    # xdist hands each worker one more test at the start, which waits behind its first: make those the fastest
    # tests there are, so that no slow test waits behind the longest ones
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or getattr(config.option, "numprocesses", 0) or 1)
    fillers = [it for it in ordered if it.nodeid.split("::", 1)[0] in _FILLERS
               and not it.get_closest_marker("xdist_group")][:workers]
    rest = [it for it in ordered if it not in fillers]
    items[:] = rest[:workers] + fillers + rest[workers:]


def _requested_fixtures(item):
    """The definitions of the fixtures ``item`` asks for, directly or through other fixtures (autouse ones only when
    asked for by name)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    seen: set[str] = set()
    todo = list(info.argnames)
    found = []
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        defs = info.name2fixturedefs.get(name) or ()
        if defs:
            found.append(defs[-1])
            todo.extend(defs[-1].argnames)
    return found


def _defined_in(fd) -> str:
    node = getattr(fd, "node", None)
    return node.nodeid if node is not None else fd.baseid


# Pure-Python tests (milliseconds each), the ones sent right behind the longest.
_FILLERS = ("tests/test_slug.py", "tests/test_stats.py")

# The longest tests, sent to the workers first under xdist in this order (measured 2026-12-02 with --durations under
# `-n 2` at load 6-9: 1,471 s, 613 s and 329 s; the next is 229 s).
_LONGEST = (
    "test_smoke_study_survives_sigkills",
    "test_real_quick_bench_on_the_default_model",
    "test_study_with_vllm_matches_hf_response_by_response",
)


@pytest.fixture(autouse=True)
def _ptst_home(tmp_path, monkeypatch):
    """Each test gets its own PTST_HOME whose models/ folder is shared across the session."""
    home = tmp_path / "ptst-home"
    home.mkdir()
    shared_models = _SESSION_HOME / "models"
    shared_models.mkdir(parents=True, exist_ok=True)
    (home / "models").symlink_to(shared_models)
    monkeypatch.setenv("PTST_HOME", str(home))
    monkeypatch.delenv("PTST_CACHE", raising=False)
    monkeypatch.delenv("PTST_TEMPLATES", raising=False)
    monkeypatch.delenv("PTST_DATA_DIR", raising=False)
    yield home


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.fail(f"{SHARED_DATA} is missing: the tests need ../shared/data beside the repository")
    return SHARED_DATA


@pytest.fixture(scope="session")
def tiny_model_dir() -> str:
    """Path of the tiny random Llama (built once per session)."""
    os.environ.setdefault("PTST_HOME", str(_SESSION_HOME))
    from ptst.models import resolve_model

    return resolve_model("tiny-random")


@pytest.fixture(autouse=True)
def _sigint_not_left_ignored(request):
    """A test (or a library it runs in-process) that leaves SIGINT ignored would make every later child process
    ignore Ctrl-C too (an ignored signal survives exec): put the default back and say which test did it."""
    import signal
    import warnings

    yield
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        warnings.warn(f"{request.node.nodeid} left SIGINT ignored; restored", RuntimeWarning)
