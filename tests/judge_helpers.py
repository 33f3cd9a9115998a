"""Shared checks for the judges' tests."""

from __future__ import annotations

import pytest

from ptst.errors import PtstError


def assert_tampered_weights_rejected(monkeypatch, module, text: str) -> None:
    """``module.load_weights()`` refuses stored weights whose numbers no longer match their sha256: the package's
    data file is replaced by ``text`` (through ``module.resources.files``) for the duration of the check."""

    class Files:
        def joinpath(self, *parts):
            return self

        def is_file(self):
            return True

        def read_text(self, encoding="utf-8"):
            return text

    module.load_weights.cache_clear()
    monkeypatch.setattr(module.resources, "files", lambda pkg: Files())
    try:
        with pytest.raises(PtstError, match="do not match its sha256"):
            module.load_weights()
    finally:
        monkeypatch.undo()
        module.load_weights.cache_clear()
