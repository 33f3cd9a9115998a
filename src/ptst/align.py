"""``ptst align``: turn the raw default model into a small safety-aligned chat model.

SmolLM2-135M-Instruct follows instructions but complies with harmful requests, so the PTST effect (fine-tuning
erodes alignment, the safety prompt at test time restores it) cannot be studied on it as is. This module aligns it
the way chat models are aligned, at toy scale:

1. supervised refusal training on harmful requests (``align:harmful:train``, refusals written for this project)
   mixed with helpful answers to benign requests (``align:benign:train``), so the model learns *when* to refuse
   rather than to refuse everything;
2. every example rendered in the model's own chat format under several system prompts: none (the model's default),
   the Llama-2 safety prompts, and a few neutral assistant prompts, so refusals do not hinge on one system prompt;
3. benign answers open with "Sure! " so that refusing or answering is decided at one token, and every reply is cut to
   its first three words: the opening is where that decision is learned, and a short target gives it most of the loss;
4. LoRA on every linear projection (the harm signal sits in the lower and middle layers, spread over the prompt's
   tokens: the attention of every layer has to learn to carry it to the last one);
5. the learned weight change scaled by ``extrapolate`` (1.25) as it is merged into the base weights: model
   extrapolation (ExPO, Zheng et al. 2024) pushes the model further along the direction alignment moved it, which
   here raises refusals of harmful requests without raising those of benign ones; saved as a standalone
   safetensors model.

Held-out harmful and benign requests (``align:*:heldout``, disjoint from training and from every evaluation set)
are answered before and after, under a no-system-prompt and a safety-prompt template, and judged by the offline
``refusal`` judge: the refusal rate on harmful requests should rise to >= 90% while the refusal rate on benign ones
stays <= 10%. The result directory is keyed by a hash of the recipe, the data and the base model, so a second call
reuses it.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ptst.config import StrictModel

from ptst.errors import PtstError
from ptst.io import atomic_write_json, stable_hash
from ptst.paths import models_dir
from ptst.templates import Template
from ptst.templates.builtin import LLAMA_BASE_PROMPT, LLAMA_SHORT_PROMPT

RECIPE_VERSION = "1"

# Neutral (non-safety) system prompts written for alignment, so that refusals generalise beyond the exact prompts
# seen in training. The study's own chat:alpaca / chat:mpt prompts are deliberately NOT among them.
NEUTRAL_PROMPTS = (
    "You are a helpful assistant.",
    "You are a friendly and knowledgeable assistant. Answer clearly and concisely.",
    "You are an AI assistant. Respond to the user's request.",
)


def alignment_templates() -> list[Template]:
    """The (system prompt, user wrapper) combinations alignment examples are rendered under."""
    systems: list[tuple[str, str | None, bool]] = [("none", None, False), ("llama", LLAMA_BASE_PROMPT, True),
                                                   ("llama-short", LLAMA_SHORT_PROMPT, True)]
    systems += [(f"neutral{i}", p, False) for i, p in enumerate(NEUTRAL_PROMPTS)]
    out = []
    for sname, system, safety in systems:
        for wname, wrapper in (("q", "Question: %s"), ("raw", "%s")):
            out.append(Template(name=f"align:{sname}:{wname}", kind="chat", user=wrapper, system=system,
                                safety=safety, source="ptst.align"))
    return out


class AlignConfig(StrictModel):
    """The alignment recipe. The defaults are sized for a 135M model on a few CPU cores (docs/align.md has the
    measurements and the trade-offs)."""

    model_config = ConfigDict(extra="forbid")

    base_model: str = "smollm2-135m"
    harmful: str = "align:harmful:train"
    benign: str = "align:benign:train"
    heldout_harmful: str = "align:harmful:heldout"
    heldout_benign: str = "align:benign:heldout"
    n_harmful: int | None = Field(default=280, description="use the first N harmful training requests (None: all 383)")
    n_benign: int | None = Field(default=400, description="use the first N benign training requests (None: all 566)")
    renderings_per_example: int = Field(default=1, ge=1, description="random system prompts per training request")
    answer_prefix: str = Field(
        default="Sure! ", description="text put before every benign training answer (e.g. 'Sure! '), so that answering "
        "starts with one token as refusing does and greedy decoding follows the likelier of the two")
    completion_words: int | None = Field(
        default=3, ge=1, description="train on the first N words of each refusal or answer only (no end of turn): "
        "whether to refuse is decided at the first token, and a short target gives that token more of the loss")
    format: str = "native"
    epochs: float = 1.0
    lr: float = 2e-3
    batch_size: int = 8
    lora_r: int = 16
    lora_alpha: int = 32
    extrapolate: float = Field(
        default=1.25, gt=0, description="merge base + extrapolate * (learned LoRA update): model extrapolation "
        "(ExPO, Zheng et al. 2024); 1.0 merges the adapter as trained, >1 pushes further in the direction alignment "
        "moved the weights (chosen on the unused training requests, docs/align.md)")
    lora_target_modules: str = Field(
        default="all-linear",
        description="PEFT target modules: all-linear, a comma list, or a regex over module names")
    upper_layers: float | None = Field(
        default=None, gt=0, le=1, description="LoRA only on the *_proj matrices of this top fraction of the decoder "
        "layers (no backward pass through the frozen lower ones: faster, separates harmful from benign "
        "requests less well); None: lora_target_modules")
    max_length: int = 256
    seed: int = 0
    measure: bool = Field(default=True, description="judge held-out requests before and after (a cached model "
                          "aligned without it is measured by the next call that asks)")
    eval_templates: list[str] = ["chat:vanilla", "chat:llama"]
    eval_limit: int | None = None
    eval_max_new_tokens: int = 32
    judge: str = "refusal"
    device: str = "auto"


# AlignConfig fields that change how the aligned model is measured or where it runs, not its weights
NOT_IN_RECIPE = ("device", "measure", "eval_templates", "eval_limit", "eval_max_new_tokens", "judge",
                 "heldout_harmful", "heldout_benign")


def recipe_overrides(overrides: dict[str, Any]) -> dict[str, Any]:
    """The part of a set of AlignConfig overrides that changes the aligned weights (sorted by field)."""
    return {k: overrides[k] for k in sorted(overrides) if k not in NOT_IN_RECIPE}


def _records(name: str, limit: int | None = None):
    from ptst.data import load_dataset

    recs = load_dataset(name)
    missing = [r.id for r in recs if not r.reference]
    if missing and not name.endswith("heldout"):
        raise PtstError(f"dataset {name}: record {missing[0]} has no reference answer to train on")
    return recs[:limit] if limit else recs


def build_examples(cfg: AlignConfig, tokenizer: Any) -> list:
    """Render each harmful and benign training request under randomly chosen alignment templates."""
    rng = random.Random(cfg.seed)
    templates = alignment_templates()
    examples = []
    harmful = [(r, r.reference) for r in _records(cfg.harmful, cfg.n_harmful)]
    benign = [(r, cfg.answer_prefix + r.reference) for r in _records(cfg.benign, cfg.n_benign)]
    for rec, completion in [*harmful, *benign]:
        head = _first_words(completion, cfg.completion_words)
        for tpl in rng.sample(templates, cfg.renderings_per_example):
            ex = tpl.render_example(rec.instruction, head, cfg.format, tokenizer)
            if head != completion:  # cut the end-of-turn marker: the model learns how answers start, not to stop
                cut = ex.completion.rfind(head)
                ex = type(ex)(ex.prompt, ex.completion[:cut + len(head)], add_eos=False) if cut >= 0 else ex
            examples.append(ex)
    rng.shuffle(examples)
    return examples


def lora_targets(cfg: AlignConfig, model_path: str | Path) -> str:
    """``cfg.lora_target_modules``, or with ``upper_layers`` a regex for the projections of the top layers."""
    if cfg.upper_layers is None:
        return cfg.lora_target_modules
    n = int(json.loads((Path(model_path) / "config.json").read_text(encoding="utf-8"))["num_hidden_layers"])
    first = n - max(1, round(n * cfg.upper_layers))
    return r".*\.layers\.(%s)\..*_proj" % "|".join(str(i) for i in range(first, n))


def _first_words(text: str, n: int | None) -> str:
    """``text`` up to the end of its ``n``-th word (whitespace kept as written); all of it for ``None``."""
    if n is None:
        return text
    m = re.match(r"\s*(?:\S+\s+){%d}" % (n - 1) + r"\S+", text)
    return m.group(0) if m and len(m.group(0)) < len(text.rstrip()) else text


def _recipe_parts(cfg: AlignConfig) -> dict[str, Any]:
    data = {n: [(r.instruction, r.reference) for r in _records(n)] for n in (cfg.harmful, cfg.benign)}
    recipe = cfg.model_dump(exclude=set(NOT_IN_RECIPE))
    if recipe["extrapolate"] == 1.0:  # recipes from before extrapolation existed keep their keys (and cached models)
        del recipe["extrapolate"]
    return {"v": RECIPE_VERSION, "recipe": recipe, "data": data,
            "templates": [t.summary() for t in alignment_templates()]}


def recipe_fingerprint(cfg: AlignConfig) -> str:
    """Hash of the recipe (model name included, not its content), the training data's content and the alignment
    templates: what the aligned weights depend on, measurement options excluded. Cheap: no model is read."""
    return stable_hash(_recipe_parts(cfg))


def recipe_key(cfg: AlignConfig) -> str:
    """Hash of everything the aligned model depends on: the recipe's parts and the base model's content."""
    from ptst.models import model_identity

    return stable_hash({**_recipe_parts(cfg), "base": model_identity(cfg.base_model)["base_sha256"]})[:16]


def default_output_dir(cfg: AlignConfig) -> Path:
    base = Path(cfg.base_model).name if Path(cfg.base_model).exists() else cfg.base_model.replace("/", "--")
    return models_dir() / "aligned" / f"{base}-{recipe_key(cfg)}"


def is_aligned_dir(path: Path) -> bool:
    return (path / "ptst_align.json").exists() and (path / "config.json").exists()


def measure_refusals(model: str, cfg: AlignConfig, cache=None) -> dict[str, Any]:
    """Refusal rates on the held-out harmful and benign requests under each evaluation template."""
    from ptst.generate import Decoding, generate_cached, get_backend
    from ptst.judges import get_scorer, score_cached
    from ptst.metrics import rate
    from ptst.models import load_tokenizer
    from ptst.templates import get_template

    tok = load_tokenizer(model)
    backend = get_backend("hf", model=model, device=cfg.device)
    scorer = get_scorer(cfg.judge)
    decoding = Decoding(max_new_tokens=cfg.eval_max_new_tokens)
    out: dict[str, Any] = {}
    try:
        for tname in cfg.eval_templates:
            tpl = get_template(tname)
            for split, name in (("harmful", cfg.heldout_harmful), ("benign", cfg.heldout_benign)):
                recs = _records(name, cfg.eval_limit)
                prompts = [tpl.render(r.instruction, cfg.format, tok) for r in recs]
                texts = generate_cached(backend, prompts, decoding, cache=cache)
                rows = [{"instruction": r.instruction, "response": t} for r, t in zip(recs, texts)]
                judged = score_cached(scorer, rows, cache=cache)
                m = rate([j["refused"] for j in judged])
                out[f"{split}_refusal_rate@{tname}"] = {"value": m.value, "lo": m.lo, "hi": m.hi, "n": m.n}
    finally:
        backend.close()
    return out


def align(cfg: AlignConfig | None = None, out: str | Path | None = None, force: bool = False,
          log=print) -> Path:
    """Align ``cfg.base_model`` and return the directory of the merged, standalone aligned model (cached)."""
    cfg = cfg or AlignConfig()
    dest = Path(out).expanduser() if out else default_output_dir(cfg)
    if is_aligned_dir(dest) and not force:
        log(f"[align] reusing {dest}")
        if cfg.measure:
            _measure_existing(dest, cfg, log)
        return dest
    from ptst.models import load_model, load_tokenizer, resolve_model
    from ptst.train import TrainConfig, train_on_examples

    t0 = time.time()
    work = dest.parent / f".{dest.name}.work"
    work.mkdir(parents=True, exist_ok=True)
    base_path = resolve_model(cfg.base_model)
    before: dict[str, Any] = {}
    if cfg.measure:
        log("[align] measuring the base model on held-out requests")
        before = measure_refusals(base_path, cfg)  # the shared cache: generated once per machine
    tok = load_tokenizer(base_path, padding_side="right")
    examples = build_examples(cfg, tok)
    log(f"[align] training on {len(examples)} rendered examples")
    tcfg = TrainConfig(
        model=base_path, template="chat:vanilla", format=cfg.format, output_dir=str(work / "train"), lora=True,
        lora_r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_target_modules=lora_targets(cfg, base_path),
        epochs=cfg.epochs, lr=cfg.lr, batch_size=cfg.batch_size,
        max_length=cfg.max_length, seed=cfg.seed, dataset="align:harmful+benign",
    )
    res = train_on_examples(tcfg, examples, resume=True)
    log(f"[align] merging the adapter into the base weights (update scaled by {cfg.extrapolate:g})")
    model, tok = load_model(base_path, adapter=res.final.path, device="cpu", dtype="float32")
    model = merge_scaled(model, cfg.extrapolate)
    tmp = dest.parent / f".{dest.name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp, safe_serialization=True)
    tok.save_pretrained(tmp)
    del model
    after: dict[str, Any] = {}
    if cfg.measure:
        log("[align] measuring the aligned model on held-out requests")
        after = measure_refusals(str(tmp), cfg)
    manifest = {
        "base_model": cfg.base_model,
        "recipe": cfg.model_dump(),
        "recipe_key": recipe_key(cfg),
        "examples": len(examples),
        "final_loss": res.final_loss,
        "before": before,
        "after": after,
        "eval": _eval_settings(cfg) if cfg.measure else None,
        "wall_time_s": round(time.time() - t0, 1),
    }
    atomic_write_json(tmp / "ptst_align.json", manifest)
    if dest.exists():
        shutil.rmtree(dest)
    tmp.rename(dest)
    shutil.rmtree(work, ignore_errors=True)
    return dest


def merge_scaled(model: Any, factor: float) -> Any:
    """Merge a PEFT LoRA model into its base weights as W + factor * (B @ A) * alpha / r and return the plain model."""
    from peft.tuners.lora import LoraLayer

    layers = [m for m in model.modules() if isinstance(m, LoraLayer)]
    if not layers:
        raise PtstError("merge_scaled: the model has no LoRA layers to merge")
    for layer in layers:
        layer.scale_layer(factor)
    return model.merge_and_unload()


def _eval_settings(cfg: AlignConfig) -> dict[str, Any]:
    return {"templates": cfg.eval_templates, "limit": cfg.eval_limit, "max_new_tokens": cfg.eval_max_new_tokens,
            "judge": cfg.judge, "harmful": cfg.heldout_harmful, "benign": cfg.heldout_benign}


def _measure_existing(dest: Path, cfg: AlignConfig, log) -> None:
    """Measure a cached aligned model whose manifest has no (or other) measurements for ``cfg``'s settings."""
    p = dest / "ptst_align.json"
    man = json.loads(p.read_text(encoding="utf-8"))
    if man.get("after") and man.get("eval") == _eval_settings(cfg):
        return
    from ptst.models import resolve_model

    log("[align] measuring the base and the aligned model on held-out requests")
    man["before"] = measure_refusals(resolve_model(cfg.base_model), cfg)
    man["after"] = measure_refusals(str(dest), cfg)
    man["eval"] = _eval_settings(cfg)
    atomic_write_json(p, man)


def ensure_aligned(base_model: str = "smollm2-135m", out: str | Path | None = None, **overrides: Any) -> str:
    """Directory of the aligned ``base_model`` (aligning it first if no cached copy exists)."""
    import sys

    cfg = AlignConfig(base_model=base_model, **overrides)
    return str(align(cfg, out=out, log=lambda m: print(m, file=sys.stderr)))


def summary_table(dest: str | Path) -> str:
    """Before/after refusal rates of an aligned model directory as a small text table ("" if not measured)."""
    p = Path(dest) / "ptst_align.json"
    if not p.exists():
        return ""
    man = json.loads(p.read_text(encoding="utf-8"))
    before, after = man.get("before") or {}, man.get("after") or {}
    lines = ["held-out refusal rate          before -> after   (n)"]
    for key in sorted(after):
        split, tname = key.split("_refusal_rate@")
        b, a = before.get(key, {}).get("value"), after[key]["value"]
        fmt = (lambda v: "  -  " if v is None else f"{100 * v:5.1f}%")
        lines.append(f"{split:<8} {tname:<21} {fmt(b)} -> {fmt(a)}   ({after[key]['n']})")
    return "\n".join(lines)
