"""Adaptive attacks on a benchmark: the prefilling attack and GCG, applied under the test template being measured.

An attack turns each item of a benchmark into an attacked prompt; the attacked benchmark is then generated, judged
and measured like any other (its judges see the raw request, never the attack). Two attacks:

* :class:`Prefill` (Qi et al. 2024, "Safety alignment should be made more than just a few tokens deep"): the
  response is forced to start with an affirmative prefix, written after the assistant header of the rendered
  prompt; it costs one generation per item (cached like any generation). The judged response is the prefix plus
  the model's continuation.
* :class:`GCG` (Zou et al. 2023) through ``nanogcg``: an adversarial suffix optimised for each request against
  the evaluated model *under the test template* (ptst renders the whole prompt and places nanogcg's
  ``{optim_str}`` after the query), then appended to the request. Suffixes are cached per (model, template,
  format, request, target, budget) and stored one by one, so an interrupted run resumes.
"""

from ptst.attacks.base import ATTACK_KINDS, GCG, Attack, Prefill, attack_from_dict, render_prefilled

__all__ = ["ATTACK_KINDS", "GCG", "Attack", "Prefill", "attack_from_dict", "render_prefilled"]
