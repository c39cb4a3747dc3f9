"""`watch-store`: tell the sockets that asked when run folders appear or disappear.

The store root is watched with inotify while some socket asked, or, where that
can't be (no inotify, or no root yet), its inode and mtime are looked at in the
watcher's threads every poll. `runs-changed` is debounced.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..store import layout
from . import inotify
from .disk_work import Outcome
from .watched_run import Subscriber

if TYPE_CHECKING:
    from .watcher import StoreWatcher

RUNS_CHANGED_DEBOUNCE_S = 0.1
ROOT_KEY = ""  # never a run name
UNSEEN = ("unseen",)  # the root's stamp before the first look at it


class RootWatch:
    def __init__(self, watcher: StoreWatcher):
        self.watcher = watcher
        self.subscribers: set[Subscriber] = set()
        self.wd: int | None = None
        self._stamp: tuple | None = UNSEEN  # what looking at the root last saw
        self._looking = False
        self._changed_handle = None

    @property
    def needs_polling(self) -> bool:
        return bool(self.subscribers) and self.wd is None

    def add(self, subscriber: Subscriber) -> None:
        first = not self.subscribers
        self.subscribers.add(subscriber)
        if first:
            self._attach()

    def remove(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)
        if not self.subscribers:
            self.watcher.remove_watch(ROOT_KEY, self.wd)
            self.wd = None

    def stop(self) -> None:
        if self._changed_handle is not None:
            self.watcher.loop.remove_timeout(self._changed_handle)
            self._changed_handle = None
        self._looking = False

    def _attach(self) -> None:
        # One add_watch on the loop (no file is opened), so no run made after it is missed.
        self.wd = self.watcher.add_watch(ROOT_KEY, self.watcher.paths.root, inotify.ROOT_EVENTS)
        if self.wd is None:  # no inotify, or the root does not exist yet
            self._stamp = UNSEEN
            self.look()  # now, so a change soon after is not taken for the start
            self.watcher.ensure_poller()

    def look(self) -> None:
        """Stat the root in a thread; a change of inode or mtime means runs came or went."""
        if self._looking or self.watcher.work is None:
            return
        self._looking = True
        self.watcher.work.run(self._stamp_now, self._looked)

    def _stamp_now(self) -> tuple | None:
        try:
            st = os.stat(self.watcher.paths.root)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    def _looked(self, outcome: Outcome) -> None:
        self._looking = False
        if not self.needs_polling:
            return
        stamp = outcome.result()
        if self._stamp is not UNSEEN and stamp != self._stamp:
            self.schedule_changed()
        self._stamp = stamp
        if stamp is not None:
            self.wd = self.watcher.add_watch(ROOT_KEY, self.watcher.paths.root, inotify.ROOT_EVENTS)

    def on_event(self, event: inotify.Event) -> None:
        if event.mask & inotify.GONE:
            self.watcher.forget_wd(event)
            self.wd = None
            self._stamp = None
            self.watcher.ensure_poller()  # until the root comes back
            self.schedule_changed()
        elif layout.is_run_name(event.name):
            self.schedule_changed()

    def schedule_changed(self) -> None:
        if self._changed_handle is None and self.watcher.loop is not None:
            self._changed_handle = self.watcher.loop.call_later(
                RUNS_CHANGED_DEBOUNCE_S, self._send_changed
            )

    def _send_changed(self) -> None:
        self._changed_handle = None
        for subscriber in list(self.subscribers):
            subscriber.send({"type": "runs-changed"})
