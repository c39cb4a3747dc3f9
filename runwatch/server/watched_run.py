"""One watched run: what its subscribers were last told, and the messages for what changed.

Its file work (`snapshot`, `rescan`, `restat`, `poll`) runs in the watcher's
threads, one job at a time per run (its `lane`). While a job runs only that job
touches the state below; the IOLoop touches it between jobs. Messages wait in
`outbox` until the IOLoop delivers them to the subscribers of that moment.
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ..store import layout, lifecycle, summary
from .disk_work import Lane

# A `grew` carries the new bytes themselves when there are at most this many,
# so a client that is caught up needs no HTTP read (docs/server-api.md).
INLINE_MAX_BYTES = 64 * 1024
# A snapshot lists at most this many store files (`_info.json` included); the
# others are counted in `omitted` and never reported (docs/server-api.md).
MAX_SNAPSHOT_FILES = 1000

# Reads `count` bytes at `start` of a store file (run, file): None if it can't.
ByteReader = Callable[[str, str, int, int], "bytes | None"]
# An empty set that is no object of its own: with 10,000 runs watched, every
# container per run costs the garbage collector's full passes (loop stalls).
NOTHING: frozenset[str] = frozenset()


class Subscriber(Protocol):
    def send(self, message: dict) -> None: ...


def now_ms() -> int:
    return time.time_ns() // 10**6


def info_key(scan: summary.RunDir) -> tuple | None:
    """What changes when `_info.json` is rewritten: (inode, size, mtime)."""
    st = scan.files.get(layout.INFO_FILE)
    return (st.st_ino, st.st_size, st.st_mtime_ns) if st else None


class WatchedRun:
    def __init__(self, name: str, path: Path, stale_after_s: float):
        self.name, self._path = name, str(path)  # a str: a Path is two objects to collect
        self.stale_after_s = stale_after_s
        self.subscribers: set[Subscriber] = set()
        self.pending: dict[Subscriber, set[int]] = {}  # snapshot requests not yet answered
        self.lane = Lane()
        self.wd: int | None = None  # its inotify watch, if any
        self.needs_attach = True  # its next job adds that watch first
        self.polled = False
        # What the subscribers were told (set by the first snapshot: `known`):
        self.known = False
        self.info: dict | None = None
        self.error: str | None = None
        self.status = "unreadable"
        self.reason: str | None = None
        self.recheck_ms: int | None = None  # lifecycle runs: when the status may change by itself
        self.status_due = False  # a lifecycle run's status needs its evidence read again
        self.info_key: tuple | None = None
        self.last_write_ms: int | None = None
        self.sizes: dict[str, int] = {}  # listed store files (all but `_info.json`)
        self.omitted: frozenset[str] | set[str] = NOTHING  # files over MAX_SNAPSHOT_FILES
        # What the watcher noticed since the last report:
        self.dirty_files: frozenset[str] | set[str] = NOTHING
        self.info_dirty = False
        self.check_exists = False
        self.all_dirty = False  # inotify overflowed: check everything
        self.read_bytes: ByteReader | None = None
        self.outbox: list[dict] | None = None
        self.stale_due: float | None = None  # when the watcher last planned a status check

    @property
    def path(self) -> Path:
        return Path(self._path)

    @property
    def wanted(self) -> bool:
        return bool(self.subscribers or self.pending)

    def send(self, message: dict) -> None:
        if self.outbox is None:
            self.outbox = []
        self.outbox.append(message)

    def deliver(self) -> None:
        """Send what the last job (or status check) found; on the IOLoop."""
        messages, self.outbox = self.outbox or (), None
        for message in messages:
            for subscriber in list(self.subscribers):
                subscriber.send(message)

    def is_dirty(self) -> bool:
        return bool(
            self.dirty_files
            or self.info_dirty
            or self.check_exists
            or self.all_dirty
            or self.status_due
        )

    def note_changed(self, name: str) -> None:
        if self.dirty_files is NOTHING:
            self.dirty_files = set()
        self.dirty_files.add(name)

    def take_dirty(self) -> tuple[set[str], bool]:
        """(dirty files, whether the info is dirty), clearing them; between jobs only."""
        dirty, self.dirty_files = set(self.dirty_files), NOTHING
        info_dirty, self.info_dirty = self.info_dirty or self.all_dirty, False
        if self.all_dirty:
            dirty |= set(self.sizes)
        self.check_exists = self.all_dirty = False
        return dirty, info_dirty

    # The file work (in a thread)

    def snapshot(self, real_root: str) -> dict:
        """The run as it is now; the first one also sets what later reports compare with."""
        scan, info, error = summary.inspect_run(self.path, real_root)
        names = [name for name in summary.store_file_names(info, scan) if name not in self.omitted]
        listed = names[:MAX_SNAPSHOT_FILES]
        entries = [summary.file_entry(self.path, name, info, scan) for name in listed]
        state = summary.run_lifecycle(info, scan, now_ms(), self.stale_after_s)
        omitted = len(self.omitted) + len(names) - len(listed)
        if not self.known:
            self.known = True
            self.info, self.error = info, error
            self.status, self.reason, self.recheck_ms = state.status, state.reason, state.recheck_ms
            self.info_key = info_key(scan)
            self.last_write_ms = scan.last_write_ms
            self.sizes = {e["name"]: e["size"] for e in entries if e["type"] != "info"}
            self.omitted = set(names[MAX_SNAPSHOT_FILES:]) or NOTHING
        return {
            "type": "snapshot",
            "run": self.name,
            "status": state.status,
            "reason": state.reason,
            "error": error,
            "info": info,
            "files": entries,
            "omitted": omitted,
        }

    def rescan(self, real_root: str, dirty: set[str]) -> None:
        """Re-read the folder and the info: report info/status changes, new files, growth."""
        self.status_due = False
        scan, info, error = summary.inspect_run(self.path, real_root)
        self.info_key = info_key(scan)
        self.last_write_ms = max(self.last_write_ms or 0, scan.last_write_ms or 0) or None
        state = summary.run_lifecycle(
            info, scan, now_ms(), self.stale_after_s, last_write_ms=self.last_write_ms
        )
        self.recheck_ms = state.recheck_ms
        old = (self.info, self.error, self.status, self.reason)
        if (info, error, state.status, state.reason) != old:
            self.info, self.error = info, error
            self.status, self.reason = state.status, state.reason
            self._send_info()
        for name in summary.store_file_names(info, scan):
            if name == layout.INFO_FILE or name in self.omitted:
                continue
            if name not in self.sizes:
                if len(self.sizes) + 1 >= MAX_SNAPSHOT_FILES:
                    self.omitted = {*self.omitted, name}
                    continue
                entry = summary.file_entry(self.path, name, info, scan)
                self.sizes[name] = entry["size"]
                self.send({"type": "added", "run": self.name, "file": entry})
            elif name in dirty and name in scan.files:
                st = scan.files[name]
                self.report_size(name, st.st_size, st.st_mtime_ns // 10**6)

    def restat(self, dirty: set[str]) -> None:
        """Report the growth of known files (the common case: appends)."""
        for name in sorted(dirty):
            try:
                st = os.lstat(self.path / name)
            except FileNotFoundError:
                continue
            self.report_size(name, st.st_size, st.st_mtime_ns // 10**6)

    def refresh(self, real_root: str, dirty: set[str], info_dirty: bool) -> None:
        """Report what the noticed changes amount to: restat if only known files grew."""
        dirty -= self.omitted
        if info_dirty or self.status_due or not dirty <= self.sizes.keys():
            self.rescan(real_root, dirty)
        else:
            self.restat(dirty)

    def poll(self, real_root: str) -> None:
        """Without inotify: one listing shows what changed, then report it like `refresh`."""
        scan = summary.scan_run_dir(self.path, real_root)
        dirty = {
            name
            for name, st in scan.files.items()
            if name != layout.INFO_FILE
            and layout.store_file_type(name)
            and name not in self.omitted
            and self.sizes.get(name) != st.st_size
        }
        if info_key(scan) != self.info_key or self.status_due or not dirty <= self.sizes.keys():
            self.rescan(real_root, dirty)
            return
        for name in sorted(dirty):
            st = scan.files[name]
            self.report_size(name, st.st_size, st.st_mtime_ns // 10**6)

    def report_size(self, name: str, size: int, mtime_ms: int) -> None:
        previous = self.sizes.get(name)
        if previous == size:
            return
        self.sizes[name] = size
        self.last_write_ms = max(self.last_write_ms or 0, mtime_ms)
        message = {"type": "grew", "run": self.name, "file": name, "size": size}
        if (
            previous is not None
            and 0 < size - previous <= INLINE_MAX_BYTES
            and self.read_bytes is not None
        ):
            data = self.read_bytes(self.name, name, previous, size - previous)
            if data is not None:
                message["offset"] = previous
                message["data"] = base64.b64encode(data).decode("ascii")
        self.send(message)
        self.update_status()

    # Pure computation on what is known (in a thread, or on the IOLoop between jobs)

    def stale_due_ms(self) -> float | None:
        """When a live run turns stale if nothing is written (None if not live), or
        when a lifecycle run's status may change by itself (running -> crashed)."""
        if self.status in lifecycle.STATUSES:
            return self.recheck_ms
        if self.status != "live" or self.last_write_ms is None:
            return None
        return self.last_write_ms + self.stale_after_s * 1000

    def update_status(self) -> None:
        """Report a status change that needs no file event (live -> stale) or follows one."""
        if self.status in lifecycle.STATUSES:
            # Its evidence is on disk: a rescan (in a thread) derives it again, when due,
            # or when a run that had ended is written again.
            due = self.recheck_ms
            if due is None and self.status in ("running", "stalled"):
                return
            if due is None or now_ms() >= due:
                self.status_due = True
            return
        status = summary.run_status(self.info, self.last_write_ms, now_ms(), self.stale_after_s)
        if status != self.status:
            self.status, self.reason = status, summary.pavlov_reason(status, self.stale_after_s)
            self._send_info()

    def _send_info(self) -> None:
        self.send(
            {
                "type": "info",
                "run": self.name,
                "info": self.info,
                "status": self.status,
                "reason": self.reason,
                "error": self.error,
            }
        )
