"""One watcher per server, shared by every socket: pushes what changes in watched runs.

It wakes on inotify events (read on the IOLoop), or on a scan every
`poll_interval` where inotify is unavailable, notes which files of which runs
changed, and lets each WatchedRun report the difference from what it last said,
at most one message per file per COALESCE_S. A run nobody watches is not watched; with no subscriber at
all the inotify fd is closed, so an idle server holds nothing.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from tornado.ioloop import IOLoop, PeriodicCallback

from ..store import layout, summary
from . import inotify
from .paths import Refused, StorePaths, open_store_file
from .watched_run import Subscriber, WatchedRun, info_key, now_ms

COALESCE_S = 0.02
RUNS_CHANGED_DEBOUNCE_S = 0.1
STATUS_CHECK_MS = 1000  # live -> stale happens without any file event
ROOT_KEY = ""  # never a run name

log = logging.getLogger(__name__)


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
        self._by_subscriber: dict[Subscriber, set[str]] = {}
        self._wds: dict[int, set[str]] = {}  # one folder may be watched under several names
        self._inotify: inotify.Inotify | None = None
        self._loop: IOLoop | None = None
        self._flush_handle = None
        self._runs_changed_handle = None
        self._poller: PeriodicCallback | None = None
        self._status_checker: PeriodicCallback | None = None
        self._root_wd: int | None = None
        self._root_stamp: tuple | None = None  # what polling the root last saw

    # Subscriptions

    def watch(self, subscriber: Subscriber, name: str) -> dict:
        """Subscribe to a run; returns its snapshot. Raises Refused for a bad or missing run."""
        path = self.paths.run_dir(name)
        self._start()
        run = self._runs.get(name)
        if run is None:
            run = self._runs[name] = WatchedRun(name, path, self.stale_after_s)
            run.read_bytes = lambda file, start, count: self._read_bytes(name, file, start, count)
            self._attach(run)  # before the first scan, so no change falls in between
        try:
            scan, info, error = summary.inspect_run(path, self.paths.real_root())
        except OSError:
            self._forget_if_unwatched(run)
            raise Refused(404, f"no run named {name!r} in {self.paths.root}") from None
        entries = summary.file_entries(path, info, scan)
        status = summary.run_status(info, scan.last_write_ms, now_ms(), self.stale_after_s)
        if not run.subscribers:
            run.remember(scan, info, error, status, entries)
        run.subscribers.add(subscriber)
        self._by_subscriber.setdefault(subscriber, set()).add(name)
        return {
            "type": "snapshot",
            "run": name,
            "status": status,
            "error": error,
            "info": info,
            "files": entries,
        }

    def unwatch(self, subscriber: Subscriber, name: str) -> None:
        self._by_subscriber.get(subscriber, set()).discard(name)
        run = self._runs.get(name)
        if run is not None:
            run.subscribers.discard(subscriber)
            self._forget_if_unwatched(run)

    def watch_store(self, subscriber: Subscriber) -> None:
        self._start()
        if not self._store_subscribers:
            self._attach_root()
        self._store_subscribers.add(subscriber)

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
        self._loop = None

    def close(self) -> None:
        for subscriber in list(self._by_subscriber) + list(self._store_subscribers):
            self.drop(subscriber)

    def _ensure_poller(self) -> None:
        if self._poller is None and self._loop is not None:
            self._poller = PeriodicCallback(self._poll, self.poll_interval_s * 1000)
            self._poller.start()

    # Attaching inotify watches (or polling)

    def _add_watch(self, key: str, path: Path, mask: int) -> int | None:
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
        if run.subscribers:
            return
        self._remove_watch(run.name, run.wd)
        self._runs.pop(run.name, None)
        self._stop_if_idle()

    def _root_stamp_now(self) -> tuple | None:
        try:
            st = os.stat(self.paths.root)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    def _attach_root(self) -> None:
        self._root_stamp = self._root_stamp_now()
        self._root_wd = (
            self._add_watch(ROOT_KEY, self.paths.root, inotify.ROOT_EVENTS)
            if self._root_stamp is not None
            else None
        )
        if self._root_wd is None:
            self._ensure_poller()  # no inotify, or the root does not exist yet

    def _detach_root(self) -> None:
        self._remove_watch(ROOT_KEY, self._root_wd)
        self._root_wd = None

    # Noticing changes

    def _on_readable(self, fd: int, events: int) -> None:
        if self._inotify is None:
            return
        for event in self._inotify.read_events():
            if event.mask & inotify.IN_Q_OVERFLOW:
                for run in self._runs.values():
                    run.info_dirty = run.check_exists = True
                    run.dirty_files.update(run.sizes)
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
        elif event.name == layout.INFO_FILE:
            run.info_dirty = True
        elif layout.store_file_type(event.name):
            run.dirty_files.add(event.name)

    def _poll(self) -> None:
        real_root = self.paths.real_root()
        for run in list(self._runs.values()):
            if not run.polled:
                continue
            try:
                scan = summary.scan_run_dir(run.path, real_root)
            except OSError:
                run.check_exists = True
                continue
            if info_key(scan) != run.info_key:
                run.info_dirty = True
            for name, st in scan.files.items():
                is_data = name != layout.INFO_FILE and layout.store_file_type(name)
                if is_data and run.sizes.get(name) != st.st_size:
                    run.dirty_files.add(name)
        if self._store_subscribers and self._root_wd is None:
            stamp = self._root_stamp_now()
            if stamp != self._root_stamp:
                self._root_stamp = stamp
                self._schedule_runs_changed()
                if stamp is not None:
                    self._root_wd = self._add_watch(ROOT_KEY, self.paths.root, inotify.ROOT_EVENTS)
        self._flush()
        still_needed = any(run.polled for run in self._runs.values()) or (
            self._store_subscribers and self._root_wd is None
        )
        if self._poller is not None and not still_needed:
            self._poller.stop()
            self._poller = None

    def _schedule_flush(self) -> None:
        if (
            self._flush_handle is None
            and self._loop is not None
            and any(run.is_dirty() for run in self._runs.values())
        ):
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
        self._flush_handle = None
        for run in list(self._runs.values()):
            if run.is_dirty():
                try:
                    self._refresh(run)
                except OSError:
                    self._deleted(run)

    def _refresh(self, run: WatchedRun) -> None:
        dirty, info_dirty = run.take_dirty()
        try:
            self.paths.run_dir(run.name)
        except Refused:
            self._deleted(run)
            return
        if run.wd is None and not run.polled:  # the folder was replaced: watch the new one
            self._attach(run)
            info_dirty = True
            dirty |= set(run.sizes)
        if info_dirty or not dirty <= run.sizes.keys():
            run.rescan(self.paths.real_root(), dirty)
        else:
            run.restat(dirty)

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
        for run in list(self._runs.values()):
            run.update_status()

    def _deleted(self, run: WatchedRun) -> None:
        run.send({"type": "deleted", "run": run.name})
        for subscriber in list(run.subscribers):
            self._by_subscriber.get(subscriber, set()).discard(run.name)
        run.subscribers.clear()
        self._forget_if_unwatched(run)
