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


class PartialResultsError(PtstError):
    """Some items of a batch failed after retries while others succeeded.

    ``partial`` has one entry per input item: the result, or ``None`` where that item failed; ``errors`` holds the
    failures. :func:`ptst.generate.base.generate_cached` and :func:`ptst.judges.base.score_cached` store every
    non-``None`` entry before re-raising, so nothing already computed is lost and a rerun does only the rest.
    """

    def __init__(self, message: str, partial: list, errors: list | None = None):
        super().__init__(message)
        self.partial = partial
        self.errors = list(errors or [])


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) or SIGTERM arrived while a batch was running.

    Raised by :meth:`ptst.openai_client.OpenAICompatClient` batches once queued calls are cancelled and the calls
    already in flight have returned. ``partial`` has one entry per input item, as for :class:`PartialResultsError`
    (``None`` where no result came back), so the caching layers store every finished item before the interrupt
    reaches the CLI, which then prints one line of what was kept and exits 130. It is a ``KeyboardInterrupt``, so
    no ``except Exception`` treats it as an item failure.
    """

    def __init__(self, message: str = "interrupted", partial: list | None = None):
        super().__init__(message)
        self.partial = list(partial) if partial is not None else []
