"""Learning-rate schedules: the transformers ones that need no extra arguments, plus ``epoch-decay``.

``epoch-decay`` multiplies the learning rate by ``lr_decay_gamma`` after every epoch (a step schedule with an
optional linear warm-up), which is what llama-recipes' ``StepLR(step_size=1, gamma=0.85)`` does and therefore what
the ``paper-llama2`` preset uses. It is a ``LambdaLR``, so its state is saved in checkpoints and restored on resume
like any transformers schedule.
"""

from __future__ import annotations

from typing import Any

# transformers.SchedulerType names that work without extra arguments (reduce_lr_on_plateau needs an eval loop,
# the min-lr/stable-decay ones need kwargs); a test checks they all exist in the installed transformers.
HF_SCHEDULERS = ("linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup",
                 "inverse_sqrt")
EPOCH_DECAY = "epoch-decay"
SCHEDULERS = (*HF_SCHEDULERS, EPOCH_DECAY)


def check_scheduler(name: str) -> str:
    if name not in SCHEDULERS:
        raise ValueError(f"unknown scheduler {name!r}; choose one of {', '.join(SCHEDULERS)}")
    return name


def epoch_decay_lambda(steps_per_epoch: int, gamma: float, warmup_steps: int):
    """Multiplier of the base learning rate at optimizer step ``step`` (0-based)."""
    steps_per_epoch = max(1, steps_per_epoch)

    def factor(step: int) -> float:
        warm = (step + 1) / warmup_steps if warmup_steps and step < warmup_steps else 1.0
        return warm * gamma ** (step // steps_per_epoch)

    return factor


def make_epoch_decay(optimizer: Any, steps_per_epoch: int, gamma: float, warmup_steps: int):
    from torch.optim.lr_scheduler import LambdaLR

    return LambdaLR(optimizer, epoch_decay_lambda(steps_per_epoch, gamma, warmup_steps))
