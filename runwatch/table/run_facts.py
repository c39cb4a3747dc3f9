"""What a run's table row needs besides its status: read from its folder once, kept
while its `_info.json` is unchanged.

`inspect` scans the run folder (one scandir + stat, as the listing does) and reads
`_info.json` again only if its inode, size or mtime moved; the scan's stats of the
channel files are the stamps the channel summaries are cached under.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from ..server.lod.rows import ChannelSpec, channel_specs
from ..store import layout, safe_read, summary
from .columns import flatten_params

# The fields of `_info.json` that `summary.run_summary` looks at (the rest is not kept).
SUMMARY_FIELDS = ("_created", layout.FINISHED_FIELD, "params", "description", "sweep")
DELETED = "run folder deleted while the table was read"


class InfoFacts(NamedTuple):
    """What the row takes from `_info.json`, and the stamp it was read at."""

    key: tuple | None  # (device, inode, size, mtime) of `_info.json`
    info: dict | None  # SUMMARY_FIELDS of it, or None if unreadable
    error: str | None
    created_ns: int | None
    finished_ms: int | None
    params: dict[str, object]  # flattened: {"params.a.b": value}
    params_error: str | None
    channels: dict[str, ChannelSpec]


class RunFacts(NamedTuple):
    """One look at a run folder."""

    refused: dict[str, str]  # the scan's store files that are not read, and why
    info: InfoFacts
    host: str | None  # the writers' hosts (", " between several); None without records
    ended_ms: int | None  # when the last writer recorded its end, if every one did
    stamps: dict[str, tuple]  # channel -> its files' (dev, inode, size, mtime), None if unseen


def inspect(
    root: Path, real_root: str, name: str, previous: RunFacts | None
) -> tuple[RunFacts, summary.RunDir]:
    """The run's facts now, and the scan they came from; FileNotFoundError if the folder is gone, OSError if it can't
    be read, safe_read.RefusedFile if it leads out of the root."""
    run_dir = root / name
    fd = safe_read.open_dir(run_dir, real_root)
    try:
        scan = summary.scan_dir_fd(fd, real_root)
        st = scan.files.get(layout.INFO_FILE)
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) if st else None
        info = previous.info if previous is not None and key and previous.info.key == key else None
        if info is None:
            info = _read_info(run_dir, fd, real_root, scan, key)
    finally:
        os.close(fd)
    processes, _ = summary.read_processes(scan)
    hosts = sorted({p.host for p in processes})
    ends = [p.ended.at_ms for p in processes if p.ended is not None]
    ended_ms = max(ends) if ends and len(ends) == len(processes) and None not in ends else None
    stamps = {
        channel: tuple(_stamp(scan.files.get(file)) for file in spec.files)
        for channel, spec in info.channels.items()
    }
    return RunFacts(scan.refused, info, ", ".join(hosts) or None, ended_ms, stamps), scan


def _stamp(st: os.stat_result | None) -> tuple | None:
    return None if st is None else (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _read_info(run_dir: Path, fd: int, real_root: str, scan, key) -> InfoFacts:
    if layout.INFO_FILE in scan.refused:
        info, error = None, f"{layout.INFO_FILE}: {scan.refused[layout.INFO_FILE]}"
    else:
        info, error = summary.read_info(run_dir, dir_fd=fd, real_root=real_root)
    if info is None:
        return InfoFacts(key, None, error, None, None, {}, None, {})
    params, params_error = flatten_params(info.get("params"))
    return InfoFacts(
        key,
        {field: info[field] for field in SUMMARY_FIELDS if field in info},
        None,
        _time_ns(info.get("_created")),
        _ms(_time_ns(info.get(layout.FINISHED_FIELD))),
        params,
        params_error,
        channel_specs(info),
    )


def _time_ns(text: object) -> int | None:
    try:
        return layout.parse_created(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _ms(ns: int | None) -> int | None:
    return None if ns is None else ns // 10**6
