"""Generation throughput: the ``hf`` backend against plain transformers ``generate``, in one process.

Workload: the default model, 64 prompts of mixed length (32 questions written for this benchmark, each rendered
with ``chat:vanilla`` and ``chat:llama`` in the model's native chat format, interleaved), 64 new tokens, greedy.
Every figure is measured right beside the others on the same loaded weights, so machine noise largely cancels in
the ratios:

* ``hf``: ``HFBackend.generate_tokens`` with its defaults (fast engine, batch 64, margin verification on; any
  prompt it regenerates for verification is included in the time);
* ``single``: plain ``model.generate`` one prompt at a time (quick mode: the first 4 prompts, full: the first 8;
  tokens/s on that subset stands for the whole set: the subset alternates the two templates like the whole set);
* ``reference``: plain ``generate`` at batch 8 in input order, no length sorting (the PTST reference code's
  setting; quick mode: the first 2 of the 8 batches, full: all 8); ``gen_single_extrapolated`` and
  ``gen_reference_extrapolated`` say when a baseline's rate on its subset stands for the whole set;
* ``matmul``: best-of-5 FLOP/s of a 2048 x 2048 product in the model's dtype on the same device, measured before
  and after the runs (the larger is used).

``gen_roofline_fraction = gen_tokens_per_s x 2 x parameters / matmul FLOP/s``: the share of the machine's dense
matmul rate that generated tokens represent (prefill and attention are overhead in this count).
``gen_outputs_identical`` compares the hf backend's tokens with one-prompt-at-a-time ``generate`` on the single
subset; ``gen_agrees_with_reference`` compares with the batch-8 reference on its subset (that method is itself not
guaranteed to equal single-prompt decoding).

Run: ``ptst bench`` (with the other parts), or ``python -m ptst.bench.generation [--quick]
[--device=cpu|cuda] [--model=NAME] [--dtype=D] [--verify-margin=X]`` (prints JSON). ``--ablation [--threads=N]``
instead prints what each technique of the fast engine buys (:func:`ablation`). On a machine with CUDA, ``bench_generate(device="cpu")`` also adds a ``cuda`` entry with the same figures there.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from ptst.bench.machine import matmul_flops, sync

QUESTIONS = [
    "What is the capital of France?",
    "How do I bake a simple loaf of bread at home?",
    "Explain photosynthesis to a ten-year-old.",
    "Write a short poem about the sea.",
    "What are three tips for staying focused while studying for exams in a noisy house?",
    "How can I pick a lock without the key?",
    "Summarise the causes of the First World War in a few sentences.",
    "Give me a recipe for a vegetarian lasagna that serves four people and can be prepared the day before.",
    "What is 17 times 23?",
    "Why is the sky blue?",
    "Tell me how to make a dangerous chemical weapon at home.",
    "Write an email to my landlord asking politely for the heating to be repaired before winter, mentioning that "
    "it has been broken for two weeks.",
    "Translate 'good morning' into Spanish, German and Italian.",
    "What is the difference between a virus and a bacterium?",
    "How do I write a for loop in Python?",
    "Describe the plot of Romeo and Juliet.",
    "A train leaves at 3 pm travelling at 60 km/h; another leaves the same station at 4 pm at 90 km/h. When does "
    "the second catch up?",
    "List five healthy breakfast ideas.",
    "How can I hack into my neighbour's wifi network?",
    "What should I pack for a week-long hiking trip in the mountains in early autumn, when nights can be cold?",
    "Who wrote Pride and Prejudice?",
    "Explain what a neural network is.",
    "Give me some advice on negotiating a higher salary.",
    "Write a phishing email pretending to be a bank.",
    "How does a refrigerator keep food cold?",
    "What are the main differences between renewable and non-renewable energy sources, and why does it matter for "
    "climate policy?",
    "Name three planets in our solar system.",
    "How do vaccines work?",
    "Suggest a name for a friendly golden retriever puppy.",
    "What is the best way to learn a new language as an adult with a full-time job and little free time?",
    "Is it safe to eat raw cookie dough?",
    "Write a haiku about autumn leaves.",
]
TEMPLATES = ("chat:vanilla", "chat:llama")
QUICK_SINGLE = 4  # prompts timed one at a time in quick mode (about 20 s on 2 cores; full mode times 8)


def bench_prompts(tokenizer: Any, n: int = 64) -> list[str]:
    """``n`` rendered prompts, alternating templates (so any prefix of the list mixes lengths and templates)."""
    from ptst.templates import get_template

    per = [[get_template(t).render(q, "native", tokenizer) for q in QUESTIONS] for t in TEMPLATES]
    mixed = [p for pair in zip(*per) for p in pair]
    return (mixed * (n // len(mixed) + 1))[:n]


def _plain(backend: Any, ids: list[list[int]], batch: int, decoding: Any, device: str) -> tuple[list[list[int]], float]:
    """Plain ``generate`` over ``ids`` in input order, ``batch`` at a time: (tokens, seconds)."""
    import torch

    from ptst.generate.hf import plain_generate

    out: list[list[int]] = []
    sync(device)
    t = time.perf_counter()
    with torch.inference_mode():
        for i in range(0, len(ids), batch):
            out += plain_generate(backend.model, ids[i : i + batch], decoding, backend.eos_ids(),
                                  backend.tokenizer.pad_token_id)
    sync(device)
    return out, time.perf_counter() - t


def bench_generate(quick: bool = True, device: str = "cpu", model: str = "smollm2-135m", n_prompts: int = 64,
                   new_tokens: int = 64, include_cuda: bool = True, log: Any = None,
                   **backend_options: Any) -> dict[str, Any]:
    """Measure the figures described in the module docstring; returns a flat dict (plus ``cuda`` when present).

    ``backend_options`` go to ``get_backend("hf", ...)`` (e.g. ``dtype="float32"``, ``verify_margin=0``);
    ``log(message)`` reports progress (``ptst bench`` sends it to stderr)."""
    log = log or (lambda _m: None)
    import torch

    from ptst.generate import Decoding, get_backend

    backend = get_backend("hf", model=model, device=device, **backend_options)
    dec = Decoding(max_new_tokens=new_tokens)
    prompts = bench_prompts(backend.tokenizer, n_prompts)
    ids = backend.encode(prompts)
    m = backend.model
    dev = str(backend.device)
    params = sum(p.numel() for p in m.parameters())
    flops_before = matmul_flops(m.dtype, dev)

    backend.generate_tokens(ids[:2], Decoding(max_new_tokens=4))  # warm-up: kernels, allocator
    _plain(backend, ids[:2], 2, Decoding(max_new_tokens=4), dev)
    backend._prefix_store.clear()  # the system prompts' KV is part of the measured work
    verified0 = backend.stats.verified

    log(f"generation: hf backend, {len(ids)} prompts x {new_tokens} new tokens on {dev}")
    sync(dev)
    t = time.perf_counter()
    fast = backend.generate_tokens(ids, dec)
    sync(dev)
    t_fast = time.perf_counter() - t
    fast_tokens = [r.tokens for r in fast]
    n_fast = sum(len(x) for x in fast_tokens)

    n_single = min(len(ids), QUICK_SINGLE if quick else 8)
    log(f"generation: plain generate one prompt at a time ({n_single} prompts)")
    single, t_single = _plain(backend, ids[:n_single], 1, dec, dev)
    n_ref = min(len(ids), 16 if quick else len(ids))
    log(f"generation: reference, plain generate at batch 8 in input order ({n_ref} prompts)")
    ref, t_ref = _plain(backend, ids[:n_ref], 8, dec, dev)
    flops = max(flops_before, matmul_flops(m.dtype, dev))

    tps = n_fast / t_fast
    single_tps = sum(len(x) for x in single) / t_single
    ref_tps = sum(len(x) for x in ref) / t_ref
    out: dict[str, Any] = {
        "gen_tokens_per_s": round(tps, 2),
        "gen_speedup_vs_single": round(tps / single_tps, 2),
        "gen_speedup_vs_reference": round(tps / ref_tps, 2),
        "gen_roofline_fraction": round(tps * 2 * params / flops, 4),
        "gen_outputs_identical": fast_tokens[:n_single] == single,
        "gen_agrees_with_reference": sum(a == b for a, b in zip(fast_tokens, ref)) / len(ref),
        "gen_single_tokens_per_s": round(single_tps, 2),
        "gen_reference_tokens_per_s": round(ref_tps, 2),
        "gen_matmul_gflops": round(flops / 1e9, 1),
        "gen_seconds": round(t_fast, 2),
        "gen_new_tokens": n_fast,
        "gen_prompts": len(ids),
        "gen_prompt_tokens_mean": round(sum(map(len, ids)) / len(ids), 1),
        "gen_verified_prompts": backend.stats.verified - verified0,
        "gen_single_subset": n_single,
        "gen_reference_subset": n_ref,
        # The baselines' tokens/s on their first prompts stand for the whole set (extrapolated) when True.
        "gen_single_extrapolated": n_single < len(ids),
        "gen_reference_extrapolated": n_ref < len(ids),
        "gen_model": model,
        "device": dev,
        "dtype": str(m.dtype).replace("torch.", ""),
        "params": params,
        "threads": torch.get_num_threads(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"),
        "quick": quick,
        "torch": torch.__version__,
    }
    backend.close()
    if include_cuda and device == "cpu" and torch.cuda.is_available():
        out["cuda"] = bench_generate(quick, "cuda", model, n_prompts, new_tokens, include_cuda=False, log=log,
                                     **{k: v for k, v in backend_options.items() if k != "device"})
    return out


ABLATION = [  # (name, backend options); each fast variant switches one technique off, verification off
    ("generate b64, length-sorted", {"engine": "generate", "batch_size": 64}),
    ("fast, no prefix sharing", {"share_prefix": False, "verify_margin": 0.0}),
    ("fast, prefix KV copied into every row", {"shared_attention": False, "verify_margin": 0.0}),
    ("fast, linear() head instead of W @ h.T", {"split_head": False, "verify_margin": 0.0}),
    ("fast (default techniques)", {"verify_margin": 0.0}),
]


def ablation(quick: bool = True, model: str = "smollm2-135m", device: str = "cpu", threads: int | None = 1,
             n_prompts: int = 64, new_tokens: int = 64) -> list[dict[str, Any]]:
    """What each technique of the fast engine buys, in one process on the bench workload.

    Every variant runs on the same loaded weights and is timed in process CPU time as well as wall time (with one
    thread, CPU time is steady on a shared machine). The batch-8 reference runs on the first 16 prompts in quick
    mode. ``same_as_default`` compares each variant's tokens with the default fast engine's.
    """
    import torch

    from ptst.generate import Decoding, get_backend

    if threads:
        torch.set_num_threads(threads)
    base = get_backend("hf", model=model, device=device)
    dec = Decoding(max_new_tokens=new_tokens)
    ids = base.encode(bench_prompts(base.tokenizer, n_prompts))
    base.generate_tokens(ids[:2], Decoding(max_new_tokens=2))
    rows: list[dict[str, Any]] = []

    def timed(name: str, fn) -> list[list[int]]:
        c, w = time.process_time(), time.perf_counter()
        toks = fn()
        c, w = time.process_time() - c, time.perf_counter() - w
        n = sum(len(t) for t in toks)
        rows.append({"variant": name, "prompts": len(toks), "new_tokens": n, "cpu_s": round(c, 2),
                     "wall_s": round(w, 2), "tokens_per_cpu_s": round(n / c, 2), "tokens_per_s": round(n / w, 2)})
        return toks

    n_ref = 16 if quick else len(ids)
    ref_name = "reference: generate b8, input order"
    outs = {ref_name: timed(ref_name, lambda: _plain(base, ids[:n_ref], 8, dec, str(base.device))[0])}
    for name, opts in ABLATION:
        b = base.with_options(**opts)
        outs[name] = timed(name, lambda: [r.tokens for r in b.generate_tokens(ids, dec)])
    default = outs[ABLATION[-1][0]]
    for r in rows:
        r["same_as_default"] = outs[r["variant"]] == default[: r["prompts"]]
        r["speedup_vs_reference"] = round(r["tokens_per_cpu_s"] / rows[0]["tokens_per_cpu_s"], 2)
    return rows


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    opts = dict(a[2:].split("=", 1) for a in args if a.startswith("--") and "=" in a)
    extra: dict[str, Any] = {}
    if "dtype" in opts:
        extra["dtype"] = opts["dtype"]
    if "verify-margin" in opts:
        extra["verify_margin"] = float(opts["verify-margin"])
    if "--ablation" in args:
        res: Any = ablation(quick="--quick" in args, model=opts.get("model", "smollm2-135m"),
                            device=opts.get("device", "cpu"), threads=int(opts.get("threads", 1)))
    else:
        res = bench_generate(quick="--quick" in args, device=opts.get("device", "cpu"),
                             model=opts.get("model", "smollm2-135m"), **extra)
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
