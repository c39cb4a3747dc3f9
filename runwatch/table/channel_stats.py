"""One channel's summaries (`last`, `min`, `max`, `mean<N>`, `at<T>`) from its files.

A row's value is the kind's own per-row value, as the raw plots draw it
(`lod.kinds.raw_columns`): `total / count` for mean, the running total for
cumsum, `μ` for mean_std, the middle quantile for quantiles. Files are read with
the series endpoint's reader (`lod.rows.OpenFile`, pread, never mmap). `last`,
`mean<N>` and `at<T>` of one file in time order read only its last N rows or the
row found by bisecting on time; `min`, `max`, cumsum and a channel of several
files read every row (merged by time like the plots).

Results are cached per channel under its files' stamps (dev, inode, size, mtime,
as the run folder's scan saw them), so an unchanged channel reads no data file.
"""

from __future__ import annotations

import bisect
import math
import threading
from collections import OrderedDict
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from ..server.lod.cache import MAX_MERGED_ROWS
from ..server.lod.kinds import raw_columns
from ..server.lod.rows import TIME, ChannelError, ChannelSpec, OpenFile, merge_by_time
from ..server.paths import StorePaths
from .stat_keys import StatKey

MAX_ENTRIES = 250_000  # channels kept (10,000 runs x 25 channels); a few hundred bytes each
ALL_ROW_STATS = ("min", "max")


class Cell(tuple):
    """(value or None, error or None) of one summary."""

    __slots__ = ()

    def __new__(cls, value: float | None, error: str | None = None):
        return super().__new__(cls, (value, error))


class ChannelStatsCache:
    """Channel stamps -> {stat name: Cell}, least recently used dropped past MAX_ENTRIES."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, dict[str, Cell]] = OrderedDict()
        self._lock = threading.Lock()
        self.misses = 0  # channels read from disk (for tests and the bench)

    def cells(
        self,
        paths: StorePaths,
        run: str,
        spec: ChannelSpec,
        created_ns: int,
        stamps: tuple,
        wanted: list[StatKey],
    ) -> dict[str, Cell]:
        """{stat key: Cell} for the wanted stats of one channel of the run named `run`."""
        key = entry_key(run, spec, created_ns, stamps)
        with self._lock:
            known = self._entries.get(key)
            if known is not None:
                self._entries.move_to_end(key)
        missing = [stat for stat in wanted if known is None or _name(stat) not in known]
        if missing:
            self.misses += 1
            computed = compute(paths, paths.root / run, spec, created_ns, missing)
            with self._lock:
                known = {**(self._entries.get(key) or {}), **computed}
                self._entries[key] = known
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return {stat.key: known[_name(stat)] for stat in wanted}

    def known(self, key: tuple) -> dict[str, Cell] | None:
        """The cells kept under `key` (`entry_key`), without reading anything."""
        with self._lock:
            return self._entries.get(key)

    def seed(self, entries: list[tuple[tuple, dict[str, Cell]]]) -> None:
        """Keep cells computed earlier (read back from disk); an entry already in
        memory is kept as it is."""
        with self._lock:
            for key, cells in entries:
                self._entries.setdefault(key, cells)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def entry_key(run: str, spec: ChannelSpec, created_ns: int, stamps: tuple) -> tuple:
    """What a channel's summaries depend on: the run, the channel and its kind, the
    run's `_created` (for `at<T>`), and each file's (dev, inode, size, mtime)."""
    return (run, spec.name, spec.kind, created_ns, stamps)


def _name(stat: StatKey) -> str:
    return stat.stat if stat.arg is None else f"{stat.stat}{stat.arg}"


def compute(
    paths: StorePaths, run_dir: Path, spec: ChannelSpec, created_ns: int, wanted: list[StatKey]
) -> dict[str, Cell]:
    """{stat name: Cell}, reading the files now; a file that can't be read makes every
    cell of the channel null with its reason."""
    try:
        with ExitStack() as stack:
            files = [stack.enter_context(_Opened(paths, run_dir, name)) for name in spec.files]
            filled = [f for f in files if not f.empty and f.rows > 0]
            if not filled:
                return {_name(s): Cell(None) for s in wanted}
            tail = _tail_cells(spec, filled, created_ns, wanted)
            if tail is not None:
                return tail
            return _all_row_cells(spec, filled, created_ns, wanted)
    except ChannelError as error:
        return {_name(s): Cell(None, str(error)) for s in wanted}
    except OSError as error:
        reason = f"{spec.files[0]}: {error.strerror or error}"
        return {_name(s): Cell(None, reason) for s in wanted}


class _Opened(OpenFile):
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def row_values(kind: str, columns: dict[str, np.ndarray], file: str) -> np.ndarray:
    """The kind's one value per row (see the module's doc); ChannelError if it has none."""
    raw = raw_columns(kind, columns)
    for name in ("value", "mu"):
        if name in raw:
            return raw[name]
    names = list(raw)
    if kind == "quantiles" and names:
        return raw[names[len(names) // 2]]  # the median of the usual 0/25/50/75/100
    if len(names) == 1:
        return raw[names[0]]
    shown = ", ".join(names[:5]) or "none"
    raise ChannelError(f"{file}: no single value to summarise (fields: {shown})")


def _tail_cells(spec, filled, created_ns, wanted) -> dict[str, Cell] | None:
    """The cells from one file's tail and bisection; None when every row is needed."""
    if len(filled) > 1 or spec.kind == "cumsum" or any(s.stat in ALL_ROW_STATS for s in wanted):
        return None
    file = filled[0]
    rows = file.rows
    depth = max([s.arg for s in wanted if s.stat == "mean"] + [1])
    first = max(0, rows - depth)
    if first > 0 and depth > MAX_MERGED_ROWS:
        return None
    tail = file.columns(created_ns, first, rows)
    times = tail[TIME]
    if np.isnan(times).any() or not bool(np.all(times[1:] >= times[:-1])):
        return None  # out of time order: merge every row, as the plots do
    values = row_values(spec.kind, tail, file.name)
    cells = {}
    for stat in wanted:
        if stat.stat == "at":
            cells[_name(stat)] = _at_by_bisection(spec, file, created_ns, stat.arg)
        else:
            cells[_name(stat)] = _tail_cell(stat, values)
    return cells


def _tail_cell(stat: StatKey, values: np.ndarray) -> Cell:
    if stat.stat == "last":
        return Cell(_number(values[-1]))
    return Cell(_nan_mean(values[-stat.arg :]))


class _Times:
    """A file's row times (seconds since `_created`), read one row at a time for bisect."""

    def __init__(self, file: OpenFile, created_ns: int):
        self.file, self.created_ns = file, created_ns

    def __len__(self) -> int:
        return self.file.rows

    def __getitem__(self, row: int) -> float:
        return float(self.file.columns(self.created_ns, row, row + 1)[TIME][0])


def _at_by_bisection(spec, file: OpenFile, created_ns: int, seconds: int) -> Cell:
    after = bisect.bisect_right(_Times(file, created_ns), seconds)
    if after == 0:
        return Cell(None)  # no row yet at that time
    row = file.columns(created_ns, after - 1, after)
    return Cell(_number(row_values(spec.kind, row, file.name)[0]))


def _all_row_cells(spec, filled, created_ns, wanted) -> dict[str, Cell]:
    total = sum(f.rows for f in filled)
    if total > MAX_MERGED_ROWS:
        raise ChannelError(
            f"{filled[0].name}: {total:,} rows, over the {MAX_MERGED_ROWS:,} a summary reads"
        )
    merged = merge_by_time([f.columns(created_ns) for f in filled])
    values = row_values(spec.kind, merged, filled[0].name)
    times = merged[TIME]
    cells = {}
    for stat in wanted:
        cells[_name(stat)] = Cell(_whole_stat(stat, values, times))
    return cells


def _whole_stat(stat: StatKey, values: np.ndarray, times: np.ndarray) -> float | None:
    if len(values) == 0:
        return None
    if stat.stat == "last":
        return _number(values[-1])
    if stat.stat == "mean":
        return _nan_mean(values[-stat.arg :])
    if stat.stat == "at":
        after = int(np.searchsorted(times, stat.arg, "right"))
        return _number(values[after - 1]) if after else None
    finite = values[~np.isnan(values)]
    if len(finite) == 0:
        return None
    return _number(finite.min() if stat.stat == "min" else finite.max())


def _nan_mean(values: np.ndarray) -> float | None:
    finite = values[~np.isnan(values)]
    return _number(finite.mean()) if len(finite) else None


def _number(value) -> float | None:
    """A JSON-able float; NaN and infinities are null (JSON has neither)."""
    value = float(value)
    return value if math.isfinite(value) else None
