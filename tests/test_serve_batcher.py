"""The micro-batcher behind ``ptst serve``: batches concurrent requests, never mixes decodings, survives errors."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from ptst.generate.base import Decoding
from ptst.serve.batcher import MicroBatcher, QueueFull


class Recorder:
    def __init__(self, delay: float = 0.0, fail_on: str | None = None):
        self.calls: list[tuple[list[str], Decoding]] = []
        self.threads: set[str] = set()
        self.delay = delay
        self.fail_on = fail_on

    def __call__(self, prompts, decoding):
        self.threads.add(threading.current_thread().name)
        self.calls.append((list(prompts), decoding))
        time.sleep(self.delay)
        if self.fail_on is not None and self.fail_on in prompts:
            raise RuntimeError("model exploded")
        return [f"{p}|{decoding.max_new_tokens}" for p in prompts]


def test_concurrent_requests_share_batches_in_one_thread():
    gen = Recorder(delay=0.02)
    b = MicroBatcher(gen, batch_size=8, max_wait=0.01).start()
    try:
        decs = [Decoding(max_new_tokens=4), Decoding(max_new_tokens=9)]
        with ThreadPoolExecutor(40) as pool:
            futs = list(pool.map(lambda i: (i, b.submit(f"p{i}", decs[i % 2])), range(40)))
        got = {i: f.result(timeout=10) for i, f in futs}
    finally:
        b.stop()
    assert got == {i: f"p{i}|{decs[i % 2].max_new_tokens}" for i in range(40)}
    assert gen.threads == {"ptst-serve-batcher"}  # the model is only ever touched by the worker thread
    assert all(len(ps) <= 8 for ps, _ in gen.calls)
    assert b.stats["largest_batch"] > 1 and len(gen.calls) < 40  # requests really were batched
    for ps, dec in gen.calls:  # one decoding per generate call
        assert all(int(p[1:]) % 2 == decs.index(dec) for p in ps)


def test_a_failing_batch_fails_its_requests_and_the_worker_keeps_serving():
    gen = Recorder(fail_on="boom")
    b = MicroBatcher(gen, batch_size=4, max_wait=0.0).start()
    try:
        bad = b.submit("boom", Decoding())
        with pytest.raises(RuntimeError, match="model exploded"):
            bad.result(timeout=5)
        assert b.submit("fine", Decoding(max_new_tokens=3)).result(timeout=5) == "fine|3"
    finally:
        b.stop()


def test_full_queue_is_refused():
    release = threading.Event()

    def blocked(prompts, decoding):
        release.wait(5)
        return list(prompts)

    b = MicroBatcher(blocked, batch_size=1, max_wait=0.0, max_queue=2).start()
    try:
        first = b.submit("a", Decoding())
        time.sleep(0.1)  # the worker holds "a"; the queue has room for two more
        b.submit("b", Decoding())
        b.submit("c", Decoding())
        with pytest.raises(QueueFull):
            b.submit("d", Decoding())
        release.set()
        assert first.result(timeout=5) == "a"
    finally:
        release.set()
        b.stop()
