"""The OpenAI-compatible client and the ``openai`` backend against a local server that misbehaves on schedule.

Sleeps are recorded instead of slept (``sleep=Recorder``), so the backoff can be asserted exactly and fast; the
timeout tests use a real short client timeout.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time

import httpx
import pytest

from ptst.cache import Cache
from ptst.errors import PartialResultsError, PtstError
from ptst.generate import Decoding, generate_cached, get_backend
from ptst.openai_client import APIError, ClientConfig, Completion, OpenAICompatClient, parse_retry_after
from tests.fakes.flaky_server import FlakyServer

KEY = "sk-ptst-TEST-0123456789-recognisable"


class Recorder:
    """A fake ``sleep`` that records each requested wait (thread-safe) and returns at once."""

    def __init__(self):
        self.waits: list[float] = []
        self.lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self.lock:
            self.waits.append(seconds)


@pytest.fixture
def server():
    with FlakyServer() as s:
        yield s


def make_client(server, monkeypatch, sleep=None, seed=0, **cfg) -> OpenAICompatClient:
    monkeypatch.setenv("PTST_TEST_KEY", KEY)
    cfg.setdefault("timeout", 5.0)
    config = ClientConfig(base_url=server.base_url, api_key_env="PTST_TEST_KEY", **cfg)
    return OpenAICompatClient(config, sleep=sleep or Recorder(), rng=random.Random(seed))


def chat_msgs(q: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": "be nice"}, {"role": "user", "content": q}]


# ---- normal calls ------------------------------------------------------------------------------------------------

def test_chat_and_complete_parse_text_usage_and_send_the_key(server, monkeypatch):
    client = make_client(server, monkeypatch)
    c = client.chat("fake-model", chat_msgs("hello there"), temperature=0, max_tokens=5, top_p=None)
    assert isinstance(c, Completion)
    assert c.text == "echo: hello there" and c.finish_reason == "stop"
    assert c.usage == {"prompt_tokens": 2, "completion_tokens": 3}
    assert server.bodies[-1]["max_tokens"] == 5 and "top_p" not in server.bodies[-1]  # None params are dropped
    c2 = client.complete("fake-model", "a prompt")
    assert c2.text == "echo: a prompt"
    assert server.auth_headers == [f"Bearer {KEY}"] * 2
    assert client.list_models() == ["fake-model"]


def test_map_chat_keeps_input_order(server, monkeypatch):
    server.delay = 0.01
    client = make_client(server, monkeypatch, max_concurrency=4)
    qs = [f"q{i}" for i in range(30)]
    done = []
    out = client.map_chat("m", [chat_msgs(q) for q in qs], progress=lambda d, t: done.append((d, t)))
    assert [r.text for r in out] == [f"echo: {q}" for q in qs]
    assert done[-1] == (30, 30) and len(done) == 30


# ---- each fault is retried, then succeeds ---------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["429", "500", "503", "drop", "badjson", "nochoices"])
def test_each_retryable_fault_is_retried(server, monkeypatch, fault):
    rec = Recorder()
    client = make_client(server, monkeypatch, sleep=rec)
    server.schedule["q"] = [fault, fault]
    assert client.chat("m", chat_msgs("q")).text == "echo: q"
    assert server.per_query["q"] == 3
    assert len(rec.waits) == 2 and client.stats["retries"] == 2


def test_timeouts_are_retried(monkeypatch):
    with FlakyServer(slow_seconds=0.6) as server:
        client = make_client(server, monkeypatch, timeout=0.2)
        server.schedule["q"] = ["timeout"]
        t0 = time.monotonic()
        assert client.complete("m", "q").text == "echo: q"
        assert server.per_query["q"] == 2
        assert time.monotonic() - t0 < 3


def test_client_errors_are_not_retried_and_name_status_and_endpoint(server, monkeypatch):
    rec = Recorder()
    client = make_client(server, monkeypatch, sleep=rec)
    server.schedule["bad"] = ["400"]
    with pytest.raises(APIError) as ei:
        client.chat("m", chat_msgs("bad"))
    e = ei.value
    assert e.status == 400 and e.attempts == 1 and server.per_query["bad"] == 1 and rec.waits == []
    assert f"{server.base_url}/chat/completions" in str(e) and "HTTP 400" in str(e) and "fake 400" in str(e)


# ---- backoff, jitter, Retry-After ------------------------------------------------------------------------------

def test_backoff_is_exponential_bounded_and_jittered(server, monkeypatch):
    rec = Recorder()
    client = make_client(server, monkeypatch, sleep=rec, max_retries=6, backoff_base=1.0, backoff_max=8.0)
    server.schedule["q"] = ["500"] * 6
    assert client.chat("m", chat_msgs("q")).text == "echo: q"
    ceilings = [1, 2, 4, 8, 8, 8]  # doubling, capped at backoff_max
    assert len(rec.waits) == 6
    for w, c in zip(rec.waits, ceilings):
        assert c / 2 <= w <= c
    # jitter: another client with another random stream waits differently for the same schedule
    rec2 = Recorder()
    client2 = make_client(server, monkeypatch, sleep=rec2, seed=1, max_retries=6, backoff_base=1.0, backoff_max=8.0)
    server.schedule["q"] = ["500"] * 6
    client2.chat("m", chat_msgs("q"))
    assert rec2.waits != rec.waits
    assert len(set(round(w / c, 6) for w, c in zip(rec.waits, ceilings))) > 1  # not a fixed fraction


@pytest.mark.parametrize("fault,expected", [("429:ra=7", 7.0), ("429:ms=2500", 2.5), ("429:ra=100000", 90.0)])
def test_retry_after_is_honoured_and_capped(server, monkeypatch, fault, expected):
    rec = Recorder()
    client = make_client(server, monkeypatch, sleep=rec, retry_after_max=90.0)
    server.schedule["q"] = [fault]
    assert client.chat("m", chat_msgs("q")).text == "echo: q"
    assert rec.waits == [expected]


def test_retry_after_as_http_date(server, monkeypatch):
    rec = Recorder()
    client = make_client(server, monkeypatch, sleep=rec)
    server.schedule["q"] = ["429:date=30"]
    client.chat("m", chat_msgs("q"))
    assert len(rec.waits) == 1 and 27 <= rec.waits[0] <= 30.5


def test_parse_retry_after_forms():
    h = httpx.Headers
    assert parse_retry_after(h({"Retry-After": "3"})) == 3.0
    assert parse_retry_after(h({"Retry-After": "1.5"})) == 1.5
    assert parse_retry_after(h({"retry-after-ms": "250", "Retry-After": "9"})) == 0.25
    now = time.time()
    past = email.utils.formatdate(now - 100, usegmt=True)
    assert parse_retry_after(h({"Retry-After": past}), now=now) == 0.0
    assert parse_retry_after(h({"Retry-After": "soon"})) is None
    assert parse_retry_after(h({})) is None


# ---- budget exhausted ---------------------------------------------------------------------------------------------

def test_retry_budget_exhausted_gives_a_clear_error_without_the_key(server, monkeypatch):
    rec = Recorder()
    client = make_client(server, monkeypatch, sleep=rec, max_retries=3)
    server.always["doomed"] = "503"
    with pytest.raises(APIError) as ei:
        client.chat("m", chat_msgs("doomed"))
    e = ei.value
    assert server.per_query["doomed"] == 4 and e.attempts == 4 and e.status == 503
    msg = str(e)
    assert msg.startswith(f"POST {server.base_url}/chat/completions failed after 4 attempts: HTTP 503")
    assert KEY not in msg and KEY not in repr(e) and KEY not in repr(client)
    assert "\n" not in msg


def test_connection_refused_fails_after_the_budget(monkeypatch):
    with FlakyServer() as s:
        url = s.base_url
    monkeypatch.setenv("PTST_TEST_KEY", KEY)
    rec = Recorder()
    client = OpenAICompatClient(ClientConfig(base_url=url, api_key_env="PTST_TEST_KEY", max_retries=2), sleep=rec)
    with pytest.raises(APIError, match="failed after 3 attempts: connection failed") as ei:
        client.complete("m", "q")
    assert ei.value.status is None and len(rec.waits) == 2


def test_server_message_echoing_the_key_is_scrubbed(monkeypatch):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": {"message": f"Incorrect API key provided: {KEY}"}})

    monkeypatch.setenv("PTST_TEST_KEY", KEY)
    client = OpenAICompatClient(ClientConfig(base_url="https://api.example.com/v1", api_key_env="PTST_TEST_KEY"),
                                transport=httpx.MockTransport(handler))
    with pytest.raises(APIError) as ei:
        client.chat("m", chat_msgs("q"))
    assert ei.value.status == 401 and KEY not in str(ei.value) and "Incorrect API key provided: ***" in str(ei.value)


# ---- concurrency -------------------------------------------------------------------------------------------------

def test_concurrency_cap_is_respected_including_retries(monkeypatch):
    with FlakyServer(delay=0.03) as server:
        client = make_client(server, monkeypatch, max_concurrency=3)
        qs = [f"c{i}" for i in range(24)]
        for q in qs[::3]:
            server.schedule[q] = ["429:ra=0", "500"]
        out = client.map_complete("m", qs)
        assert [r.text for r in out] == [f"echo: {q}" for q in qs]
        assert server.max_in_flight == 3  # the cap was reached and never exceeded
        # chat() from many threads shares the same cap
        server.max_in_flight = 0
        ts = [threading.Thread(target=client.chat, args=("m", chat_msgs(f"t{i}"))) for i in range(12)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        assert 1 <= server.max_in_flight <= 3


def test_map_keeps_successes_and_returns_errors_in_place(server, monkeypatch):
    client = make_client(server, monkeypatch, max_retries=2)
    qs = [f"m{i}" for i in range(10)]
    server.always["m3"] = "500"
    server.always["m7"] = "drop"
    out = client.map_chat("m", [chat_msgs(q) for q in qs])
    assert [isinstance(r, APIError) for r in out] == [i in (3, 7) for i in range(10)]
    assert [r.text for i, r in enumerate(out) if i not in (3, 7)] == [f"echo: {q}" for q in qs if q not in ("m3", "m7")]
    assert "HTTP 500" in str(out[3]) and "connection failed" in str(out[7])


# ---- keys and endpoints -------------------------------------------------------------------------------------------

def test_missing_key_for_a_remote_endpoint_is_one_line_naming_the_variable(monkeypatch):
    monkeypatch.delenv("NO_SUCH_KEY_VAR", raising=False)
    with pytest.raises(PtstError, match=r"set \$NO_SUCH_KEY_VAR") as ei:
        OpenAICompatClient(ClientConfig(base_url="https://api.example.com/v1", api_key_env="NO_SUCH_KEY_VAR"))
    assert "\n" not in str(ei.value)


def test_local_endpoint_needs_no_key(server, monkeypatch):
    monkeypatch.delenv("NO_SUCH_KEY_VAR", raising=False)
    client = OpenAICompatClient(ClientConfig(base_url=server.base_url, api_key_env="NO_SUCH_KEY_VAR"))
    assert client.complete("m", "x").text == "echo: x"
    assert server.auth_headers == [None]


def test_key_file_and_base_url_from_environment(server, monkeypatch, tmp_path):
    kf = tmp_path / "key.txt"
    kf.write_text(KEY + "\n")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    client = OpenAICompatClient(ClientConfig(api_key_env="UNSET_VAR", api_key_file=str(kf)))
    assert client.base_url == server.base_url
    client.complete("m", "x")
    assert server.auth_headers == [f"Bearer {KEY}"]
    with pytest.raises(PtstError, match="key file not found"):
        OpenAICompatClient(ClientConfig(api_key_file=str(tmp_path / "missing")))
    with pytest.raises(PtstError, match="not an http"):
        OpenAICompatClient(ClientConfig(base_url="ftp://x"))


# ---- the openai backend ------------------------------------------------------------------------------------------

def test_backend_maps_decoding_and_identity(server, monkeypatch):
    monkeypatch.setenv("PTST_TEST_KEY", KEY)
    b = get_backend("openai", model="fake-model", base_url=server.base_url, api_key_env="PTST_TEST_KEY")
    assert b.identity() == {"backend": "openai", "endpoint": server.base_url, "model": "fake-model", "api": "chat"}
    assert KEY not in repr(b.identity())
    out = b.generate([chat_msgs("a")], Decoding(max_new_tokens=7, stop=("\n\n",)))
    assert out == ["echo: a"]
    body = server.bodies[-1]
    assert body["temperature"] == 0 and body["max_tokens"] == 7 and body["stop"] == ["\n\n"] and "top_p" not in body
    b.generate([chat_msgs("b")], Decoding(temperature=0.7, top_p=0.9, seed=3))
    assert server.bodies[-1]["top_p"] == 0.9 and server.bodies[-1]["seed"] == 3
    bc = get_backend("openai", model="fake-model", base_url=server.base_url, api="completions")
    assert bc.generate(["text prompt"], Decoding(max_new_tokens=2)) == ["echo: text prompt"]
    assert bc.identity_key() != b.identity_key()
    with pytest.raises(PtstError, match="chat API needs chat messages"):
        b.generate(["a string"], Decoding())
    with pytest.raises(PtstError, match="completions API needs a text prompt"):
        bc.generate([chat_msgs("x")], Decoding())
    with pytest.raises(PtstError, match="unknown option"):
        get_backend("openai", model="m", base_url=server.base_url, temprature=1)
    with pytest.raises(PtstError, match="adapter"):
        get_backend("openai", model="m", base_url=server.base_url, adapter="some/dir")


def test_generate_cached_keeps_successes_and_a_rerun_completes_the_rest(server, tmp_path):
    """Issue 7 item 2: after the retry budget the run fails clearly, keeps what is done, and a rerun does the rest."""
    from ptst.openai_client import ClientConfig

    rec = Recorder()
    client = OpenAICompatClient(ClientConfig(base_url=server.base_url, max_retries=2, max_concurrency=4), sleep=rec)
    backend = get_backend("openai", model="fake-model", client=client)
    cache = Cache(tmp_path / "cache.sqlite")
    qs = [f"item {i}" for i in range(20)]
    prompts = [chat_msgs(q) for q in qs]
    for q in qs[:5]:
        server.schedule[q] = ["429:ra=1", "500"]  # flaky but recovers within the budget
    for q in ("item 5", "item 11", "item 17"):
        server.always[q] = "503"  # down for this run
    with pytest.raises(PartialResultsError) as ei:
        generate_cached(backend, prompts, Decoding(max_new_tokens=8), cache=cache, chunk_size=8)
    msg = str(ei.value)
    assert "1 of 8 requests" in msg and server.base_url in msg and "HTTP 503" in msg
    # the first chunk (items 0-7) stopped at item 5: its 7 successes are stored
    assert cache.stats()["generation"] == 7
    assert 1.0 in rec.waits  # Retry-After honoured on the way
    first_run = server.requests
    # the endpoint recovers; the rerun asks only for what is missing
    server.always.clear()
    out = generate_cached(backend, prompts, Decoding(max_new_tokens=8), cache=cache, chunk_size=8)
    assert out == [f"echo: {q}" for q in qs]
    assert server.requests - first_run == 13
    assert server.per_query["item 0"] == 3  # two faults + one success, never asked again
    # a third run generates nothing
    before = server.requests
    assert generate_cached(backend, prompts, Decoding(max_new_tokens=8), cache=cache) == out
    assert server.requests == before


def test_structured_refusal_is_the_reply_text(monkeypatch):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"choices": [{"index": 0, "finish_reason": "stop", "message": {
            "role": "assistant", "content": None, "refusal": "I can't help with that."}}]})

    client = OpenAICompatClient(ClientConfig(base_url="http://127.0.0.1:9/v1"), transport=httpx.MockTransport(handler))
    assert client.chat("m", chat_msgs("q")).text == "I can't help with that."
