"""A run as it is on disk right now: status, size, last write, and its store files.

Shared by the server and the magics. Reads `_info.json`, one listing of the
run folder and `.npr` headers, never whole data files. Nothing read outside the
store root: a store file that is a symlink out of it is reported, not followed.
"""

from __future__ import annotations

import os
import stat
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from . import info as info_file
from . import layout, npr
from .errors import BadInfo, BadNpr

STATUSES = ("live", "stale", "finished", "unreadable")
STALE_AFTER_S = 60.0
# `_finished` is stamped just after the final flush; a write later than this
# means another process still writes to the run.
FINISHED_GRACE_MS = 1000
OUTSIDE_ROOT = "symlink out of the store root, refused"


class RunDir(NamedTuple):
    """One listing of a run folder."""

    files: dict[str, os.stat_result]  # regular files directly in the folder
    refused: dict[str, str]  # symlinks out of the store root -> why they are not read

    @property
    def size(self) -> int:
        return sum(st.st_size for st in self.files.values())

    @property
    def last_write_ms(self) -> int | None:
        return max((st.st_mtime_ns // 10**6 for st in self.files.values()), default=None)


def scan_run_dir(run_dir: Path, real_root: str) -> RunDir:
    """Stat every regular file in `run_dir`; raises FileNotFoundError if it is gone."""
    files, refused = {}, {}
    with os.scandir(run_dir) as entries:
        for entry in entries:
            try:
                if entry.is_symlink() and not layout.is_within(
                    os.path.realpath(entry.path), real_root
                ):
                    refused[entry.name] = OUTSIDE_ROOT
                    continue
                st = entry.stat()
            except OSError:
                continue  # vanished between listing and stat
            if stat.S_ISREG(st.st_mode):
                files[entry.name] = st
    return RunDir(files, refused)


def read_info(run_dir: Path) -> tuple[dict | None, str | None]:
    """(info without `_env`, None), or (None, the reason naming the file)."""
    try:
        return info_file.read_info(run_dir), None
    except BadInfo as error:
        return None, f"{layout.INFO_FILE}: {error.reason}"
    except OSError as error:
        return None, f"{layout.INFO_FILE}: {error.strerror or error}"


def inspect_run(run_dir: Path, real_root: str) -> tuple[RunDir, dict | None, str | None]:
    """(listing, info or None, info error): the folder, then its `_info.json` if it may be read."""
    scan = scan_run_dir(run_dir, real_root)
    if layout.INFO_FILE in scan.refused:
        return scan, None, f"{layout.INFO_FILE}: {OUTSIDE_ROOT}"
    info, error = read_info(run_dir)
    return scan, info, error


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
    """The server's RunSummary (docs/server-api.md)."""
    created = created_ms(info)
    description = info.get("description") if info else None
    params = info.get("params") if info else None
    return {
        "name": name,
        "created": iso_from_ms(created),
        "created_ms": created,
        "status": run_status(info, scan.last_write_ms, now_ms, stale_after_s),
        "error": error,
        "size": scan.size,
        "last_write_ms": scan.last_write_ms,
        "description": None if description is None else str(description),
        "params": params if isinstance(params, dict) else None,
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


def header_error(path: Path) -> str | None:
    """Why a `.npr` file's header can't be read, or None if it is fine."""
    try:
        npr.read_header(path)
    except BadNpr as error:
        return error.reason
    except OSError as error:
        return error.strerror or str(error)
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
        error = header_error(run_dir / name)
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
