"""A variant's stdout and stderr that outlive its supervisor.

They are pipes to the supervisor, which writes each line into the run's log. If the
supervisor dies (killed, out of memory), the variant's next print would raise
BrokenPipeError and end the training. So the variant's `sys.stdout` and `sys.stderr`
are wrapped: once a pipe breaks, what is printed goes straight into the run's log,
as the supervisor would have written it (logger `stdout` or `stderr`), and the job
goes on. The broken descriptors are pointed at /dev/null, so a final flush at exit and
processes the job starts later don't fail either; processes it started before the
break still write to the broken pipe themselves.
"""

from __future__ import annotations

import atexit
import io
import os
import sys
from pathlib import Path

from .output import OutputLog


class RunLogFallback:
    """The run's log, opened at the first broken pipe, closed (partial lines out) at exit."""

    def __init__(self, run_dir: Path):
        self.run_dir = run_dir
        self.log: OutputLog | None = None

    def feed(self, stream: str, text: str) -> None:
        if self.log is None:
            self.log = OutputLog(self.run_dir)
            atexit.register(self.log.close)
        self.log.feed(stream, text.encode("utf-8", "backslashreplace"))


class PipeOrRunLog(io.TextIOBase):
    """Writes to `stream` (a pipe) until it breaks, then to the run's log."""

    def __init__(self, stream, name: str, fallback: RunLogFallback):
        super().__init__()
        self.stream, self.stream_name, self.fallback = stream, name, fallback
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                # Flushed at once (as PYTHONUNBUFFERED has it anyway): a broken pipe
                # then fails on this text alone, which the run's log gets instead.
                written = self.stream.write(text)
                self.stream.flush()
                return written
            except BrokenPipeError:
                self._break()
        self.fallback.feed(self.stream_name, text)
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._break()

    def _break(self) -> None:
        self.broken = True
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, self.stream.fileno())
            finally:
                os.close(null)
        except (OSError, ValueError, io.UnsupportedOperation):
            pass  # not a real descriptor: nothing else writes to it

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.stream.fileno()

    def __getattr__(self, name: str):
        # What a plain text stream has beyond writing (`buffer`, `reconfigure`,
        # `line_buffering`...) is the pipe's, as before the wrap.
        return getattr(self.stream, name)

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", "utf-8")

    @property
    def errors(self) -> str | None:
        return getattr(self.stream, "errors", None)


def guard(run_dir: Path) -> None:
    """Wrap this process's stdout and stderr (see the module's doc)."""
    fallback = RunLogFallback(run_dir)
    sys.stdout = PipeOrRunLog(sys.stdout, "stdout", fallback)
    sys.stderr = PipeOrRunLog(sys.stderr, "stderr", fallback)
