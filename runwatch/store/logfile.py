"""`logs.N.txt`: the handler that appends a run's log records, one file per process."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from pathlib import Path

from . import clock, info, layout
from .appender import MAX_HELD_BYTES, StoreFile

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # pavlov's
LOG_DATE_FORMAT = "%H:%M:%S"


class UTCFormatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        if clock.is_frozen():
            return time.strftime(datefmt or LOG_DATE_FORMAT, time.gmtime(clock.now_ns() // 10**9))
        return super().formatTime(record, datefmt)


class LogFile(StoreFile):
    """A `logs.N.txt` written one whole record at a time.

    Records that cannot be written (a full disk) wait in memory, the oldest
    dropped past MAX_HELD_BYTES, and go out with the next record once there is
    room, or at close.
    """

    __slots__ = ("held", "held_bytes")
    records = "lines"

    def __init__(self, run_dir: Path):
        thread = threading.current_thread()
        creator = (thread.ident, thread.name)

        def create() -> tuple[str, int, int]:
            name, fd = info.register_file(run_dir, layout.LOG_PATTERN, creator=creator)
            return str(run_dir / name), fd, 0

        super().__init__(create, f"{run_dir / layout.LOG_PATTERN.format(n='N')} (not created yet)")
        self.held: deque[tuple[int, bytes]] = deque()  # (record time ns, record)
        self.held_bytes = 0

    def add(self, record_ns: int, text: bytes, final: bool = False) -> None:
        """Write `text` (one record, b'' for none) after anything held; `final` gives up on the rest."""
        if self.closed:
            return
        if text:
            self.held.append((record_ns, text))
            self.held_bytes += len(text)
        if self.ready(force=final):
            while self.held:
                _, oldest = self.held[0]
                if self.write(oldest, len(oldest)) < len(oldest):
                    break
                self.held.popleft()
                self.held_bytes -= len(oldest)
            else:
                self.resume()
        limit = 0 if final else MAX_HELD_BYTES
        while self.held and self.held_bytes > limit:
            dropped_ns, dropped = self.held.popleft()
            self.held_bytes -= len(dropped)
            self.outage.drop(1, dropped_ns, dropped_ns)
        if final:
            self.give_up()


class RunLogHandler(logging.Handler):
    """Appends formatted records to this process's `logs.N.txt`, one write per record.

    It never raises and never logs its own trouble (that would come back here):
    see `StoreFile` for how a full disk is reported.
    """

    def __init__(self, run_dir: Path):
        super().__init__(logging.INFO)
        self.setFormatter(UTCFormatter(LOG_FORMAT, LOG_DATE_FORMAT))
        self.run_dir = run_dir
        self._open()

    def _open(self) -> None:
        self.file = LogFile(self.run_dir)
        self.pid = os.getpid()
        self.file.ready(force=True)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.pid != os.getpid():  # a forked child gets its own log file
                self._open()
            line = self.format(record) + "\n"
            self.file.add(int(record.created * 1e9), line.encode("utf-8", "backslashreplace"))
        except Exception:  # noqa: BLE001 (logging.Handler contract: report, never raise)
            self.handleError(record)

    def close(self) -> None:
        with self.lock:
            if self.pid == os.getpid():
                self.file.add(0, b"", final=True)
                self.file.close_fd()
        super().close()
