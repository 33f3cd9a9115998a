"""Named presets: bundles of :class:`~ptst.train.config.TrainConfig` values selected with ``--preset NAME``.

``paper-llama2`` follows the paper's Llama-2 runs. The paper states lr 1e-4, 6 epochs and PEFT adapters, and its
reference code says fine-tuning was "basically" Meta's llama-recipes ``finetuning.py``; the remaining values are
that script's defaults (batch 4, AdamW without weight decay, no gradient clipping, the learning rate multiplied by
0.85 after every epoch, LoRA r=8 / alpha=32 / dropout 0.05 on q_proj and v_proj, seed 42). Those defaults are our
reading of llama-recipes, not numbers the paper prints.
"""

from __future__ import annotations

from typing import Any

PRESETS: dict[str, dict[str, Any]] = {
    "paper-llama2": {
        "format": "llama2",
        "lora": True,
        "lora_r": 8,
        "lora_alpha": 32,
        "lora_dropout": 0.05,
        "lora_target_modules": ["q_proj", "v_proj"],
        "lr": 1e-4,
        "epochs": 6,
        "batch_size": 4,
        "grad_accum": 1,
        "weight_decay": 0.0,
        "max_grad_norm": 0.0,
        "scheduler": "epoch-decay",
        "lr_decay_gamma": 0.85,
        "warmup_ratio": 0.0,
        "max_length": 1024,
        "seed": 42,
        "save_every_epoch": True,
    },
}

PRESET_DESCRIPTIONS: dict[str, str] = {
    "paper-llama2": "the paper's Llama-2 runs: LoRA r8/a32 on q,v; lr 1e-4 x0.85 per epoch; 6 epochs; batch 4",
}
