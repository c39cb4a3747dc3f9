"""What the series service keeps between requests, bounded by an LRU over bytes.

- A bucketed rule's result per (file, rule), for a channel of one time-sorted file
  (the common case: one writer). When the file grows, only the rows from the last
  bucket's first row on are read again: that bucket is recomputed and new ones added.
- Block summaries of a file for the raw rule (summaries.py).
- Anything else (several files, rows out of time order) is computed from every row
  and kept under the files' stamps.

A file that shrank or was replaced (another inode) is read again from the start: an
entry is used only while every file's stamp says it only grew.

With a disk cache (disk_cache.py), a file's block summaries and buckets are also kept
on disk (persisted.py) under the same rule, so a restarted server extends them
instead of reading every row again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import ExitStack
from typing import NamedTuple

import numpy as np

from ...store import npr
from ..paths import StorePaths
from . import kinds, persisted, raw_direct
from .disk_cache import DiskCache
from .rows import (
    TIME,
    ChannelError,
    ChannelSpec,
    FileStamp,
    OpenFile,
    RunChannels,
    decode,
    in_time_order,
    merge_by_time,
    seconds_since,
)
from .summaries import FileSummary

DEFAULT_CACHE_BYTES = 512 * 2**20
# A channel that can't be summarised file by file (several files, or rows out of time
# order) is merged in memory: about 8 bytes a row per field, so it is capped.
MAX_MERGED_ROWS = 20_000_000
CHUNK_ROWS = 2**17  # rows decoded at once: small enough to stay in the CPU's caches


def nbytes(value: object) -> int:
    """The numpy bytes a cached value holds (what the bound counts)."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, dict):
        return sum(nbytes(v) for v in value.values())
    if isinstance(value, (tuple, list)):
        return sum(nbytes(v) for v in value)
    if hasattr(value, "nbytes"):
        return value.nbytes
    return 0


class LRU:
    """Least recently used entries go first once their bytes pass `limit`."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key, value) -> None:
        size = nbytes(value)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.used -= old[1]
            if size > self.limit:
                return  # bigger than the whole bound: not kept
            self._entries[key] = (value, size)
            self.used += size
            while self.used > self.limit:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.used -= dropped

    def __len__(self) -> int:
        return len(self._entries)


class Buckets(NamedTuple):
    """A bucketed rule's state for one file: enough to extend it from appended rows."""

    stamp: FileStamp
    rows: int  # rows covered
    labels: np.ndarray
    before: dict[str, np.ndarray]  # bucket_values, before finish
    band: tuple[np.ndarray, np.ndarray] | None
    last_start: int  # the first row of the last bucket
    last_start_time: float  # its time: another time there means the file was rewritten
    last_time: float
    start_ns: int
    rule_ns: int

    @property
    def nbytes(self) -> int:
        return self.labels.nbytes + nbytes(self.before) + nbytes(self.band)


class SeriesCache:
    def __init__(
        self,
        paths: StorePaths,
        limit: int = DEFAULT_CACHE_BYTES,
        disk: DiskCache | None = None,
        defer=None,
    ):
        """`defer`: how disk entries are written later (persisted.PersistedStates)."""
        self.paths = paths
        self.lru = LRU(limit)
        self.disk = persisted.PersistedStates(disk, defer) if disk is not None else None
        self.rows_decoded = 0  # rows read and decoded from files (for tests and the bench)

    # ---- reading ----------------------------------------------------------------------

    def _open(self, stack: ExitStack, run: RunChannels, spec: ChannelSpec) -> list[OpenFile]:
        files = []
        for name in spec.files:
            opened = OpenFile(self.paths, run.run_dir, name)
            stack.callback(opened.close)
            files.append(opened)
        return files

    @staticmethod
    def _stamps(files: list[OpenFile]) -> tuple:
        return tuple((f.name, f.stamp) for f in files)

    def _columns(self, opened: OpenFile, origin_ns: int, start: int = 0, stop=None) -> dict:
        columns = opened.columns(origin_ns, start, stop)
        self.rows_decoded += len(columns[TIME])
        return columns

    # ---- bucketed rules and whole series -----------------------------------------------

    def series(self, run: RunChannels, spec: ChannelSpec, rule) -> tuple[kinds.Series, int]:
        """(the channel's series at `rule`, rows in the channel)."""
        with ExitStack() as stack:
            opened = self._open(stack, run, spec)
            files = [f for f in opened if not f.empty]
            if rule != "raw" and len(files) == 1:
                result = self._bucketed_one_file(run, spec, rule, files[0])
                if result is not None:
                    return result
            key = ("series", str(run.run_dir), spec.name, rule, self._stamps(opened))
            cached = self.lru.get(key)
            if cached is None:
                total = sum(f.rows for f in files)
                if total > MAX_MERGED_ROWS:
                    raise ChannelError(
                        f"{files[0].name}: {total:,} rows in several files or out of time "
                        f"order, over the {MAX_MERGED_ROWS:,} the server merges in memory"
                    )
                fields = merge_by_time([self._columns(f, run.created_ns) for f in files])
                fields = fields if files else {TIME: np.empty(0)}
                cached = (
                    kinds.channel_series(spec.kind, fields, rule, spec.name),
                    len(fields[TIME]),
                )
                self.lru.put(key, cached)
            return cached

    def _bucketed_one_file(self, run, spec, rule, opened: OpenFile):
        """The series from cached buckets, extended from the rows appended since; None
        when the file's rows are not in time order (then every row is merged)."""
        key = ("buckets", str(run.run_dir), opened.name, spec.kind, rule, run.created_ns)
        state: Buckets | None = self.lru.get(key)
        rows = opened.rows
        if state is not None and not (opened.stamp.grew_from(state.stamp) and rows >= state.rows):
            state = None  # shrunk or replaced: never serve it
        if state is None or state.rows < rows:
            state = self._read_buckets(run, spec, rule, opened, key, state)
        if state is None:
            return None
        # The finished series of these very buckets, if kept: the same file, rows and
        # stamp give the same buckets, however they were built.
        finished_key = ("finished", *key[1:])
        which = (state.stamp, state.rows, spec.name)
        kept = self.lru.get(finished_key)
        if kept is not None and kept[0] == which:
            return kept[1], state.rows
        spec_ = kinds.kind_spec(spec.kind, spec.name)
        grid = kinds.Buckets(state.rule_ns, state.start_ns, state.labels, np.empty(0))
        columns = kinds.finish(spec_, state.before, grid, state.last_time)
        series = kinds.Series(state.labels, columns, state.band)
        self.lru.put(finished_key, (which, series))
        return series, state.rows

    def _read_buckets(self, run, spec, rule, opened: OpenFile, key, state: Buckets | None):
        """The file's buckets from disk or its rows, or `state` extended from the rows
        appended since; kept in memory and on disk. None when the rows are out of time
        order. (A state in memory that covers every row needs none of this: a glob's
        review found its disk entry's name, a hash, for each of its 1,200 frames.)"""
        rows = opened.rows
        disk_key = persisted.file_key("buckets", opened, spec.kind, str(rule), run.created_ns)
        if state is None and self.disk is not None:
            state = self.disk.load(
                disk_key, opened, lambda meta, arrays: persisted.buckets_of(Buckets, meta, arrays)
            )
        fresh = state is None
        # A chunk of rows at a time, each extending the last: bounded memory, and faster
        # than one pass over every row (the chunk stays in the CPU's caches).
        if state is None or state.rows == 0:
            state = self._buckets(spec, rule, opened, run.created_ns, None, CHUNK_ROWS)
        while state is not None and state.rows < rows:
            before = state.rows
            # At least twice the last bucket's rows, which each step reads again.
            step = max(CHUNK_ROWS, 2 * (state.rows - state.last_start))
            state = self._buckets(spec, rule, opened, run.created_ns, state, state.rows + step)
            if state is not None and state.rows <= before:
                return None  # shrank while read: let the merged path read what is there
        if state is None:
            return None
        self.lru.put(key, state)
        if self.disk is not None:
            self.disk.keep(disk_key, state.rows, lambda: persisted.buckets_entry(state), fresh)
        return state

    def _buckets(self, spec, rule, opened: OpenFile, origin_ns: int, old, stop: int):
        """Buckets over rows [0, stop) (`old` None), or `old` extended to `stop`: its last
        bucket's rows are read again; None if the rows are out of time order.

        Times stay int64 units (bucket edges are found on them, as pandas compares ns);
        only timeaverage, which weighs by gaps, needs every row's seconds."""
        start = 0 if old is None else max(0, old.last_start - 1)  # one row back: its time
        records = opened.records(start, min(stop, opened.rows))
        self.rows_decoded += len(records)
        fields = decode(records, opened.layout, origin_ns, seconds=spec.kind == "timeaverage")
        units = records[TIME]
        if not in_time_order(units):
            return None
        unit_ns = npr.TIME_UNITS_NS[opened.layout.time_unit]

        def seconds(at) -> float:
            return float(seconds_since(units[at : at + 1], opened.layout.time_unit, origin_ns)[0])

        offset = 0 if old is None else old.last_start - start  # 1, or 0 at the first row
        if old is not None and (len(units) <= offset or seconds(offset) != old.last_start_time):
            return self._buckets(spec, rule, opened, origin_ns, None, stop)  # rewritten
        previous = seconds(0) if old is not None and offset else None
        if offset:
            fields = {name: column[offset:] for name, column in fields.items()}
            units = units[offset:]
        base = start + offset

        def search(edges_ns: np.ndarray) -> np.ndarray:
            # t < edge  <=>  units < ceil((edge + origin) / unit): the same integers.
            return np.searchsorted(units, -(-(edges_ns + np.int64(origin_ns)) // unit_ns))

        last_time = seconds(len(units) - 1) if len(units) else 0.0
        kind_spec = kinds.kind_spec(spec.kind, spec.name)
        if old is None:
            first = seconds(0) if len(units) else 0.0
            rule_ns = kinds.ns_from_seconds(rule)
            start_ns = min(0, kinds.ns_from_seconds(first))
            count = kinds.grid_count(start_ns, rule_ns, last_time, spec.name)
            part = kinds.slice_buckets(units, start_ns, rule_ns, count, 0, search)
            before = kinds.bucket_values(kind_spec, fields, part, spec.name, None)
            band = self._band(spec, fields, part)
            labels = part.labels
            last_start = int(part.row_start[-2])
        else:
            k0 = len(old.labels) - 1
            start_ns, rule_ns = old.start_ns, old.rule_ns
            count = kinds.grid_count(start_ns, rule_ns, last_time, spec.name)
            part = kinds.slice_buckets(units, start_ns, rule_ns, count, k0, search)
            before = kinds.bucket_values(kind_spec, fields, part, spec.name, previous)
            band = self._band(spec, fields, part)
            before = {n: np.concatenate([old.before[n][:k0], c]) for n, c in before.items()}
            if band is not None and old.band is not None:
                band = tuple(np.concatenate([o[:k0], b]) for o, b in zip(old.band, band))
            labels = np.concatenate([old.labels[:k0], part.labels])
            last_start = old.last_start + int(part.row_start[-2])
        local = last_start - base
        last_start_time = seconds(local) if local < len(units) else np.nan
        return Buckets(
            opened.stamp,
            base + len(units),
            labels,
            before,
            band,
            last_start,
            last_start_time,
            last_time,
            start_ns,
            rule_ns,
        )

    @staticmethod
    def _band(spec, fields, buckets):
        if spec.kind not in kinds.BANDED:
            return None
        raw = kinds.raw_columns(spec.kind, fields)
        values = raw.get("value", next(iter(raw.values()), None))
        return None if values is None else kinds.band(values, buckets)

    # ---- the raw rule ------------------------------------------------------------------

    def raw(self, run: RunChannels, spec: ChannelSpec, width: int, x_range):
        """(rows, reduced, x0, x1, arrays) from block summaries, or every row when they
        are few a pixel (raw_direct.py), for a channel of one time-sorted file; None
        otherwise (then `series` merges every row)."""
        with ExitStack() as stack:
            files = [f for f in self._open(stack, run, spec) if not f.empty]
            if len(files) != 1:
                return None
            opened = files[0]
            if raw_direct.suits(opened.rows, width):
                return raw_direct.m4_of_rows(
                    opened, spec.kind, run.created_ns, width, x_range, self
                )
            summary = self.summary(run, spec, opened)
            if summary is None or not summary.sorted:
                return None
            return summary.m4(opened, run.created_ns, width, x_range, self)

    def summary(self, run: RunChannels, spec: ChannelSpec, opened: OpenFile) -> FileSummary:
        """The block summaries of one open file of the channel, built or extended (and
        kept in memory and on disk); shared by the raw rule and the grouped series."""
        key = ("summary", str(run.run_dir), opened.name, spec.kind, run.created_ns)
        summary: FileSummary | None = self.lru.get(key)
        if summary is not None and not summary.still_covers(opened):
            summary = None
        disk_key = persisted.file_key("summary", opened, spec.kind, run.created_ns)
        if summary is None and self.disk is not None:
            summary = self.disk.load(
                disk_key,
                opened,
                lambda meta, arrays: persisted.summary_of(spec.kind, meta, arrays),
            )
        fresh = summary is None
        if summary is None:
            summary = FileSummary.build(spec.kind, opened, run.created_ns, self)
        else:
            summary = summary.extended(opened, run.created_ns, self)
        self.lru.put(key, summary)
        if self.disk is not None:
            self.disk.keep(disk_key, summary.rows, lambda: persisted.summary_entry(summary), fresh)
        return summary
