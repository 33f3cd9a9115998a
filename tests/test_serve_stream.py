"""``ptst serve`` with ``stream: true``: server-sent events in OpenAI's chunk shape, checked by parsing them and by
driving the server with the official ``openai`` Python client (run from the vLLM environment, which has it; the
client part is skipped when no interpreter with ``openai`` is found)."""

from __future__ import annotations

import json
import subprocess

import httpx
import pytest

from tests.serve_helpers import start_uvicorn


@pytest.fixture
def url(tiny_model_dir):
    from ptst.serve.config import ServeConfig
    from ptst.serve.engine import Engine

    engine = Engine(ServeConfig(model=tiny_model_dir, device="cpu", served_model_name="m")).start()
    base, stop = start_uvicorn(engine)
    yield base
    stop()
    engine.close()


def _events(r: httpx.Response) -> list:
    assert r.headers["content-type"].startswith("text/event-stream")
    out = []
    for block in r.text.split("\n\n"):
        if block.strip():
            assert block.startswith("data: ")
            data = block[len("data: "):]
            out.append(data if data == "[DONE]" else json.loads(data))
    return out


CHAT = {"model": "m", "messages": [{"role": "user", "content": "How do I bake bread?"}], "max_tokens": 12}


def test_chat_stream_is_openai_sse_and_equals_the_plain_answer(url):
    plain = httpx.post(url + "/chat/completions", json=CHAT, timeout=120).json()
    ev = _events(httpx.post(url + "/chat/completions", json={**CHAT, "stream": True,
                                                             "stream_options": {"include_usage": True}},
                            timeout=120))
    assert ev[-1] == "[DONE]"
    chunks = ev[:-1]
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "m" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text == plain["choices"][0]["message"]["content"] and len(chunks) > 3
    finish = [c for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]]
    assert len(finish) == 1 and finish[0]["choices"][0]["finish_reason"] == plain["choices"][0]["finish_reason"]
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"] == plain["usage"]
    assert all(c["usage"] is None for c in chunks[:-1])


def test_completion_stream_and_errors_stay_json(url):
    body = {"model": "m", "prompt": ["What is 2+3?", "Name a colour."], "max_tokens": 8}
    plain = httpx.post(url + "/completions", json=body, timeout=120).json()
    ev = _events(httpx.post(url + "/completions", json={**body, "stream": True}, timeout=120))
    assert ev[-1] == "[DONE]" and all("usage" not in c for c in ev[:-1])
    for i in range(2):
        got = "".join(c["choices"][0]["text"] for c in ev[:-1] if c["choices"][0]["index"] == i)
        assert got == plain["choices"][i]["text"]
    bad = httpx.post(url + "/chat/completions", json={**CHAT, "stream": True, "n": 2}, timeout=30)
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "n"


CLIENT = r"""
import json, sys
from openai import OpenAI
c = OpenAI(base_url=sys.argv[1], api_key="unused", max_retries=0)
msgs = [{"role": "user", "content": "How do I bake bread?"}]
plain = c.chat.completions.create(model="m", messages=msgs, max_tokens=12)
parts, finish = [], None
for ch in c.chat.completions.create(model="m", messages=msgs, max_tokens=12, stream=True):
    if ch.choices:
        parts.append(ch.choices[0].delta.content or "")
        finish = ch.choices[0].finish_reason or finish
ctext = "".join(x.choices[0].text for x in c.completions.create(model="m", prompt="What is 2+3?", max_tokens=8,
                                                                  stream=True))
cplain = c.completions.create(model="m", prompt="What is 2+3?", max_tokens=8).choices[0].text
print(json.dumps({"plain": plain.choices[0].message.content, "stream": "".join(parts), "finish": finish,
                  "plain_finish": plain.choices[0].finish_reason, "ctext": ctext, "cplain": cplain}))
"""


def _python_with_openai() -> str:
    from ptst.errors import PtstError
    from ptst.generate.vllm_server import find_vllm_python

    try:
        py = find_vllm_python()
    except PtstError as e:
        pytest.skip(f"no interpreter with the official openai client: {e}")
    if subprocess.run([py, "-c", "import openai"], capture_output=True).returncode != 0:
        pytest.skip(f"{py} has no openai package")
    return py


def test_official_openai_client_streaming_and_not(url):
    py = _python_with_openai()
    r = subprocess.run([py, "-c", CLIENT, url], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    got = json.loads(r.stdout.strip().splitlines()[-1])
    assert got["stream"] == got["plain"] and got["finish"] == got["plain_finish"]
    assert got["ctext"] == got["cplain"]
