"""Logits only at loss-bearing positions: the same loss and the same gradients as full logits, for less compute."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from ptst.train.trainer import IGNORE_INDEX, loss_positions_only  # noqa: E402


@pytest.fixture(scope="module")
def tiny_lora():
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    from ptst.models import resolve_model

    torch.manual_seed(0)
    base = AutoModelForCausalLM.from_pretrained(resolve_model("tiny-random"), dtype=torch.float32)
    model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", init_lora_weights=False))
    model.train()
    return model


def _batch(flat: bool):
    g = torch.Generator().manual_seed(1)
    if flat:  # padding-free: two examples in one row, prompt labels masked, separator label at each start
        ids = torch.randint(5, 200, (1, 23), generator=g)
        labels = ids.clone()
        labels[0, :6] = IGNORE_INDEX
        labels[0, 11:18] = IGNORE_INDEX
        pos = torch.tensor([list(range(11)) + list(range(12))])
        return {"input_ids": ids, "labels": labels, "position_ids": pos}
    ids = torch.randint(5, 200, (3, 9), generator=g)
    labels = ids.clone()
    labels[0, :4] = IGNORE_INDEX
    labels[1, :7] = IGNORE_INDEX
    labels[2, 6:] = IGNORE_INDEX  # right padding
    return {"input_ids": ids, "labels": labels, "attention_mask": (labels != -7).long()}


@pytest.mark.parametrize("flat", [True, False])
def test_same_loss_and_gradients_as_full_logits(tiny_lora, flat):
    batch = _batch(flat)
    n_items = int((batch["labels"][:, 1:] != IGNORE_INDEX).sum())
    results = []
    for inputs in (batch, loss_positions_only(tiny_lora, batch)):
        tiny_lora.zero_grad()
        with torch.enable_grad():  # ptst.models.load_model, used by other tests, turns autograd off process-wide
            out = tiny_lora(**inputs, num_items_in_batch=torch.tensor(n_items))
            out.loss.backward()
        grads = [p.grad.clone() for p in tiny_lora.parameters() if p.requires_grad]
        results.append((out.loss.detach(), grads, out.logits.shape))
    (full_loss, full_grads, full_shape), (kept_loss, kept_grads, kept_shape) = results
    assert torch.allclose(full_loss, kept_loss, rtol=1e-5, atol=1e-6)
    assert all(torch.allclose(a, b, rtol=1e-4, atol=1e-7) for a, b in zip(full_grads, kept_grads))
    assert kept_shape[0] == n_items and kept_shape[0] < full_shape[0] * full_shape[1]  # fewer logits computed


def test_inputs_without_labels_or_loss_are_unchanged(tiny_lora):
    batch = _batch(True)
    assert loss_positions_only(tiny_lora, {"input_ids": batch["input_ids"]}) == {"input_ids": batch["input_ids"]}
    masked = {**batch, "labels": torch.full_like(batch["labels"], IGNORE_INDEX)}
    assert loss_positions_only(tiny_lora, masked) is masked
