"""The watcher's file work, off the IOLoop: a small thread pool of its own, and lanes.

A lane's jobs run one at a time, in the order they were queued, and each one's
result comes back on the IOLoop before the next starts. The watcher gives each
watched run a lane, so what it reports about a run keeps its order (a snapshot,
then what changed after it) while different runs are read side by side. The pool
is the watcher's own so a file that hangs a read can't take the threads the HTTP
handlers use.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from tornado.ioloop import IOLoop

WORKERS = 2

log = logging.getLogger(__name__)


class Job:
    """One piece of file work: `start` (on the IOLoop, when its turn comes) returns what
    to run in a thread; `finish` (on the IOLoop) gets that call's future."""

    def start(self) -> Callable[[], object]:
        raise NotImplementedError

    def finish(self, result: Future) -> None:
        raise NotImplementedError


class Lane:
    """Jobs that must not overlap or reorder (those of one run)."""

    def __init__(self) -> None:
        self.queued: deque[Job] = deque()
        self.busy = False  # a job of this lane is in a thread (or being finished)
        self.closed = False

    @property
    def idle(self) -> bool:
        return not self.busy and not self.queued


class DiskWork:
    def __init__(self, loop: IOLoop, workers: int = WORKERS) -> None:
        self._loop = loop
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="runwatch-watch")

    def submit(self, lane: Lane, job: Job) -> None:
        if lane.closed:
            return
        lane.queued.append(job)
        if not lane.busy:
            self._next(lane)

    def run(self, work: Callable[[], object], done: Callable[[Future], None]) -> None:
        """One job outside any lane: `done(future)` on the IOLoop."""
        self._loop.add_future(self._pool.submit(work), done)

    def close(self) -> None:
        """Let running jobs end on their own (their results are ignored); start no more."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _next(self, lane: Lane) -> None:
        if lane.closed or not lane.queued:
            return
        job = lane.queued.popleft()
        lane.busy = True
        try:
            work = job.start()
            future = self._pool.submit(work)
        except Exception:
            lane.busy = False
            log.exception("runwatch: a watch job failed to start")
            self._next(lane)
            return
        self._loop.add_future(future, lambda done: self._finish(lane, job, done))

    def _finish(self, lane: Lane, job: Job, future: Future) -> None:
        try:
            if not future.cancelled():
                job.finish(future)
        except Exception:
            log.exception("runwatch: a watch job failed")
        finally:
            lane.busy = False
        self._next(lane)
