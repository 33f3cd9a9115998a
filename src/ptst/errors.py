"""User-facing errors.

A :class:`PtstError` is a problem with the user's input or environment (a missing file, a bad field, an unknown
template). The CLI prints its message on one line, without a traceback, and exits with status 2. Messages name the
file, line, field or value at fault, e.g. ``data.csv:12: missing column 'goal'``.
"""

from __future__ import annotations


class PtstError(Exception):
    """An error caused by user input or environment, reported as one line."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()) if "\n" in str(message) else str(message))


def one_line(text: str, limit: int = 300) -> str:
    """Collapse whitespace so ``text`` fits on one line, truncated to ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
