"""Buffered `.npr` appenders and the one daemon thread that flushes them.

A stats call packs its row with `struct` and appends the bytes to a list; the
flusher writes whatever is queued every FLUSH_INTERVAL_S, in whole rows, so a
`kill -9` can leave at most a partial last row.

The list is never replaced, only trimmed: `append`, slicing and `del` are each
atomic, so a row appended mid-flush simply waits for the next one.

When a write fails (a full disk, most often), the file is cut back to its last
whole row, the unwritten rows are held in memory (at most MAX_HELD_BYTES per
file; the oldest go first) and retried on every flush, so writing resumes with
whole rows once there is room. A file that could not be created at all is
retried the same way. Each outage is reported on stderr when it starts and,
with the count of rows lost, when it ends; never through `logging`, whose
records go to the run's log, most likely on the same full disk.
"""

from __future__ import annotations

import atexit
import errno
import os
import struct
import sys
import threading
import time
from collections.abc import Callable

from . import npr

FLUSH_INTERVAL_S = 0.05
MAX_HELD_BYTES = 1 << 20  # per file, while it cannot be written
REOPEN_INTERVAL_S = 1.0  # creating a file takes the run lock and rewrites `_info.json`


def report(message: str) -> None:
    """Tell the user on stderr; stderr may itself be on the full disk, so never raise."""
    try:
        print(f"runwatch: {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def clock_time(ns: int) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(ns // 10**9))


def append_whole(fd: int, data: bytes, end: int, unit: int) -> tuple[int, OSError | None]:
    """Append `data` to the file `fd` (O_APPEND, `end` bytes long) in whole `unit`s.

    Returns the bytes that now stand in the file (a multiple of `unit`) and the
    error that stopped the write, if any. A short write is cut back to the last
    whole unit; if even that fails, the caller cuts before its next write.
    """
    view = memoryview(data)
    written = 0
    try:
        while written < len(data):
            count = os.write(fd, view[written:])
            if not count:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written += count
        return written, None
    except OSError as error:
        whole = written - written % unit
        if whole != written:
            try:
                os.ftruncate(fd, end + whole)
            except OSError:
                pass  # still stalled: the next attempt cuts first
        return whole, error


class Outage:
    """One stretch of failing writes to a file, and what it cost."""

    __slots__ = ("error", "first_ns", "last_ns", "lost", "unmade")

    def __init__(self, error: BaseException, unmade: bool):
        self.error = error
        self.unmade = unmade  # the file could not be created
        self.lost = 0
        self.first_ns = self.last_ns = None

    def drop(self, count: int, first_ns: int | None = None, last_ns: int | None = None) -> None:
        self.lost += count
        if first_ns is not None and self.first_ns is None:
            self.first_ns = first_ns
        if last_ns is not None:
            self.last_ns = last_ns

    def loss(self, unit: str) -> str:
        """`lost N rows (12:00:01 to 12:03:05 UTC)`, or `no rows lost`."""
        if not self.lost:
            return f"no {unit} lost"
        span = ""
        if self.first_ns is not None and self.last_ns is not None:
            span = f" ({clock_time(self.first_ns)} to {clock_time(self.last_ns)} UTC)"
        return f"lost {self.lost} {unit}{span}"


# Creates the file and returns (its path, an O_APPEND fd, the bytes already in it).
Opener = Callable[[], tuple[str, int, int]]


class StoreFile:
    """A store file written in whole records, which may fail to be created or written.

    Subclasses hold what could not be written and call `ready` before writing.
    """

    __slots__ = ("end", "fd", "next_open", "opener", "outage", "path")  # opener None: closed
    records = "rows"  # what a record is called in reports

    def __init__(self, opener: Opener, describe: str):
        """`opener` creates the file; until it succeeds, `describe` names it in reports."""
        self.opener = opener
        self.fd, self.end, self.path = -1, 0, describe
        self.outage: Outage | None = None
        self.next_open = 0.0

    def ready(self, force: bool) -> bool:
        """Whether the file is open and ends with a whole record; `force` skips the reopen delay."""
        if self.fd < 0:
            if not force and time.monotonic() < self.next_open:
                return False
            try:
                self.path, self.fd, self.end = self.opener()
            except Exception as error:  # noqa: BLE001 (OSError, a broken `_info.json`: never raise into the loop)
                self.next_open = time.monotonic() + REOPEN_INTERVAL_S
                self.stall(error, "could not create")
                return False
        elif self.outage:
            try:
                os.ftruncate(self.fd, self.end)  # in case cutting a short write failed
            except OSError as error:
                self.stall(error, "could not write")
                return False
        return True

    def write(self, data: bytes, unit: int) -> int:
        """Append whole `unit`s of `data`; returns the bytes written (fewer after a failure)."""
        written, error = append_whole(self.fd, data, self.end, unit)
        self.end += written
        if error:
            self.stall(error, "could not write")
        return written

    def stall(self, error: BaseException, doing: str) -> None:
        if self.outage is None:
            self.outage = Outage(error, unmade=self.fd < 0)
            report(f"{doing} {self.path} ({error}); {self.holding()} and retrying")

    def holding(self) -> str:
        return f"holding up to {MAX_HELD_BYTES >> 10} KiB of its {self.records} in memory"

    def resume(self) -> None:
        """Everything held is written: say what the outage cost, once."""
        if self.outage:
            done = "created" if self.outage.unmade else "writing again to"
            report(f"{done} {self.path}; {self.outage.loss(self.records)}")
            self.outage = None

    def give_up(self) -> None:
        """Closing with records unwritten (already counted as dropped): say what was lost, once."""
        if self.outage:
            report(f"{self.outage.loss(self.records)} of {self.path}: {self.outage.error}")
            self.outage = None

    @property
    def closed(self) -> bool:
        return self.opener is None

    def close_fd(self) -> None:
        """Close for good: nothing is written or created after this."""
        self.opener = None
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class NprAppender(StoreFile):
    """One `.npr` file: a row packer, a queue of packed rows, and the fd they go to."""

    __slots__ = (
        "_flush_lock",
        "append",
        "held",
        "kind",
        "names",
        "pack",
        "pending",
        "row_size",
        "typestrs",
        "warned",
    )

    def __init__(self, kind: str, fields: list[tuple[str, str]], opener: Opener, describe: str):
        super().__init__(opener, describe)
        self.kind = kind
        self.names = tuple(name for name, _ in fields)
        self.typestrs = tuple(typestr for _, typestr in fields)
        codes = "".join(npr.STRUCT_CODES[t[1:]] for t in self.typestrs)
        row = struct.Struct("<q" + codes)  # `_time` first, as int64 ns
        self.pack, self.row_size = row.pack, row.size
        self.pending: list[bytes] = []
        self.append = self.pending.append
        self.held = b""  # rows a failed write left, oldest first
        self._flush_lock = threading.Lock()
        self.warned = False

    @staticmethod
    def header(fields: list[tuple[str, str]]) -> bytes:
        return npr.encode_header([(npr.TIME_FIELD, "<M8[ns]"), *fields])

    def open(self) -> None:
        """Create the file now; if that fails, rows wait for a later flush."""
        with self._flush_lock:
            self.ready(force=True)

    def flush(self, final: bool = False) -> None:
        """Write the queued rows; `final` (close, exit) retries at once and gives up on the rest."""
        with self._flush_lock:
            if self.closed:
                return
            count = len(self.pending)
            if count:
                rows = self.pending[:count]
                del self.pending[:count]
                data = self.held + b"".join(rows) if self.held else b"".join(rows)
            elif self.held or self.outage:
                data = self.held
            else:
                return
            if self.ready(force=final):
                data = data[self.write(data, self.row_size) :]
                if not data:
                    self.resume()
            self.held = self._within_limit(data)
            if final and self.outage:
                self._drop(self.held)
                self.held = b""
                self.give_up()

    def _within_limit(self, data: bytes) -> bytes:
        excess = len(data) - MAX_HELD_BYTES // self.row_size * self.row_size
        if excess <= 0:
            return data
        self._drop(data[:excess])
        return data[excess:]

    def _drop(self, data: bytes) -> None:
        if data:
            first = struct.unpack_from("<q", data)[0]
            last = struct.unpack_from("<q", data, len(data) - self.row_size)[0]
            self.outage.drop(len(data) // self.row_size, first, last)

    def close(self) -> None:
        self.flush(final=True)
        with self._flush_lock:
            self.close_fd()


def touch(path: str) -> None:
    """Set a heartbeat file's mtime to now (creating it if it went missing)."""
    try:
        os.utime(path)
    except FileNotFoundError:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o644))


class Flusher:
    """The process's flushing thread; runs only while some appender or heartbeat is open.

    It also touches the heartbeat files of the runs this process has open
    (runwatch/store/process.py), every interval they declared.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._appenders: set[NprAppender] = set()
        self._heartbeats: dict[str, float] = {}  # path -> interval (s)
        self._next_beat = 0.0  # time.monotonic() of the next touch
        self._thread: threading.Thread | None = None
        self._exit_hooks_pid = 0

    def add(self, appender: NprAppender) -> None:
        with self._lock:
            self._appenders.add(appender)
            self._start()
        self._install_exit_hooks()

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="runwatch-flusher", daemon=True)
            self._thread.start()

    def discard(self, appender: NprAppender) -> None:
        with self._lock:
            self._appenders.discard(appender)

    def add_heartbeat(self, path: str, interval_s: float) -> None:
        with self._lock:
            self._heartbeats[path] = interval_s
            self._next_beat = 0.0
            self._start()

    def discard_heartbeat(self, path: str) -> None:
        with self._lock:
            self._heartbeats.pop(path, None)

    def _beat(self) -> None:
        now = time.monotonic()
        if now < self._next_beat:
            return
        with self._lock:
            beats = list(self._heartbeats.items())
        for path, _ in beats:
            try:
                touch(path)
            except OSError:
                pass  # the run was deleted, or the disk is full: nothing to tell
        self._next_beat = now + min((interval for _, interval in beats), default=1.0)

    def flush_all(self, final: bool = False) -> None:
        with self._lock:
            appenders = list(self._appenders)
        for appender in appenders:
            try:
                appender.flush(final)
            except Exception as error:  # noqa: BLE001 (the flusher thread must live on)
                report(f"could not write {appender.path}: {error!r}")

    def _flush_at_exit(self) -> None:
        self.flush_all(final=True)

    def _run(self) -> None:
        while True:
            time.sleep(FLUSH_INTERVAL_S)
            with self._lock:
                if not self._appenders and not self._heartbeats:
                    self._thread = None
                    return
            self.flush_all()
            self._beat()

    def _install_exit_hooks(self) -> None:
        if self._exit_hooks_pid == os.getpid():
            return
        self._exit_hooks_pid = os.getpid()
        atexit.register(self._flush_at_exit)
        # Forked multiprocessing children leave through os._exit, skipping atexit.
        multiprocessing = sys.modules.get("multiprocessing")
        if multiprocessing is not None:
            import multiprocessing.util

            multiprocessing.util.Finalize(None, self._flush_at_exit, exitpriority=100)

    def reset_after_fork(self) -> None:
        """In a forked child: forget the parent's appenders and thread (their rows are the parent's)."""
        self._lock = threading.Lock()
        self._appenders = set()
        self._heartbeats = {}
        self._thread = None


FLUSHER = Flusher()
