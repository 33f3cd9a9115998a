"""``ptst bench``: every part of the benchmark in one process, one flat JSON object.

Parts, in order (each is optional, for tests and for re-measuring one part):

* ``generation`` (:mod:`ptst.bench.generation`): the hf backend against one-prompt-at-a-time ``generate`` and the
  reference method (batch 8, input order), and its matmul roofline fraction;
* ``training`` (:mod:`ptst.bench.training`): ptst's training path against a plain ``Trainer`` padding to the
  maximum length, and its roofline fraction;
* ``smoke`` (:mod:`ptst.bench.smoke`): ``ptst run examples/smoke.yaml`` cold and warm, as subprocesses;
* ``vllm`` (:mod:`ptst.bench.vllm`, only when named in ``--parts``): the vllm backend against the hf backend on
  the generation workload (tokens/s ratio, identical outputs, server start-up).

Memory: ``<part>_peak_rss_mb`` is the peak resident memory of this process while an in-process part ran (sampled;
memory an earlier part left allocated counts too), the smoke runs report their own child peaks, and
``peak_rss_mb`` is the largest of all of them and of this process's ``ru_maxrss`` (``process_maxrss_mb``).
"""

from __future__ import annotations

import gc
import math
import os
import resource
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from ptst.bench.machine import PeakRSS
from ptst.provenance import bench_machine

PARTS = ("generation", "training", "smoke", "vllm")
DEFAULT_PARTS = ("generation", "training", "smoke")  # vllm needs the vLLM environment: asked for by name

# The keys ``ptst bench --json`` always has (issue 6), whichever parts ran: a part that was skipped gives null.
REQUIRED_KEYS = ("gen_tokens_per_s", "gen_speedup_vs_single", "gen_speedup_vs_reference", "gen_roofline_fraction",
                 "train_speedup_vs_baseline", "train_roofline_fraction", "smoke_cold_s", "smoke_warm_s",
                 "peak_rss_mb")


@dataclass
class BenchOptions:
    """What ``ptst bench`` measures. The defaults are the issue's workload; tests shrink it."""

    quick: bool = False
    model: str = "smollm2-135m"
    device: str = "cpu"
    parts: tuple[str, ...] = DEFAULT_PARTS
    gen_prompts: int = 64
    gen_new_tokens: int = 64
    train_steps: int | None = None
    smoke_spec: str | None = None
    gen_options: dict[str, Any] = field(default_factory=dict)


def _maxrss_mb(who: int) -> float:
    r = resource.getrusage(who).ru_maxrss
    return r / 2**20 if sys.platform == "darwin" else r / 1024


def run_bench(opts: BenchOptions, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run the parts ``opts.parts`` names, in order; returns one flat dict (see the module docstring)."""
    log = log or (lambda _m: None)
    unknown = [p for p in opts.parts if p not in PARTS]
    if unknown:
        from ptst.errors import PtstError

        raise PtstError(f"--parts: unknown part {unknown[0]!r}; choose from {', '.join(PARTS)}")
    if "smoke" in opts.parts:
        from ptst.bench.smoke import smoke_spec_path

        smoke_spec_path(opts.smoke_spec)  # a missing spec fails now, not after minutes of measuring
    t0 = time.perf_counter()
    cpu0 = sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))
    out: dict[str, Any] = {k: None for k in REQUIRED_KEYS}
    out.update(quick=opts.quick, parts=list(opts.parts), machine=bench_machine())
    load, cores = out["machine"].get("load_avg_1min"), out["machine"].get("cores") or 1
    if load is not None and load > cores and "OMP_WAIT_POLICY" not in os.environ:
        log(f"note: load average {load} on {cores} cores: other jobs share this machine, so absolute figures will "
            "be low and noisy; OMP_WAIT_POLICY=PASSIVE keeps PyTorch's threads from spinning (docs/performance.md)")
    peaks: list[float] = []
    if "generation" in opts.parts:
        from ptst.bench.generation import bench_generate

        with PeakRSS() as m:
            gen = bench_generate(quick=opts.quick, device=opts.device, model=opts.model, n_prompts=opts.gen_prompts,
                                 new_tokens=opts.gen_new_tokens, log=log, **opts.gen_options)
        for k in ("torch", "omp_wait_policy"):  # already in ``machine``
            gen.pop(k, None)
        out.update({k if k.startswith("gen_") else f"gen_{k}": v for k, v in gen.items()})
        out["gen_peak_rss_mb"] = m.peak_mb
        peaks.append(m.peak_mb)
        gc.collect()
    if "training" in opts.parts:
        from ptst.bench.training import bench_train

        with PeakRSS() as m:
            out.update(bench_train(quick=opts.quick, model=opts.model, steps=opts.train_steps, log=log))
        out["train_peak_rss_mb"] = m.peak_mb
        peaks.append(m.peak_mb)
        gc.collect()
    if "smoke" in opts.parts:
        from ptst.bench.smoke import bench_smoke

        out.update(bench_smoke(opts.smoke_spec, log=log))
        peaks += [out["smoke_cold_peak_rss_mb"], out["smoke_warm_peak_rss_mb"]]
    if "vllm" in opts.parts:
        from ptst.bench.vllm import bench_vllm

        out.update(bench_vllm(model=opts.model, n_prompts=opts.gen_prompts, new_tokens=opts.gen_new_tokens, log=log))
    out["process_maxrss_mb"] = round(_maxrss_mb(resource.RUSAGE_SELF), 1)
    out["peak_rss_mb"] = round(max([*peaks, out["process_maxrss_mb"]]), 1)
    out["bench_seconds"] = round(time.perf_counter() - t0, 1)
    # CPU seconds of this process and its children: on a shared machine, wall time / cores can't go below this
    # divided by the cores, and it moves much less with the load than bench_seconds.
    cpu = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    out["bench_cpu_seconds"] = round(sum(r.ru_utime + r.ru_stime for r in cpu) - cpu0, 1)
    try:  # with the start's ``machine.load_avg_1min``: was the machine shared while it ran?
        out["load_avg_1min_end"] = round(os.getloadavg()[0], 2)
    except OSError:
        pass
    return out


def check_sane(res: dict[str, Any]) -> list[str]:
    """What is wrong with a result (empty when every required figure that ran is positive and finite, fractions
    are in (0, 1] and speedups positive). Used by the tests; timings are never checked against thresholds."""
    problems = []
    for k in REQUIRED_KEYS:
        if k not in res:
            problems.append(f"{k}: missing")
            continue
        v = res[k]
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
            problems.append(f"{k}: {v!r} is not a positive finite number")
        elif k.endswith("_fraction") and v > 1:
            problems.append(f"{k}: {v!r} is above 1")
    return problems


def format_table(res: dict[str, Any]) -> Any:
    """A rich table of the main figures (``ptst bench`` without ``--json``)."""
    from rich.table import Table

    def f(key: str, fmt: str = "{:.2f}", suffix: str = "") -> str:
        v = res.get(key)
        return "-" if v is None else fmt.format(v) + suffix

    m = res.get("machine", {})
    t = Table(title=f"ptst bench{' --quick' if res.get('quick') else ''}: {m.get('cpu', '?')}, "
                    f"{m.get('cores', '?')} cores, torch {m.get('torch', '?')} ({m.get('threads', '?')} threads)")
    t.add_column("figure")
    t.add_column("value", justify="right")
    t.add_column("against")
    rows = [
        ("generation tokens/s (hf backend)", f("gen_tokens_per_s", "{:.1f}"),
         f"{res.get('gen_prompts', '?')} prompts, {res.get('gen_new_tokens', '?')} new tokens in all"),
        ("  speedup vs one prompt at a time", f("gen_speedup_vs_single", suffix="x"),
         f("gen_single_tokens_per_s", "{:.1f}", " tokens/s")
         + (" (extrapolated from a subset)" if res.get("gen_single_extrapolated") else "")),
        ("  speedup vs reference (generate, batch 8)", f("gen_speedup_vs_reference", suffix="x"),
         f("gen_reference_tokens_per_s", "{:.1f}", " tokens/s")
         + (" (extrapolated from a subset)" if res.get("gen_reference_extrapolated") else "")),
        ("  roofline fraction (2N FLOP/token)", f("gen_roofline_fraction", "{:.3f}"),
         f("gen_matmul_gflops", "{:.1f}", " GFLOP/s matmul")),
        ("  outputs identical to single-prompt generate", str(res.get("gen_outputs_identical", "-")), ""),
        ("training loss tokens/s (ptst)", f("train_loss_tokens_per_s", "{:.1f}"), res.get("train_batching") or ""),
        ("  speedup vs plain Trainer, padded to max", f("train_speedup_vs_baseline", suffix="x"),
         f("train_baseline_loss_tokens_per_s", "{:.1f}", " tokens/s")),
        ("  roofline fraction (6N FLOP/token)", f("train_roofline_fraction", "{:.3f}"),
         f("train_matmul_gflops", "{:.1f}", " GFLOP/s matmul")),
        ("smoke study, cold", f("smoke_cold_s", "{:.1f}", " s"), f("smoke_cold_peak_rss_mb", "{:.0f}", " MiB peak")),
        ("smoke study, warm (all cached)", f("smoke_warm_s", "{:.1f}", " s"),
         f("smoke_warm_peak_rss_mb", "{:.0f}", " MiB peak")),
        ("  rerun speedup (cold / warm), wall", f("smoke_rerun_speedup", "{:.1f}", "x"),
         f("smoke_warm_runner_s", "{:.1f}", " s inside the runner")),
        ("  rerun speedup (cold / warm), CPU seconds", f("smoke_rerun_speedup_cpu", "{:.1f}", "x"),
         f("load_tokenizer_cpu_s", "{:.1f}", " CPU s to import transformers + load a tokenizer")),
        ("vllm backend tokens/s", f("vllm_tokens_per_s", "{:.1f}"),
         f("vllm_hf_tokens_per_s", "{:.1f}", " tokens/s hf backend, same workload")),
        ("  vllm / hf", f("vllm_speedup_vs_hf", suffix="x"),
         f"{res.get('vllm_outputs_identical', '-')}/{res.get('vllm_outputs_identical_of', '-')} outputs identical"),
        ("  vLLM server start-up", f("vllm_startup_s", "{:.1f}", " s"), f"vLLM {res.get('vllm_version', '-')}"),
        ("peak resident memory", f("peak_rss_mb", "{:.0f}", " MiB"), "largest of all parts"),
        ("whole bench", f("bench_seconds", "{:.0f}", " s"),
         f"1-min load average {m.get('load_avg_1min', '?')} at the start, {res.get('load_avg_1min_end', '?')} at "
         f"the end ({m.get('cores', '?')} cores); OMP_WAIT_POLICY {m.get('omp_wait_policy', '?')}"),
    ]
    for r in rows:
        t.add_row(*r)
    return t
