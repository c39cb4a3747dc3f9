"""A run as it is on disk right now: status, size, last write, and its store files.

Shared by the server and the magics. Reads `_info.json`, one listing of the
run folder and `.npr` headers, never whole data files, and only regular files,
capped (safe_read). Nothing read outside the store root: a store file that is a
symlink out of it, or a store-file name leading to a file of another type, is
reported, not followed.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from . import info as info_file
from . import layout, lifecycle, listed, npr, process, safe_read
from .errors import BadInfo, BadNpr
from .header_memo import HEADERS_FINE, file_stamp

# live/stale/finished by mtime for runs without lifecycle evidence (pavlov's);
# lifecycle.STATUSES for runs whose writers record it (docs/run-store.md).
STATUSES = ("live", "stale", "finished", "unreadable", *lifecycle.STATUSES)
# Statuses that change with time alone: a listing looks at such runs again every time.
CHANGING = ("live", "running", "stalled")
STALE_AFTER_S = 60.0
# `_finished` is stamped just after the final flush; a write later than this
# means another process still writes to the run.
FINISHED_GRACE_MS = 1000
OUTSIDE_ROOT = "symlink out of the store root, refused"
OUTSIDE_ROOT_FOLDER = f"run folder is a {OUTSIDE_ROOT}"


class RunDir(NamedTuple):
    """One listing of a run folder."""

    files: dict[str, os.stat_result]  # regular files directly in the folder
    refused: dict[str, str]  # store files that are not read (symlinks out, FIFOs...) -> why
    real_dir: str | None = None  # the folder's real path when listed
    real_root: str | None = None

    @property
    def size(self) -> int:
        return sum(st.st_size for st in self.files.values())

    @property
    def last_write_ms(self) -> int | None:
        """The newest mtime of the run's files; heartbeats are not writes."""
        return max(
            (
                st.st_mtime_ns // 10**6
                for name, st in self.files.items()
                if not name.startswith(layout.HEARTBEAT_PREFIX)
            ),
            default=None,
        )


def symlink_refusal(name: str, link: str, real_root: str) -> str | None:
    """Why the symlink `name` (at path `link`) may not be read, or None if it may.

    It must stay under the root, and a store file's name must lead to a store
    file of the same type (a log to a log, stats to stats): a `logs.1.txt`
    pointing at another run's `_info.json` would serve it raw, `_env` included.
    """
    target = os.path.realpath(link)
    if not layout.is_within(target, real_root):
        return OUTSIDE_ROOT
    claimed = layout.store_file_type(name)
    if claimed is None:
        return None
    if claimed[0] == "info":
        return "a symlink, refused (an _info.json must be a regular file)"
    found = layout.store_file_type(os.path.basename(target))
    if found is None or found[0] != claimed[0]:
        return f"a symlink to {os.path.basename(target)!r}, not a {claimed[0]} file, refused"
    return None


def scan_dir_fd(dir_fd: int, real_root: str, real_dir: str | None = None) -> RunDir:
    """Stat every file in the folder open as `dir_fd` (see `scan_run_dir`), whose
    real path is `real_dir` (found from the fd if not given)."""
    real_dir = real_dir or safe_read.opened_path(dir_fd, "")
    files, refused = {}, {}
    with os.scandir(dir_fd) as entries:
        for entry in entries:
            name = entry.name
            try:
                if entry.is_symlink():
                    why = symlink_refusal(name, os.path.join(real_dir, name), real_root)
                    if why:
                        refused[name] = why
                        continue
                st = entry.stat()
            except OSError:
                continue  # vanished between listing and stat
            if stat.S_ISREG(st.st_mode):
                files[name] = st
            elif layout.store_file_type(name):
                refused[name] = f"{safe_read.file_type(st.st_mode)}, not a regular file, refused"
    return RunDir(files, refused, real_dir, real_root)


def scan_run_dir(run_dir: Path, real_root: str) -> RunDir:
    """Stat every regular file in `run_dir`; raises FileNotFoundError if it is gone,
    and safe_read.RefusedFile (an OSError) if it leads out of the store root."""
    fd = safe_read.open_dir(run_dir, real_root)
    try:
        return scan_dir_fd(fd, real_root)
    finally:
        os.close(fd)


def read_info(
    run_dir: Path, *, dir_fd: int | None = None, real_root: str | None = None
) -> tuple[dict | None, str | None]:
    """(info without `_env`, None), or (None, the reason naming the file)."""
    try:
        return info_file.read_info(run_dir, dir_fd=dir_fd, real_root=real_root), None
    except BadInfo as error:
        return None, f"{layout.INFO_FILE}: {error.reason}"
    except OSError as error:
        return None, f"{layout.INFO_FILE}: {error.strerror or error}"


def inspect_run(run_dir: Path, real_root: str) -> tuple[RunDir, dict | None, str | None]:
    """(listing, info or None, info error): the folder, then its `_info.json` if it may be read.

    Both are read through one fd on the folder, checked to lie under the root,
    so a folder swapped for a symlink meanwhile can't redirect either. A folder
    out of the root gives an empty listing and the reason; gone: FileNotFoundError.
    """
    try:
        fd = safe_read.open_dir(run_dir, real_root)
    except safe_read.RefusedFile:
        return RunDir({}, {}), None, OUTSIDE_ROOT_FOLDER
    try:
        scan = scan_dir_fd(fd, real_root)
        if layout.INFO_FILE in scan.refused:
            return scan, None, f"{layout.INFO_FILE}: {scan.refused[layout.INFO_FILE]}"
        info, error = read_info(run_dir, dir_fd=fd, real_root=real_root)
        return scan, info, error
    finally:
        os.close(fd)


def created_ms(info: dict | None) -> int | None:
    try:
        return layout.parse_created(info["_created"]) // 10**6 if info else None
    except (KeyError, ValueError):
        return None


def run_status(
    info: dict | None, last_write_ms: int | None, now_ms: int, stale_after_s: float
) -> str:
    """unreadable (no valid info), finished, live (written within `stale_after_s`) or stale."""
    if info is None:
        return "unreadable"
    finished = info.get(layout.FINISHED_FIELD)
    if finished:
        try:
            finished_ms = layout.parse_created(finished) // 10**6
        except ValueError:
            finished_ms = None
        if finished_ms is None or (last_write_ms or 0) <= finished_ms + FINISHED_GRACE_MS:
            return "finished"
    if last_write_ms is not None and now_ms - last_write_ms < stale_after_s * 1000:
        return "live"
    return "stale"


PAVLOV_REASONS = {  # the same words whenever the status is the same
    "live": "no heartbeat recorded; written within {stale}",
    "stale": "no heartbeat recorded; nothing written for {stale}",
    "finished": "no heartbeat recorded; its writer marked it finished",
}
MAX_PROCESS_BYTES = 64 * 1024
MAX_PROCESS_FILES = 256  # records read per run; a hostile run can't make it thousands
_records: dict[
    tuple, lifecycle.Process | str
] = {}  # (path, inode, size, mtime) -> parsed or why not
_MAX_CACHED = 20_000
_host: list[lifecycle.Host] = []


def this_host() -> lifecycle.Host:
    """This host's name, boot time and process table (looked up once)."""
    if not _host:
        _host.append(process.this_host())
    return _host[0]


def pavlov_reason(status: str, stale_after_s: float) -> str | None:
    """The reason of a run without lifecycle records (the same words for the same status)."""
    reason = PAVLOV_REASONS.get(status)
    return reason and reason.format(stale=lifecycle.seconds_text(stale_after_s))


def read_processes(scan: RunDir) -> tuple[list[lifecycle.Process], list[str]]:
    """The run's writer records (`_process.<key>.json`) with their heartbeat times,
    and why any could not be read. Parsed records are cached while the file is unchanged."""
    found, problems = [], []
    for name, st in scan.files.items():
        match = layout.PROCESS_FILE.fullmatch(name) if name.startswith("_process.") else None
        if match is None or scan.real_dir is None:
            continue
        if len(found) + len(problems) == MAX_PROCESS_FILES:
            problems.append(f"over {MAX_PROCESS_FILES} process records; the rest ignored")
            break
        beat = scan.files.get(layout.heartbeat_file_name(match["key"]), st)
        path = os.path.join(scan.real_dir, name)
        cache_key = (path, st.st_ino, st.st_size, st.st_mtime_ns)
        parsed = _records.get(cache_key)
        if parsed is None:
            parsed = _read_process(path, match["key"], scan.real_root)
            if len(_records) >= _MAX_CACHED:
                _records.clear()
            _records[cache_key] = parsed
        if isinstance(parsed, str):
            problems.append(f"{name}: {parsed}")
        else:
            found.append(parsed._replace(last_beat_ms=beat.st_mtime_ns // 10**6))
    return found, problems


def _read_process(path: str, key: str, real_root: str | None) -> lifecycle.Process | str:
    try:
        data = safe_read.read_regular(
            path, MAX_PROCESS_BYTES, follow_symlinks=False, real_root=real_root
        )
        return lifecycle.parse_record(key, json.loads(data), None)
    except OSError as error:
        return error.strerror or str(error)
    except (ValueError, RecursionError) as error:  # bad JSON, or a bad field
        return f"invalid: {str(error)[:200]}"


def run_lifecycle(
    info: dict | None,
    scan: RunDir,
    now_ms: int,
    stale_after_s: float = STALE_AFTER_S,
    host: lifecycle.Host | None = None,
    last_write_ms: int | None = None,
) -> lifecycle.Status:
    """The run's status and reason: from its writers' evidence when it has some,
    else (pavlov's runs) live/stale/finished by mtime, as `run_status` (by
    `last_write_ms` if given, else the scan's)."""
    if info is None:
        return lifecycle.Status("unreadable", None)
    processes, problems = read_processes(scan)
    if processes:
        return lifecycle.run_status(processes, now_ms, host or this_host())
    last_write_ms = scan.last_write_ms if last_write_ms is None else last_write_ms
    status = run_status(info, last_write_ms, now_ms, stale_after_s)
    reason = pavlov_reason(status, stale_after_s)
    if problems:
        reason += f"; {problems[0]}"
    return lifecycle.Status(status, reason)


def status_fields(
    info: dict | None, scan: RunDir, now_ms: int, stale_after_s: float = STALE_AFTER_S
) -> dict:
    """`status` and `reason`, as a run's summary carries them."""
    state = run_lifecycle(info, scan, now_ms, stale_after_s)
    return {"status": state.status, "reason": state.reason}


def iso_from_ms(ms: int | None) -> str | None:
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat(timespec="milliseconds")


def run_summary(
    name: str,
    info: dict | None,
    error: str | None,
    scan: RunDir,
    now_ms: int,
    stale_after_s: float = STALE_AFTER_S,
) -> dict:
    """The server's RunSummary (docs/server-api.md), with description and params
    capped (`listed`): the run's detail carries them whole."""
    created = created_ms(info)
    params, params_truncated = listed.params(info.get("params") if info else None)
    last_write_ms = scan.last_write_ms
    return {
        "name": name,
        "created": iso_from_ms(created),
        "created_ms": created,
        **status_fields(info, scan, now_ms, stale_after_s),
        "error": error,
        "size": scan.size,
        "last_write_ms": last_write_ms,
        "description": listed.description(info.get("description") if info else None),
        "params": params,
        "params_truncated": params_truncated,
    }


def _sort_key(name: str) -> tuple:
    kind, channel = layout.store_file_type(name) or ("", None)
    match = layout.LOG_FILE.fullmatch(name) or layout.STATS_FILE.fullmatch(name)
    n = int(match["n"]) if match else -1
    return ("info", "log", "stats").index(kind), channel or "", n, name


def store_file_names(info: dict | None, scan: RunDir) -> list[str]:
    """The run's store files in display order: `_info.json`, logs by N, stats by channel and N.

    Listed in `_files` when the info is readable (as every reader discovers
    them); from the folder listing otherwise, so a broken run still shows its files.
    """
    listed = info.get("_files") if info else None
    if isinstance(listed, dict):
        names = {layout.INFO_FILE, *(n for n in listed if layout.store_file_type(n))}
    else:
        names = {n for n in [*scan.files, *scan.refused] if layout.store_file_type(n)}
    return sorted(names, key=_sort_key)


def header_error(
    path: Path, real_root: str | None = None, st: os.stat_result | None = None
) -> str | None:
    """Why a `.npr` file's header can't be read, or None if it is fine.

    With `st`, the file's stat as listed: a header found fine at that stamp
    before is not read again (see header_memo)."""
    stamp = file_stamp(str(path), st) if st is not None else None
    if stamp is not None and HEADERS_FINE.get(stamp, False):
        return None
    try:
        npr.read_header(path, real_root=real_root)
    except BadNpr as error:
        return error.reason
    except OSError as error:
        return error.strerror or str(error)
    if stamp is not None:
        HEADERS_FINE.put(stamp, True)
    return None


def file_entry(run_dir: Path, name: str, info: dict | None, scan: RunDir) -> dict:
    """The server's FileEntry for one store file."""
    kind, channel = layout.store_file_type(name) or ("", None)
    listed = info.get("_files") if info else None
    writer = listed.get(name) if isinstance(listed, dict) else None
    writer = writer if isinstance(writer, dict) else None
    st = scan.files.get(name)
    error = scan.refused.get(name)
    if st is None and error is None:
        error = "listed in _info.json but missing"
    elif kind == "stats" and error is None:
        # Through the folder's real path when listed: the name may have been swapped since.
        folder = Path(scan.real_dir) if scan.real_dir else run_dir
        error = header_error(folder / name, scan.real_root, st)
    stat_kind = writer.get("kind") if writer else None
    return {
        "name": name,
        "size": st.st_size if st else 0,
        "mtime_ms": st.st_mtime_ns // 10**6 if st else None,
        "type": kind,
        "channel": channel,
        "kind": stat_kind if isinstance(stat_kind, str) else None,
        "writer": writer,
        "error": f"{name}: {error}" if error else None,
    }


def file_entries(run_dir: Path, info: dict | None, scan: RunDir) -> list[dict]:
    return [file_entry(run_dir, name, info, scan) for name in store_file_names(info, scan)]
