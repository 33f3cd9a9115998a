"""ptst.provenance: the one place versions, the git commit, the machine and content hashes are read."""

from __future__ import annotations

import platform

from ptst import provenance
from ptst.io import sha256_file, sha256_tree


def test_package_versions_names_the_interpreter_and_missing_distributions():
    v = provenance.package_versions(("python", "pydantic", "no-such-distribution-ptst"))
    assert list(v) == ["python", "pydantic", "no-such-distribution-ptst"]
    assert v["python"] == platform.python_version() and v["pydantic"] and v["no-such-distribution-ptst"] is None
    assert "python" not in provenance.package_versions(provenance.TRAIN_PACKAGES)


def test_hardware_without_torch_keeps_only_the_torch_facts_of_the_previous_run():
    prev = {"torch_threads": 7, "device": "cuda", "gpus": ["X"], "cpu_model": "old cpu", "platform": "old"}
    hw = provenance.hardware(with_torch=False, previous=prev)
    assert hw["torch_threads"] == 7 and hw["device"] == "cuda" and hw["gpus"] == ["X"]
    assert hw["platform"] == platform.platform() and hw["cpu_model"] == provenance.cpu_model()


def test_git_commit_of_this_checkout():
    g = provenance.git_commit()
    if g is not None:  # an installed copy has no checkout
        assert len(g["commit"]) == 40 and isinstance(g["dirty"], bool)


def test_path_digest_and_model_hash(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("x")
    assert provenance.path_digest(f) == sha256_file(f)
    assert provenance.path_digest(tmp_path) == "dir:" + sha256_tree(tmp_path)
    assert provenance.path_digest(tmp_path / "nope") == "missing"
    assert provenance.model_hash(str(tmp_path)) is None  # no model files
    assert provenance.model_hash(None) is None and provenance.model_hash(str(f)) is None
    (tmp_path / "config.json").write_text("{}")
    h = provenance.model_hash(str(tmp_path))
    assert h and len(h) == 64


def test_package_tree_hash_changes_with_the_source_not_with_bytecode(tmp_path, monkeypatch):
    assert provenance.package_tree_hash() == provenance.package_tree_hash()
    pkg = tmp_path / "ptst"
    (pkg / "__pycache__").mkdir(parents=True)
    (pkg / "provenance.py").write_text("x = 1\n")
    monkeypatch.setattr(provenance, "__file__", str(pkg / "provenance.py"))
    a = provenance.package_tree_hash()
    (pkg / "__pycache__" / "provenance.cpython.pyc").write_bytes(b"\0")
    assert provenance.package_tree_hash() == a
    (pkg / "provenance.py").write_text("x = 2\n")
    assert provenance.package_tree_hash() != a
