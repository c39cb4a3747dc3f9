"""Work on the IOLoop in slices: at most SLICE_S at a time, then other requests.

Watching 10,000 runs at once, or a socket that watched them closing, is
thousands of small steps; done in one go they would stall every other request.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable

from tornado.ioloop import IOLoop

SLICE_S = 0.005

log = logging.getLogger(__name__)


class SlicedCalls:
    """Calls made in order on the IOLoop, as many per turn of the loop as fit in SLICE_S."""

    def __init__(self) -> None:
        self._calls: deque[Callable[[], None]] = deque()
        self._queued = False

    def __len__(self) -> int:
        return len(self._calls)

    def add(self, call: Callable[[], None]) -> None:
        self._calls.append(call)
        self._queue()

    def add_next(self, calls: list[Callable[[], None]]) -> None:
        """Before those already waiting (the steps of the call being made)."""
        self._calls.extendleft(reversed(calls))
        self._queue()

    def _queue(self) -> None:
        if not self._queued:
            self._queued = True
            IOLoop.current().add_callback(self._run)

    def _run(self) -> None:
        self._queued = False
        deadline = time.perf_counter() + SLICE_S
        while self._calls:
            call = self._calls.popleft()
            try:
                call()
            except Exception:
                log.exception("runwatch: a watch step failed")
            if self._calls and time.perf_counter() > deadline:
                self._queue()
                return
