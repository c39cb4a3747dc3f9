"""Buffered `.npr` appenders and the one daemon thread that flushes them.

A stats call packs its row with `struct` and appends the bytes to a list; the
flusher writes whatever is queued every FLUSH_INTERVAL_S, in whole rows, so a
`kill -9` can leave at most a partial last row.

The list is never replaced, only trimmed: `append`, slicing and `del` are each
atomic, so a row appended mid-flush simply waits for the next one.
"""

from __future__ import annotations

import atexit
import os
import struct
import sys
import threading
import time

from . import npr

FLUSH_INTERVAL_S = 0.05


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class NprAppender:
    """One `.npr` file: a row packer, a queue of packed rows, and the fd they go to."""

    __slots__ = (
        "_flush_lock",
        "append",
        "fd",
        "kind",
        "names",
        "pack",
        "path",
        "pending",
        "typestrs",
        "warned",
    )

    def __init__(self, kind: str, fd: int, path: str, fields: list[tuple[str, str]]):
        self.kind = kind
        self.names = tuple(name for name, _ in fields)
        self.typestrs = tuple(typestr for _, typestr in fields)
        codes = "".join(npr.STRUCT_CODES[t[1:]] for t in self.typestrs)
        self.pack = struct.Struct("<q" + codes).pack  # `_time` first, as int64 ns
        self.pending: list[bytes] = []
        self.append = self.pending.append
        self.fd = fd
        self.path = path
        self._flush_lock = threading.Lock()
        self.warned = False

    @staticmethod
    def header(fields: list[tuple[str, str]]) -> bytes:
        return npr.encode_header([(npr.TIME_FIELD, "<M8[ns]"), *fields])

    def flush(self) -> None:
        with self._flush_lock:
            count = len(self.pending)
            if count and self.fd >= 0:
                rows = self.pending[:count]
                del self.pending[:count]
                write_all(self.fd, b"".join(rows))

    def close(self) -> None:
        self.flush()
        with self._flush_lock:
            if self.fd >= 0:
                os.close(self.fd)
                self.fd = -1


class Flusher:
    """The process's flushing thread; runs only while some appender is open."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._appenders: set[NprAppender] = set()
        self._thread: threading.Thread | None = None
        self._exit_hooks_pid = 0

    def add(self, appender: NprAppender) -> None:
        with self._lock:
            self._appenders.add(appender)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="runwatch-flusher", daemon=True
                )
                self._thread.start()
        self._install_exit_hooks()

    def discard(self, appender: NprAppender) -> None:
        with self._lock:
            self._appenders.discard(appender)

    def flush_all(self) -> None:
        with self._lock:
            appenders = list(self._appenders)
        for appender in appenders:
            try:
                appender.flush()
            except OSError as error:
                print(f"runwatch: could not write {appender.path}: {error}", file=sys.stderr)

    def _run(self) -> None:
        while True:
            time.sleep(FLUSH_INTERVAL_S)
            with self._lock:
                if not self._appenders:
                    self._thread = None
                    return
            self.flush_all()

    def _install_exit_hooks(self) -> None:
        if self._exit_hooks_pid == os.getpid():
            return
        self._exit_hooks_pid = os.getpid()
        atexit.register(self.flush_all)
        # Forked multiprocessing children leave through os._exit, skipping atexit.
        multiprocessing = sys.modules.get("multiprocessing")
        if multiprocessing is not None:
            import multiprocessing.util

            multiprocessing.util.Finalize(None, self.flush_all, exitpriority=100)

    def reset_after_fork(self) -> None:
        """In a forked child: forget the parent's appenders and thread (their rows are the parent's)."""
        self._lock = threading.Lock()
        self._appenders = set()
        self._thread = None


FLUSHER = Flusher()
