"""The watcher's file work, off the IOLoop: a few threads of its own, and lanes.

A lane's jobs run one at a time, in the order they were queued, and each one's
result is handled on the IOLoop before the next starts. The watcher gives each
watched run a lane, so what it reports about a run keeps its order (a snapshot,
then what changed after it) while different runs are read side by side.

The threads are the watcher's own (daemons), so a file that hangs a read takes
none of the HTTP handlers' threads and never holds up the server's exit.
Urgent jobs (changes to report) go before the others (snapshots), so watching
10,000 runs doesn't delay a live run's rows. The IOLoop handles results in
slices of at most SLICE_S, polling for other requests in between. The threads
take jobs BATCH at a time and post their results with one wake-up of the loop,
and wait while AHEAD results are unhandled: every hand-over of the GIL between
them and the loop costs, and threads that ran far ahead only slow the loop.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable

from tornado.ioloop import IOLoop

from .loop_slices import SLICE_S

WORKERS = 2
AHEAD = 32  # results not yet handled by the loop, past which the threads wait
BATCH = 8  # jobs a thread takes at once (one wake-up of the loop for them all)
NICENESS = 10

log = logging.getLogger(__name__)


def _lower_priority() -> None:
    """Let the IOLoop's thread go first when CPUs are short: it needs the GIL back
    after every poll, and a busy thread that takes it again first stalls the loop."""
    if sys.platform.startswith("linux"):  # there, this thread's niceness alone
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)
        except OSError:
            pass


class Outcome:
    """What a job's thread work returned or raised."""

    __slots__ = ("_error", "_value")

    def __init__(self, value: object = None, error: Exception | None = None):
        self._value, self._error = value, error

    def result(self) -> object:
        if self._error is not None:
            raise self._error
        return self._value


class Job:
    """One piece of file work: `start` (on the IOLoop, when its turn comes) returns what
    to run in a thread; `finish` (on the IOLoop) gets its Outcome."""

    urgent = False

    def start(self) -> Callable[[], object]:
        raise NotImplementedError

    def finish(self, outcome: Outcome) -> None:
        raise NotImplementedError


class Lane:
    """Jobs that must not overlap or reorder (those of one run)."""

    def __init__(self) -> None:
        self.queued: deque[Job] | None = None  # (made when needed: one object fewer per run)
        self.busy = False  # a job of this lane is in a thread (or being finished)
        self.closed = False

    @property
    def idle(self) -> bool:
        return not self.busy and not self.queued


class _Once(Job):
    def __init__(self, work: Callable[[], object], done: Callable[[Outcome], None]):
        self.work, self.done = work, done

    def start(self):
        return self.work

    def finish(self, outcome: Outcome) -> None:
        self.done(outcome)


class DiskWork:
    def __init__(self, loop: IOLoop, workers: int = WORKERS) -> None:
        self._loop = loop
        self._lock = threading.Condition()
        # Guarded by _lock:
        self._urgent: deque = deque()  # (lane, job, work)
        self._others: deque = deque()
        self._results: list = []  # (lane, job, outcome), from the threads to the loop
        self._drain_queued = False
        self._closed = False
        for i in range(workers):
            threading.Thread(target=self._work, name=f"runwatch-watch-{i}", daemon=True).start()

    def submit(self, lane: Lane, job: Job) -> None:
        if lane.closed:
            return
        if lane.queued is None:
            lane.queued = deque()
        lane.queued.append(job)
        if not lane.busy:
            self._next(lane)

    def run(self, work: Callable[[], object], done: Callable[[Outcome], None]) -> None:
        """One job outside any lane: `done(outcome)` on the IOLoop."""
        self.submit(Lane(), _Once(work, done))

    def close(self) -> None:
        """Start no more jobs; a running one ends on its own and its result is dropped."""
        with self._lock:
            self._closed = True
            self._urgent.clear()
            self._others.clear()
            self._lock.notify_all()

    # On the IOLoop

    def _next(self, lane: Lane) -> None:
        while not lane.closed and lane.queued:
            job = lane.queued.popleft()
            if not lane.queued:
                lane.queued = None
            try:
                work = job.start()
            except Exception:
                log.exception("runwatch: a watch job failed to start")
                continue
            lane.busy = True
            with self._lock:
                (self._urgent if job.urgent else self._others).append((lane, job, work))
                self._lock.notify()
            return

    def _drain(self) -> None:
        with self._lock:
            results, self._results = self._results, []
            self._drain_queued = False
            self._lock.notify_all()  # threads waiting for room may go on
        if self._closed:
            return
        deadline = time.perf_counter() + SLICE_S
        for done, (lane, job, outcome) in enumerate(results, 1):
            try:
                job.finish(outcome)
            except Exception:
                log.exception("runwatch: a watch job failed")
            lane.busy = False
            self._next(lane)
            if done < len(results) and time.perf_counter() > deadline:
                with self._lock:  # the rest after the loop polls for other requests
                    self._results[:0] = results[done:]
                    self._queue_drain()
                return

    # In the threads

    def _queue_drain(self) -> None:
        """With _lock held: have the IOLoop handle the results (one wake-up for many)."""
        if not self._drain_queued:
            self._drain_queued = True
            self._loop.add_callback(self._drain)

    def _work(self) -> None:
        _lower_priority()
        while True:
            with self._lock:
                while not self._closed and (
                    len(self._results) >= AHEAD or not (self._urgent or self._others)
                ):
                    self._lock.wait()
                if self._closed:
                    return
                batch = []
                while len(batch) < BATCH and (self._urgent or self._others):
                    batch.append((self._urgent or self._others).popleft())
            done = []
            for lane, job, work in batch:
                try:
                    done.append((lane, job, Outcome(work())))
                except Exception as error:  # noqa: BLE001 (the job reports it)
                    done.append((lane, job, Outcome(error=error)))
            with self._lock:
                if self._closed:
                    return
                self._results.extend(done)
                self._queue_drain()
