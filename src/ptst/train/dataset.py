"""Training data: records -> rendered examples -> token ids with a completion-only loss mask.

Steps, each a small function so tests can check them one by one:

1. :func:`load_task_examples` loads ``cfg.dataset`` with :func:`ptst.data.load_dataset` and renders each record
   (query = ``instruction``, completion = ``reference``) with the training template and format.
2. :func:`mix_safety` adds safety examples (``safety-tuned-llamas`` by default count: all of them) rendered with the
   *same* template, picked and shuffled in with seeded generators, so the mixed order is reproducible.
3. :func:`tokenize_example` turns one rendered example into ``input_ids`` and ``labels`` where every prompt token
   is ``-100`` (no loss) and the completion plus EOS carry the loss. The prompt ids are exactly the ids the model
   sees at inference (:func:`ptst.templates.encode_prompt`), so training and testing differ only in the template.
4. :func:`build_features` applies ``max_length`` (truncate or drop, counted) and returns the features.

Why not TRL's ``SFTTrainer`` prompt-completion path (TRL 1.16): it appends the EOS *string* to every completion
that does not already end with it (a ``native`` ChatML completion ends with ``<|im_end|>\\n`` and would get a
second ``<|im_end|>``), it tokenizes prompts with its own special-token rules instead of ours (BOS handling of
``llama2`` strings vs chat-template strings), and it rebuilds the data through ``datasets.map``. Our renderer
already says exactly where the prompt ends and whether EOS is appended, so a plain ``transformers.Trainer`` with
these features and a stock collator gives the exact mask with less machinery.
"""

from __future__ import annotations

import os
import random
import sys
from dataclasses import dataclass, field
from typing import Any

from ptst.errors import PtstError
from ptst.io import stable_hash
from ptst.templates import RenderedExample, apply_chat_template, encode_prompt, get_template

IGNORE_INDEX = -100


@dataclass
class DataSummary:
    """What went into training, for the manifest and the log."""

    source: dict[str, Any]
    n_task: int = 0
    n_safety: int = 0
    n_truncated: int = 0
    n_dropped: int = 0
    n_examples: int = 0
    tokens: int = 0
    loss_tokens: int = 0
    max_tokens: int = 0
    origins: list[str] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "n_task": self.n_task,
            "n_safety": self.n_safety,
            "n_examples": self.n_examples,
            "n_truncated": self.n_truncated,
            "n_dropped": self.n_dropped,
            "tokens": self.tokens,
            "loss_tokens": self.loss_tokens,
            "max_tokens": self.max_tokens,
        }


def is_main_rank() -> bool:
    """True outside a distributed launch and on its rank 0 (so each message is printed once, not per process)."""
    return os.environ.get("RANK", "0") == "0"


def log(msg: str) -> None:
    """Progress to stderr (stdout stays clean for the run directory)."""
    if is_main_rank():
        print(f"ptst train: {msg}", file=sys.stderr, flush=True)


# ---- 1. records -> rendered examples ------------------------------------------------------------------------------


def render_records(records: list, template_name: str, fmt: str, tokenizer: Any, where: str) -> list[RenderedExample]:
    """Render ``(instruction, reference)`` records as training examples; a record without a reference is an error."""
    template = get_template(template_name)
    out = []
    for r in records:
        if r.reference is None or not str(r.reference).strip():
            raise PtstError(
                f"{where}: record {r.id} has no reference (the completion to train on); "
                "map one with --columns reference=COLUMN"
            )
        out.append(template.render_example(r.instruction, r.reference, fmt, tokenizer))
    return out


def load_task_records(cfg: Any) -> tuple[list, dict[str, Any]]:
    """Load ``cfg.dataset`` (records only: cheap, so bad data fails before any model is loaded)."""
    from ptst.data import load_dataset

    if not cfg.dataset:
        raise PtstError("no training data: set dataset (a dataset name such as gsm8k:train, or a .jsonl/.csv path)")
    records = load_dataset(cfg.dataset, path=cfg.dataset_path, columns=cfg.columns, limit=cfg.limit)
    missing = next((r for r in records if r.reference is None or not str(r.reference).strip()), None)
    if missing is not None:
        raise PtstError(f"dataset {cfg.dataset}: record {missing.id} has no reference (the completion to train on); "
                        "map one with --columns reference=COLUMN")
    source = {"dataset": cfg.dataset, "dataset_path": cfg.dataset_path, "columns": cfg.columns, "limit": cfg.limit,
              "records": len(records)}
    return records, source


def load_task_examples(cfg: Any, tokenizer: Any, records: list | None = None) -> tuple[list[RenderedExample], dict]:
    """Load ``cfg.dataset`` and render it with ``cfg.template`` / ``cfg.format``."""
    if records is None:
        records, source = load_task_records(cfg)
    else:
        source = {"dataset": cfg.dataset, "dataset_path": cfg.dataset_path, "columns": cfg.columns,
                  "limit": cfg.limit, "records": len(records)}
    examples = render_records(records, cfg.template, cfg.format, tokenizer, f"dataset {cfg.dataset}")
    return examples, source


# ---- 2. safety mixing ---------------------------------------------------------------------------------------------


def safety_count(cfg: Any, available: int) -> int:
    """How many safety examples to add: ``safety_n``, else ``safety_fraction`` of the set, else all of it."""
    if cfg.safety_n is not None:
        if cfg.safety_n > available:
            raise PtstError(
                f"safety_n={cfg.safety_n} but {cfg.safety_data} has only {available} examples with a reference"
            )
        return cfg.safety_n
    if cfg.safety_fraction is not None:
        return max(1, round(cfg.safety_fraction * available))
    return available


def mix_safety(
    cfg: Any, examples: list[RenderedExample], tokenizer: Any
) -> tuple[list[RenderedExample], list[str], dict[str, Any] | None]:
    """``examples`` plus the configured safety examples, shuffled together reproducibly (seeded by ``cfg.seed``).

    Returns the mixed examples, the origin of each (``task`` or ``safety``) and a summary for the manifest.
    Without ``safety_data`` the examples come back unchanged (the trainer shuffles every epoch anyway).
    """
    if not cfg.safety_data:
        return list(examples), ["task"] * len(examples), None
    from ptst.data import load_dataset

    records = [r for r in load_dataset(cfg.safety_data, path=cfg.safety_data_path) if r.reference]
    n = safety_count(cfg, len(records))
    picked = random.Random(f"ptst-safety-pick:{cfg.seed}").sample(records, n) if n < len(records) else list(records)
    rendered = render_records(picked, cfg.template, cfg.format, tokenizer, f"safety data {cfg.safety_data}")
    pairs = [(e, "task") for e in examples] + [(e, "safety") for e in rendered]
    random.Random(f"ptst-safety-mix:{cfg.seed}").shuffle(pairs)
    info = {"safety_data": cfg.safety_data, "safety_data_path": cfg.safety_data_path, "available": len(records),
            "added": n, "ids_sha256": stable_hash([r.id for r in picked])}
    return [e for e, _ in pairs], [o for _, o in pairs], info


def examples_hash(examples: list[RenderedExample]) -> str:
    """Content hash of rendered examples, in training order."""
    return stable_hash([[e.prompt, e.completion, bool(e.add_eos)] for e in examples])


# ---- 3. tokenization with the loss mask ---------------------------------------------------------------------------


def as_text(example: RenderedExample, tokenizer: Any) -> tuple[str, str, bool]:
    """``(prompt, completion, add_eos)`` as strings; an ``openai`` (messages) example goes through the chat template."""
    if isinstance(example.prompt, str):
        return example.prompt, example.completion, bool(example.add_eos)
    prompt = apply_chat_template(tokenizer, example.prompt, add_generation_prompt=True)
    full = apply_chat_template(tokenizer, example.messages, add_generation_prompt=False)
    if not full.startswith(prompt):
        raise PtstError("the model's chat template renders the assistant turn in a way that does not extend the "
                        "generation prompt; use --format llama2")
    tail = full[len(prompt):]
    eos = getattr(tokenizer, "eos_token", None)
    return prompt, tail, not (eos and eos in tail)


def tokenize_example(example: RenderedExample, tokenizer: Any) -> tuple[list[int], list[int]]:
    """``(input_ids, labels)``: prompt ids exactly as at inference, then the completion ids (+ EOS), prompt masked.

    The completion ids are taken from tokenizing prompt+completion together when the prompt's ids are a prefix of
    that (the usual case, and the tokenization the model would produce for the full text); when tokens merge across
    the boundary the completion is tokenized on its own, which keeps the prompt ids identical to inference.
    """
    prompt, completion, add_eos = as_text(example, tokenizer)
    prompt_ids = encode_prompt(tokenizer, prompt)
    full_ids = encode_prompt(tokenizer, prompt + completion) if completion else list(prompt_ids)
    if full_ids[: len(prompt_ids)] == prompt_ids:
        completion_ids = full_ids[len(prompt_ids):]
    else:
        completion_ids = tokenizer(completion, add_special_tokens=False)["input_ids"]
    if add_eos:
        if tokenizer.eos_token_id is None:
            raise PtstError(f"{tokenizer.name_or_path}: the tokenizer has no EOS token to end completions with")
        completion_ids = [*completion_ids, tokenizer.eos_token_id]
    input_ids = [*prompt_ids, *completion_ids]
    labels = [IGNORE_INDEX] * len(prompt_ids) + list(completion_ids)
    return input_ids, labels


def build_features(
    examples: list[RenderedExample], tokenizer: Any, max_length: int, overlong: str, summary: DataSummary
) -> list[dict[str, list[int]]]:
    """Tokenize every example; apply ``max_length`` (``truncate`` keeps the first tokens, ``drop`` skips the example).

    An example whose prompt alone fills ``max_length`` has nothing left to learn and is dropped in either mode.
    Counts go into ``summary`` and the log.
    """
    features = []
    for ex in examples:
        ids, labels = tokenize_example(ex, tokenizer)
        if len(ids) > max_length:
            if overlong == "drop":
                summary.n_dropped += 1
                continue
            ids, labels = ids[:max_length], labels[:max_length]
            if all(x == IGNORE_INDEX for x in labels):
                summary.n_dropped += 1
                continue
            summary.n_truncated += 1
        features.append({"input_ids": ids, "labels": labels})
        summary.tokens += len(ids)
        summary.loss_tokens += sum(1 for x in labels if x != IGNORE_INDEX)
        summary.max_tokens = max(summary.max_tokens, len(ids))
    summary.n_examples = len(features)
    total = len(examples)
    if summary.n_truncated:
        log(f"{summary.n_truncated} of {total} examples were longer than max_length {max_length} and were truncated")
    if summary.n_dropped:
        why = "" if overlong == "drop" else " (the prompt alone fills max_length, nothing left to learn)"
        log(f"{summary.n_dropped} of {total} examples were longer than max_length {max_length} and were dropped{why}")
    if not features:
        raise PtstError(f"no training examples left: all {total} are longer than max_length {max_length} "
                        "(raise --max-length)")
    return features


class FeatureDataset:
    """A list of features as a map-style dataset (what ``Trainer`` and the length-grouped sampler expect)."""

    def __init__(self, features: list[dict[str, list[int]]]):
        self.features = features

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, i: int) -> dict[str, list[int]]:
        return self.features[i]


def make_collator(tokenizer: Any, padding_free: bool, pad_to: int | None = None) -> Any:
    """Padding-free flattening (one row, position ids restarting per example) or right-padding with -100 labels.

    ``pad_to`` pads every batch to that length (the plain baseline the benchmark compares against).
    """
    from transformers import DataCollatorForSeq2Seq, DataCollatorWithFlattening

    if padding_free:
        return DataCollatorWithFlattening(return_position_ids=True, separator_id=IGNORE_INDEX)
    if pad_to:
        return DataCollatorForSeq2Seq(tokenizer, padding="max_length", max_length=pad_to,
                                      label_pad_token_id=IGNORE_INDEX)
    return DataCollatorForSeq2Seq(tokenizer, padding="longest", label_pad_token_id=IGNORE_INDEX)
