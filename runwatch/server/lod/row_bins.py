"""A run's bins on a grid (run_bins.RunBins) straight from its file's rows, in one read.

When a bin holds only a few blocks' worth of rows (100 k rows at W = 420: 238 a
bin), most blocks are cut by a bin edge and `run_bins.from_summary` reads every
row anyway, after the summaries themselves read every row once. Binning the rows
directly reads them once and builds nothing: a cold grouped review needs no
summaries (bench/group_bench.py).

The bins are those of `run_bins.from_points` over the rows' seconds (NaN and ±inf
values ignored, [x0, x1] inclusive, a row's bin `m4.pixel_of`), but times stay
int64 units: each bin edge is found by `searchsorted` on the units, and only rows
within a hair of an edge (1e-9 of the range's magnitude) are converted to seconds
to settle which side they fall on exactly. Read a chunk at a time (bounded memory);
a file whose rows are out of time order or hold a NaT raises OutOfOrder, and its
caller bins the merged series instead.
"""

from __future__ import annotations

import threading

import numpy as np

from ...store import npr
from . import m4
from .rows import TIME, OpenFile, in_time_order, seconds_since
from .run_bins import Point, RunBins, _reduce, from_points
from .summaries import raw_rows

CHUNK_ROWS = 2**17  # rows read at once: bounded memory that stays in the CPU's caches
CHUNK_BYTES = 2**22  # and at most this many bytes (a row of many fields is long)
# Binning rows directly beats even built summaries up to about this many rows a bin
# (1 ms either way per 100 k rows; at more, whole blocks inside a bin save reading
# their rows); it always beats building them (3 ms per 100 k rows).
DIRECT_ROWS_PER_BIN = 1024
INT64_MIN, INT64_MAX = int(np.iinfo(np.int64).min), int(np.iinfo(np.int64).max)


class OutOfOrder(Exception):
    """The file's rows are not in time order, or one has no time (NaT)."""


def ends(opened: OpenFile, origin_ns: int) -> tuple[float, float]:
    """The seconds of the file's first and last rows (two one-row reads); NaN for a NaT."""
    n = opened.rows
    records = opened.records_in([(0, 1), (n - 1, n)])
    x = seconds_since(records[TIME], opened.layout.time_unit, origin_ns)
    return float(x[0]), float(x[1])


def raw_names(opened: OpenFile, kind: str) -> list[str]:
    """The file's raw columns (`raw_rows`' names), from its layout alone."""
    return list(raw_rows(kind, _fields(opened.records(0, 0)), 0.0))


def from_rows(
    opened: OpenFile,
    kind: str,
    column: str,
    origin_ns: int,
    x0: float,
    x1: float,
    width: int,
    counter,
    start: int = 0,
    stop: int | None = None,
    running: float = 0.0,
) -> RunBins:
    """The bins of rows [start, stop) of `column` (`raw_rows`' columns; cumsum's running
    sum starts at `running`), with `before` and `after` found among those rows."""
    stop = opened.rows if stop is None else min(stop, opened.rows)
    unit = opened.layout.time_unit
    elements: list[tuple[np.ndarray, ...]] = []
    before: Point | None = None
    after: Point | None = None
    last_unit = None
    itemsize = opened.layout.itemsize
    step = max(1, min(CHUNK_ROWS, CHUNK_BYTES // itemsize))
    into = _read_buffer(min(step, max(0, stop - start)) * itemsize)
    for chunk in range(start, stop, step):
        records = opened.records(chunk, min(stop, chunk + step), into)
        counter.rows_decoded += len(records)
        if len(records) == 0:
            break
        fields = _fields(records)
        units = fields[TIME]
        if not in_time_order(units):
            raise OutOfOrder(opened.name)
        if last_unit is not None and units[0] < last_unit:
            raise OutOfOrder(opened.name)
        last_unit = units[-1]
        values = raw_rows(kind, fields, running)
        if kind == "cumsum":
            running = float(values["value"][-1])
        v = values.get(column)
        if v is None:
            return from_points(np.empty(0), np.empty(0), x0, x1, width)
        v = np.ascontiguousarray(v, np.float64)  # reduceat is 5x faster on it
        if not np.isfinite(v.sum()):  # a NaN or ±inf row (or the sum overflowed)
            finite = np.isfinite(v)
            units, v = units[finite], v[finite]
        if len(units) == 0:
            continue
        cuts = edge_rows(units, unit, origin_ns, x0, x1, width)
        begin, end = int(cuts[0]), int(cuts[-1])
        if begin > 0:
            before = (_seconds(units, begin - 1, unit, origin_ns), float(v[begin - 1]))
        if end > begin:
            elements.append(_bin_rows(units, v, cuts, unit, origin_ns))
        if after is None and end < len(units):
            after = (_seconds(units, end, unit, origin_ns), float(v[end]))
    if not elements:
        empty = from_points(np.empty(0), np.empty(0), x0, x1, width)
        return empty._replace(before=before, after=after)
    if len(elements) == 1:  # one chunk: its bins are already one element each
        return _scatter(*elements[0], width, before, after)
    pixel, count, total, low, high, fx, fv, lx, lv = (np.concatenate(a) for a in zip(*elements))
    return _reduce(pixel, count, total, low, high, fx, fv, lx, lv, width, before, after)


_buffers = threading.local()


def _read_buffer(size: int) -> np.ndarray:
    """This thread's buffer of at least `size` bytes, reused from file to file."""
    buffer = getattr(_buffers, "bytes", None)
    if buffer is None or len(buffer) < size:
        buffer = _buffers.bytes = np.empty(size, np.uint8)
    return buffer


def _fields(records: np.ndarray) -> dict[str, np.ndarray]:
    """`decode(seconds=False)`, but float64 fields stay views of the records (a
    ufunc reads them in place; a copy is a pass over the rows)."""
    out = {}
    for name in records.dtype.names:
        column = records[name]
        keep = name == TIME or column.dtype == np.float64
        out[name] = column if keep else column.astype(np.float64)
    return out


def _scatter(pixel, count, total, low, high, fx, fv, lx, lv, width, before, after) -> RunBins:
    """RunBins of one element per bin (`pixel` increasing)."""
    out = []
    for values, fill in ((count, 0.0), (total, 0.0), (low, np.nan), (high, np.nan)):
        out.append(np.full(width, fill))
        out[-1][pixel] = values
    for values in (fx, fv, lx, lv):
        out.append(np.full(width, np.nan))
        out[-1][pixel] = values
    return RunBins(*out, before, after, int(count.sum()))


def _seconds(units: np.ndarray, at: int, unit: str, origin_ns: int) -> float:
    return float(seconds_since(units[at : at + 1], unit, origin_ns)[0])


def _bin_rows(units, v, cuts, unit, origin_ns) -> tuple[np.ndarray, ...]:
    """Per non-empty bin: its pixel, count, sum, min, max, first and last points."""
    starts, stops = cuts[:-1], cuts[1:]
    pixel = np.flatnonzero(stops > starts)
    starts, stops = starts[pixel], stops[pixel]
    begin = int(cuts[0])
    inside = v[begin : int(cuts[-1])]
    local = starts - begin
    count = (stops - starts).astype(np.float64)
    total = np.add.reduceat(inside, local)
    low = np.minimum.reduceat(inside, local)
    high = np.maximum.reduceat(inside, local)
    first_x = seconds_since(units[starts], unit, origin_ns)
    last_x = seconds_since(units[stops - 1], unit, origin_ns)
    return pixel, count, total, low, high, first_x, v[starts], last_x, v[stops - 1]


def edge_rows(
    units: np.ndarray, unit: str, origin_ns: int, x0: float, x1: float, width: int
) -> np.ndarray:
    """`width + 1` row indices into sorted `units`: [0] the first row with x >= x0, [W]
    the first with x > x1, and [k] between them the first row of bin k, exactly as
    `m4.range_rows` and `m4.pixel_of` place the rows by their seconds x."""
    unit_ns = npr.TIME_UNITS_NS[unit]
    origin_units, remainder = divmod(origin_ns, unit_ns)
    guess = x0 + (x1 - x0) * np.arange(width + 1) / width  # about where each edge is
    slack = 1e-9 * (1.0 + abs(x0) + abs(x1))  # far above the seconds' rounding

    # int64 room around the origin: a time past it saturates instead of wrapping.
    room = (max(INT64_MIN, INT64_MIN - origin_units), min(INT64_MAX, INT64_MAX - origin_units))

    def to_units(seconds: np.ndarray, up: bool) -> np.ndarray:
        """Units just below (`up` False) or above the seconds: never on the wrong side."""
        exact = (seconds * 1e9 + remainder) / unit_ns
        relative = np.ceil(exact) + 1 if up else np.floor(exact) - 1
        far = relative >= 2.0**62 if up else relative <= -(2.0**62)
        relative = np.clip(relative, -(2.0**62), 2.0**62).astype(np.int64)
        out = np.clip(relative, *room) + origin_units
        out[far] = INT64_MAX if up else INT64_MIN
        return out

    # Rows below `lo` are surely left of edge k, rows from `hi` on surely right of it.
    lo = np.searchsorted(units, to_units(guess - slack, False), "left")
    hi = np.searchsorted(units, to_units(guess + slack, True), "right")
    unsure = hi - lo
    total = int(unsure.sum())
    if total > len(units) // 8:  # edges packed tighter than the slack: every row exactly
        return _edge_rows_exactly(seconds_since(units, unit, origin_ns), x0, x1, width)
    if total == 0:
        cuts = lo
    else:
        edge = np.repeat(np.arange(width + 1), unsure)
        rows = lo[edge] + np.arange(total) - np.repeat(np.cumsum(unsure) - unsure, unsure)
        x = seconds_since(units[rows], unit, origin_ns)
        right = m4.pixel_of(x, x0, x1, width) >= edge
        right[edge == 0] = x[edge == 0] >= x0
        right[edge == width] = x[edge == width] > x1
        cuts = lo + np.bincount(edge[~right], minlength=width + 1)
    # Bin k's rows are those in [x0, x1] with pixel k: its first is within [begin, end].
    cuts[1:-1] = np.clip(cuts[1:-1], cuts[0], cuts[-1])
    return cuts


def _edge_rows_exactly(x: np.ndarray, x0: float, x1: float, width: int) -> np.ndarray:
    begin, end = m4.range_rows(x, x0, x1)
    pixel = m4.pixel_of(x[begin:end], x0, x1, width)
    inner = np.searchsorted(pixel, np.arange(1, width), "left") + begin
    return np.concatenate([[begin], inner, [end]]).astype(np.int64)
