"""Helpers for tests that run ``ptst`` in-process and feed it JSONL files."""

from __future__ import annotations

import json

import pytest

from ptst.cli.main import main


def run(argv, capsys):
    """Run ptst in-process; (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as e:
        main(argv)
    out = capsys.readouterr()
    return e.value.code, out.out, out.err


def write(path, rows):
    """Write ``rows`` as JSONL (a dict as JSON, a string as the line itself); returns the path as a string."""
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return str(path)
