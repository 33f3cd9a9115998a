"""How an attack rewrites one request or prompt: the prefilled answer start, the affirmative target, the
adversarial suffix. Shared by the attack objects (base.py) and the GCG optimiser (gcg.py)."""

from __future__ import annotations

from typing import Any

from ptst.errors import PtstError

TARGET_FIELD = "{target}"

Prompt = Any  # a rendered string, or chat messages


def render_prefilled(prompt: Prompt, prefix: str) -> str:
    """The prompt with the response forced to start with ``prefix``: the prefix written after the assistant header
    (a space between them unless the prompt ends in whitespace, as a training example joins prompt and answer)."""
    if not isinstance(prompt, str):
        raise PtstError("the prefilling attack needs a string prompt (format llama2 or native); chat messages for an "
                        "API (format openai) cannot start the assistant's answer")
    if not prefix:
        return prompt
    sep = "" if (not prompt or prompt[-1].isspace()) else " "
    return prompt + sep + prefix


def record_target(record: Any, pattern: str, fallback: str | None, attack: str) -> str:
    """The affirmative target of a record: ``pattern`` with ``{target}`` replaced by the record's own target
    (``meta["target"]``, e.g. JailbreakBench's), else ``fallback``; a one-line error when neither exists."""
    if TARGET_FIELD not in pattern:
        return pattern
    own = (getattr(record, "meta", None) or {}).get("target")
    if own is None:
        if fallback is None:
            raise PtstError(f"attack {attack!r}: item {record.id!r} has no target of its own (meta 'target'); "
                            "give the attack a fixed prefix/target instead of {target}")
        own = fallback
    return pattern.replace(TARGET_FIELD, own)


def attacked_query(query: str, suffix: str) -> str:
    """The request with an adversarial suffix appended (one space between, as GCG's prompts are built)."""
    return query + " " + suffix
