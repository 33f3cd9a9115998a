"""The HTTP layer of ``ptst serve`` under overload and generation failures, with a controllable generator.

uvicorn runs in a thread on a free port with the real app, template and tokenizer (tiny-random); only the
generator is a test function, so the test can hold the model busy and make it fail on demand.
"""

from __future__ import annotations

import random
import threading
import time

import httpx
import pytest

from ptst.openai_client import ClientConfig, OpenAICompatClient
from tests.serve_helpers import start_uvicorn


@pytest.fixture
def serve(tiny_model_dir):
    from ptst.serve.config import ServeConfig
    from ptst.serve.engine import Engine

    servers = []

    def start(generate, **cfg):
        if generate is None:  # the real hf backend
            engine = Engine(ServeConfig(model=tiny_model_dir, device="cpu", **cfg)).start()
        else:
            engine = Engine(ServeConfig(model=tiny_model_dir, **cfg), generate=generate, identity_key="f" * 32).start()
        base, stop = start_uvicorn(engine)
        servers.append((stop, engine))
        start.engine = engine
        return base

    yield start
    for stop, engine in servers:
        stop()
        engine.close()


def chat_body(q: str) -> dict:
    return {"model": "m", "messages": [{"role": "user", "content": q}], "max_tokens": 3}


def test_full_queue_is_503_with_retry_after_and_the_client_recovers(serve):
    release = threading.Event()

    def held(prompts, decoding):
        release.wait(10)
        return ["ok"] * len(prompts)

    url = serve(held, served_model_name="m", batch_size=1, batch_wait_ms=0, max_queue=2)
    results: dict[int, httpx.Response] = {}

    def send(i: int) -> None:
        results[i] = httpx.post(url + "/chat/completions", json=chat_body(f"q{i}"), timeout=30)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(3)]  # 1 generating + 2 queued
    for t in threads:
        t.start()
        time.sleep(0.2)
    r = httpx.post(url + "/chat/completions", json=chat_body("one too many"), timeout=30)
    assert r.status_code == 503 and r.headers["retry-after"] == "1"
    assert r.json()["error"]["code"] == "overloaded"
    # ptst's client honours the Retry-After and gets through once the model is free again
    waits = []
    client = OpenAICompatClient(ClientConfig(base_url=url, max_retries=5), sleep=lambda s: (waits.append(s), time.sleep(0.3)),
                                rng=random.Random(0))
    threading.Timer(0.5, release.set).start()
    assert client.chat("m", [{"role": "user", "content": "patient"}], max_tokens=3).text == "ok"
    assert waits and waits[0] == 1.0
    for t in threads:
        t.join(10)
    assert all(results[i].status_code == 200 for i in range(3))


def test_a_generation_failure_is_500_and_the_server_keeps_serving(serve):
    calls = []

    def flaky(prompts, decoding):
        calls.append(len(prompts))
        if len(calls) == 1:
            raise RuntimeError("CUDA out of memory (simulated)")
        return [f"fine:{decoding.max_new_tokens}"] * len(prompts)

    url = serve(flaky, served_model_name="m")
    r = httpx.post(url + "/chat/completions", json=chat_body("a"))
    assert r.status_code == 500
    assert r.json()["error"] == {"message": "internal server error", "type": "server_error", "param": None, "code": None}
    r = httpx.post(url + "/chat/completions", json=chat_body("b"))
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"] == "fine:3"
    # a client with retries never sees the failure at all
    calls.clear()
    client = OpenAICompatClient(ClientConfig(base_url=url), sleep=lambda s: None)
    assert client.chat("m", [{"role": "user", "content": "c"}], max_tokens=3).text == "fine:3"
    assert len(calls) == 2


def test_context_limit_is_400_context_length_exceeded(serve):
    url = serve(lambda ps, d: ["x"] * len(ps), served_model_name="m", max_context_tokens=300, max_tokens_limit=64)
    ok = httpx.post(url + "/chat/completions", json=chat_body("short"))
    assert ok.status_code == 200
    r = httpx.post(url + "/chat/completions", json={**chat_body("word " * 200), "max_tokens": 64})
    assert r.status_code == 400 and r.json()["error"]["code"] == "context_length_exceeded"
    assert "300 tokens" in r.json()["error"]["message"]


def test_a_generator_refusing_the_input_is_400_with_its_message(serve):
    from ptst.errors import PtstError

    def picky(prompts, decoding):
        raise PtstError("prompt 1 is longer than this model's context")

    url = serve(picky, served_model_name="m")
    r = httpx.post(url + "/chat/completions", json=chat_body("a"))
    assert r.status_code == 400 and r.json()["error"]["message"] == "prompt 1 is longer than this model's context"


def test_cache_option_answers_repeats_from_the_generation_cache(serve, monkeypatch, tmp_path):
    monkeypatch.setenv("PTST_CACHE", str(tmp_path / "serve-cache.sqlite"))
    url = serve(None, served_model_name="m", cache=True)
    engine = serve.engine
    first = httpx.post(url + "/chat/completions", json=chat_body("cache me")).json()
    counters = engine._cache.counters["generation"]
    computed = counters.computed
    again = httpx.post(url + "/chat/completions", json=chat_body("cache me")).json()
    assert again["choices"][0]["message"]["content"] == first["choices"][0]["message"]["content"]
    assert counters.computed == computed and counters.hits >= 1  # the repeat generated nothing
    assert engine._cache.stats()["generation"] >= 1
