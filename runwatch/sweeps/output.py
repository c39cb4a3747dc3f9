"""A variant's stdout and stderr, line by line, into its run's log (the writer's format).

The supervisor owns the pipes, so output written up to a `kill -9` is kept. A
line is one log record (logger `stdout` or `stderr`); a carriage return keeps only
what follows it, as a terminal shows a progress bar; an endless line is cut.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..store.logfile import RunLogHandler

MAX_LINE_BYTES = 64 * 1024
LEVELS = {"stdout": logging.INFO, "stderr": logging.WARNING}


class OutputLog:
    """Both streams of one variant process, written to one `logs.N.txt` of its run."""

    def __init__(self, run_dir: Path):
        self.handler = RunLogHandler(run_dir)
        self.pending: dict[str, bytes] = {"stdout": b"", "stderr": b""}

    def feed(self, stream: str, data: bytes) -> None:
        """Add what a read gave (b'' at the end of the stream)."""
        text = self.pending[stream] + data
        *lines, rest = text.split(b"\n")
        for line in lines:
            self._emit(stream, line)
        if not data and rest:
            self._emit(stream, rest)
            rest = b""
        if len(rest) > MAX_LINE_BYTES:
            self._emit(stream, rest[:MAX_LINE_BYTES] + b" [line cut]")
            rest = b""
        self.pending[stream] = rest

    def _emit(self, stream: str, line: bytes) -> None:
        line = line.rstrip(b"\r")
        if b"\r" in line:
            line = line.rsplit(b"\r", 1)[1]
        record = logging.LogRecord(
            stream, LEVELS[stream], "", 0, line.decode("utf-8", "replace"), None, None
        )
        self.handler.handle(record)

    def close(self) -> None:
        for stream, rest in self.pending.items():
            if rest:
                self._emit(stream, rest)
        self.handler.close()
