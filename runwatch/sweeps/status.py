"""A sweep's rows: each variant's status (from the run lifecycle), run, elapsed time
and last metrics. Reads each run's folder listing, `_info.json` and the last row of
each stats file: cheap enough to poll. Stdlib only."""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

from ..store import kinds, latest, layout, lifecycle, npr, process, summary
from ..store.errors import BadNpr

MAX_METRICS = 50  # channels per row
FALLEN_OVER = ("crashed", "failed")


def now_ms() -> int:
    return time.time_ns() // 10**6


def alive(pid: int, start_ticks: int | None) -> bool:
    """Whether `pid` is still the process that was started (not a reused pid)."""
    seen = process.read_proc_stat(pid)
    if seen is None or seen.state in ("Z", "X", "x"):
        return False
    return start_ticks is None or seen.start_ticks is None or seen.start_ticks == start_ticks


def variant_state(
    entry: dict, root: Path, now: int
) -> tuple[str, str | None, int | None, dict | None]:
    """(status, reason, last heartbeat ms, the run's info or None) of one variant.

    Statuses: queued, not started, starting (its process has not opened its run yet),
    missing (its run was deleted), and the lifecycle's running, stalled, crashed,
    failed and finished.
    """
    if entry.get("queued"):
        return "queued", "waiting for a free slot", None, None
    run = entry.get("run")
    if not run:
        if entry.get("error"):
            return "failed", entry["error"], None, None
        why = "stopped before it started" if entry.get("stopped") else "not queued"
        return "not started", why, None, None
    try:
        scan, info, error = summary.inspect_run(root / run, os.path.realpath(root))
    except FileNotFoundError:
        return "missing", f"its run {run!r} was deleted", None, None
    if info is None:
        return "unreadable", error, None, None
    processes, _ = summary.read_processes(scan)
    if processes:
        state = lifecycle.run_status(processes, now, summary.this_host())
        reason = state.reason
        if entry.get("stopped") and state.status in FALLEN_OVER:
            reason = f"stopped: {reason}"
        return state.status, reason, state.last_beat_ms, info
    pid = entry.get("pid")
    if entry.get("ended_ms") is None and pid and alive(pid, entry.get("start_ticks")):
        return "starting", f"pid {pid} has not opened its run yet", None, info
    code = entry.get("exit_code")
    if code is not None:
        return "failed", f"exit code {code} before it opened its run", None, info
    return "crashed", f"pid {pid} gone before it opened its run", None, info


def elapsed_s(entry: dict, status: str, last_beat_ms: int | None, now: int) -> float | None:
    started = entry.get("started_ms")
    if started is None:
        return None
    ended = entry.get("ended_ms")
    if ended is None:
        ended = now if status in ("running", "stalled", "starting") else (last_beat_ms or now)
    return max(0.0, (ended - started) / 1000)


def last_metrics(run_dir: Path, info: dict | None) -> dict[str, object]:
    """The last row's value of each channel (a number, or a dict for multi-field kinds),
    by channel name; NaN becomes None (JSON has no NaN)."""
    files = (info or {}).get("_files")
    newest: dict[str, tuple[int, str, dict]] = {}
    if not isinstance(files, dict):
        return {}
    for filename, entry in files.items():
        match = layout.STATS_FILE.fullmatch(filename)
        if not match or not isinstance(entry, dict) or not isinstance(entry.get("kind"), str):
            continue
        kind = kinds.BY_NAME.get(entry["kind"])
        if kind is not None and kind.silent:
            continue
        channel = match["channel"]
        if channel not in newest and len(newest) >= MAX_METRICS:
            continue
        try:
            row = npr.last_row(run_dir / filename)
        except (OSError, BadNpr, ValueError):
            continue
        if row is not None and (channel not in newest or row["_time"] > newest[channel][0]):
            newest[channel] = (row["_time"], entry["kind"], row)
    return {channel: _value(kind, row) for channel, (_, kind, row) in sorted(newest.items())}


def _value(kind: str, row: dict) -> object:
    if kind in latest.PER_SECOND or kind == "cumsum":
        value: dict = {k: v for k, v in row.items() if k != "_time"}  # rates need two rows
    else:
        value = latest.latest_raw(kind, {k: [v] for k, v in row.items()}) or {}
    if set(value) == {"value"}:
        return _finite(value["value"])
    if len(value) == 1:
        return _finite(next(iter(value.values())))
    return {k: _finite(v) for k, v in value.items()}


def _finite(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def rows(sweep: dict, root: Path) -> list[dict]:
    """One row per variant, in the sweep's order (docs/server-api.md "GET sweeps/<name>")."""
    now = now_ms()
    found = []
    for entry in sweep["variants"]:
        status, reason, beat, info = variant_state(entry, root, now)
        run = entry.get("run")
        found.append(
            {
                "variant": entry["id"],
                "params": entry["params"],
                "run": run,
                "status": status,
                "reason": reason,
                "elapsed_s": elapsed_s(entry, status, beat, now),
                "metrics": last_metrics(root / run, info) if run and info else {},
                "pid": entry.get("pid"),
                "gpu": entry.get("gpu"),
                "cpus": entry.get("cpus"),
                "attempts": len(entry.get("runs", [])),
                "stopped": bool(entry.get("stopped")),
            }
        )
    return found


def counts(found: list[dict]) -> dict[str, int]:
    tally: dict[str, int] = {}
    for row in found:
        tally[row["status"]] = tally.get(row["status"], 0) + 1
    return tally
