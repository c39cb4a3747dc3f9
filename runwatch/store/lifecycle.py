"""A run's lifecycle status, derived from its writers' evidence: pure, no disk access.

Each writing process leaves a record (pid, host, start time, declared heartbeat
interval, and how it ended, once it has) and a heartbeat whose time the caller
reads. From those, the time now, and a probe of this host's process table, each
process is running, stalled, crashed, failed or finished, with a reason a user
can read; a run is what its processes say, the liveliest first (see
docs/run-store.md "Run lifecycle"). Runs without records (pavlov's) are not
handled here: they keep live/stale/finished by mtime.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterable
from typing import NamedTuple

STATUSES = ("running", "stalled", "crashed", "failed", "finished")
# Which process decides a run's status when several write it: the first found here.
PRECEDENCE = ("running", "stalled", "failed", "crashed", "finished")

SILENT_BEATS = 2  # silent for more than this many intervals: no longer running
GONE_GRACE_BEATS = 1  # a vanished pid still counts as running this long after its beat
SLACK_MS = 1000  # a beat may be late (scheduling), by up to half an interval at most
OTHER_HOST_CRASHED_S = 60.0  # unseen processes (another host) are crashed past this silence


class Ended(NamedTuple):
    """How a process left the run, as the writer recorded it (`ended` in its record)."""

    how: str  # left | exit | exception | interrupted | signal
    at_ms: int | None
    exit_code: int | None = None
    exception: dict | None = None  # type, message, file, line, function
    signal: str | None = None


class Process(NamedTuple):
    """One writing process's evidence."""

    key: str
    pid: int
    host: str
    start_ticks: int | None  # since boot, in clock ticks (Linux), to tell a reused pid
    boot_time_s: int | None
    heartbeat_s: float
    last_beat_ms: int | None  # the heartbeat's time (its mtime), else the record's
    ended: Ended | None


class Seen(NamedTuple):
    """What this host's process table says of a pid."""

    start_ticks: int | None
    state: str  # /proc's one-letter state: R, S, D, T (stopped), t, Z, ...


class Host(NamedTuple):
    """This host, as far as a probe can see: its name, boot time, and a pid lookup
    (None: no such process)."""

    name: str
    boot_time_s: int | None
    look: Callable[[int], Seen | None]


class Status(NamedTuple):
    status: str
    reason: str | None
    last_beat_ms: int | None = None
    recheck_ms: int | None = None  # when the status may change without new evidence


BOOT_TIME_TOLERANCE_S = 2  # /proc/stat's btime drifts by a second with clock adjustments


def parse_record(key: str, record: object, last_beat_ms: int | None) -> Process:
    """A Process from a `_process.<key>.json` object; ValueError says what is wrong."""
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")  # noqa: TRY004 (one error type for a bad record)
    pid, host = record.get("pid"), record.get("host")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        raise ValueError(f"bad pid {pid!r}")
    if not isinstance(host, str):
        raise ValueError(f"bad host {host!r}")  # noqa: TRY004
    interval = record.get("heartbeat_s")
    if not isinstance(interval, (int, float)) or isinstance(interval, bool) or not interval > 0:
        raise ValueError(f"bad heartbeat_s {interval!r}")
    ended = record.get("ended")
    return Process(
        key,
        pid,
        host,
        _int_or_none(record.get("start_ticks")),
        _int_or_none(record.get("boot_time_s")),
        float(interval),
        last_beat_ms,
        _parse_ended(ended) if isinstance(ended, dict) else None,
    )


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text_or_none(value: object) -> str | None:
    return value[:500] if isinstance(value, str) else None


def _parse_ended(ended: dict) -> Ended:
    exception = ended.get("exception")
    if isinstance(exception, dict):
        exception = {k: exception.get(k) for k in ("type", "message", "file", "line", "function")}
    else:
        exception = None
    return Ended(
        str(ended.get("how", "exit")),
        _int_or_none(ended.get("at_ms")),
        _int_or_none(ended.get("exit_code")),
        exception,
        _text_or_none(ended.get("signal")),
    )


def clock_text(ms: int | None) -> str:
    """`12:03:05 UTC` (the date too when not today)."""
    if ms is None:
        return "an unknown time"
    moment = time.gmtime(ms // 1000)
    if time.strftime("%Y-%m-%d", moment) != time.strftime("%Y-%m-%d", time.gmtime()):
        return time.strftime("%Y-%m-%d %H:%M:%S UTC", moment)
    return time.strftime("%H:%M:%S UTC", moment)


def seconds_text(seconds: float) -> str:
    """`4 s`, `2.5 s`, `3 min 20 s`, `2 h 5 min`."""
    if seconds < 10:
        return f"{seconds:.1f} s".replace(".0 s", " s")
    seconds = round(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def exception_text(exception: dict) -> str:
    """`ValueError: bad lr at train.py:88 in step`."""
    kind = _text_or_none(exception.get("type")) or "exception"
    message = _text_or_none(exception.get("message"))
    text = f"{kind}: {message}" if message else kind
    file, line = _text_or_none(exception.get("file")), _int_or_none(exception.get("line"))
    if file:
        text += f" at {file}:{line}" if line is not None else f" in {file}"
        function = _text_or_none(exception.get("function"))
        if function and function != "<module>":
            text += f" in {function}"
    return text


def ended_status(ended: Ended) -> tuple[str, str]:
    """(failed | finished, reason) from what the writer recorded."""
    at = clock_text(ended.at_ms)
    if ended.how == "exception" and ended.exception:
        return "failed", exception_text(ended.exception)
    if ended.how == "signal":
        return "failed", f"killed by {ended.signal or 'a signal'} at {at}"
    if ended.how == "interrupted":
        return "failed", f"interrupted (KeyboardInterrupt) at {at}"
    if ended.exit_code:
        return "failed", f"exit code {ended.exit_code} at {at}"
    if ended.how == "exit" and ended.exit_code is None:
        return "finished", f"process exited at {at} with the run still open"
    if ended.how == "exit":
        return "finished", f"exit code 0 at {at}"
    return "finished", f"finished cleanly at {at}"


def _same_process(process: Process, host: Host) -> Seen | None:
    """What this host sees of the process, or None if it is gone (a reused pid is gone)."""
    if (
        process.boot_time_s is not None
        and host.boot_time_s is not None
        and abs(process.boot_time_s - host.boot_time_s) > BOOT_TIME_TOLERANCE_S
    ):
        return None  # the host rebooted since
    seen = host.look(process.pid)
    if seen is None or seen.state in ("Z", "X", "x"):
        return None
    if (
        process.start_ticks is not None
        and seen.start_ticks is not None
        and seen.start_ticks != process.start_ticks
    ):
        return None
    return seen


def process_status(process: Process, now_ms: int, host: Host) -> Status:
    """One process's status and reason."""
    beat = process.last_beat_ms
    if process.ended is not None:
        status, reason = ended_status(process.ended)
        return Status(status, reason, beat)
    interval_ms = process.heartbeat_s * 1000
    slack_ms = min(SLACK_MS, interval_ms / 2)
    declared = f"declared every {seconds_text(process.heartbeat_s)}"
    silent_ms = max(0, now_ms - beat) if beat is not None else None
    quiet_until = None if beat is None else int(beat + SILENT_BEATS * interval_ms + slack_ms)
    who = f"pid {process.pid}"
    if process.host != host.name:
        who += f" on {process.host}"
        if silent_ms is not None and now_ms <= quiet_until:
            return Status("running", f"{who}: heartbeat {declared}", beat, quiet_until + 1)
        crashed_at = None if beat is None else beat + int(OTHER_HOST_CRASHED_S * 1000)
        if crashed_at is not None and now_ms <= crashed_at:
            reason = f"{who} silent since {clock_text(beat)} ({declared}); its host is not this one, so its process can't be checked"
            return Status("stalled", reason, beat, crashed_at + 1)
        reason = f"{who} silent since {clock_text(beat)}, over {seconds_text(OTHER_HOST_CRASHED_S)} ({declared})"
        return Status("crashed", reason, beat)
    seen = _same_process(process, host)
    if seen is None:
        # A moment's grace: a process in another pid namespace looks gone while it beats.
        gone_until = None if beat is None else int(beat + GONE_GRACE_BEATS * interval_ms + slack_ms)
        if gone_until is not None and now_ms <= gone_until:
            return Status("running", f"{who}: heartbeat {declared}", beat, gone_until + 1)
        reason = f"{who} gone without a recorded exit; last heartbeat {clock_text(beat)}"
        return Status("crashed", reason, beat)
    if quiet_until is not None and now_ms <= quiet_until:
        return Status("running", f"{who}: heartbeat {declared}", beat, quiet_until + 1)
    since = f"silent since {clock_text(beat)} ({declared})"
    if seen.state in ("T", "t"):
        reason = f"{who} is stopped (SIGSTOP?) and {since}"
    else:
        reason = f"{who} is alive but {since}"
    return Status("stalled", reason, beat, now_ms + int(interval_ms))


def run_status(processes: Iterable[Process], now_ms: int, host: Host) -> Status:
    """The run's status: its liveliest process decides (PRECEDENCE); the reason says
    how many of its processes are in which state when there are several."""
    found = [(process, process_status(process, now_ms, host)) for process in processes]
    if not found:
        raise ValueError("no process evidence")
    found.sort(key=lambda pair: (PRECEDENCE.index(pair[1].status), -(pair[0].last_beat_ms or 0)))
    deciding = found[0][1]
    beats = [s.last_beat_ms for _, s in found if s.last_beat_ms is not None]
    rechecks = [s.recheck_ms for _, s in found if s.recheck_ms is not None]
    reason = deciding.reason
    if len(found) > 1:
        counts: dict[str, int] = {}
        for _, status in found:
            counts[status.status] = counts.get(status.status, 0) + 1
        tally = ", ".join(
            f"{n} {name}"
            for name, n in sorted(counts.items(), key=lambda c: PRECEDENCE.index(c[0]))
        )
        reason = f"{reason} ({len(found)} processes: {tally})"
    return Status(
        deciding.status,
        reason,
        max(beats, default=None),
        min(rechecks, default=None),
    )


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
