"""Public readers: runs, their info, and their stats channels (stdlib only)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import NamedTuple

from . import info as info_file
from . import layout, npr, summary
from . import resolve as _resolve
from .resolve import BadQuery, ordered, resolve
from .resolve import runs as _runs

__all__ = [
    "Channel",
    "RunStatus",
    "channels",
    "info",
    "read_channel",
    "resolve",
    "resolve_many",
    "runs",
    "status",
]


def resolve_many(query: int | str | list | tuple, root: Path | None = None) -> list[str]:
    """Every run a query (or list of queries) matches, oldest first; none is an error.
    A filter expression (`lr < 1e-3 and loss.val.last < 0.3`: docs/queries.md) keeps
    the runs whose table row it matches."""
    return _resolve.resolve_many(query, root, filtered_runs)


def filtered_runs(root: Path, expression: str) -> list[str]:
    """The runs whose table row a filter expression matches, oldest first; BadQuery
    for an expression that doesn't parse."""
    from ..query import QueryError
    from ..table import store_table  # numpy: only for a filter

    try:
        rows = store_table(root).table(expression, ["none"])["runs"]
    except QueryError as error:
        raise BadQuery(str(error)) from None
    return ordered(root, [row["name"] for row in rows])


def runs(root: Path | None = None) -> list[str]:
    """Names of every run in the store, oldest first."""
    return _runs(root)


def info(run: int | str, root: Path | None = None) -> dict:
    """A run's `_info.json` (resolved like `resolve`), with `_env` removed."""
    root = root or layout.store_root()
    return info_file.read_info(root / resolve(run, root))


class RunStatus(NamedTuple):
    """A run's status (docs/run-store.md "Run lifecycle") and why, in words."""

    status: str  # running, stalled, crashed, failed, finished; live, stale (pavlov); unreadable
    reason: str | None
    last_heartbeat_ms: int | None  # epoch ms, None without lifecycle records


def status(run: int | str, root: Path | None = None) -> RunStatus:
    """A run's status and its reason, as the runs panel and `%runs` show them, e.g.
    `RunStatus('failed', 'ValueError: bad lr at train.py:88 in step', ...)`."""
    root = root or layout.store_root()
    run_dir = root / resolve(run, root)
    scan, info_, error = summary.inspect_run(run_dir, os.path.realpath(root))
    state = summary.run_lifecycle(info_, scan, time.time_ns() // 10**6)
    return RunStatus(state.status, state.reason if info_ is not None else error, state.last_beat_ms)


class Channel(NamedTuple):
    name: str
    kind: str
    files: tuple[str, ...]  # ordered by N

    @property
    def group(self) -> str:
        return layout.split_channel(self.name)[0]

    @property
    def label(self) -> str:
        return layout.split_channel(self.name)[1]


def channels(run: int | str, root: Path | None = None) -> dict[str, Channel]:
    """A run's stats channels, from `_files` (the kind is the first file's)."""
    root = root or layout.store_root()
    files = info(run, root).get("_files", {})
    found: dict[str, list[tuple[int, str, str]]] = {}
    for filename, entry in files.items():
        match = layout.STATS_FILE.fullmatch(filename)
        if match and isinstance(entry, dict) and "kind" in entry:
            found.setdefault(match["channel"], []).append(
                (int(match["n"]), filename, entry["kind"])
            )
    result = {}
    for channel, entries in sorted(found.items()):
        entries.sort()
        result[channel] = Channel(channel, entries[0][2], tuple(name for _, name, _ in entries))
    return result


def read_channel(run: int | str, channel: str, root: Path | None = None) -> dict[str, list]:
    """Every whole row of a channel, files merged in N order then stably sorted by `_time` (ns)."""
    root = root or layout.store_root()
    name = resolve(run, root)
    found = channels(name, root)
    if channel not in found:
        raise KeyError(f"run {name!r} has no stats channel {channel!r}")
    merged: dict[str, list] = {}
    for filename in found[channel].files:
        _, columns = npr.read_columns(root / name / filename)
        for field, values in columns.items():
            merged.setdefault(field, []).extend(values)
    times = merged.get(npr.TIME_FIELD, [])
    order = sorted(range(len(times)), key=times.__getitem__)
    return {field: [values[i] for i in order] for field, values in merged.items()}
