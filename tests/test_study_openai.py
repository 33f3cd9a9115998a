"""A GPT-3.5-style study through the OpenAI paths, up to the HTTP boundary: OpenAI fine-tuning against the recorded
fake fine-tuning API, generation over real HTTP against a local OpenAI-compatible server, chat-message prompts,
no second job or request on a rerun, and no API key in any file the study writes."""

from __future__ import annotations

import functools
import json

import pytest
import yaml

from ptst.openai_client import ClientConfig, OpenAICompatClient
from ptst.report import write_report
from ptst.study import load_spec, run_study
from tests.fakes.flaky_server import FlakyServer
from tests.fakes.openai_ft_fake import EXCHANGES, FakeFineTuningAPI

FT_KEY = "sk-ptst-STUDY-FT-KEY-7777-recognisable"
GEN_KEY = "sk-ptst-STUDY-GEN-KEY-8888-recognisable"
FT_MODEL = EXCHANGES["poll_job"][-1]["response"]["json"]["patch"]["fine_tuned_model"]
FT_URL = "https://api.openai.example/v1"


@pytest.fixture
def fake_ft(monkeypatch):
    """Route the study's OpenAI fine-tuning through the recorded fake API (no network, no waiting)."""
    import ptst.train.openai_ft as oft

    api = FakeFineTuningAPI()
    monkeypatch.setenv("PTST_FT_KEY", FT_KEY)
    client = OpenAICompatClient(ClientConfig(base_url=FT_URL, api_key_env="PTST_FT_KEY"), transport=api.transport,
                                sleep=lambda s: None)
    monkeypatch.setattr(oft, "finetune", functools.partial(oft.finetune, client=client, sleep=lambda s: None))
    return api


def test_openai_study_end_to_end(tmp_path, fake_ft, monkeypatch):
    monkeypatch.setenv("PTST_GEN_KEY", GEN_KEY)
    with FlakyServer() as server:
        spec_data = {
            "name": "gpt",
            "model": "gpt-3.5-turbo-0613",
            "format": "openai",
            "train": {"backend": "openai", "dataset": "builtin:math:train", "limit": 12,
                      "templates": ["chat:vanilla", "chat:llama"],
                      "openai": {"n_epochs": 1, "api_key_env": "PTST_FT_KEY", "base_url": FT_URL}},
            "evaluate": {
                "templates": ["chat:vanilla", "chat:llama"],
                "backend": "openai",
                "backend_options": {"base_url": server.base_url, "api_key_env": "PTST_GEN_KEY",
                                    "max_concurrency": 4},
                "decoding": {"max_new_tokens": 16},
                "judges": ["keyword"],
                "benchmarks": [{"name": "harmful", "dataset": "builtin:harmful", "per_category_limit": 1},
                               {"name": "math", "dataset": "builtin:math:test", "limit": 2}],
            },
        }
        (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec_data))
        spec = load_spec(tmp_path / "spec.yaml")
        out = tmp_path / "study"
        first = run_study(spec, out, progress=False, report=write_report)
        assert first.trained == 2
        assert fake_ft.count("POST", "/v1/fine_tuning/jobs") == 2  # one job per training template
        served_models = {b["model"] for b in server.bodies}
        assert served_models == {"gpt-3.5-turbo-0613", FT_MODEL}  # the baseline, and the fine-tuned model
        rows = first.rows
        assert {(r["train_template"], r["test_template"]) for r in rows} >= {
            ("none", "chat:llama"), ("chat:vanilla", "chat:llama"), ("chat:llama", "chat:llama")}
        # prompts are the paper's GPT-3.5 chat messages: system message always present, safety prompt for chat:llama
        run = next(r["run"] for r in rows if r["train_template"] == "chat:vanilla")
        items = [json.loads(x) for x in (out / "items" / run / "final" / "chat-llama" / "harmful.jsonl")
                 .read_text().splitlines()]
        assert items[0]["prompt"][0]["role"] == "system" and items[0]["prompt"][0]["content"].startswith("Be helpful")
        assert items[0]["response"] == "echo: " + items[0]["prompt"][-1]["content"]
        vanilla = json.loads((out / "items" / "base" / "chat-vanilla" / "harmful.jsonl").read_text().splitlines()[0])
        assert vanilla["prompt"][0] == {"role": "system", "content": ""}
        # a rerun starts no job and sends no request
        requests = server.requests
        results = (out / "results.csv").read_text()
        again = run_study(spec, out, progress=False, report=False)
        assert again.trained == 0 and fake_ft.count("POST", "/v1/fine_tuning/jobs") == 2
        assert server.requests == requests
        assert (out / "results.csv").read_text() == results
    # the keys were used (sent as bearer tokens) but written nowhere
    assert any(h and GEN_KEY in h for h in server.auth_headers)
    for f in out.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            assert FT_KEY.encode() not in data and GEN_KEY.encode() not in data, f
