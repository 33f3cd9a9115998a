"""Scorers: safety judges (keyword, rubric, classifier, refusal) and helpfulness scorers (gsm8k, math)."""

from ptst.judges.base import Scorer, get_scorer, list_scorers, register_scorer, score_cached

__all__ = ["Scorer", "get_scorer", "list_scorers", "register_scorer", "score_cached"]
