"""One watcher per server, shared by every socket: pushes what changes in watched runs.

It wakes on inotify events (read on the IOLoop), or on a scan every
`poll_interval` where inotify is unavailable, notes which files of which runs
changed, and lets each WatchedRun report the difference from what it last said,
at most one message per file per COALESCE_S. A run nobody watches is not watched; with no subscriber at
all the inotify fd is closed, so an idle server holds nothing.

No file is touched on the IOLoop: snapshots, rescans, restats, header checks,
inline bytes, polling scans and adding a run's inotify watch run in the
watcher's own threads (disk_work.py), one job at a time per run
(watch_jobs.py), and their messages are delivered back on the IOLoop. Events for
a watch added in a thread but not yet registered here are kept until it is.
The IOLoop reads the non-blocking inotify fd, and does pure work on what is
cached, bounded per run: live -> stale is found from a heap of deadlines.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import time
from collections import deque

from tornado.ioloop import IOLoop, PeriodicCallback

from ..store import layout, summary
from . import inotify
from .disk_work import DiskWork
from .loop_slices import SLICE_S, SlicedCalls
from .paths import Refused, StorePaths, check_run_name
from .root_watch import ROOT_KEY, RootWatch
from .startup_heap import freeze_startup_heap
from .watch_jobs import InotifyAttach, RefreshJob, SnapshotJob
from .watched_run import Subscriber, WatchedRun, now_ms

COALESCE_S = 0.02
STATUS_CHECK_MS = 1000  # live -> stale happens without any file event
MAX_UNCLAIMED_EVENTS = 100_000  # past it, as if inotify overflowed

log = logging.getLogger(__name__)


def check_watch_name(name: object) -> str:
    """A run name that can be a file name here; Refused(400) otherwise (no disk access)."""
    name = check_run_name(name)
    try:
        os.fsencode(name)
    except UnicodeEncodeError:
        raise Refused(400, f"invalid run name {name!r}: not a valid file name") from None
    return name


class StoreWatcher:
    def __init__(
        self,
        paths: StorePaths,
        stale_after_s: float = summary.STALE_AFTER_S,
        mode: str = "auto",
        poll_interval_s: float = 0.1,
    ):
        self.paths = paths
        self.stale_after_s = stale_after_s
        self.mode = mode
        self.poll_interval_s = poll_interval_s
        self.loop: IOLoop | None = None
        self.work: DiskWork | None = None
        self._runs: dict[str, WatchedRun] = {}
        self._root = RootWatch(self)
        self._by_subscriber: dict[Subscriber, set[str]] = {}  # watched or being watched
        self._wds: dict[int, set[str]] = {}  # one folder may be watched under several names
        self._attaching: set[InotifyAttach] = set()  # watches being added in threads
        self._unclaimed: dict[int, list[inotify.Event]] = {}  # their events, meanwhile
        self._unclaimed_count = 0
        self._dirty: set[WatchedRun] = set()  # runs with changes not yet reported
        self._stale_at: list[tuple[float, int, WatchedRun]] = []  # heap: when live runs go stale
        self._sequence = itertools.count()
        self._inotify: inotify.Inotify | None = None
        self._flush_handle = None
        self._poller: PeriodicCallback | None = None
        self._status_checker: PeriodicCallback | None = None
        self._steps = SlicedCalls()  # subscription changes
        self._byte_reader = self._read_bytes  # one bound method for every run
        self._poll_round: deque[WatchedRun] = deque()  # polled runs still to check this round

    # Subscriptions

    def watch(self, subscriber: Subscriber, name: object) -> None:
        """Subscribe to a run: its snapshot (or an error) follows through `subscriber.send`,
        then what changes. Raises Refused for an invalid name. Watching again is
        one subscription still, and answers with a fresh snapshot."""
        name = check_watch_name(name)
        self._steps.add(lambda: self._watch_now(subscriber, name))

    def unwatch(self, subscriber: Subscriber, name: object) -> None:
        if not isinstance(name, str):
            raise Refused(400, "run must be a string")
        self._steps.add(lambda: self._unsubscribe(subscriber, name))

    def watch_store(self, subscriber: Subscriber) -> None:
        self._start()
        self._root.add(subscriber)

    def unwatch_store(self, subscriber: Subscriber) -> None:
        self._root.remove(subscriber)
        self._stop_if_idle()

    def drop(self, subscriber: Subscriber) -> None:
        """A socket closed: forget everything it watched (after what it asked before)."""
        self._steps.add(lambda: self._drop_now(subscriber))

    # Subscription steps, in order, in slices (loop_slices.py)

    def _watch_now(self, subscriber: Subscriber, name: str) -> None:
        self._start()
        run = self._runs.get(name)
        if run is None:
            run = self._runs[name] = WatchedRun(name, self.paths.root / name, self.stale_after_s)
            run.read_bytes = self._byte_reader
        request = next(self._sequence)
        run.pending.setdefault(subscriber, set()).add(request)
        self._by_subscriber.setdefault(subscriber, set()).add(name)
        self.work.submit(run.lane, SnapshotJob(self, run, subscriber, request))

    def _unsubscribe(self, subscriber: Subscriber, name: str) -> None:
        names = self._by_subscriber.get(subscriber)
        if names is not None:
            names.discard(name)
            if not names:
                del self._by_subscriber[subscriber]
        run = self._runs.get(name)
        if run is not None:
            run.subscribers.discard(subscriber)
            run.pending.pop(subscriber, None)  # a snapshot still on its way is not sent
            self.forget_if_unwatched(run)

    def _drop_now(self, subscriber: Subscriber) -> None:
        names = list(self._by_subscriber.get(subscriber, ()))
        steps = [lambda name=name: self._unsubscribe(subscriber, name) for name in names]
        self._steps.add_next([*steps, lambda: self.unwatch_store(subscriber)])

    def watched_runs(self) -> list[str]:
        return sorted(self._runs)

    @property
    def uses_inotify(self) -> bool:
        return self._inotify is not None

    # Starting and stopping

    def _start(self) -> None:
        if self.loop is not None:
            return
        freeze_startup_heap()  # full GC passes (which stall the loop) then walk only what is new
        self.loop = IOLoop.current()
        self.work = DiskWork(self.loop)
        if self.mode != "poll" and inotify.available():
            try:
                self._inotify = inotify.Inotify()
            except OSError as error:
                log.warning("runwatch: inotify unavailable (%s); polling instead", error)
            else:
                self.loop.add_handler(self._inotify.fileno(), self._on_readable, IOLoop.READ)
        self._status_checker = PeriodicCallback(self._check_statuses, STATUS_CHECK_MS)
        self._status_checker.start()

    def _stop_if_idle(self) -> None:
        if self._runs or self._root.subscribers or self.loop is None:
            return
        if self._inotify is not None:
            self.loop.remove_handler(self._inotify.fileno())
            self._inotify.close()
            self._inotify = None
        for callback in (self._poller, self._status_checker):
            if callback is not None:
                callback.stop()
        if self._flush_handle is not None:
            self.loop.remove_timeout(self._flush_handle)
        self._root.stop()
        self._poller = self._status_checker = self._flush_handle = None
        self._wds.clear()
        self._attaching.clear()
        self._unclaimed.clear()
        self._unclaimed_count = 0
        self._dirty.clear()
        self._stale_at.clear()
        self._poll_round.clear()
        self.work.close()
        self.work = None
        self.loop = None

    def close(self) -> None:
        for subscriber in list(self._by_subscriber) + list(self._root.subscribers):
            self.drop(subscriber)

    def ensure_poller(self) -> None:
        if self._poller is None and self.loop is not None:
            self._poller = PeriodicCallback(self._poll, self.poll_interval_s * 1000)
            self._poller.start()

    # inotify watches

    def add_watch(self, key: str, path, mask: int) -> int | None:
        """Watch a folder from the IOLoop (the store root only: one call per watch-store)."""
        if self._inotify is None:
            return None
        try:
            wd = self._inotify.add_watch(path, mask | inotify.IN_ONLYDIR)
        except OSError as error:
            log.debug("runwatch: polling %s (%s)", path, error)
            return None
        self._wds.setdefault(wd, set()).add(key)
        return wd

    def remove_watch(self, key: str, wd: int | None) -> None:
        if wd is None:
            return
        keys = self._wds.get(wd)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._wds[wd]
                if self._inotify is not None:
                    self._inotify.rm_watch(wd)

    def forget_wd(self, event: inotify.Event) -> set[str]:
        """The kernel dropped a watch (its folder went): the names it served."""
        if event.mask & inotify.IN_MOVE_SELF and self._inotify is not None:
            self._inotify.rm_watch(event.wd)  # it would follow the folder elsewhere
        return self._wds.pop(event.wd, set())

    def begin_attach(self, run: WatchedRun) -> InotifyAttach | None:
        """At a job's start: whether its thread must add the run folder's watch first."""
        if not run.needs_attach:
            return None
        run.needs_attach = False
        if self._inotify is None:
            run.polled = True
            self.ensure_poller()
            return None
        attach = InotifyAttach(self._inotify, run)
        self._attaching.add(attach)
        return attach

    def end_attach(self, attach: InotifyAttach) -> None:
        """At that job's finish: register the watch, and replay what it saw meanwhile."""
        run, wd = attach.run, attach.wd
        if attach not in self._attaching:  # the watcher stopped meanwhile: that fd is closed
            return
        self._attaching.discard(attach)
        current = self._runs.get(run.name) is run
        if wd is None:
            if current:
                run.polled = True
                self.ensure_poller()
        elif current:
            shared = wd in self._wds  # another name of this folder got its events
            self._wds.setdefault(wd, set()).add(run.name)
            run.wd, run.polled = wd, False
            for event in self._unclaimed.pop(wd, ()):
                self._dispatch(event)
            if shared:
                self._mark(run, all_files=True)
        elif wd not in self._wds:
            attach.notifier.rm_watch(wd)
        if not self._attaching:
            self._unclaimed.clear()
            self._unclaimed_count = 0
        self._schedule_flush()

    def forget_if_unwatched(self, run: WatchedRun) -> None:
        if run.wanted or self._runs.get(run.name) is not run:
            return
        self.remove_watch(run.name, run.wd)
        del self._runs[run.name]
        run.lane.closed = True  # a job still running finds it forgotten
        run.lane.queued = None
        self._dirty.discard(run)
        self._stop_if_idle()

    # Noticing changes

    def _on_readable(self, fd: int, events: int) -> None:
        if self._inotify is None:
            return
        for event in self._inotify.read_events():
            if event.mask & inotify.IN_Q_OVERFLOW:
                self._overflowed()
            elif event.wd in self._wds:
                self._dispatch(event)
            elif self._attaching:  # maybe a watch being added in a thread: keep it
                self._unclaimed.setdefault(event.wd, []).append(event)
                self._unclaimed_count += 1
                if self._unclaimed_count > MAX_UNCLAIMED_EVENTS:
                    self._overflowed()
        self._schedule_flush()

    def _overflowed(self) -> None:
        for run in self._runs.values():
            self._mark(run, all_files=True)
        self._unclaimed.clear()
        self._unclaimed_count = 0
        self._root.schedule_changed()

    def _mark(self, run: WatchedRun, all_files: bool = False) -> None:
        run.all_dirty = run.all_dirty or all_files
        self._dirty.add(run)

    def _dispatch(self, event: inotify.Event) -> None:
        for key in list(self._wds.get(event.wd, ())):
            if key == ROOT_KEY:
                self._root.on_event(event)
            else:
                self._on_run_event(self._runs.get(key), event)

    def _on_run_event(self, run: WatchedRun | None, event: inotify.Event) -> None:
        if run is None:
            return
        if event.mask & inotify.GONE:
            for key in self.forget_wd(event):  # every name of that folder lost its watch
                if key in self._runs:
                    self._runs[key].wd = None
                    self._runs[key].check_exists = True
                    self._mark(self._runs[key])
            run.check_exists = True
        elif event.name == layout.INFO_FILE:
            run.info_dirty = True
        elif layout.store_file_type(event.name):
            run.note_changed(event.name)
        else:
            return
        self._mark(run)

    def _poll(self) -> None:
        """Each tick, check the polled runs (as many as fit in SLICE_S; the rest next tick)."""
        if not self._poll_round:
            self._poll_round.extend(run for run in self._runs.values() if run.polled)
        deadline = time.perf_counter() + SLICE_S
        while self._poll_round and time.perf_counter() < deadline:
            run = self._poll_round.popleft()
            if self._runs.get(run.name) is run and run.known and run.lane.idle:
                self.work.submit(run.lane, RefreshJob(self, run, poll=True))
        if self._root.needs_polling:
            self._root.look()
        still_needed = self._root.needs_polling or any(run.polled for run in self._runs.values())
        if self._poller is not None and not still_needed:
            self._poller.stop()
            self._poller = None

    def _schedule_flush(self) -> None:
        if self._flush_handle is None and self.loop is not None and self._dirty:
            self._flush_handle = self.loop.call_later(COALESCE_S, self._flush)

    # Reporting changes

    def _flush(self) -> None:
        """Start a refresh of each run with changes (a busy one gets it after its job),
        for at most SLICE_S; the rest at the loop's next turn."""
        self._flush_handle = None
        deadline = time.perf_counter() + SLICE_S
        waiting = []
        while self._dirty:
            if time.perf_counter() > deadline:
                self._flush_handle = self.loop.call_later(0, self._flush)
                break
            run = self._dirty.pop()
            if self._runs.get(run.name) is not run:
                continue
            if run.known and run.lane.idle:
                self.work.submit(run.lane, RefreshJob(self, run))
            else:
                waiting.append(run)  # see job_done
        self._dirty.update(waiting)

    def job_done(self, run: WatchedRun) -> None:
        """After each job of a run, on the IOLoop: send what it found, track its status."""
        if self._runs.get(run.name) is not run:
            run.outbox = None
            return
        run.deliver()
        due = run.stale_due_ms()
        if due is not None and due != run.stale_due:
            heapq.heappush(self._stale_at, (due, next(self._sequence), run))
        run.stale_due = due
        if run.is_dirty():
            self._mark(run)
            self._schedule_flush()

    def _check_statuses(self) -> None:
        """live -> stale needs no file event: check the runs whose time has come, only,
        for at most SLICE_S at a time (10,000 runs made together go stale together)."""
        now, busy = now_ms(), []
        deadline = time.perf_counter() + SLICE_S
        while self._stale_at and self._stale_at[0][0] <= now:
            if time.perf_counter() > deadline:
                self.loop.add_callback(self._check_statuses)  # the rest after other requests
                break
            entry = heapq.heappop(self._stale_at)
            run = entry[2]
            if run.stale_due != entry[0] or self._runs.get(run.name) is not run:
                continue  # superseded by a later write, or forgotten
            if not run.lane.idle:
                busy.append(entry)  # its state is a thread's until the job is done
                continue
            run.update_status()
            self.job_done(run)
        for entry in busy:
            heapq.heappush(self._stale_at, entry)

    def _read_bytes(self, run: str, file: str, start: int, count: int) -> bytes | None:
        """`count` bytes of a store file at `start`, checked like an HTTP read; None if not all."""
        try:
            _, fd = self.paths.open_file(run, file)
        except (Refused, OSError):
            return None
        try:
            data = os.pread(fd, count, start)
        except OSError:
            return None
        finally:
            os.close(fd)
        return data if len(data) == count else None

    def refused(self, run: WatchedRun, subscriber: Subscriber, message: str) -> None:
        """A `watch` failed: say why; the run stays watched only for others."""
        if subscriber not in run.subscribers and subscriber not in run.pending:
            self._by_subscriber.get(subscriber, set()).discard(run.name)
        subscriber.send({"type": "error", "run": run.name, "message": message})
        self.forget_if_unwatched(run)

    def deleted(self, run: WatchedRun) -> None:
        if self._runs.get(run.name) is not run:
            return
        run.outbox = None
        run.send({"type": "deleted", "run": run.name})
        run.deliver()
        for subscriber in list(run.subscribers):
            if subscriber not in run.pending:
                self._by_subscriber.get(subscriber, set()).discard(run.name)
        run.subscribers.clear()
        run.stale_due = None
        self.forget_if_unwatched(run)
