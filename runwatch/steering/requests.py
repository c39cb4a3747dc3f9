"""Asking a running job for a change: the request file, and reading what the job answered.

Used by the server's steer endpoint and by `runwatch.steer` in a notebook. Every
file is opened relative to one fd on the run folder, checked to lie under the
store root, so a folder or file swapped for a symlink can't send a read or a
write elsewhere. Stdlib only.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import time
from pathlib import Path

from ..store import layout, safe_read, summary
from .declaration import (
    DECLARATION_FILE,
    LOG_FILE,
    MAX_DECLARATION_BYTES,
    MAX_REQUEST_BYTES,
    REQUEST_FILE,
    SteerRefused,
    check_declaration,
    check_request,
    request_file_name,
)

# A run whose job may still answer; the others are refused (409).
STEERABLE_STATUSES = ("running", "stalled", "live")
LOG_TAIL_BYTES = 64 * 1024
LOG_TAIL_ENTRIES = 50
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def new_request_id() -> str:
    """Sortable by time (ns), unique across writers (a random suffix)."""
    return f"{time.time_ns():019d}-{secrets.token_hex(3)}"


def open_run(run_dir: Path, real_root: str) -> int:
    """An fd on the run folder, which must lie under the root (RefusedFile otherwise)."""
    return safe_read.open_dir(run_dir, real_root)


def read_declaration(dir_fd: int, run: str) -> dict | None:
    """The run's `_steer.json` (a regular file, capped), None if it has none."""
    try:
        data = safe_read.read_regular(
            DECLARATION_FILE, MAX_DECLARATION_BYTES, dir_fd=dir_fd, follow_symlinks=False
        )
    except FileNotFoundError:
        return None
    except safe_read.RefusedFile as refused:
        raise SteerRefused(409, f"run {run!r}: {DECLARATION_FILE}: {refused.strerror}") from None
    try:
        declaration = json.loads(data)
    except (ValueError, RecursionError):
        raise SteerRefused(409, f"run {run!r}: {DECLARATION_FILE} is not JSON") from None
    check_declaration(declaration)
    return declaration


def run_state(run_dir: Path, real_root: str, now_ms: int) -> tuple[str, str | None]:
    """(status, reason) by the run lifecycle (runwatch/store/summary.py)."""
    scan, info, error = summary.inspect_run(run_dir, real_root)
    state = summary.run_lifecycle(info, scan, now_ms)
    return state.status, state.reason if info is not None else error


def submit(
    run_dir: Path, real_root: str, changes: object, stop: object, source: str, now_ms: int
) -> dict:
    """Check a request against the run's declaration and status, then write it for the
    job to pick up; returns the request as written. SteerRefused says why not."""
    run = run_dir.name
    fd = open_run(run_dir, real_root)
    try:
        declaration = read_declaration(fd, run)
        if declaration is None:
            raise SteerRefused(
                409, f"run {run!r} declares nothing steerable (no runwatch.steerable in it)"
            )
        status, reason = run_state(run_dir, real_root, now_ms)
        if status not in STEERABLE_STATUSES:
            why = f" ({reason})" if reason else ""
            raise SteerRefused(409, f"run {run!r} is {status}{why}: nothing would apply the change")
        checked = check_request(check_declaration(declaration), changes, stop)
        request = {
            "id": new_request_id(),
            "changes": checked,
            "stop": bool(stop),
            "source": source,
            "time": layout.format_created(time.time_ns()),
        }
        write_request(fd, request)
        return request
    finally:
        os.close(fd)


def write_request(dir_fd: int, request: dict) -> None:
    """Write `_steer.request.<id>.json` atomically in the folder `dir_fd` (temp, then rename):
    the job never sees half a request, and nothing is written past MAX_REQUEST_BYTES."""
    data = json.dumps(request, ensure_ascii=False, allow_nan=False).encode("utf-8")
    if len(data) > MAX_REQUEST_BYTES:
        raise SteerRefused(413, f"request of {len(data)} bytes, over {MAX_REQUEST_BYTES}")
    name = request_file_name(request["id"])
    temp = f"{name}.tmp"
    fd = os.open(temp, _WRITE_FLAGS, 0o644, dir_fd=dir_fd)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        os.close(fd)
        os.unlink(temp, dir_fd=dir_fd)
        raise
    os.close(fd)
    os.rename(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)


def pending_ids(dir_fd: int) -> list[str]:
    """Requests written and not yet answered by the job, oldest first."""
    with os.scandir(dir_fd) as entries:
        found = [m["id"] for e in entries if (m := REQUEST_FILE.fullmatch(e.name))]
    return sorted(found)


def read_log_tail(dir_fd: int, limit: int = LOG_TAIL_ENTRIES) -> tuple[list[dict], bool]:
    """(the last `limit` audit entries, whether older ones were left out)."""
    try:
        fd = safe_read.open_regular(LOG_FILE, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return [], False
    except OSError as error:
        if error.errno in (errno.EPERM, errno.ELOOP):
            return [], False  # refused (a symlink, a FIFO): as if there were none
        raise
    lines, cut = safe_read.tail_lines(fd, LOG_TAIL_BYTES)
    entries = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a partial last line, or junk
        if isinstance(entry, dict):
            entries.append(entry)
    return entries[-limit:], cut or len(entries) > limit


def steer_state(run_dir: Path, real_root: str, now_ms: int) -> dict:
    """GET runs/<run>/steer: the declaration, current values, pending requests, audit tail."""
    fd = open_run(run_dir, real_root)
    try:
        declaration = read_declaration(fd, run_dir.name)
        log, truncated = read_log_tail(fd)
        pending = pending_ids(fd)
    finally:
        os.close(fd)
    status, reason = run_state(run_dir, real_root, now_ms)
    declaration = declaration or {}
    return {
        "run": run_dir.name,
        "status": status,
        "reason": reason,
        "declared": bool(declaration),
        "steerable": bool(declaration) and status in STEERABLE_STATUSES,
        "keys": declaration.get("keys", {}),
        "values": declaration.get("values", {}),
        "initial": declaration.get("initial", {}),
        "stop_requested": bool(declaration.get("stop_requested", False)),
        "updated": declaration.get("updated"),
        "pending": pending,
        "log": log,
        "log_truncated": truncated,
    }
