"""One watcher per server, shared by every socket: pushes what changes in watched runs.

It wakes on inotify events (read on the IOLoop), or on a scan every
`poll_interval` where inotify is unavailable, notes which files of which runs
changed, and lets each WatchedRun report the difference from what it last said,
at most one message per file per COALESCE_S. A run nobody watches is not watched; with no subscriber at
all the inotify fd is closed, so an idle server holds nothing.

No file is read on the IOLoop: snapshots, rescans, restats, header checks, inline
bytes and polling scans run in the watcher's own threads (disk_work.py), one job
at a time per run, and their messages are delivered back on the IOLoop. Only
inotify's own calls (reading its non-blocking fd, adding a watch, which opens
nothing) stay on the loop, so a watch is in place before the scan it guards.
"""

from __future__ import annotations

import itertools
import logging
import os
from concurrent.futures import Future

from tornado.ioloop import IOLoop, PeriodicCallback

from ..store import layout, summary
from . import inotify
from .disk_work import DiskWork, Job
from .paths import Refused, StorePaths, check_run_name, open_store_file
from .watched_run import Subscriber, WatchedRun

COALESCE_S = 0.02
RUNS_CHANGED_DEBOUNCE_S = 0.1
STATUS_CHECK_MS = 1000  # live -> stale happens without any file event
ROOT_KEY = ""  # never a run name
UNSEEN = ("unseen",)  # the root's stamp before the first look at it

log = logging.getLogger(__name__)


def check_watch_name(name: object) -> str:
    """A run name that can be a file name here; Refused(400) otherwise (no disk access)."""
    name = check_run_name(name)
    try:
        os.fsencode(name)
    except UnicodeEncodeError:
        raise Refused(400, f"invalid run name {name!r}: not a valid file name") from None
    return name


def reason(error: Exception) -> str:
    if isinstance(error, Refused):
        return error.message
    return f"could not read the run: {type(error).__name__}: {str(error)[:200]}"


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
        self._runs: dict[str, WatchedRun] = {}
        self._store_subscribers: set[Subscriber] = set()
        self._by_subscriber: dict[Subscriber, set[str]] = {}  # watched or being watched
        self._wds: dict[int, set[str]] = {}  # one folder may be watched under several names
        self._dirty: set[WatchedRun] = set()  # runs with changes not yet reported
        self._live: set[WatchedRun] = set()  # the only runs whose status changes by itself
        self._requests = itertools.count()
        self._inotify: inotify.Inotify | None = None
        self._loop: IOLoop | None = None
        self._work: DiskWork | None = None
        self._flush_handle = None
        self._runs_changed_handle = None
        self._poller: PeriodicCallback | None = None
        self._status_checker: PeriodicCallback | None = None
        self._root_wd: int | None = None
        self._root_stamp: tuple | None = UNSEEN  # what looking at the root last saw
        self._root_look_running = False

    # Subscriptions

    def watch(self, subscriber: Subscriber, name: object) -> None:
        """Subscribe to a run: its snapshot (or an error) follows through `subscriber.send`,
        then what changes. Raises Refused for an invalid name. Watching again is
        one subscription still, and answers with a fresh snapshot."""
        name = check_watch_name(name)
        self._start()
        run = self._runs.get(name)
        if run is None:
            run = self._runs[name] = WatchedRun(name, self.paths.root / name, self.stale_after_s)
            run.read_bytes = lambda file, start, count: self._read_bytes(name, file, start, count)
            self._attach(run)  # before the first scan, so no change falls in between
        request = next(self._requests)
        run.pending.setdefault(subscriber, set()).add(request)
        self._by_subscriber.setdefault(subscriber, set()).add(name)
        self._work.submit(run.lane, SnapshotJob(self, run, subscriber, request))

    def unwatch(self, subscriber: Subscriber, name: object) -> None:
        if not isinstance(name, str):
            raise Refused(400, "run must be a string")
        self._by_subscriber.get(subscriber, set()).discard(name)
        run = self._runs.get(name)
        if run is not None:
            run.subscribers.discard(subscriber)
            run.pending.pop(subscriber, None)  # a snapshot still on its way is not sent
            self._forget_if_unwatched(run)

    def watch_store(self, subscriber: Subscriber) -> None:
        self._start()
        first = not self._store_subscribers
        self._store_subscribers.add(subscriber)
        if first:
            self._attach_root()

    def unwatch_store(self, subscriber: Subscriber) -> None:
        self._store_subscribers.discard(subscriber)
        if not self._store_subscribers:
            self._detach_root()
        self._stop_if_idle()

    def drop(self, subscriber: Subscriber) -> None:
        """A socket closed: forget everything it watched."""
        for name in list(self._by_subscriber.pop(subscriber, ())):
            run = self._runs.get(name)
            if run is not None:
                run.subscribers.discard(subscriber)
                run.pending.pop(subscriber, None)
                self._forget_if_unwatched(run)
        self.unwatch_store(subscriber)

    def watched_runs(self) -> list[str]:
        return sorted(self._runs)

    @property
    def uses_inotify(self) -> bool:
        return self._inotify is not None

    # Starting and stopping

    def _start(self) -> None:
        if self._loop is not None:
            return
        self._loop = IOLoop.current()
        self._work = DiskWork(self._loop)
        if self.mode != "poll" and inotify.available():
            try:
                self._inotify = inotify.Inotify()
            except OSError as error:
                log.warning("runwatch: inotify unavailable (%s); polling instead", error)
            else:
                self._loop.add_handler(self._inotify.fileno(), self._on_readable, IOLoop.READ)
        self._status_checker = PeriodicCallback(self._check_statuses, STATUS_CHECK_MS)
        self._status_checker.start()

    def _stop_if_idle(self) -> None:
        if self._runs or self._store_subscribers or self._loop is None:
            return
        if self._inotify is not None:
            self._loop.remove_handler(self._inotify.fileno())
            self._inotify.close()
            self._inotify = None
        for callback in (self._poller, self._status_checker):
            if callback is not None:
                callback.stop()
        for handle in (self._flush_handle, self._runs_changed_handle):
            if handle is not None:
                self._loop.remove_timeout(handle)
        self._poller = self._status_checker = None
        self._flush_handle = self._runs_changed_handle = None
        self._wds.clear()
        self._dirty.clear()
        self._live.clear()
        self._work.close()
        self._work = None
        self._loop = None

    def close(self) -> None:
        for subscriber in list(self._by_subscriber) + list(self._store_subscribers):
            self.drop(subscriber)

    def _ensure_poller(self) -> None:
        if self._poller is None and self._loop is not None:
            self._poller = PeriodicCallback(self._poll, self.poll_interval_s * 1000)
            self._poller.start()

    # Attaching inotify watches (or polling)

    def _add_watch(self, key: str, path, mask: int) -> int | None:
        if self._inotify is None:
            return None
        try:
            wd = self._inotify.add_watch(path, mask | inotify.IN_ONLYDIR)
        except OSError as error:
            log.debug("runwatch: polling %s (%s)", path, error)
            return None
        self._wds.setdefault(wd, set()).add(key)
        return wd

    def _remove_watch(self, key: str, wd: int | None) -> None:
        if wd is None:
            return
        keys = self._wds.get(wd)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._wds[wd]
                if self._inotify is not None:
                    self._inotify.rm_watch(wd)

    def _attach(self, run: WatchedRun) -> None:
        run.wd = self._add_watch(run.name, run.path, inotify.RUN_DIR_EVENTS)
        run.polled = run.wd is None
        if run.polled:
            self._ensure_poller()

    def _forget_if_unwatched(self, run: WatchedRun) -> None:
        if run.wanted or self._runs.get(run.name) is not run:
            return
        self._remove_watch(run.name, run.wd)
        del self._runs[run.name]
        run.lane.closed = True  # a job still running finds it forgotten
        run.lane.queued.clear()
        self._dirty.discard(run)
        self._live.discard(run)
        self._stop_if_idle()

    def _attach_root(self) -> None:
        self._root_wd = self._add_watch(ROOT_KEY, self.paths.root, inotify.ROOT_EVENTS)
        if self._root_wd is None:  # no inotify, or the root does not exist yet
            self._root_stamp = UNSEEN
            self._look_at_root()  # now, so a change soon after is not taken for the start
            self._ensure_poller()

    def _detach_root(self) -> None:
        self._remove_watch(ROOT_KEY, self._root_wd)
        self._root_wd = None

    def _look_at_root(self) -> None:
        """Stat the root in a thread; a change of inode or mtime means runs came or went."""
        if self._root_look_running or self._work is None:
            return
        self._root_look_running = True
        self._work.run(self._root_stamp_now, self._looked_at_root)

    def _root_stamp_now(self) -> tuple | None:
        try:
            st = os.stat(self.paths.root)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    def _looked_at_root(self, future: Future) -> None:
        self._root_look_running = False
        if future.cancelled() or not self._store_subscribers or self._root_wd is not None:
            return
        stamp = future.result()
        if self._root_stamp is not UNSEEN and stamp != self._root_stamp:
            self._schedule_runs_changed()
        self._root_stamp = stamp
        if stamp is not None:
            self._root_wd = self._add_watch(ROOT_KEY, self.paths.root, inotify.ROOT_EVENTS)

    # Noticing changes

    def _on_readable(self, fd: int, events: int) -> None:
        if self._inotify is None:
            return
        for event in self._inotify.read_events():
            if event.mask & inotify.IN_Q_OVERFLOW:
                for run in self._runs.values():
                    run.all_dirty = True
                    self._dirty.add(run)
                self._schedule_runs_changed()
                continue
            for key in list(self._wds.get(event.wd, ())):
                if key == ROOT_KEY:
                    self._on_root_event(event)
                else:
                    self._on_run_event(self._runs.get(key), event)
        self._schedule_flush()

    def _on_root_event(self, event: inotify.Event) -> None:
        if event.mask & inotify.GONE:
            if event.mask & inotify.IN_MOVE_SELF and self._inotify is not None:
                self._inotify.rm_watch(event.wd)
            self._wds.pop(event.wd, None)
            self._root_wd = None
            self._root_stamp = None
            self._ensure_poller()  # until the root comes back
            self._schedule_runs_changed()
        elif layout.is_run_name(event.name):
            self._schedule_runs_changed()

    def _on_run_event(self, run: WatchedRun | None, event: inotify.Event) -> None:
        if run is None:
            return
        if event.mask & inotify.GONE:
            run.check_exists = True
            if event.mask & inotify.IN_MOVE_SELF and self._inotify is not None:
                self._inotify.rm_watch(event.wd)  # it would follow the folder elsewhere
            keys = self._wds.pop(event.wd, set())
            for key in keys:  # the kernel dropped the watch for every name of that folder
                if key in self._runs:
                    self._runs[key].wd = None
                    self._runs[key].check_exists = True
                    self._dirty.add(self._runs[key])
        elif event.name == layout.INFO_FILE:
            run.info_dirty = True
        elif layout.store_file_type(event.name):
            run.dirty_files.add(event.name)
        else:
            return
        self._dirty.add(run)

    def _poll(self) -> None:
        for run in self._runs.values():
            if run.polled and run.known and run.lane.idle:
                self._work.submit(run.lane, RefreshJob(self, run, poll=True))
        if self._store_subscribers and self._root_wd is None:
            self._look_at_root()
        still_needed = any(run.polled for run in self._runs.values()) or (
            self._store_subscribers and self._root_wd is None
        )
        if self._poller is not None and not still_needed:
            self._poller.stop()
            self._poller = None

    def _schedule_flush(self) -> None:
        if self._flush_handle is None and self._loop is not None and self._dirty:
            self._flush_handle = self._loop.call_later(COALESCE_S, self._flush)

    def _schedule_runs_changed(self) -> None:
        if self._runs_changed_handle is None and self._loop is not None:
            self._runs_changed_handle = self._loop.call_later(
                RUNS_CHANGED_DEBOUNCE_S, self._send_runs_changed
            )

    def _send_runs_changed(self) -> None:
        self._runs_changed_handle = None
        for subscriber in list(self._store_subscribers):
            subscriber.send({"type": "runs-changed"})

    # Reporting changes

    def _flush(self) -> None:
        """Start a refresh of each run with changes; a run that is busy gets one after."""
        self._flush_handle = None
        dirty, self._dirty = self._dirty, set()
        for run in dirty:
            if self._runs.get(run.name) is not run:
                continue
            if run.known and run.lane.idle:
                self._work.submit(run.lane, RefreshJob(self, run))
            else:
                self._dirty.add(run)  # retried when its job is done (see _job_done)

    def _job_done(self, run: WatchedRun) -> None:
        """After each job of a run, on the IOLoop: send what it found, track its status."""
        if self._runs.get(run.name) is not run:
            run.outbox.clear()
            return
        run.deliver()
        if run.status == "live":
            self._live.add(run)
        else:
            self._live.discard(run)
        if run.is_dirty():
            self._dirty.add(run)
            self._schedule_flush()

    def _read_bytes(self, run: str, file: str, start: int, count: int) -> bytes | None:
        """`count` bytes of a store file at `start`, checked like an HTTP read; None if not all."""
        try:
            fd = open_store_file(self.paths.store_file(run, file), self.paths.real_root())
        except (Refused, OSError):
            return None
        try:
            data = os.pread(fd, count, start)
        except OSError:
            return None
        finally:
            os.close(fd)
        return data if len(data) == count else None

    def _check_statuses(self) -> None:
        """live -> stale needs no file event; only live runs can change so (cheap with many)."""
        for run in list(self._live):
            if run.lane.idle:
                run.update_status()
                self._job_done(run)

    def _deleted(self, run: WatchedRun) -> None:
        run.outbox.clear()
        run.send({"type": "deleted", "run": run.name})
        run.deliver()
        for subscriber in list(run.subscribers):
            if subscriber not in run.pending:
                self._by_subscriber.get(subscriber, set()).discard(run.name)
        run.subscribers.clear()
        self._live.discard(run)
        self._forget_if_unwatched(run)


class SnapshotJob(Job):
    """Answer one `watch`: the snapshot, then the subscription (or an error)."""

    def __init__(self, watcher: StoreWatcher, run: WatchedRun, subscriber, request: int):
        self.watcher, self.run, self.subscriber, self.request = watcher, run, subscriber, request

    def start(self):
        return self.work

    def work(self) -> dict:
        paths = self.watcher.paths
        paths.run_dir(self.run.name)  # Refused for a missing run or a symlink out
        try:
            return self.run.snapshot(paths.real_root())
        except OSError:
            raise Refused(404, f"no run named {self.run.name!r} in {paths.root}") from None

    def finish(self, result: Future) -> None:
        watcher, run, subscriber = self.watcher, self.run, self.subscriber
        requests = run.pending.get(subscriber)
        if requests is None or self.request not in requests:  # unwatched meanwhile
            watcher._forget_if_unwatched(run)
            return
        requests.discard(self.request)
        if not requests:
            del run.pending[subscriber]
        try:
            snapshot = result.result()
        except Exception as error:
            if not isinstance(error, Refused):
                log.exception("runwatch: watching %r failed", run.name)
            if subscriber not in run.subscribers and subscriber not in run.pending:
                watcher._by_subscriber.get(subscriber, set()).discard(run.name)
            subscriber.send({"type": "error", "run": run.name, "message": reason(error)})
            watcher._forget_if_unwatched(run)
            return
        subscriber.send(snapshot)
        run.subscribers.add(subscriber)
        watcher._job_done(run)


class RefreshJob(Job):
    """Report what changed in a run since its last report (or, polling, find out first)."""

    def __init__(self, watcher: StoreWatcher, run: WatchedRun, poll: bool = False):
        self.watcher, self.run, self.poll = watcher, run, poll

    def start(self):
        watcher, run = self.watcher, self.run
        dirty, info_dirty = run.take_dirty()
        if run.wd is None and not run.polled:  # the folder was replaced: watch the new one
            watcher._attach(run)
            info_dirty = True
            dirty |= set(run.sizes)
        return lambda: self.work(dirty, info_dirty)

    def work(self, dirty: set[str], info_dirty: bool) -> None:
        paths = self.watcher.paths
        paths.run_dir(self.run.name)  # Refused once it is gone (or swapped for a symlink out)
        if self.poll:
            self.run.poll(paths.real_root())
        else:
            self.run.refresh(paths.real_root(), dirty, info_dirty)

    def finish(self, result: Future) -> None:
        try:
            result.result()
        except (Refused, OSError):
            if self.watcher._runs.get(self.run.name) is self.run:
                self.watcher._deleted(self.run)
            return
        except Exception:  # a bug or a hostile file: keep watching, say what happened
            log.exception("runwatch: checking %r for changes failed", self.run.name)
        self.watcher._job_done(self.run)
