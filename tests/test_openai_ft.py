"""OpenAI fine-tuning backend against recorded HTTP exchanges (tests/fakes/openai_ft_exchanges.json), no network.

The boundary: these tests prove everything ptst sends and how it reacts to OpenAI's documented responses; the real
OpenAI API was never called from here.
"""

from __future__ import annotations

import json
import random

import httpx
import pytest

from ptst.errors import PtstError
from ptst.openai_client import ClientConfig, OpenAICompatClient
from ptst.templates import get_template
from ptst.train.openai_ft import (
    OpenAIFinetuneConfig,
    TokenCounter,
    estimate,
    finetune,
    finetune_from_cli,
    validate_examples,
)
from tests.fakes.openai_ft_fake import EXCHANGES, FakeFineTuningAPI

KEY = "sk-ptst-FT-KEY-5555-recognisable"
MODEL_ID = EXCHANGES["poll_job"][-1]["response"]["json"]["patch"]["fine_tuned_model"]


@pytest.fixture
def cfg_kwargs(shared_data, tmp_path):
    return dict(model="gpt-3.5-turbo-0613", dataset="gsm8k:train", dataset_path=str(shared_data / "gsm8k" / "train.jsonl"),
                limit=12, template="chat:llama", output_dir=str(tmp_path / "run"), n_epochs=1, seed=0,
                api_key_env="PTST_FT_KEY", base_url="https://api.openai.example/v1")


def fake_client(api: FakeFineTuningAPI, monkeypatch) -> OpenAICompatClient:
    monkeypatch.setenv("PTST_FT_KEY", KEY)
    return OpenAICompatClient(ClientConfig(base_url="https://api.openai.example/v1", api_key_env="PTST_FT_KEY"),
                              transport=api.transport, sleep=lambda s: None)


class Sleeps(list):
    def __call__(self, s: float) -> None:
        self.append(s)


def test_dry_run_renders_validates_estimates_and_makes_no_call(cfg_kwargs, shared_data):
    def no_network(request):  # any request fails the test
        raise AssertionError(f"network call in a dry run: {request.url}")

    client = OpenAICompatClient(ClientConfig(base_url="http://127.0.0.1:9/v1"), transport=httpx.MockTransport(no_network))
    res = finetune(OpenAIFinetuneConfig(**cfg_kwargs, dry_run=True), client=client)
    assert res.status == "dry_run" and res.job_id is None and res.fine_tuned_model is None
    lines = [json.loads(x) for x in res.train_file.read_text().splitlines()]
    assert len(lines) == 12
    t = get_template("chat:llama")
    from ptst.data import load_dataset

    recs = load_dataset("gsm8k:train", path=shared_data / "gsm8k" / "train.jsonl", limit=12)
    assert lines[0]["messages"] == t.render_example(recs[0].instruction, recs[0].reference, "openai").messages
    assert lines[0]["messages"][0] == {"role": "system", "content": t.openai_system_prompt}
    assert lines[0]["messages"][1] == {"role": "user", "content": recs[0].instruction}  # no "Question: " for GPT-3.5
    m = json.loads((res.output_dir / "manifest.json").read_text())
    assert m["status"] == "dry_run" and m["validation"]["errors"] == {}
    est = m["estimate"]
    assert est["examples"] == 12 and est["example_token_limit"] == 4096 and est["price_per_million_tokens"] == 8.0
    assert est["billed_tokens"] == est["tokens_total"] and est["cost_usd"] == round(est["tokens_total"] * 8.0 / 1e6, 4)
    assert m["data"]["sha256"] and m["data"]["records"] == 12


def test_full_run_uploads_creates_polls_and_records_the_model(cfg_kwargs, monkeypatch):
    api = FakeFineTuningAPI()
    sleeps = Sleeps()
    seen = []
    res = finetune(OpenAIFinetuneConfig(**cfg_kwargs, suffix="ptst-test", poll_interval=10, poll_max_interval=20),
                   client=fake_client(api, monkeypatch), sleep=sleeps, on_status=seen.append)
    assert res.fine_tuned_model == MODEL_ID and res.job_id == "ftjob-ptstFAKE0001" and res.status == "succeeded"
    # what was sent
    upload = next(r for r in api.requests if r["path"] == "/v1/files")
    assert b'name="purpose"' in upload["body"] and b"fine-tune" in upload["body"]
    assert res.train_file.read_bytes() in upload["body"]  # exactly the validated JSONL
    create = json.loads(next(r for r in api.requests if r["method"] == "POST" and r["path"] == "/v1/fine_tuning/jobs")["body"])
    assert create == {"model": "gpt-3.5-turbo-0613", "training_file": "file-ptstFAKE0001", "suffix": "ptst-test", "seed": 0,
                      "method": {"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 1}}}}
    assert all(r["headers"]["authorization"] == f"Bearer {KEY}" for r in api.requests)
    # polling: validating_files -> running -> running -> succeeded, with growing, capped waits
    assert [s["status"] for s in seen] == ["validating_files", "running", "succeeded"]
    assert sleeps == [10, 15, 20, 20]
    m = json.loads((res.output_dir / "manifest.json").read_text())
    assert m["fine_tuned_model"] == MODEL_ID and m["trained_tokens"] == 41234 and m["file_id"] == "file-ptstFAKE0001"
    assert [h["status"] for h in m["status_history"]] == ["validating_files", "running", "succeeded"]
    assert m["endpoint"] == "https://api.openai.example/v1" and m["config"]["api_key_env"] == "PTST_FT_KEY"
    # no secret anywhere in the run directory
    for f in res.output_dir.rglob("*"):
        if f.is_file():
            assert KEY not in f.read_text()
    # a rerun is free: no request at all
    n = len(api.requests)
    again = finetune(OpenAIFinetuneConfig(**cfg_kwargs, suffix="ptst-test"), client=fake_client(api, monkeypatch))
    assert again.fine_tuned_model == MODEL_ID and len(api.requests) == n


class Interrupt(Exception):
    pass


def test_interrupted_poll_resumes_the_same_job(cfg_kwargs, monkeypatch):
    api = FakeFineTuningAPI()
    calls = []

    def dies_on_second_wait(s):
        calls.append(s)
        if len(calls) == 2:
            raise Interrupt  # the process is killed while waiting

    with pytest.raises(Interrupt):
        finetune(OpenAIFinetuneConfig(**cfg_kwargs), client=fake_client(api, monkeypatch), sleep=dies_on_second_wait)
    m = json.loads(open(cfg_kwargs["output_dir"] + "/manifest.json").read())
    assert m["job_id"] == "ftjob-ptstFAKE0001" and m["status"] in ("validating_files", "running")
    assert api.count("POST", "/v1/files") == 1 and api.count("POST", "/v1/fine_tuning/jobs") == 1
    res = finetune(OpenAIFinetuneConfig(**cfg_kwargs), client=fake_client(api, monkeypatch), sleep=lambda s: None)
    assert res.fine_tuned_model == MODEL_ID
    assert api.count("POST", "/v1/files") == 1 and api.count("POST", "/v1/fine_tuning/jobs") == 1  # nothing redone


def test_explicit_job_id_only_polls(cfg_kwargs, monkeypatch, tmp_path):
    api = FakeFineTuningAPI()
    first = finetune(OpenAIFinetuneConfig(**cfg_kwargs, wait=False), client=fake_client(api, monkeypatch))
    assert first.status == "validating_files" and first.fine_tuned_model is None
    kw = {**cfg_kwargs, "output_dir": str(tmp_path / "elsewhere")}
    res = finetune(OpenAIFinetuneConfig(**kw, job_id=first.job_id), client=fake_client(api, monkeypatch),
                   sleep=lambda s: None)
    assert res.fine_tuned_model == MODEL_ID
    assert api.count("POST", "/v1/files") == 1 and api.count("POST", "/v1/fine_tuning/jobs") == 1
    assert json.loads((tmp_path / "elsewhere" / "manifest.json").read_text())["job_id"] == first.job_id
    with pytest.raises(PtstError, match="No such fine-tuning job"):
        finetune(OpenAIFinetuneConfig(**kw, job_id="ftjob-nope"), client=fake_client(api, monkeypatch))


def test_lost_create_reply_does_not_create_a_second_job(cfg_kwargs, monkeypatch):
    api = FakeFineTuningAPI(lose_create_reply=True)
    res = finetune(OpenAIFinetuneConfig(**cfg_kwargs), client=fake_client(api, monkeypatch), sleep=lambda s: None)
    assert res.fine_tuned_model == MODEL_ID
    assert api.count("POST", "/v1/fine_tuning/jobs") == 1 and len(api.jobs) == 1  # found again via the job list


def test_busy_create_waits_as_the_server_asks_then_with_jittered_backoff(cfg_kwargs, monkeypatch):
    """Job creation is retried by the run itself (so it can look for a job a lost reply created): its waits are the
    client's backoff, Retry-After first, jitter otherwise."""
    api = FakeFineTuningAPI(busy_creates=[{"Retry-After": "7"}, {}])
    sleeps = Sleeps()
    res = finetune(OpenAIFinetuneConfig(**cfg_kwargs, poll_interval=10, poll_max_interval=20),
                   client=fake_client(api, monkeypatch), sleep=sleeps)
    assert res.fine_tuned_model == MODEL_ID and len(api.jobs) == 1
    assert api.count("POST", "/v1/fine_tuning/jobs") == 3 and api.count("GET", "/v1/fine_tuning/jobs") >= 2
    assert sleeps[0] == 7.0  # Retry-After honoured
    assert 1.0 <= sleeps[1] <= 2.0  # second retry: ceiling 2 s (backoff_base 1 s doubled), upper half jittered
    assert sleeps[2:] == [10, 15, 20, 20]  # then the polls


def test_failed_job_is_a_clear_error_and_recorded(cfg_kwargs, monkeypatch):
    api = FakeFineTuningAPI(fail=True)
    with pytest.raises(PtstError, match="ftjob-ptstFAKE0001 failed: The job failed due to an invalid training file"):
        finetune(OpenAIFinetuneConfig(**cfg_kwargs), client=fake_client(api, monkeypatch), sleep=lambda s: None)
    m = json.loads(open(cfg_kwargs["output_dir"] + "/manifest.json").read())
    assert m["status"] == "failed" and m["error"]["code"] == "invalid_training_file" and m["fine_tuned_model"] is None


def test_changed_config_in_the_same_directory_is_refused(cfg_kwargs, monkeypatch):
    api = FakeFineTuningAPI()
    finetune(OpenAIFinetuneConfig(**cfg_kwargs, wait=False), client=fake_client(api, monkeypatch))
    with pytest.raises(PtstError, match="n_epochs"):
        finetune(OpenAIFinetuneConfig(**{**cfg_kwargs, "n_epochs": 3}), client=fake_client(api, monkeypatch))
    with pytest.raises(PtstError, match="training data"):
        finetune(OpenAIFinetuneConfig(**{**cfg_kwargs, "limit": 11}), client=fake_client(api, monkeypatch))


def test_safety_mixing_is_reproducible(cfg_kwargs, shared_data, tmp_path):
    safety = dict(safety_data="safety-tuned-llamas",
                  safety_data_path=str(shared_data / "safety-tuned-llamas" / "safety_only_data_Instructions.json"),
                  safety_n=5, dry_run=True)
    a = finetune(OpenAIFinetuneConfig(**{**cfg_kwargs, "output_dir": str(tmp_path / "a")}, **safety))
    b = finetune(OpenAIFinetuneConfig(**{**cfg_kwargs, "output_dir": str(tmp_path / "b")}, **safety))
    c = finetune(OpenAIFinetuneConfig(**{**cfg_kwargs, "output_dir": str(tmp_path / "c"), "seed": 1}, **safety))
    assert a.train_file.read_text() == b.train_file.read_text() != c.train_file.read_text()
    assert a.manifest["data"]["examples"] == 17 and a.manifest["data"]["safety_examples"] == 5
    # as in ptst train and the paper: safety data without a count adds all 2,483 examples
    everything = finetune(OpenAIFinetuneConfig(**{**cfg_kwargs, "output_dir": str(tmp_path / "all")},
                                               **{**safety, "safety_n": None}))
    assert everything.manifest["data"]["safety_examples"] == 2483 and everything.manifest["data"]["examples"] == 2495
    users = [json.loads(x)["messages"][1]["content"] for x in a.train_file.read_text().splitlines()]
    assert users[:12] != [json.loads(x)["messages"][1]["content"] for x in
                          finetune(OpenAIFinetuneConfig(**{**cfg_kwargs, "output_dir": str(tmp_path / "d"), "dry_run": True})).train_file.read_text().splitlines()]


def test_validation_checks():
    good = {"messages": [{"role": "system", "content": ""}, {"role": "user", "content": "q"},
                         {"role": "assistant", "content": "a"}]}
    rep = validate_examples([good] * 10)
    assert rep["errors"] == {} and rep["warnings"] == {"empty_system_message": 10}
    bad = [
        good, "not a dict", {"messages": []},
        {"messages": [{"role": "user"}, {"role": "assistant", "content": "a"}]},
        {"messages": [{"role": "robot", "content": "x"}, {"role": "assistant", "content": "a"}]},
        {"messages": [{"role": "user", "content": "  "}, {"role": "assistant", "content": "a"}]},
        {"messages": [{"role": "user", "content": "q", "extra": 1}, {"role": "assistant", "content": "a"}]},
        {"messages": [{"role": "user", "content": "q"}]},
    ]
    rep = validate_examples(bad)
    assert rep["errors"] == {"data_type": 1, "missing_messages_list": 1, "message_missing_key": 1, "unrecognized_role": 1,
                             "missing_content": 1, "message_unrecognized_key": 1,
                             "example_missing_assistant_message": 1, "too_few_examples": 1}
    assert rep["first"]["data_type"] == 2 and rep["first"]["missing_content"] == 6


def test_too_few_examples_and_missing_reference_are_one_line_errors(cfg_kwargs, tmp_path):
    with pytest.raises(PtstError, match="at least 10 examples, got 3"):
        finetune(OpenAIFinetuneConfig(**{**cfg_kwargs, "limit": 3}, dry_run=True))
    f = tmp_path / "d.jsonl"
    f.write_text("".join(json.dumps({"instruction": f"q{i}"}) + "\n" for i in range(12)))  # no answers at all
    with pytest.raises(PtstError, match="has no reference"):
        finetune(OpenAIFinetuneConfig(**{**cfg_kwargs, "dataset": str(f), "dataset_path": None, "limit": None}, dry_run=True))


def test_token_counting_and_limits():
    est_counter = TokenCounter("no-such-encoding")
    assert not est_counter.exact and est_counter.method == "estimate:4 chars/token"
    assert est_counter.count("12345678") == 2 and est_counter.count("123456789") == 3 and est_counter.count("") == 0
    msgs = [{"role": "user", "content": "abcd"}, {"role": "assistant", "content": "abcdefgh"}]
    # 3 priming + per message 3 + role + content
    assert est_counter.count_messages(msgs) == 3 + (3 + 1 + 1) + (3 + 3 + 2)

    class WordEncoder:  # an exact tokenizer stand-in: one token per word
        def encode(self, text, disallowed_special=()):
            return text.split()

    exact = TokenCounter("cl100k_base", encoder=WordEncoder())
    assert exact.exact and exact.method == "tiktoken:cl100k_base" and exact.count("a b c") == 3
    long_ex = {"messages": [{"role": "user", "content": "x " * 5000}, {"role": "assistant", "content": "y"}]}
    cfg = OpenAIFinetuneConfig(n_epochs=3, price_per_million_tokens=2.0)
    e = estimate([long_ex] * 10, cfg, counter=exact)
    assert e["examples_over_limit"] == 10 and e["example_token_limit"] == 4096
    assert e["billed_tokens"] == 4096 * 10 * 3 and e["cost_usd"] == round(4096 * 30 * 2.0 / 1e6, 4)
    assert estimate([long_ex], OpenAIFinetuneConfig(model="my-custom-model"), counter=exact)["cost_usd"] is None
    assert estimate([long_ex], OpenAIFinetuneConfig(model="gpt-4o-mini-2024-07-18"), counter=exact)["example_token_limit"] == 65536


def test_missing_key_and_bad_options_are_one_line_errors(cfg_kwargs, monkeypatch, capsys):
    monkeypatch.delenv("PTST_FT_KEY", raising=False)
    with pytest.raises(PtstError, match=r"set \$PTST_FT_KEY"):
        finetune(OpenAIFinetuneConfig(**cfg_kwargs))
    with pytest.raises(PtstError, match="field 'n_epochs'"):
        finetune_from_cli(**{**cfg_kwargs, "n_epochs": 0})
    with pytest.raises(PtstError, match="field 'bogus': unknown field"):
        finetune_from_cli(**cfg_kwargs, bogus=1)
    res = finetune_from_cli(**cfg_kwargs, dry_run=True)
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == str(res.output_dir / "manifest.json") and "estimated cost" in out[-2]


def test_train_cli_backend_openai_dry_run_makes_no_call(shared_data, tmp_path):
    """`ptst train --backend openai` maps the shared flags onto the OpenAI config; a dry run renders, validates and
    estimates offline and prints the manifest path last; flags that only mean something locally are refused."""
    import subprocess
    import sys

    out = tmp_path / "gpt"
    base = [sys.executable, "-m", "ptst", "train", "--backend", "openai", "--model", "gpt-3.5-turbo-0613",
            "--dataset", "gsm8k:train", "--dataset-path", str(shared_data / "gsm8k" / "train.jsonl"), "--limit", "12",
            "--template", "chat:llama", "-o", str(out), "--epochs", "2"]
    env = {**__import__("os").environ, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}  # nothing listens there
    r = subprocess.run([*base, "--dry-run"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == str(out / "manifest.json")
    man = json.loads((out / "manifest.json").read_text())
    assert man["config"]["n_epochs"] == 2 and man["config"]["template"] == "chat:llama"
    assert len((out / "train.jsonl").read_text().splitlines()) == 12
    bad = subprocess.run([*base, "--lr", "1e-4", "--dry-run"], capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and "--lr has no meaning for --backend openai" in bad.stderr
    assert "Traceback" not in bad.stderr
    stray = subprocess.run([sys.executable, "-m", "ptst", "train", "--job-id", "ftjob-1", "--dry-run"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert stray.returncode == 2 and "--job-id only applies to --backend openai" in stray.stderr
