"""Micro-batching: concurrent requests share one ``generate`` call, and the model is only ever used by one thread.

Requests are queued as (prompt, decoding) items with a future each. One worker thread takes the first waiting
item, gathers whatever else arrives within ``max_wait`` seconds (up to ``batch_size`` items; under load the queue
already holds them, so there is no wait at all), groups them by decoding parameters (one ``generate`` call decodes
with one set), generates each group and resolves the futures. A full queue refuses new work (the server answers 503
with Retry-After), so memory stays bounded under any load.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Callable

from ptst.generate.base import Decoding, Prompt

log = logging.getLogger(__name__)

GenerateFn = Callable[[list[Prompt], Decoding], list[str]]


class QueueFull(Exception):
    pass


@dataclass
class _Item:
    prompt: Prompt
    decoding: Decoding
    future: Future = field(default_factory=Future)


class MicroBatcher:
    def __init__(self, generate: GenerateFn, batch_size: int = 8, max_wait: float = 0.005, max_queue: int = 1024):
        self.generate = generate
        self.batch_size = batch_size
        self.max_wait = max_wait
        self._q: queue.Queue[_Item | None] = queue.Queue(maxsize=max_queue)
        self._thread = threading.Thread(target=self._run, name="ptst-serve-batcher", daemon=True)
        self.stats = {"batches": 0, "items": 0, "largest_batch": 0}
        self._stopped = False

    def start(self) -> "MicroBatcher":
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stopped = True
        try:
            self._q.put_nowait(None)
        except queue.Full:
            pass
        self._thread.join(timeout)

    def submit(self, prompt: Prompt, decoding: Decoding) -> Future:
        """Queue one prompt; the future resolves to its completion (or the generation error)."""
        if self._stopped:
            raise QueueFull("server is shutting down")
        item = _Item(prompt, decoding)
        try:
            self._q.put_nowait(item)
        except queue.Full:
            raise QueueFull(f"{self._q.maxsize} requests are already waiting") from None
        return item.future

    def _gather(self, first: _Item) -> list[_Item]:
        batch = [first]
        deadline = time.monotonic() + self.max_wait
        while len(batch) < self.batch_size:
            try:
                left = deadline - time.monotonic()
                item = self._q.get_nowait() if left <= 0 else self._q.get(timeout=left)
            except queue.Empty:
                break
            if item is None:
                self._q.put_nowait(None)  # keep the stop signal for the main loop
                break
            batch.append(item)
        return batch

    def _run(self) -> None:
        while True:
            first = self._q.get()
            if first is None:
                break
            batch = self._gather(first)
            groups: dict[Decoding, list[_Item]] = {}
            for it in batch:
                groups.setdefault(it.decoding, []).append(it)
            for dec, items in groups.items():
                live = [it for it in items if it.future.set_running_or_notify_cancel()]
                if not live:
                    continue
                t0 = time.perf_counter()
                try:
                    texts = self.generate([it.prompt for it in live], dec)
                    if len(texts) != len(live):
                        raise RuntimeError(f"generate returned {len(texts)} texts for {len(live)} prompts")
                except BaseException as e:  # every waiting request gets the error; the worker keeps serving
                    log.exception("generation failed for a batch of %d", len(live))
                    for it in live:
                        it.future.set_exception(e)
                    continue
                log.debug("generated a batch of %d in %.3f s", len(live), time.perf_counter() - t0)
                self.stats["batches"] += 1
                self.stats["items"] += len(live)
                self.stats["largest_batch"] = max(self.stats["largest_batch"], len(live))
                for it, t in zip(live, texts):
                    it.future.set_result(t)
