"""The series cache's per-file states as disk entries (disk_cache.py) and back.

A state is stored under a key naming what it was computed from: the file's real
path, device and inode, its header's layout, the kind, the run's `_created` (times
are seconds since it) and, for buckets, the rule. The file's stamp (size, mtime)
goes in the entry: a state is used only while the file only grew since
(`FileStamp.grew_from`), and a file that grew is extended from its appended rows.
A file shrunk, replaced or rewritten drops the entry.

A state is written when first computed and again when it covers a quarter more rows
than the one on disk, so a growing file isn't rewritten on every request. The server
writes them after the answers (`defer`): a file is created in about 1 ms of CPU on
the dev machine's disk, and a cold 20-run glob's 1,200 entries took a third of the
threads' time while the page waited.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...store import safe_read
from .disk_cache import DiskCache
from .rows import FileStamp, OpenFile
from .summaries import Blocks, FileSummary

FORMAT = 1  # bump when a state's meaning changes: old entries then never match
REWRITE_GROWTH = 1.25


def file_key(what: str, opened: OpenFile, *extra) -> list:
    layout = opened.layout
    fields = [[f.name, f.typestr, f.offset] for f in layout.fields]
    return [
        what,
        FORMAT,
        safe_read.real_path(opened.path),
        opened.stamp.dev,
        opened.stamp.ino,
        [layout.header_len, layout.itemsize, layout.time_unit, fields],
        *extra,
    ]


# ---- block summaries ------------------------------------------------------------------


def _blocks_arrays(prefix: str, blocks: Blocks, names: list[str]) -> dict[str, np.ndarray]:
    arrays = {
        f"{prefix}xf": blocks.xf,
        f"{prefix}xl": blocks.xl,
        f"{prefix}running": blocks.running,
    }
    for i, name in enumerate(names):
        for field, array in blocks.columns[name].items():
            arrays[f"{prefix}{i}/{field}"] = array
    return arrays


def _blocks_of(prefix: str, arrays: dict, names: list[str], fields: list[str]) -> Blocks:
    columns = {
        name: {field: arrays[f"{prefix}{i}/{field}"] for field in fields}
        for i, name in enumerate(names)
    }
    return Blocks(arrays[f"{prefix}xf"], arrays[f"{prefix}xl"], arrays[f"{prefix}running"], columns)


def summary_entry(summary: FileSummary) -> tuple[dict, dict[str, np.ndarray]]:
    names = list(summary.blocks.columns) if summary.blocks is not None else []
    fields = list(summary.blocks.columns[names[0]]) if names else []
    meta = {
        "stamp": list(summary.stamp),
        "rows": summary.rows,
        "sorted": summary.sorted,
        "end_running": summary.end_running,
        "columns": names,
        "fields": fields,
        "blocks": summary.blocks is not None,
    }
    arrays = {}
    if summary.blocks is not None:
        arrays |= _blocks_arrays("b/", summary.blocks, names)
        arrays |= _blocks_arrays("c/", summary.coarse, names)
    return meta, arrays


def summary_of(kind: str, meta: dict, arrays: dict) -> FileSummary:
    names, fields = meta["columns"], meta["fields"]
    blocks = coarse = None
    if meta["blocks"]:
        blocks = _blocks_of("b/", arrays, names, fields)
        coarse = _blocks_of("c/", arrays, names, fields)
    return FileSummary(
        kind,
        FileStamp(*meta["stamp"]),
        int(meta["rows"]),
        bool(meta["sorted"]),
        blocks,
        float(meta["end_running"]),
        coarse,
    )


# ---- bucketed rules -------------------------------------------------------------------


def buckets_entry(state) -> tuple[dict, dict[str, np.ndarray]]:
    names = list(state.before)
    meta = {
        "stamp": list(state.stamp),
        "rows": state.rows,
        "columns": names,
        "band": state.band is not None,
        "last_start": state.last_start,
        "last_start_time": state.last_start_time,
        "last_time": state.last_time,
        "start_ns": state.start_ns,
        "rule_ns": state.rule_ns,
    }
    arrays = {"labels": state.labels}
    arrays |= {f"before/{i}": state.before[name] for i, name in enumerate(names)}
    if state.band is not None:
        arrays |= {"band/lo": state.band[0], "band/hi": state.band[1]}
    return meta, arrays


def buckets_of(make, meta: dict, arrays: dict):
    """The state (`make` is cache.Buckets) of an entry."""
    band = (arrays["band/lo"], arrays["band/hi"]) if meta["band"] else None
    return make(
        FileStamp(*meta["stamp"]),
        int(meta["rows"]),
        arrays["labels"],
        {name: arrays[f"before/{i}"] for i, name in enumerate(meta["columns"])},
        band,
        int(meta["last_start"]),
        float(meta["last_start_time"]),
        float(meta["last_time"]),
        int(meta["start_ns"]),
        int(meta["rule_ns"]),
    )


class PersistedStates:
    """The disk side of the series cache: load a file's state if the file only grew
    since it was stored, and store states worth storing."""

    def __init__(
        self, disk: DiskCache, defer: Callable[[Callable[[], None]], object] | None = None
    ):
        """`defer(job)` runs a store later (the server: once no frame waits); None
        stores at once."""
        self.disk = disk
        self.hits = 0  # states read back and used (for tests and the bench)
        self._rows_on_disk: dict[str, int] = {}  # entry path -> rows it covers
        self._defer = defer
        self._pending: set[str] = set()  # entry paths with a store deferred

    def load(self, key: list, opened: OpenFile, decode):
        """The state under `key` (`decode(meta, arrays)`), or None; an entry of bytes
        that are gone (the file shrank, or is another file) is deleted."""
        entry = self.disk.load(key)
        if entry is None:
            return None
        try:
            state = decode(*entry)
        except (KeyError, TypeError, ValueError):
            state = None  # an entry of another shape: treat as broken
        if state is None or not (opened.stamp.grew_from(state.stamp) and opened.rows >= state.rows):
            self.disk.drop(key)
            return None
        self._rows_on_disk[str(self.disk.path(key))] = state.rows
        self.hits += 1
        return state

    def keep(self, key: list, rows: int, encode, fresh: bool) -> None:
        """Store the state (`encode()` -> (meta, arrays)) if it was computed from no
        earlier state (`fresh`), or extends the one on disk by a quarter."""
        where = str(self.disk.path(key))
        known = self._rows_on_disk.get(where)
        if not fresh and known is not None and known <= rows < known * REWRITE_GROWTH:
            return
        if self._defer is None:
            self._store(key, where, rows, encode)
        elif where not in self._pending:
            self._pending.add(where)
            self._defer(lambda: self._store(key, where, rows, encode))

    def _store(self, key: list, where: str, rows: int, encode) -> None:
        try:
            if self.disk.store(key, *encode()):
                self._rows_on_disk[where] = rows
        finally:
            self._pending.discard(where)
