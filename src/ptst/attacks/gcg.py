"""GCG suffixes through nanoGCG (optional dependency: ``pip install 'ptst[attacks]'``), cached and resumable.

nanoGCG 0.2.3 renders its ``messages`` with the tokenizer's chat template and splits the result at
``{optim_str}``. ptst instead hands it the *whole prompt ptst would send* (the test template rendered in the
study's format, ``{optim_str}`` placed after the request) through an identity chat template, so the suffix is
optimised under exactly the template being measured, system prompt and demonstrations included. Its prefix KV
cache is turned off (``use_prefix_cache=False``): it indexes ``DynamicCache`` as a list, which transformers 5 no
longer allows.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Sequence

from ptst.attacks.prompts import attacked_query, record_target
from ptst.errors import PtstError
from ptst.io import stable_hash

if TYPE_CHECKING:  # the attack object only as a type: base.py imports this module when GCG runs
    from ptst.attacks.base import GCG

OPTIM = "{optim_str}"
IDENTITY_CHAT_TEMPLATE = "{% for message in messages %}{{ message['content'] }}{% endfor %}"


def suffix_key(attack: GCG, model_key: str, template: Any, fmt: str, query: str, target: str) -> str:
    """What a suffix depends on: the model's content, the whole template, the format, the request, its target and
    the attack's budget (its label and benchmark choice aside)."""
    return stable_hash({"kind": "gcg-suffix", "model": model_key, "template": template.summary(), "format": fmt,
                        "query": query, "target": target, "attack": attack.key()})


def gcg_prompt(template: Any, query: str, fmt: str, tokenizer: Any) -> str:
    """The prompt nanoGCG optimises: the template's rendering of the request with ``{optim_str}`` after it."""
    p = template.render(attacked_query(query, OPTIM), fmt, tokenizer=tokenizer)
    if not isinstance(p, str) or p.count(OPTIM) != 1:
        raise PtstError(f"template {template.name!r}: cannot place the GCG suffix in its {fmt} rendering")
    return p


def _nanogcg():
    try:
        import nanogcg
    except ModuleNotFoundError:
        raise PtstError("the GCG attack needs nanogcg: pip install 'ptst[attacks]' (nanogcg 0.2.3, --no-deps "
                        "beside transformers 5)") from None
    return nanogcg


def gcg_suffixes(attack: GCG, template: Any, records: Sequence[Any], fmt: str, backend: Any, cache: Any) -> list[str]:
    """One optimised suffix per record, from the cache where possible; each new suffix is stored as soon as it is
    found (a rerun after an interruption optimises only the rest)."""
    if not (hasattr(backend, "model") and hasattr(backend, "tokenizer")):
        raise PtstError(f"attack {attack.name!r}: GCG needs a local model (backend hf), "
                        f"not backend {getattr(backend, 'name', '?')!r}")
    mkey = backend.identity_key()
    targets = [record_target(r, attack.target, attack.fallback, attack.name) for r in records]
    keys = [suffix_key(attack, mkey, template, fmt, r.instruction, t) for r, t in zip(records, targets)]
    found = cache.get_many("generation", keys) if cache is not None else {}
    out = {k: v["text"] for k, v in found.items()}
    todo = [(k, r, t) for k, r, t in zip(keys, records, targets) if k not in out]
    if todo:
        nanogcg = _nanogcg()
        tok = copy.copy(backend.tokenizer)
        tok.chat_template = IDENTITY_CHAT_TEMPLATE  # the prompt string is already the whole rendered prompt
        config = nanogcg.GCGConfig(num_steps=attack.steps, search_width=attack.search_width, topk=attack.topk,
                                   optim_str_init=attack.suffix_init, seed=attack.seed, use_prefix_cache=False,
                                   verbosity="WARNING")
        import torch

        for k, r, t in todo:
            prompt = gcg_prompt(template, r.instruction, fmt, backend.tokenizer)
            with torch.enable_grad():  # ptst's model loader turns gradients off process-wide; GCG needs them
                result = nanogcg.run(backend.model, tok, prompt, t, config)
            out[k] = result.best_string
            if cache is not None:
                cache.put("generation", k, {"text": result.best_string, "loss": float(result.best_loss),
                                            "target": t, "steps": attack.steps}, {"backend": "gcg"})
    return [out[k] for k in keys]
