"""Training throughput: ptst's padding-free batches against a plain ``Trainer`` that pads to ``max_length``.

Both runs happen in one process, on the same model (the default ``smollm2-135m`` with the default LoRA config),
the same rendered examples (``builtin:math-train`` under ``chat:vanilla``), the same batch size, seed and number of
steps, and go through the same ``TrainingArguments`` as ``ptst train``; only the batching differs:

* ``ptst``: every batch flattened into one row, position ids restarting per example (no padding token at all);
* ``baseline``: every example right-padded to ``max_length`` (a plain ``Trainer`` + ``DataCollatorForSeq2Seq``
  with ``padding="max_length"``), which is what a script without length handling does;
* ``dynamic`` (full mode only): padded to the longest example of each batch (transformers' usual collator);
* ``no_dropout`` (full mode only): ptst's batching with ``lora_dropout: 0`` instead of the default 0.05. On a CPU,
  dropout costs far more than its arithmetic: PyTorch draws a Bernoulli mask for the input of every adapted
  projection with a serial random number generator, then multiplies by it (docs/performance.md has the figures).

Throughput counts loss-bearing tokens (labels not ``-100``: the answers) per second of step time, the figure the
issue asks for; since both runs train on the same examples in the same order, the ratio equals the ratio of all
real (non-padding) tokens per second. The first step of each run is discarded as warm-up. ``train_roofline_fraction`` = 6 x total parameters x loss-bearing tokens per second / matmul FLOP/s,
where the matmul rate is measured in this process on a 2048 x 2048 product in the dtype training computes in
(fp32 on CPU, bf16 under bf16 autocast on a GPU). With LoRA the frozen weights get no weight gradients, so 6N
over-counts the work per token; the number is a ceiling-relative figure, not an MFU claim.

What to expect (docs/train.md has the numbers): on CPU a step is compute-bound and runs near the matmul rate, so
removing padding pays in proportion to the padding removed. On a datacentre GPU this 135M-parameter model is
host-bound (kernel launches, not GPU time, dominate a step), so batching makes little difference there;
padding-free batches pay on GPUs once the model is large enough for the GPU to be the bottleneck.

Run: ``ptst bench`` (with the other parts), or ``python -m ptst.bench.training [--quick] [--model=NAME]
[--batch=N] [--steps=N]`` (prints JSON).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from ptst.bench.machine import matmul_flops


def _timed_run(cfg: Any, prep: Any, run_dir: Path, collator: Any, steps: int, padding_free: bool,
               plain: bool) -> dict[str, Any]:
    """Train ``steps`` optimizer steps with ``collator``; per-step wall times and the tokens each step saw.

    ``plain``: a plain ``transformers.Trainer`` (the baseline); else ptst's own trainer class, as ``ptst train``
    builds it. Both get ``TrainingArguments`` from ``ptst.train`` (random sampling, the same seed), so the batches
    hold the same examples and only the collation differs."""
    import torch
    from transformers import PrinterCallback, Trainer, TrainerCallback, set_seed

    from ptst.train.dataset import IGNORE_INDEX, FeatureDataset
    from ptst.train.trainer import _load_model, _trainer_class, _training_args

    seen: list[tuple[int, int]] = []

    def counting(features):
        seen.append((sum(len(f["input_ids"]) for f in features),
                     sum(1 for f in features for x in f["labels"] if x != IGNORE_INDEX)))
        return collator(features)

    stamps: list[float] = []

    class Clock(TrainerCallback):
        def on_step_end(self, args, state, control, **kw):
            if torch.cuda.is_available():
                torch.cuda.synchronize()
            stamps.append(time.perf_counter())

        def on_train_begin(self, args, state, control, **kw):
            stamps.append(time.perf_counter())

    set_seed(cfg.seed)
    model = _load_model(cfg)
    # Random sampling for both runs (ptst's padded fallback would group by length; the baseline must not).
    args = _training_args(cfg.model_copy(update={"max_steps": steps, "save_every_epoch": False}), run_dir, True)
    cls = Trainer if plain else _trainer_class()
    trainer = cls(model=model, args=args, train_dataset=FeatureDataset(prep.features), data_collator=counting,
                  processing_class=prep.tokenizer, callbacks=[Clock()])
    if not plain:
        trainer.ptst_cfg = cfg
    trainer.remove_callback(PrinterCallback)
    with torch.enable_grad():
        trainer.train()
    step_times = [b - a for a, b in zip(stamps, stamps[1:])]
    timed = step_times[1:]  # the first step pays for warm-up (allocations, kernel selection)
    tokens = sum(t for t, _ in seen[1:len(step_times)])
    loss_tokens = sum(lt for _, lt in seen[1:len(step_times)])
    total_params = sum(p.numel() for p in model.parameters())
    del trainer, model
    return {"seconds": sum(timed), "tokens": tokens, "loss_tokens": loss_tokens, "steps_timed": len(timed),
            "params": total_params, "padding_free": padding_free}


def bench_train(quick: bool = True, model: str = "smollm2-135m", batch_size: int | None = None,
                steps: int | None = None, dynamic: bool | None = None, no_dropout: bool | None = None,
                log: Any = None) -> dict[str, Any]:
    """Measure ptst training throughput against the padded baseline (see the module docstring).

    ``dynamic`` adds a run padded to each batch's longest example, ``no_dropout`` one of ptst's batching without
    LoRA dropout (default for both: only in full mode)."""
    import torch

    from ptst.train import TrainConfig
    from ptst.train.dataset import make_collator
    from ptst.train.trainer import _load_model, _precision, packing_supported, prepare_data

    steps = steps or (3 if quick else 10)
    batch = batch_size or (2 if quick else 8)
    max_length = 128 if quick else 512
    dynamic = (not quick) if dynamic is None else dynamic
    no_dropout = (not quick) if no_dropout is None else no_dropout
    threads_before = torch.get_num_threads()
    threads = _pick_threads()
    cfg = TrainConfig(model=model, dataset="builtin:math-train", template="chat:vanilla", format="llama2",
                      batch_size=batch, max_length=max_length, limit=min(2000, (steps + 1) * batch * 2), seed=0,
                      logging_steps=1000, save_every_epoch=False)
    prep = prepare_data(cfg)
    tok = prep.tokenizer
    cuda = torch.cuda.is_available()
    bf16 = _precision(cfg).get("bf16", False)
    dtype = torch.bfloat16 if bf16 else torch.float32
    flops = matmul_flops(dtype, "cuda" if cuda else "cpu")
    # What ``ptst train`` would do with this model: padding-free if the model keeps flattened examples apart.
    padding_free = cfg.padding_free and packing_supported(_load_model(cfg))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if log:
                log(f"train: ptst ({'padding-free' if padding_free else 'padded'}), {steps} steps of {batch}")
            ours = _timed_run(cfg, prep, Path(tmp) / "ours", make_collator(tok, padding_free), steps,
                              padding_free, plain=False)
            if log:
                log(f"train: plain Trainer padded to {max_length}, {steps} steps of {batch}")
            base = _timed_run(cfg, prep, Path(tmp) / "base", make_collator(tok, False, pad_to=max_length), steps,
                              False, plain=True)
            dyn = None
            if dynamic:
                if log:
                    log("train: plain Trainer padded to each batch's longest")
                dyn = _timed_run(cfg, prep, Path(tmp) / "dyn", make_collator(tok, False), steps, False, plain=True)
            nodrop = None
            if no_dropout and cfg.lora_dropout > 0:
                if log:
                    log(f"train: ptst without LoRA dropout (default {cfg.lora_dropout:g})")
                nodrop = _timed_run(cfg.model_copy(update={"lora_dropout": 0.0}), prep, Path(tmp) / "nodrop",
                                    make_collator(tok, padding_free), steps, padding_free, plain=False)
    finally:
        torch.set_num_threads(threads_before)
    loss_tps = ours["loss_tokens"] / ours["seconds"]
    base_loss_tps = base["loss_tokens"] / base["seconds"]
    tps = ours["tokens"] / ours["seconds"]
    result: dict[str, Any] = {
        "train_loss_tokens_per_s": round(loss_tps, 1),
        "train_baseline_loss_tokens_per_s": round(base_loss_tps, 1),
        "train_speedup_vs_baseline": round(loss_tps / base_loss_tps, 2),
        "train_roofline_fraction": round(6 * ours["params"] * loss_tps / flops, 4),
        "train_tokens_per_s": round(tps, 1),
        "train_roofline_fraction_all_tokens": round(6 * ours["params"] * tps / flops, 4),
        "train_matmul_gflops": round(flops / 1e9, 1),
        "train_matmul_dtype": str(dtype).replace("torch.", ""),
        "train_model": model,
        "train_params": ours["params"],
        "train_device": torch.cuda.get_device_name(0) if cuda else "cpu",
        "train_threads": threads,
        "train_batching": "padding-free (flattened)" if ours["padding_free"] else "padded",
        "train_batch_size": batch,
        "train_max_length": max_length,
        "train_steps_timed": ours["steps_timed"],
        "train_loss_tokens_timed": ours["loss_tokens"],
        # Same seed, same sampler: both runs must have trained on the same examples, or the ratio means nothing.
        "train_same_examples": ours["loss_tokens"] == base["loss_tokens"],
        "train_seconds": round(ours["seconds"], 2),
        "train_baseline_seconds": round(base["seconds"], 2),
        "train_mean_example_tokens": round(prep.summary.tokens / max(1, prep.summary.n_examples), 1),
    }
    if dyn is not None:
        dyn_tps = dyn["loss_tokens"] / dyn["seconds"]
        result["train_dynamic_padding_loss_tokens_per_s"] = round(dyn_tps, 1)
        result["train_speedup_vs_dynamic_padding"] = round(loss_tps / dyn_tps, 2)
    if nodrop is not None:
        # same examples, same order (the dropout masks use their own draws): a ratio of step times
        result["train_no_dropout_loss_tokens_per_s"] = round(nodrop["loss_tokens"] / nodrop["seconds"], 1)
        result["train_no_dropout_speedup"] = round(ours["seconds"] / nodrop["seconds"], 2)
        result["train_no_dropout_same_examples"] = nodrop["loss_tokens"] == ours["loss_tokens"]
    return result


def _pick_threads() -> int:
    """On a CPU already busy with other processes, one thread per process is several times faster than two that
    spin-wait for each other (docs/results.md). Both runs and the matmul reference use the same setting, so the
    ratios stay comparable; the caller's thread count is restored afterwards."""
    import os

    import torch

    if torch.cuda.is_available():
        return torch.get_num_threads()
    if os.getloadavg()[0] > 0.75 * (os.cpu_count() or 1):
        torch.set_num_threads(1)
    return torch.get_num_threads()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    warnings.filterwarnings("ignore", category=FutureWarning)
    opts = dict(a[2:].split("=", 1) for a in args if a.startswith("--") and "=" in a)
    res = bench_train(quick="--quick" in args, model=opts.get("model", "smollm2-135m"),
                      batch_size=int(opts["batch"]) if "batch" in opts else None,
                      steps=int(opts["steps"]) if "steps" in opts else None,
                      log=lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
