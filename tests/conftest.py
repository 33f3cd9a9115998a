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
