"""`logs.N.txt`: the handler that appends a run's log records, one file per process."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from . import clock, info, layout

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # pavlov's
LOG_DATE_FORMAT = "%H:%M:%S"


class UTCFormatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        if clock.is_frozen():
            return time.strftime(datefmt or LOG_DATE_FORMAT, time.gmtime(clock.now_ns() // 10**9))
        return super().formatTime(record, datefmt)


class RunLogHandler(logging.Handler):
    """Appends formatted records to this process's `logs.N.txt`, one write per record."""

    def __init__(self, run_dir: Path):
        super().__init__(logging.INFO)
        self.setFormatter(UTCFormatter(LOG_FORMAT, LOG_DATE_FORMAT))
        self.run_dir = run_dir
        self.fd, self.pid = -1, 0
        self._open()

    def _open(self) -> None:
        _, self.fd = info.register_file(self.run_dir, layout.LOG_PATTERN)
        self.pid = os.getpid()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.pid != os.getpid():  # a forked child gets its own log file
                self._open()
            line = self.format(record) + "\n"
            os.write(self.fd, line.encode("utf-8", "backslashreplace"))
        except Exception:  # noqa: BLE001 (logging.Handler contract: report, never raise)
            self.handleError(record)

    def close(self) -> None:
        if self.fd >= 0 and self.pid == os.getpid():
            os.close(self.fd)
        self.fd = -1
        super().close()
