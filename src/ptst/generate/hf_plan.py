"""Planning a generation run: which prompts share a prefix, and which prompts go into which batch.

Pure Python on token-id lists (no torch), so the plan is cheap to compute and easy to test.

Why share prefixes: an evaluation renders hundreds of queries with one template, so every prompt starts with the
same system prompt (the Llama-2 safety prompt is ~110 tokens, longer than most queries and longer than a 64-token
answer). Computing the key/value cache of that prefix once and copying it into every row removes most of the
prefill work.

Why sort by length: rows of a batch are padded to the longest suffix; grouping suffixes of similar length keeps
the padding (wasted compute) small.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence


def common_prefix_len(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


@dataclass
class PrefixGroup:
    """Prompts that start with the same ``tokens`` (the prefix whose KV cache is computed once)."""

    tokens: tuple[int, ...]
    members: list[int] = field(default_factory=list)


def group_by_prefix(
    token_lists: Sequence[Sequence[int]], min_prefix: int = 8, keep: float = 0.875
) -> tuple[list[PrefixGroup], list[int]]:
    """Partition prompts into groups sharing a common token prefix.

    Prompts are sorted lexicographically, so prompts with a long common prefix are adjacent; a prompt joins the
    current group while doing so keeps at least ``keep`` of the group's shared prefix (a query that happens to share
    a few first words with its neighbour must not shrink the template's 110-token prefix to 30). Every prompt keeps
    at least one token of its own (the last prompt token produces the first logits). Groups whose prefix would be
    shorter than ``min_prefix`` tokens, and single prompts, get an empty prefix.

    Returns the groups and, for each prompt, the index of its group.
    """
    order = sorted(range(len(token_lists)), key=lambda i: tuple(token_lists[i]))
    raw: list[list[int]] = []
    lcp = 0
    for pos, i in enumerate(order):
        if pos == 0:
            raw.append([i])
            lcp = len(token_lists[i])
            continue
        a = common_prefix_len(token_lists[order[pos - 1]], token_lists[i])
        new_lcp = min(lcp, a)
        if len(raw[-1]) == 1:  # the group's prefix is only defined once it has two members
            ok = new_lcp >= min_prefix
        else:
            ok = new_lcp >= min_prefix and new_lcp >= keep * lcp
        if ok:
            raw[-1].append(i)
            lcp = new_lcp
        else:
            raw.append([i])
            lcp = len(token_lists[i])
    groups: list[PrefixGroup] = []
    group_of = [0] * len(token_lists)
    for members in raw:
        if len(members) > 1:
            first = token_lists[members[0]]
            p = min(min(len(token_lists[m]) for m in members) - 1,
                    min(common_prefix_len(first, token_lists[m]) for m in members))
        else:
            p = 0
        if p < min_prefix:
            p = 0
        g = PrefixGroup(tokens=tuple(token_lists[members[0]][:p]), members=sorted(members))
        for m in members:
            group_of[m] = len(groups)
        groups.append(g)
    return groups, group_of


def plan_batches(suffix_lens: Sequence[int], batch_size: int) -> list[list[int]]:
    """Prompt indices in batches of at most ``batch_size``, longest suffixes first, so each batch holds suffixes of
    similar length (and a batch too large for memory fails first, not last)."""
    order = sorted(range(len(suffix_lens)), key=lambda i: (-suffix_lens[i], i))
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
