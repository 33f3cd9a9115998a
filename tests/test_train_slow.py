"""End to end on the real default model (SmolLM2-135M-Instruct): LoRA steps, adapter saved, reloaded, generates."""

from __future__ import annotations

import json

import pytest


@pytest.mark.slow
def test_default_model_lora_steps_reload_and_generate(tmp_path):
    import torch

    from ptst.models import load_model
    from ptst.templates import get_template
    from ptst.train import TrainConfig, train

    rows = [{"instruction": f"What is {a} plus {b}?", "reference": f"{a} + {b} = {a + b}.\n#### {a + b}"}
            for a, b in [(2, 3), (4, 5), (7, 1), (6, 6)]]
    data = tmp_path / "math.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    cfg = TrainConfig(model="smollm2-135m", dataset=str(data), output_dir=str(tmp_path / "run"), format="native",
                      max_steps=2, batch_size=2, max_length=128, lr=1e-3, save_steps=1, logging_steps=1)
    res = train(cfg)
    assert [c.step for c in res.checkpoints] == [1, 2] and res.final_loss is not None
    assert (res.final.path / "adapter_model.safetensors").exists()
    assert res.manifest["model"]["parameters"] > 100_000_000 and res.manifest["template"]["format"] == "native"

    model, tok = load_model("smollm2-135m", adapter=str(res.final.path), device="cpu")
    prompt = get_template("chat:vanilla").render("What is 3 plus 4?", "native", tok)
    ids = tok(prompt, return_tensors="pt", add_special_tokens=False)
    out = model.generate(**ids, max_new_tokens=12, do_sample=False)
    text = tok.decode(out[0, ids["input_ids"].shape[1]:], skip_special_tokens=True)
    assert text.strip()
    base, _ = load_model("smollm2-135m", device="cpu")
    assert not torch.allclose(model(**ids).logits, base(**ids).logits, atol=1e-4)  # the adapter is applied
    torch.set_grad_enabled(True)
