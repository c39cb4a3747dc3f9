"""The watcher's file work for one run, done in its threads (disk_work.py).

`start` runs on the IOLoop when the job's turn comes and takes what the loop
noticed; the returned function runs in a thread and touches the disk (adding the
run folder's inotify watch first, if it has none yet, so no change falls between
the watch and the scan); `finish` runs on the IOLoop and delivers the result.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from . import inotify
from .disk_work import Job, Outcome
from .paths import Refused
from .watched_run import Subscriber, WatchedRun

if TYPE_CHECKING:
    from .watcher import StoreWatcher

log = logging.getLogger(__name__)


def reason(error: Exception) -> str:
    if isinstance(error, Refused):
        return error.message
    return f"could not read the run: {type(error).__name__}: {str(error)[:200]}"


class InotifyAttach:
    """Adding a run folder's inotify watch from a thread (the path lookup touches the disk)."""

    def __init__(self, notifier: inotify.Inotify, run: WatchedRun):
        self.notifier, self.run = notifier, run
        self.wd: int | None = None

    def add(self) -> None:
        try:
            self.wd = self.notifier.add_watch(
                self.run.path, inotify.RUN_DIR_EVENTS | inotify.IN_ONLYDIR
            )
        except OSError as error:
            log.debug("runwatch: polling %s (%s)", self.run.path, error)


class RunJob(Job):
    def __init__(self, watcher: StoreWatcher, run: WatchedRun):
        self.watcher, self.run = watcher, run
        self.attach: InotifyAttach | None = None

    def start(self):
        self.attach = self.watcher.begin_attach(self.run)
        return self.in_thread

    def in_thread(self):
        if self.attach is not None:
            self.attach.add()
        return self.work()

    def work(self):
        raise NotImplementedError

    def finish(self, result: Outcome) -> None:
        if self.attach is not None:
            self.watcher.end_attach(self.attach)
        self.deliver(result)

    def deliver(self, result: Outcome) -> None:
        raise NotImplementedError


class SnapshotJob(RunJob):
    """Answer one `watch`: the snapshot, then the subscription (or an error)."""

    def __init__(self, watcher: StoreWatcher, run: WatchedRun, subscriber: Subscriber, request):
        super().__init__(watcher, run)
        self.subscriber, self.request = subscriber, request

    def work(self) -> dict:
        paths = self.watcher.paths
        paths.run_dir(self.run.name)  # Refused for a missing run or a symlink out
        try:
            return self.run.snapshot(paths.real_root())
        except OSError:
            raise Refused(404, f"no run named {self.run.name!r} in {paths.root}") from None

    def deliver(self, result: Outcome) -> None:
        watcher, run, subscriber = self.watcher, self.run, self.subscriber
        requests = run.pending.get(subscriber)
        if requests is None or self.request not in requests:  # unwatched meanwhile
            watcher.forget_if_unwatched(run)
            return
        requests.discard(self.request)
        if not requests:
            del run.pending[subscriber]
        try:
            snapshot = result.result()
        except Exception as error:
            if not isinstance(error, Refused):
                log.exception("runwatch: watching %r failed", run.name)
            watcher.refused(run, subscriber, reason(error))
            return
        subscriber.send(snapshot)
        run.subscribers.add(subscriber)
        watcher.job_done(run)


class RefreshJob(RunJob):
    """Report what changed in a run since its last report (or, polling, find out first)."""

    urgent = True  # before any snapshot still to take: live rows wait for nothing

    def __init__(self, watcher: StoreWatcher, run: WatchedRun, poll: bool = False):
        super().__init__(watcher, run)
        self.poll = poll

    def start(self):
        run = self.run
        self.dirty, self.info_dirty = run.take_dirty()
        if run.wd is None and not run.polled:  # the folder was replaced: watch the new one
            run.needs_attach = True
            self.info_dirty = True
            self.dirty |= set(run.sizes)
        return super().start()

    def work(self) -> None:
        paths = self.watcher.paths
        paths.run_dir(self.run.name)  # Refused once it is gone (or swapped for a symlink out)
        if self.poll:
            self.run.poll(paths.real_root())
        else:
            self.run.refresh(paths.real_root(), self.dirty, self.info_dirty)

    def deliver(self, result: Outcome) -> None:
        watcher = self.watcher
        try:
            result.result()
        except (Refused, OSError):
            watcher.deleted(self.run)
            return
        except Exception:  # a bug or a hostile file: keep watching, say what happened
            log.exception("runwatch: checking %r for changes failed", self.run.name)
        watcher.job_done(self.run)
