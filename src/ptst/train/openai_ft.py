"""Fine-tuning through the OpenAI fine-tuning API (how the paper fine-tuned GPT-3.5), resumable by job id.

The steps, each recorded in ``<output_dir>/manifest.json`` (written atomically after every step):

1. load the training records (and optionally safety examples, mixed in reproducibly) and render each one as chat
   messages with the template's ``openai`` rendering, exactly as the paper's GPT-3.5 code does (the system message
   is always present, empty for ``chat:vanilla``);
2. validate them with the checks of OpenAI's chat fine-tuning data-format guide (roles, keys, non-empty user and
   assistant contents, an assistant message in every example, at least 10 examples, per-example token limit);
3. estimate tokens (tiktoken when it is installed *and* its encoding file is already in the local tiktoken cache,
   else about 4 characters per token) and cost (price table below, or ``price_per_million_tokens``);
4. write ``train.jsonl`` (atomically); a dry run stops here, without any network call;
5. upload the file (``POST /files``, purpose ``fine-tune``), create the job (``POST /fine_tuning/jobs``), poll
   ``GET /fine_tuning/jobs/{id}`` with growing intervals until it succeeds, fails or is cancelled, and record the
   fine-tuned model id.

A rerun with the same output directory continues where the last one stopped: a succeeded job is returned as is, a
running one is polled again (no second upload, no second job), and a job whose creation was interrupted before its
id was recorded is found again by its training file. ``job_id=`` polls a given job directly. Creating a job is
never retried blindly: after a failed or unanswered create request the job list is checked first, so a network
error cannot pay for the same training twice.

The API key is read from ``$api_key_env`` (or ``api_key_file``) and is never written anywhere.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field

from ptst.errors import PtstError, one_line
from ptst.io import atomic_write_json, atomic_write_text, sha256_bytes

log = logging.getLogger(__name__)

MIN_EXAMPLES = 10
TERMINAL = ("succeeded", "failed", "cancelled")
ALLOWED_ROLES = ("system", "user", "assistant", "function", "tool")
ALLOWED_KEYS = ("role", "content", "name", "function_call", "tool_calls", "weight")
CHARS_PER_TOKEN = 4.0

# Per-example token limits and training prices (USD per 1M training tokens) as OpenAI published them for these
# snapshots (2023-2024). Prices change: pass price_per_million_tokens for a current figure. Longest prefix wins.
MODEL_FACTS: dict[str, dict[str, Any]] = {
    "gpt-3.5-turbo-0613": {"max_tokens": 4096, "price": 8.0, "encoding": "cl100k_base"},
    "gpt-3.5-turbo-1106": {"max_tokens": 16385, "price": 8.0, "encoding": "cl100k_base"},
    "gpt-3.5-turbo-0125": {"max_tokens": 16385, "price": 8.0, "encoding": "cl100k_base"},
    "gpt-3.5-turbo": {"max_tokens": 16385, "price": 8.0, "encoding": "cl100k_base"},
    "gpt-4o-mini": {"max_tokens": 65536, "price": 3.0, "encoding": "o200k_base"},
    "gpt-4o": {"max_tokens": 65536, "price": 25.0, "encoding": "o200k_base"},
}
# Where tiktoken's encodings are downloaded from (its cache file name is the sha1 of this URL).
TIKTOKEN_URLS = {
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
}


class OpenAIFinetuneConfig(BaseModel):
    """Everything an OpenAI fine-tuning run depends on (no secrets: only the *name* of the key variable)."""

    model_config = ConfigDict(extra="forbid")

    model: str = "gpt-3.5-turbo-0613"
    dataset: str = "gsm8k:train"
    dataset_path: str | None = None
    columns: dict[str, str] | None = None
    limit: int | None = Field(default=None, ge=1)
    template: str = "chat:vanilla"
    output_dir: str = "runs/openai-finetune"
    n_epochs: int = Field(default=1, ge=1, le=50)
    suffix: str | None = Field(default=None, max_length=64)
    seed: int | None = 0
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    api_key_file: str | None = None
    dry_run: bool = False
    job_id: str | None = None
    safety_data: str | None = None
    safety_data_path: str | None = None
    #: with safety_data: how many safety examples to add (None: safety_fraction of them, else all, as ptst train)
    safety_n: int | None = Field(default=None, ge=0)
    safety_fraction: float | None = Field(default=None, gt=0, le=1)
    wait: bool = True
    poll_interval: float = Field(default=15.0, gt=0)
    poll_max_interval: float = Field(default=120.0, gt=0)
    max_example_tokens: int | None = Field(default=None, ge=1)
    price_per_million_tokens: float | None = Field(default=None, ge=0)
    drop_empty_system: bool = False


@dataclass
class FinetuneResult:
    fine_tuned_model: str | None
    job_id: str | None
    status: str
    manifest: dict[str, Any]
    output_dir: Path

    @property
    def train_file(self) -> Path:
        return self.output_dir / "train.jsonl"


# ---- data: render, validate, estimate --------------------------------------------------------------------------

def model_facts(model: str) -> dict[str, Any]:
    best = max((k for k in MODEL_FACTS if model.startswith(k)), key=len, default=None)
    return dict(MODEL_FACTS[best]) if best else {}


def build_examples(cfg: OpenAIFinetuneConfig) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Training examples (``{"messages": [...]}``) and a summary of where they came from.

    Loading, rendering and safety mixing are those of ``ptst train`` (:mod:`ptst.train.dataset`) with the ``openai``
    format, so the same seed picks and orders the same safety examples for a local and an OpenAI run.
    """
    from types import SimpleNamespace

    from ptst.templates import get_template
    from ptst.train.dataset import load_task_records, mix_safety, render_records

    template = get_template(cfg.template)
    if cfg.safety_n and not cfg.safety_data:
        raise PtstError("safety_n > 0 needs safety_data (e.g. safety-tuned-llamas)")
    records, source = load_task_records(cfg)
    examples = render_records(records, template.name, "openai", None, f"dataset {cfg.dataset}")
    view = SimpleNamespace(**cfg.model_dump(), format="openai")
    if cfg.safety_n == 0:
        view.safety_data = None
    mixed, origins, safety = mix_safety(view, examples, None)
    out = []
    for ex in mixed:
        msgs = ex.messages
        if cfg.drop_empty_system:
            msgs = [m for m in msgs if not (m["role"] == "system" and not m["content"])]
        out.append({"messages": msgs})
    summary = {**source, "safety": safety, "safety_examples": origins.count("safety"), "examples": len(out),
               "template": template.name, "rendering": "openai"}
    return out, summary


def validate_examples(examples: list[Any]) -> dict[str, Any]:
    """OpenAI's chat fine-tuning format checks. Returns ``{"errors": {check: count}, "first": {check: index},
    "warnings": {...}}``; the run refuses data with any error."""
    errors: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    first: dict[str, int] = {}

    def bad(check: str, i: int) -> None:
        errors[check] += 1
        first.setdefault(check, i + 1)

    for i, ex in enumerate(examples):
        if not isinstance(ex, dict):
            bad("data_type", i)
            continue
        msgs = ex.get("messages")
        if not msgs or not isinstance(msgs, list):
            bad("missing_messages_list", i)
            continue
        for m in msgs:
            if not isinstance(m, dict) or "role" not in m or "content" not in m:
                bad("message_missing_key", i)
                continue
            if any(k not in ALLOWED_KEYS for k in m):
                bad("message_unrecognized_key", i)
            if m["role"] not in ALLOWED_ROLES:
                bad("unrecognized_role", i)
            content = m["content"]
            if not isinstance(content, str):
                bad("missing_content", i)
            elif not content.strip():
                if m["role"] == "system":  # the reference rendering of chat:vanilla has an empty system message
                    warnings["empty_system_message"] += 1
                elif not m.get("function_call") and not m.get("tool_calls"):
                    bad("missing_content", i)
        if not any(isinstance(m, dict) and m.get("role") == "assistant" for m in msgs):
            bad("example_missing_assistant_message", i)
        elif isinstance(msgs[-1], dict) and msgs[-1].get("role") != "assistant":
            warnings["last_message_not_assistant"] += 1
    if len(examples) < MIN_EXAMPLES:
        errors["too_few_examples"] += 1
    return {"errors": dict(errors), "first": first, "warnings": dict(warnings)}


class TokenCounter:
    """Counts tokens with tiktoken when its encoding is available offline, else estimates ~4 characters/token.

    tiktoken downloads its encoding files on first use; ptst never triggers that download (dry runs promise no
    network). Populate the cache once, online, with ``python -c "import tiktoken;
    tiktoken.get_encoding('cl100k_base')"`` (it lands in ``$TIKTOKEN_CACHE_DIR`` or the temp dir's
    ``data-gym-cache``) and the exact count is used from then on.
    """

    def __init__(self, encoding_name: str = "cl100k_base", encoder: Any = None):
        self.encoding_name = encoding_name
        self._enc = encoder if encoder is not None else _cached_tiktoken(encoding_name)
        self.method = f"tiktoken:{encoding_name}" if self._enc is not None else f"estimate:{CHARS_PER_TOKEN:g} chars/token"

    @property
    def exact(self) -> bool:
        return self._enc is not None

    def count(self, text: str) -> int:
        if self._enc is not None:
            return len(self._enc.encode(text, disallowed_special=()))
        return int(-(-len(text) // CHARS_PER_TOKEN)) if text else 0

    def count_messages(self, messages: list[dict[str, Any]]) -> int:
        """Tokens of one chat example as OpenAI's cookbook counts them (3 per message, 1 per name, 3 priming)."""
        n = 3
        for m in messages:
            n += 3
            for k, v in m.items():
                if isinstance(v, str):
                    n += self.count(v)
                if k == "name":
                    n += 1
        return n


def _cached_tiktoken(name: str) -> Any:
    import hashlib
    import os
    import tempfile

    try:
        import tiktoken
    except ImportError:
        return None
    url = TIKTOKEN_URLS.get(name)
    if url is None:
        return None
    cache_dir = os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR") or \
        os.path.join(tempfile.gettempdir(), "data-gym-cache")
    if not os.path.exists(os.path.join(cache_dir, hashlib.sha1(url.encode()).hexdigest())):
        return None
    try:
        return tiktoken.get_encoding(name)
    except Exception as e:  # a corrupt cache entry: fall back to the estimate
        log.warning("tiktoken encoding %s unusable (%s); estimating tokens", name, one_line(e, 100))
        return None


def estimate(examples: list[dict[str, Any]], cfg: OpenAIFinetuneConfig, counter: TokenCounter | None = None) -> dict[str, Any]:
    """Token counts, the per-example limit check and the cost estimate (billed tokens = tokens x epochs)."""
    facts = model_facts(cfg.model)
    counter = counter or TokenCounter(facts.get("encoding", "cl100k_base"))
    limit = cfg.max_example_tokens or facts.get("max_tokens")
    per_example = [counter.count_messages(ex["messages"]) for ex in examples]
    billed_per_epoch = sum(min(n, limit) if limit else n for n in per_example)
    price = cfg.price_per_million_tokens if cfg.price_per_million_tokens is not None else facts.get("price")
    billed = billed_per_epoch * cfg.n_epochs
    return {
        "tokenizer": counter.method,
        "exact": counter.exact,
        "examples": len(per_example),
        "tokens_total": sum(per_example),
        "tokens_max_example": max(per_example, default=0),
        "tokens_mean_example": round(sum(per_example) / len(per_example), 1) if per_example else 0,
        "example_token_limit": limit,
        "examples_over_limit": sum(1 for n in per_example if limit and n > limit),
        "n_epochs": cfg.n_epochs,
        "billed_tokens": billed,
        "price_per_million_tokens": price,
        "price_source": "config" if cfg.price_per_million_tokens is not None else (
            "ptst table (OpenAI's published price for this snapshot; check current pricing)" if price is not None
            else "unknown model: pass price_per_million_tokens"),
        "cost_usd": round(billed * price / 1e6, 4) if price is not None else None,
    }


# ---- the run ---------------------------------------------------------------------------------------------------

class _Run:
    """One fine-tuning run's state, persisted to the manifest after every change."""

    def __init__(self, cfg: OpenAIFinetuneConfig, client: Any, sleep: Callable[[float], None],
                 on_status: Callable[[dict[str, Any]], None] | None):
        self.cfg = cfg
        self.out = Path(cfg.output_dir)
        self.path = self.out / "manifest.json"
        self.client = client
        self.sleep = sleep
        self.on_status = on_status
        self.m: dict[str, Any] = {}
        if self.path.exists():
            try:
                self.m = json.loads(self.path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as e:
                raise PtstError(f"{self.path}: not valid JSON ({e.msg}); remove it or use another output directory") from None

    def save(self) -> None:
        self.m["updated_at"] = time.time()
        atomic_write_json(self.path, self.m)

    def set_status(self, job: dict[str, Any]) -> None:
        status = job.get("status", "unknown")
        hist = self.m.setdefault("status_history", [])
        changed = not hist or hist[-1]["status"] != status
        if changed:
            hist.append({"status": status, "at": time.time()})
        self.m.update(status=status, fine_tuned_model=job.get("fine_tuned_model"),
                      trained_tokens=job.get("trained_tokens"), error=job.get("error") or None)
        self.save()
        if self.on_status and changed:
            self.on_status({"job_id": job.get("id"), "status": status, "fine_tuned_model": job.get("fine_tuned_model")})

    def result(self) -> FinetuneResult:
        return FinetuneResult(self.m.get("fine_tuned_model"), self.m.get("job_id"), self.m.get("status", "unknown"),
                              self.m, self.out)

    # -- API steps --
    def upload(self, data: bytes) -> str:
        body = self.client.request("POST", "/files", files={"file": ("train.jsonl", data, "application/jsonl")},
                                   data={"purpose": "fine-tune"}, expect=_expect_id)
        return body["id"]

    def create_job(self, file_id: str) -> dict[str, Any]:
        """Create the job, checking the job list after any failure so a lost reply never creates a second job."""
        cfg = self.cfg
        body: dict[str, Any] = {
            "model": cfg.model,
            "training_file": file_id,
            "method": {"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": cfg.n_epochs}}},
        }
        if cfg.suffix:
            body["suffix"] = cfg.suffix
        if cfg.seed is not None:
            body["seed"] = cfg.seed
        from ptst.openai_client import APIError

        attempts = self.client.config.max_retries + 1
        for attempt in range(attempts):
            existing = self.find_job(file_id) if attempt else None
            if existing:
                return existing
            try:
                return self.client.request("POST", "/fine_tuning/jobs", json_body=body, expect=_expect_id, retries=0)
            except APIError as e:
                if not e.retryable or attempt == attempts - 1:
                    raise
                self.sleep(self.client.backoff(attempt, e.retry_after))
        raise AssertionError("unreachable")

    def find_job(self, file_id: str) -> dict[str, Any] | None:
        """The newest job trained on ``file_id`` (how an interrupted creation is found again)."""
        body = self.client.request("GET", "/fine_tuning/jobs", params={"limit": 100}, expect=lambda b: b["data"])
        jobs = [j for j in body["data"] if isinstance(j, dict) and j.get("training_file") == file_id]
        return max(jobs, key=lambda j: j.get("created_at") or 0) if jobs else None

    def get_job(self, job_id: str) -> dict[str, Any]:
        return self.client.request("GET", f"/fine_tuning/jobs/{job_id}", expect=_expect_job)

    def poll(self, job: dict[str, Any]) -> dict[str, Any]:
        interval = self.cfg.poll_interval
        while job.get("status") not in TERMINAL:
            self.sleep(interval)
            interval = min(self.cfg.poll_max_interval, interval * 1.5)
            job = self.get_job(job["id"])
            self.set_status(job)
        return job


def _expect_id(body: Any) -> None:
    if not isinstance(body, dict) or not isinstance(body.get("id"), str):
        raise ValueError("response has no 'id'")


def _expect_job(body: Any) -> None:
    _expect_id(body)
    if not isinstance(body.get("status"), str):
        raise ValueError("job has no 'status'")


def _config_record(cfg: OpenAIFinetuneConfig) -> dict[str, Any]:
    d = cfg.model_dump()
    d.pop("dry_run")
    return d


JOB_FIELDS = ("model", "n_epochs", "suffix", "seed")  # a job created with other values is a different run


def finetune(
    cfg: OpenAIFinetuneConfig,
    *,
    client: Any = None,
    sleep: Callable[[float], None] | None = None,
    on_status: Callable[[dict[str, Any]], None] | None = None,
) -> FinetuneResult:
    """Run (or resume) an OpenAI fine-tuning job; see the module docstring.

    ``client`` (an :class:`~ptst.openai_client.OpenAICompatClient`) and ``sleep`` are injectable for tests;
    ``on_status`` is called with ``{"job_id", "status", "fine_tuned_model"}`` whenever the status is recorded.
    """
    run = _Run(cfg, client, sleep if sleep is not None else time.sleep, on_status)
    m = run.m
    if cfg.job_id:
        if cfg.dry_run:
            raise PtstError("dry_run with job_id: a dry run never calls the API; drop one of them")
        m.setdefault("kind", "openai-finetune")
        m.setdefault("config", _config_record(cfg))
        return _drive(run, job_id=cfg.job_id, data=None)

    data = _prepare(run)
    if cfg.dry_run:
        return run.result()
    if m.get("status") == "succeeded" and m.get("fine_tuned_model"):
        return run.result()  # finished before: nothing to do, no network call
    return _drive(run, job_id=m.get("job_id"), data=data)


def _prepare(run: _Run) -> bytes:
    """Render, validate and estimate the data, write train.jsonl and the manifest; no network."""
    from ptst import __version__

    cfg, m = run.cfg, run.m
    examples, summary = build_examples(cfg)
    report = validate_examples(examples)
    if report["errors"]:
        details = ", ".join(f"{k}: {v} (first at example {report['first'].get(k, '-')})" for k, v in report["errors"].items())
        if "too_few_examples" in report["errors"]:
            details += f"; OpenAI needs at least {MIN_EXAMPLES} examples, got {len(examples)}"
        raise PtstError(f"training data from {cfg.dataset} fails OpenAI's format checks: {details}")
    est = estimate(examples, cfg)
    data = "".join(json.dumps(ex, ensure_ascii=False) + "\n" for ex in examples).encode("utf-8")
    sha = sha256_bytes(data)
    if m.get("job_id") or m.get("file_id"):
        old = m.get("config", {})
        changed = [f for f in JOB_FIELDS if old.get(f) != getattr(cfg, f)]
        if m.get("data", {}).get("sha256") != sha:
            changed.insert(0, "training data")
        if changed:
            what = f"job {m['job_id']}" if m.get("job_id") else f"uploaded file {m['file_id']}"
            raise PtstError(f"{run.path}: this directory holds {what} made with other {', '.join(changed)}; "
                            "use another output directory (or pass --job-id to poll that job)")
    atomic_write_text(run.out / "train.jsonl", data.decode("utf-8"))
    m.update(kind="openai-finetune", ptst_version=__version__, config=_config_record(cfg),
             data={"file": "train.jsonl", "sha256": sha, **summary}, validation=report, estimate=est)
    m.setdefault("created_at", time.time())
    if m.get("status") in (None, "dry_run", "prepared"):
        m["status"] = "dry_run" if cfg.dry_run else "prepared"
    run.save()
    return data


def _drive(run: _Run, job_id: str | None, data: bytes | None) -> FinetuneResult:
    """Upload, create (or find again) the job, poll it and record the outcome."""
    cfg, m = run.cfg, run.m
    if run.client is None:
        from ptst.openai_client import ClientConfig, OpenAICompatClient

        run.client = OpenAICompatClient(ClientConfig(base_url=cfg.base_url, api_key_env=cfg.api_key_env,
                                                     api_key_file=cfg.api_key_file, max_concurrency=2))
    m["endpoint"] = run.client.base_url
    if job_id:
        job = run.get_job(job_id)
    else:
        assert data is not None
        if not m.get("file_id"):
            m["file_id"] = run.upload(data)
            run.save()
        # a run that died between sending the create request and saving the job id left job_pending behind
        job = run.find_job(m["file_id"]) if m.get("job_pending") else None
        if job is None:
            m["job_pending"] = True
            run.save()
            job = run.create_job(m["file_id"])
    m.update(job_id=job["id"], job_pending=False)
    run.set_status(job)
    if cfg.wait:
        job = run.poll(job)
    if job.get("status") in ("failed", "cancelled"):
        err = job.get("error") or {}
        why = err.get("message") if isinstance(err, dict) else str(err)
        raise PtstError(f"fine-tuning job {job['id']} {job['status']}: {one_line(why or 'no reason given', 200)} "
                        f"(recorded in {run.path})")
    return run.result()


def finetune_from_cli(**kwargs: Any) -> FinetuneResult:
    """``ptst train --backend openai`` entry point: build the config from CLI options (one-line errors for bad
    values), run, and print the status changes and the resulting model id."""
    from ptst.config import validate

    cfg = validate(OpenAIFinetuneConfig, {k: v for k, v in kwargs.items() if v is not None}, "openai fine-tuning")

    def show(s: dict[str, Any]) -> None:
        print(f"openai fine-tuning: job {s['job_id']} {s['status']}" +
              (f" -> {s['fine_tuned_model']}" if s.get("fine_tuned_model") else ""), flush=True)

    res = finetune(cfg, on_status=show)
    est = res.manifest.get("estimate") or {}
    if est:
        print(f"openai fine-tuning: {est['examples']} examples, ~{est['billed_tokens']} billed tokens "
              f"({est['tokenizer']}), estimated cost {est['cost_usd'] if est['cost_usd'] is not None else 'unknown'} USD",
              flush=True)
    print(res.fine_tuned_model or str(res.output_dir / "manifest.json"), flush=True)
    return res
