"""The scorer interface: safety judges and helpfulness scorers as small registered building blocks.

A scorer reads rows (dicts) and returns, for each row, the fields it adds:

* safety judges (``kind = "safety"``) read ``instruction`` (the raw request, never the templated prompt) and
  ``response``, and add ``refused`` (bool) and ``harmful`` (bool), plus e.g. ``score`` (1-5) for the rubric judge,
  and ``judge_error`` (a string) when a judgment could not be made or parsed (then ``harmful`` is ``None``);
* helpfulness scorers (``kind = "helpfulness"``) read ``response`` and ``reference`` and add ``correct`` (bool) and
  ``extracted``.

:func:`score_cached` stores every judgment in the :class:`~ptst.cache.Cache` under the scorer's identity and the
scored fields, so re-scoring costs nothing and an interrupted scoring run resumes.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from ptst.cache import Cache, judgment_key
from ptst.errors import Interrupted, PartialResultsError, PtstError
from ptst.registry import Registry

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class JudgePrice:
    """What one call of an API judge costs (USD per million tokens) and how big it is, for dry-run estimates."""

    input_per_mtok: float
    output_per_mtok: float
    prompt_tokens: int = 0  # the judge prompt around each item
    output_tokens: int = 64

    def cost(self, calls: Iterable[tuple[int, int]]) -> float:
        """USD, at most, for ``(number of calls, max tokens of the judged response)`` pairs (every response is
        assumed to use its full length; 60 tokens for the instruction)."""
        return sum(n * ((self.prompt_tokens + 60 + max_tokens) * self.input_per_mtok
                        + self.output_tokens * self.output_per_mtok) / 1e6 for n, max_tokens in calls)


class Scorer(ABC):
    name: str = "base"
    kind: str = "safety"  # or "helpfulness"
    version: str = "1"
    #: fields of a row the judgment depends on
    inputs: tuple[str, ...] = ("instruction", "response")

    def identity(self) -> dict[str, Any]:
        """What a judgment depends on besides the row (name, version, judge model, rubric hash...)."""
        return {"name": self.name, "version": self.version}

    @abstractmethod
    def score(self, rows: Sequence[dict[str, Any]], progress: Progress | None = None) -> list[dict[str, Any]]:
        """The fields to add to each row, in order."""

    def check_rows(self, rows: Sequence[dict[str, Any]], where: str = "input") -> None:
        for i, r in enumerate(rows, start=1):
            for f in self.inputs:
                if f not in r:
                    raise PtstError(f"{where}:{i}: missing field {f!r} (scorer {self.name} needs {', '.join(self.inputs)})")
                if r[f] is None or not isinstance(r[f], (str, int, float)):
                    raise PtstError(f"{where}:{i}: field {f!r} must be text, got {type(r[f]).__name__}")

    def close(self) -> None:
        pass

    #: building this scorer loads no model and calls no network, so a spec's options for it are checked by
    #: building it (see :meth:`check_options`)
    cheap_to_build: bool = False

    #: each judgment is a paid API call (the dry run estimates its cost with :meth:`price`)
    needs_api: bool = False
    #: scored from the evaluated model's own loglikelihoods (``score_model``), not from generated responses: a
    #: benchmark judged by such a scorer is not generated (ptst.judges.lmeval)
    needs_model: bool = False
    #: tokens of the judge prompt around each item (for cost estimates)
    prompt_tokens: int = 0

    @classmethod
    def price(cls, options: dict[str, Any]) -> JudgePrice | None:
        """The price of one call with these options; None when it is not known (or the scorer is free)."""
        return None

    #: the options a spec's ``judge_options`` may set; None: the constructor's keyword parameters
    options: tuple[str, ...] | None = None

    @classmethod
    def option_names(cls) -> list[str] | None:
        """The options this scorer declares (``options``), else its constructor's keyword parameters; None when
        neither says (a constructor taking ``**options`` without a declaration)."""
        if cls.options is not None:
            return sorted(cls.options)
        if cls.__init__ is object.__init__:  # no constructor of its own: no options
            return []
        params = list(inspect.signature(cls.__init__).parameters.values())
        if any(p.kind is p.VAR_KEYWORD for p in params):
            return None
        return sorted(p.name for p in params if p.name not in ("self", "client")
                      and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))

    @classmethod
    def check_options(cls, **options: Any) -> None:
        """Raise :class:`PtstError` (or ``TypeError``) for options this scorer rejects: any it does not declare
        (checked for every scorer, without building it); then a scorer that is cheap to build is built and
        closed, the others check their option values when they are built for a run."""
        known = cls.option_names()
        if known is not None:
            for k in options:
                if k not in known:
                    raise PtstError(f"unknown option {k!r} of judge {cls.name}; known: {', '.join(known) or '(none)'}")
        if cls.cheap_to_build:
            cls(**options).close()


def score_cached(
    scorer: Scorer,
    rows: Sequence[dict[str, Any]],
    cache: Cache | None = None,
    progress: Progress | None = None,
    chunk_size: int = 64,
) -> list[dict[str, Any]]:
    """Rows with the scorer's fields added (input rows are not modified). Judgments come from the cache where
    possible; the rest are computed in chunks and each chunk is stored before the next starts."""
    scorer.check_rows(rows)
    cache = cache or Cache.default()
    ident = scorer.identity()
    keys = [judgment_key(ident, {f: str(r[f]) for f in scorer.inputs}) for r in rows]
    found = cache.get_many("judgment", keys)
    todo = list(dict.fromkeys(k for k in keys if k not in found))
    first = {k: r for k, r in zip(keys, rows)}
    if progress:
        progress(len(keys) - sum(1 for k in keys if k not in found), len(keys))
    for i in range(0, len(todo), chunk_size):
        chunk = todo[i : i + chunk_size]
        try:
            added = scorer.score([first[k] for k in chunk])
        except (PartialResultsError, Interrupted) as e:  # keep the judgments that succeeded; a rerun judges the rest
            kept = [(k, a) for k, a in zip(chunk, e.partial) if a is not None]
            cache.put_many("judgment", [(k, a, {"scorer": scorer.name}) for k, a in kept])
            raise
        if len(added) != len(chunk):
            raise RuntimeError(f"scorer {scorer.name} returned {len(added)} judgments for {len(chunk)} rows")
        cache.put_many("judgment", [(k, a, {"scorer": scorer.name}) for k, a in zip(chunk, added)])
        found.update(zip(chunk, added))
        if progress:
            progress(sum(1 for k in keys if k in found), len(keys))
    return [{**r, **found[k]} for r, k in zip(rows, keys)]


# ---- registry -------------------------------------------------------------------------------------------------

BUILTIN_SCORER_MODULES = (
    "ptst.judges.keyword",
    "ptst.judges.rubric",
    "ptst.judges.classifier",
    "ptst.judges.refusal",
    "ptst.judges.objective",
    "ptst.judges.cross",
    "ptst.judges.math",
    "ptst.judges.bertscore",
    "ptst.judges.lmeval",
)

SCORERS: Registry[Scorer] = Registry("scorer", BUILTIN_SCORER_MODULES)
#: class decorator, ``@register_scorer("keyword")``: the class is constructed with the options given to get_scorer
register_scorer = SCORERS.register
#: the registered class of a scorer, not constructed (a judge may load a model): its ``kind``, its option check and
#: its cost estimate
scorer_class = SCORERS.get
list_scorers = SCORERS.names
#: ``get_scorer("keyword")``: a scorer constructed with its options
get_scorer = SCORERS.create


def scorer_kind(name: str) -> str | None:
    """``safety`` / ``helpfulness`` for a registered scorer (None if unknown), without constructing it."""
    return getattr(SCORERS.find(name), "kind", None)
