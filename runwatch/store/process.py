"""The writer's lifecycle evidence: who writes a run, that it still lives, and how it ended.

A process's first `to_run` on a run writes `_process.<key>.json` (pid, host,
start time, the heartbeat interval it declares) and creates `_heartbeat.<key>`,
whose mtime the flusher thread touches every `heartbeat_s`. When the process
leaves the run, its record is rewritten once with `ended`: cleanly, an exception
(type, message, last frame), an exit code, KeyboardInterrupt, or SIGTERM; and
if it exits with the run still open, from atexit or a chained `sys.excepthook`.
`kill -9` records nothing, which is how a reader tells a crash
(runwatch/store/lifecycle.py). Never rewrites `_info.json` and never raises
into the user's code. Times are the real clock (not the store's freezable one):
they are compared with heartbeat mtimes. Stdlib only.
"""

from __future__ import annotations

import atexit
import json
import logging
import math
import os
import signal
import socket
import sys
import threading
import time
import traceback
from pathlib import Path

from . import layout
from .appender import FLUSHER, touch
from .lifecycle import Host, Seen, signal_name

HEARTBEAT_ENV = "RUNWATCH_HEARTBEAT_S"
DEFAULT_HEARTBEAT_S = 5.0
MIN_HEARTBEAT_S = 0.1

log = logging.getLogger("runwatch")


def heartbeat_s() -> float:
    """The interval this process declares: `$RUNWATCH_HEARTBEAT_S`, else 5 s."""
    try:
        value = float(os.environ.get(HEARTBEAT_ENV) or DEFAULT_HEARTBEAT_S)
    except ValueError:
        return DEFAULT_HEARTBEAT_S
    if math.isnan(value):
        return DEFAULT_HEARTBEAT_S
    return max(MIN_HEARTBEAT_S, value)


# This host's process table (Linux /proc; elsewhere only whether a pid exists)


def read_proc_stat(pid: int | str) -> Seen | None:
    """A process's state and start time (clock ticks since boot), or None if there is none."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            text = file.read().decode("ascii", "replace")
    except FileNotFoundError:
        return None
    except OSError:
        return _exists(pid) if pid != "self" else None
    # The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    fields = text[text.rfind(")") + 2 :].split()
    try:
        return Seen(int(fields[19]), fields[0])  # field 22 (starttime), field 3 (state)
    except (IndexError, ValueError):
        return Seen(None, "?")


def _exists(pid: int | str) -> Seen | None:
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return None
    except (PermissionError, ValueError):
        pass  # exists, owned by someone else
    except OSError:
        return None
    return Seen(None, "?")


def boot_time_s() -> int | None:
    """When this host booted (`btime` in /proc/stat), or None where unknown."""
    try:
        with open("/proc/stat", "rb") as file:
            for line in file:
                if line.startswith(b"btime "):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def look_up(pid: int) -> Seen | None:
    if os.path.isdir("/proc/self"):
        return read_proc_stat(pid)
    return _exists(pid)


def this_host() -> Host:
    return Host(socket.gethostname(), boot_time_s(), look_up)


# The records this process writes


class ProcessRecord:
    """This process's record in one run."""

    def __init__(self, run_dir: Path, interval_s: float):
        seen = read_proc_stat("self")
        self.run_dir = run_dir
        self.start_ticks = seen.start_ticks if seen else None
        pid = os.getpid()
        # The start time in the key: a later process with the same pid gets its own files.
        self.key = (
            f"{pid}-{self.start_ticks if self.start_ticks is not None else time.time_ns() // 10**6}"
        )
        self.path = run_dir / layout.process_file_name(self.key)
        self.heartbeat = str(run_dir / layout.heartbeat_file_name(self.key))
        self.fields = {
            "pid": pid,
            "host": socket.gethostname(),
            "start_ticks": self.start_ticks,
            "boot_time_s": boot_time_s(),
            "clock_ticks_per_s": _clock_ticks(),
            "opened": layout.format_created(time.time_ns()),
            "heartbeat_s": interval_s,
            "heartbeat_file": layout.heartbeat_file_name(self.key),
        }
        self.ended: dict | None = None

    def write(self) -> None:
        """Replace the record atomically (readers never see half of it)."""
        record = dict(self.fields, ended=self.ended) if self.ended else self.fields
        temp = self.path.with_name(f"{self.path.name}.tmp")
        try:
            temp.write_text(json.dumps(record))
            os.replace(temp, self.path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def touch(self) -> None:
        touch(self.heartbeat)


def _clock_ticks() -> int | None:
    try:
        return os.sysconf("SC_CLK_TCK")
    except (ValueError, OSError, AttributeError):
        return None


def ending_of(error: BaseException | None) -> dict:
    """The `ended` entry for leaving a run with `error` (None: cleanly)."""
    ended: dict = {"at_ms": time.time_ns() // 10**6}
    if error is None or isinstance(error, GeneratorExit):
        ended["how"] = "left"
    elif isinstance(error, SystemExit):
        ended.update(how="exit", exit_code=exit_code(error.code))
    elif isinstance(error, KeyboardInterrupt):
        ended["how"] = "interrupted"
    else:
        ended.update(how="exception", exception=exception_of(error))
    return ended


def exit_code(code: object) -> int:
    """The status `sys.exit(code)` gives the process: None is 0, a message is 1."""
    if code is None:
        return 0
    if isinstance(code, int) and not isinstance(code, bool):
        return code
    return 1


def exception_of(error: BaseException) -> dict:
    """Type, message and the traceback's last frame (where it was raised)."""
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
    last = frames[-1] if frames else None
    try:
        message = str(error)
    except Exception:  # noqa: BLE001 (a broken __str__ must not hide the ending)
        message = "<unprintable>"
    return {
        "type": type(error).__qualname__,
        "message": message[:2000],
        "file": last.filename if last else None,
        "line": last.lineno if last else None,
        "function": last.name if last else None,
    }


class Recorder:
    """This process's open records, its hooks, and the heartbeat they share."""

    def __init__(self) -> None:
        self._lock = threading.RLock()  # the SIGTERM handler may run while the main thread holds it
        self._records: dict[Path, ProcessRecord] = {}
        self._hooks_installed = False  # once per interpreter: a forked child inherits them
        self._sigterm_checked = False  # only the main thread may set a signal handler
        self._previous_excepthook = None
        self._previous_sigterm = None

    def opened(self, run_dir: Path) -> None:
        """The process's first `to_run` on `run_dir`: record it and start its heartbeat."""
        self._install_hooks()
        with self._lock:
            record = self._records.get(run_dir)
            if record is None:
                record = self._records[run_dir] = ProcessRecord(run_dir, heartbeat_s())
            record.ended = None
            try:
                record.touch()
                record.write()
            except OSError as error:  # the run was deleted or the disk is full: carry on
                log.debug("could not record this process in %s: %s", run_dir, error)
            FLUSHER.add_heartbeat(record.heartbeat, record.fields["heartbeat_s"])

    def closed(self, run_dir: Path, error: BaseException | None) -> None:
        """The process's last `to_run` on `run_dir` has exited, with `error` if any."""
        with self._lock:
            record = self._records.pop(run_dir, None)
        if record is not None:
            FLUSHER.discard_heartbeat(record.heartbeat)
            self._end(record, ending_of(error))

    def end_all(self, ended: dict) -> None:
        """The process is leaving with runs still open: record `ended` where nothing is yet.

        Runs in the SIGTERM handler too, so it takes no lock but its own (an RLock):
        the heartbeats go on until the process is gone, and `ended` decides meanwhile.
        """
        with self._lock:
            records = [r for r in self._records.values() if r.ended is None]
        for record in records:
            self._end(record, dict(ended))

    def _end(self, record: ProcessRecord, ended: dict) -> None:
        record.ended = ended
        try:
            record.write()
        except OSError as error:
            log.debug("could not record how this process left %s: %s", record.run_dir, error)

    # Hooks: each chains to what was there, and none may raise.

    def _install_hooks(self) -> None:
        if not self._hooks_installed:
            self._hooks_installed = True
            atexit.register(self._at_exit)
            self._previous_excepthook = sys.excepthook
            sys.excepthook = self._excepthook
        if not self._sigterm_checked and threading.current_thread() is threading.main_thread():
            self._sigterm_checked = True
            try:
                if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:  # only if the user set none
                    self._previous_sigterm = signal.signal(signal.SIGTERM, self._on_sigterm)
            except (ValueError, OSError):
                pass  # not the main interpreter, or no signals here

    def _at_exit(self) -> None:
        try:
            self.end_all({"how": "exit", "at_ms": time.time_ns() // 10**6, "exit_code": None})
        except Exception:  # noqa: BLE001,S110 (exiting: nothing to tell)
            pass

    def _excepthook(self, kind, error, trace) -> None:
        try:
            if isinstance(error, BaseException):
                self.end_all(ending_of(error.with_traceback(trace)))
        except Exception:  # noqa: BLE001,S110 (the user's hook must still run)
            pass
        previous = self._previous_excepthook or sys.__excepthook__
        previous(kind, error, trace)

    def _on_sigterm(self, number, frame) -> None:
        try:
            self.end_all(
                {"how": "signal", "at_ms": time.time_ns() // 10**6, "signal": signal_name(number)}
            )
        except Exception:  # noqa: BLE001,S110 (dying anyway)
            pass
        previous = self._previous_sigterm
        if callable(previous):
            previous(number, frame)
            return
        # Die by the signal itself, as without this handler (the parent sees -SIGTERM).
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)

    def forget_after_fork(self) -> None:
        """In a forked child: the parent's records are the parent's."""
        self._lock = threading.RLock()
        self._records = {}


RECORDER = Recorder()
os.register_at_fork(after_in_child=RECORDER.forget_after_fork)
