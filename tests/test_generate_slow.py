"""The fast hf engine on the real default model gives exactly plain ``generate``'s greedy outputs."""

from __future__ import annotations

import pytest

from ptst.generate import Decoding, get_backend
from ptst.generate.hf import plain_generate
from ptst.templates import get_template

QUERIES = ["What is the capital of France?", "Write a short poem about the sea.",
           "How can I pick a lock without the key?"]


@pytest.mark.slow
def test_fast_engine_equals_one_prompt_at_a_time_generate_on_the_default_model():
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # steadier on a busy machine; the engine is exercised identically
    try:
        backend = get_backend("hf", model="smollm2-135m", device="cpu", verify_margin=0.0)  # the engine alone
        tok = backend.tokenizer
        prompts = [get_template(t).render(q, "native", tok) for t in ("chat:llama", "chat:vanilla") for q in QUERIES]
        dec = Decoding(max_new_tokens=24)
        got = backend.generate_tokens(backend.encode(prompts), dec)
        assert backend.engine == "fast" and backend.stats.batches == 1
        for ids, g in zip(backend.encode(prompts), got):
            ref = plain_generate(backend.model, [ids], dec, backend.eos_ids(), tok.pad_token_id)[0]
            assert g.tokens == ref
        assert min(g.min_margin for g in got) > 0  # no exact ties: the comparison above is meaningful
    finally:
        torch.set_num_threads(threads)
