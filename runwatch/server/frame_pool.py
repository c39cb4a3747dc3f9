"""The series handlers' threads: the waiting job with the smallest key runs first.

A first-come queue made a zoom wait behind every whole-span frame queued before it
(each streaming request keeps 2 frames queued). The handlers key short jobs (a listing,
a validator) first, then a zoom's frames, then whole-span frames by the request's
arrival and the frame's place in it: a raw zoom while a 20-run glob loaded cold took
147-163 ms against 231-304 ms first-come (bench/zoom_under_load_bench.js).
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


class FramePool:
    def __init__(self, workers: int, name: str) -> None:
        self._workers = workers
        self._name = name
        self._waiting: list[tuple[tuple, int, Future, Callable, tuple]] = []
        self._ready = threading.Condition()
        self._order = itertools.count()  # ties: first come, first served
        self._threads: list[threading.Thread] = []

    def submit(self, key: tuple, function: Callable[..., Any], *args: Any) -> Future:
        """Run `function(*args)` when no job with a smaller key waits; its future (a
        cancelled future's job never runs)."""
        future: Future = Future()
        with self._ready:
            heapq.heappush(self._waiting, (key, next(self._order), future, function, args))
            if len(self._threads) < self._workers:
                thread = threading.Thread(
                    target=self._work, name=f"{self._name}-{len(self._threads)}", daemon=True
                )
                self._threads.append(thread)
                thread.start()
            self._ready.notify()
        return future

    def _work(self) -> None:
        while True:
            with self._ready:
                while not self._waiting:
                    self._ready.wait()
                _, _, future, function, args = heapq.heappop(self._waiting)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = function(*args)
            except BaseException as error:  # noqa: BLE001 (the awaiting handler gets it)
                future.set_exception(error)
            else:
                future.set_result(result)
