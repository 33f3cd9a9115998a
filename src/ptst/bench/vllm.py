"""The vllm backend against the hf backend on the same workload, in one run (``ptst bench --parts vllm``).

Workload: the generation part's (:func:`ptst.bench.generation.bench_prompts`: 64 prompts, two templates, native
format), greedy, 64 new tokens, fp32 on CPU. Figures:

* ``vllm_startup_s``: from starting the server to its first answer of ``/v1/models`` (model load, KV-cache
  allocation, warm-up);
* ``vllm_tokens_per_s`` and ``vllm_hf_tokens_per_s``: new tokens per second of each backend over the whole
  workload, after start-up/loading (both counted the same way: the output texts re-tokenized without special
  tokens, so a stop token is not counted for either); ``vllm_speedup_vs_hf`` is their ratio;
* ``vllm_outputs_identical``: how many of the prompts got the very same text from both backends.

Neither run reads the cache. Needs the vLLM environment (``scripts/setup-vllm.sh``).
"""

from __future__ import annotations

import time
from typing import Any, Callable


def bench_vllm(model: str = "smollm2-135m", n_prompts: int = 64, new_tokens: int = 64, dtype: str = "float32",
               log: Callable[[str], None] | None = None, log_dir: str | None = None) -> dict[str, Any]:
    from ptst.bench.generation import bench_prompts
    from ptst.generate.base import Decoding
    from ptst.generate.hf import HFBackend
    from ptst.generate.vllm_backend import VLLMBackend, close_servers
    from ptst.generate.vllm_server import vllm_version

    log = log or (lambda _m: None)
    decoding = Decoding(max_new_tokens=new_tokens)
    hf = HFBackend(model, device="cpu", dtype=dtype)
    prompts = bench_prompts(hf.tokenizer, n_prompts)
    log(f"vllm part: hf backend, {len(prompts)} prompts x {new_tokens} new tokens")
    t0 = time.perf_counter()
    _ = hf.model
    hf_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    hf_out = hf.generate(prompts, decoding)
    hf_s = time.perf_counter() - t0
    hf.close()
    log("vllm part: starting the vLLM server")
    vb = VLLMBackend(model, dtype=dtype, log_dir=log_dir)
    try:
        vb._connect()
        startup = vb.server.startup_seconds if vb.server else None
        t0 = time.perf_counter()
        vl_out = vb.generate(prompts, decoding)
        vl_s = time.perf_counter() - t0
        version = vllm_version(vb.python or "")
    finally:
        vb.close()
        close_servers()

    def tokens(texts: list[str]) -> int:
        return sum(len(hf.tokenizer(t, add_special_tokens=False)["input_ids"]) for t in texts)

    hf_tps = tokens(hf_out) / hf_s
    vl_tps = tokens(vl_out) / vl_s
    same = sum(a == b for a, b in zip(hf_out, vl_out))
    return {
        "vllm_version": version,
        "vllm_prompts": len(prompts),
        "vllm_new_tokens": new_tokens,
        "vllm_dtype": dtype,
        "vllm_startup_s": startup,
        "vllm_hf_load_s": round(hf_load, 2),
        "vllm_tokens_per_s": round(vl_tps, 1),
        "vllm_hf_tokens_per_s": round(hf_tps, 1),
        "vllm_speedup_vs_hf": round(vl_tps / hf_tps, 3),
        "vllm_outputs_identical": same,
        "vllm_outputs_identical_of": len(prompts),
    }
