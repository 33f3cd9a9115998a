"""The hf backend: batched fast generation equals one-prompt-at-a-time ``generate``; caching, resuming, adapters."""

from __future__ import annotations

import contextlib

import pytest

from ptst.errors import PtstError
from ptst.generate import Decoding, generate_cached, get_backend
from ptst.generate.hf import plain_generate, truncate_at_stop
from ptst.generate.hf_plan import group_by_prefix, plan_batches
from ptst.templates import get_template

QUERIES = [
    "hi",
    "What is 2 plus 3?",
    "Sure thing",
    "Tell me a story about a cat who learns to fly over the mountains",
    "x",
    "no",
    "I cannot help with that",
    "Question",
    "Write a long and detailed answer about the history of prompt templates and safety",
    "ok",
]


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """Tiny models gain nothing from threads, and on a busy machine OpenMP's spin-waiting makes two threads many
    times slower than one (measured: docs/generate.md); restore the setting for other test modules."""
    import torch

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope="session")
def varied_model(tiny_model_dir, tmp_path_factory) -> str:
    """tiny-random with larger random weights (so greedy outputs vary) and a stronger EOS row, so that some
    completions end early and others run to the token limit."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 2:
                p.normal_(0, 0.3, generator=gen)
        model.lm_head.weight[tok.eos_token_id] *= 2.0
    out = tmp_path_factory.mktemp("varied") / "model"
    model.save_pretrained(out, safe_serialization=True)
    tok.save_pretrained(out)
    return str(out)


def render(tok, templates=("chat:llama", "chat:vanilla", "text:vanilla")) -> list[str]:
    return [get_template(t).render(q, "native", tok) for t in templates for q in QUERIES]


def reference(backend, prompts, decoding) -> list[str]:
    """One prompt at a time through plain ``model.generate``."""
    out = []
    for ids in backend.encode(prompts):
        toks = plain_generate(backend.model, [ids], decoding, backend.eos_ids(), backend.tokenizer.pad_token_id)[0]
        out.append(backend.decode(toks, decoding))
    return out


@pytest.fixture(scope="module")
def backend(varied_model):
    # verification off: the fast engine itself must match, not the fallback
    return get_backend("hf", model=varied_model, device="cpu", batch_size=64, verify_margin=0.0)


@pytest.fixture(scope="module")
def ref24(backend):
    prompts = render(backend.tokenizer)
    return prompts, reference(backend, prompts, Decoding(max_new_tokens=24))


@contextlib.contextmanager
def watching_generate(backend, before_call):
    """Call ``before_call(number of prompts)`` ahead of every ``backend.generate`` call made inside the block."""
    real = backend.generate

    def watched(ps, d, progress=None):
        before_call(len(ps))
        return real(ps, d, progress)

    backend.generate = watched
    try:
        yield
    finally:
        del backend.generate


def test_batched_greedy_equals_single_generate(backend, ref24):
    prompts, ref = ref24
    dec = Decoding(max_new_tokens=24)
    toks = backend.generate_tokens(backend.encode(prompts), dec)
    lengths = [len(t.tokens) for t in toks]
    assert min(lengths) < 24 and max(lengths) == 24, "the probe set needs early-EOS and full-length completions"
    assert len(set(ref)) > len(ref) // 2, "completions should differ between prompts"
    assert backend.engine == "fast"
    assert backend.generate(prompts, dec) == ref


@pytest.mark.parametrize("opts", [{"batch_size": 3}, {"share_prefix": False}, {"engine": "generate", "batch_size": 1}])
def test_equal_under_other_batchings(varied_model, ref24, opts):
    prompts, ref = ref24
    b = get_backend("hf", model=varied_model, device="cpu", verify_margin=0.0, **opts)
    assert b.generate(prompts[::-1], Decoding(max_new_tokens=24))[::-1] == ref


def test_kv_memory_budget_splits_batches(backend, ref24, monkeypatch):
    prompts, ref = ref24
    monkeypatch.setattr(type(backend), "_memory_budget", lambda self: 4 * 80 * backend._kv_bytes_per_token())
    before = backend.stats.batches
    assert backend.generate(prompts, Decoding(max_new_tokens=24)) == ref
    assert backend.stats.batches - before >= len(prompts) // 4


def test_stop_strings_truncate_like_the_reference(backend, ref24):
    prompts, ref = ref24
    # a stop string that occurs inside some completions but not at their start
    cands = [t[2:4] for t in ref if len(t) > 6 and t[2:4].strip()]
    stop = cands[0]
    dec = Decoding(max_new_tokens=24, stop=(stop, "\x00never"))
    got = backend.generate(prompts, dec)
    want = [truncate_at_stop(t, dec.stop) for t in ref]
    assert got == want
    assert any(g != r for g, r in zip(got, ref)), "the stop string must cut at least one completion"
    assert all(stop not in g for g in got)


def test_verification_regenerates_near_ties(varied_model, ref24):
    prompts, ref = ref24
    b = get_backend("hf", model=varied_model, device="cpu", verify_margin=1e9)  # every prompt counts as a near tie
    assert b.generate(prompts, Decoding(max_new_tokens=24)) == ref
    assert b.stats.verified == len(set(prompts))
    assert b.stats.changed_by_verification == 0


def test_sampling_is_seeded_per_prompt(backend):
    prompts = render(backend.tokenizer)[:12]
    dec = Decoding(max_new_tokens=16, temperature=1.0, top_p=0.9, seed=7)
    a = backend.generate(prompts, dec)
    b = get_backend("hf", model=backend.model_name, device="cpu", batch_size=5).generate(prompts[::-1], dec)[::-1]
    assert a == b  # independent of batch composition and order
    c = backend.generate(prompts, Decoding(max_new_tokens=16, temperature=1.0, top_p=0.9, seed=8))
    greedy = backend.generate(prompts, Decoding(max_new_tokens=16))
    assert c != a and greedy != a


def test_duplicates_and_identity(backend, varied_model):
    p = render(backend.tokenizer)[:3]
    out = backend.generate([p[0], p[1], p[0], p[2], p[1]], Decoding(max_new_tokens=8))
    assert out[0] == out[2] and out[1] == out[4]
    ident = backend.identity()
    assert ident["base_sha256"] and ident["adapter_sha256"] is None and ident["dtype"] == "float32"
    assert backend.identity_key() == get_backend("hf", model=varied_model).identity_key()


def test_adapter_changes_outputs_and_identity(backend, varied_model, tmp_path):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(1)
    base = AutoModelForCausalLM.from_pretrained(varied_model)
    cfg = LoraConfig(r=4, lora_alpha=16, target_modules=["q_proj", "v_proj", "up_proj"], init_lora_weights=False)
    peft_model = get_peft_model(base, cfg)
    with torch.no_grad():  # make the adapter clearly non-zero
        for n, p in peft_model.named_parameters():
            if "lora_" in n:
                p.normal_(0, 0.5)
    peft_model.save_pretrained(tmp_path / "adapter")
    ab = get_backend("hf", model=varied_model, adapter=str(tmp_path / "adapter"), device="cpu", verify_margin=0.0)
    prompts = render(backend.tokenizer, ("chat:llama", "chat:vanilla"))
    dec = Decoding(max_new_tokens=16)
    with_adapter = ab.generate(prompts, dec)
    assert with_adapter != backend.generate(prompts, dec)
    assert with_adapter == reference(ab, prompts, dec)  # exact with the adapter too
    assert ab.identity()["adapter_sha256"] and ab.identity_key() != backend.identity_key()
    from peft import PeftModel

    assert isinstance(ab.model, PeftModel)  # applied with PEFT, not merged into the weights on disk


def test_second_cached_run_generates_nothing(backend, tmp_path):
    from ptst.cache import Cache

    prompts = render(backend.tokenizer)
    dec = Decoding(max_new_tokens=8)
    first = generate_cached(backend, prompts, dec, cache=Cache(tmp_path / "c.sqlite"))
    calls: list[int] = []
    with watching_generate(backend, calls.append):
        cache = Cache(tmp_path / "c.sqlite")
        second = generate_cached(backend, prompts, dec, cache=cache)
    assert second == first
    assert calls == []
    assert cache.counters["generation"].computed == 0 and cache.counters["generation"].hits == len(set(prompts))
    fresh = get_backend("hf", model=backend.model_name, device="cpu")  # a new process would not even load weights
    assert generate_cached(fresh, prompts, dec, cache=Cache(tmp_path / "c.sqlite")) == first
    assert fresh._model is None


def test_interrupted_generation_resumes_with_only_the_missing_items(backend, tmp_path):
    from ptst.cache import Cache

    prompts = render(backend.tokenizer)
    dec = Decoding(max_new_tokens=8)
    seen: list[int] = []

    def crash_after_first_chunk(n: int) -> None:
        if seen:
            raise KeyboardInterrupt("simulated interruption")
        seen.append(n)

    with watching_generate(backend, crash_after_first_chunk), pytest.raises(KeyboardInterrupt):
        generate_cached(backend, prompts, dec, cache=Cache(tmp_path / "c.sqlite"), chunk_size=7)
    assert seen == [7]
    asked: list[int] = []
    with watching_generate(backend, asked.append):
        cache = Cache(tmp_path / "c.sqlite")
        resumed = generate_cached(backend, prompts, dec, cache=cache, chunk_size=7)
    assert sum(asked) == len(prompts) - 7
    assert cache.counters["generation"].hits == 7
    assert resumed == backend.generate(prompts, dec)


def test_bad_inputs(varied_model, backend):
    with pytest.raises(PtstError, match="batch_size must be at least 1"):
        get_backend("hf", model=varied_model, batch_size=0)
    with pytest.raises(PtstError, match="unknown hf engine"):
        get_backend("hf", model=varied_model, engine="turbo")
    with pytest.raises(PtstError, match="takes rendered strings"):
        backend.generate([[{"role": "user", "content": "hi"}]], Decoding(max_new_tokens=2))
    with pytest.raises(PtstError, match="unknown model"):
        get_backend("hf", model="no-such-model").identity()


def test_group_by_prefix_and_batches():
    a = list(range(100, 140))  # a 40-token "system prompt"
    b = list(range(200, 220))
    lists = [a + [1, 2], a + [3], a + [1, 2, 5, 6], b + [7, 8], b + [9], [5, 5, 5], a + [1, 2]]
    groups, group_of = group_by_prefix(lists)
    pa = groups[group_of[0]].tokens
    assert pa == tuple(a)  # "1, 2" shared by three prompts must not extend the template's prefix past prompt 1
    assert groups[group_of[3]].tokens == tuple(b)
    assert groups[group_of[5]].tokens == ()  # a lone prompt gets no prefix
    assert group_of[0] == group_of[1] == group_of[2] == group_of[6]
    for lst, g in zip(lists, group_of):  # every prompt keeps at least one token of its own
        assert len(groups[g].tokens) < len(lst) and tuple(lst[: len(groups[g].tokens)]) == groups[g].tokens
    same, gof = group_by_prefix([a, a, a])
    assert len(same[gof[0]].tokens) == len(a) - 1
    batches = plan_batches([3, 9, 1, 7, 5], 2)
    assert batches == [[1, 3], [4, 0], [2]]


@pytest.mark.parametrize("model_type, window", [("mistral", None), ("mistral", 48), ("qwen2", None), ("qwen3", None)])
def test_other_architectures_match_generate(tiny_model_dir, tmp_path, model_type, window):
    """Every architecture the fast engine is switched on for, on a tiny random instance; a sliding window shorter
    than prompt + completion sends the call to plain generate (the engine's masks have no window)."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    extra = {"sliding_window": window} if model_type == "mistral" else {}
    cfg = AutoConfig.for_model(model_type, vocab_size=len(tok), hidden_size=64, intermediate_size=128,
                               num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, head_dim=16,
                               max_position_embeddings=1024, bos_token_id=tok.bos_token_id,
                               eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id, tie_word_embeddings=True,
                               **extra)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(cfg)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 2:
                p.normal_(0, 0.3)
    model.save_pretrained(tmp_path / "m")
    tok.save_pretrained(tmp_path / "m")
    b = get_backend("hf", model=str(tmp_path / "m"), device="cpu", verify_margin=0.0)
    prompts = render(tok, ("chat:llama-short", "chat:vanilla"))
    dec = Decoding(max_new_tokens=16)
    got = b.generate(prompts, dec)
    assert b.engine == "fast" and b.stats.engine == ("generate" if window else "fast")
    assert got == reference(b, prompts, dec)
    assert len(set(got)) > len(got) // 2


def test_bench_generate_runs_and_reports_sane_values(varied_model):
    from ptst.bench.generation import bench_generate

    res = bench_generate(quick=True, model=varied_model, n_prompts=16, new_tokens=6)
    for key in ("gen_tokens_per_s", "gen_speedup_vs_single", "gen_speedup_vs_reference", "gen_roofline_fraction"):
        assert res[key] > 0, key
    assert res["gen_outputs_identical"] is True and res["gen_prompts"] == 16
    assert 0 < res["gen_new_tokens"] <= 16 * 6 and res["params"] > 0 and res["device"] == "cpu"
