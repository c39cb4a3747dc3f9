"""M4 (Jugel et al., VLDB 2014): per pixel column the first, min, max and last rows,
which draw pixel-identical to every row. The same picks as TypeScript's
`reduceSeries` (src/plots/series/reduce.ts) over `downsampleMinMax`
(src/store/downsample.ts); test/vectors/series.json holds both to the same output.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Reduced(NamedTuple):
    rows: np.ndarray | None  # kept row indices, sorted; None: every row
    reduced: bool  # rows inside the range were dropped


def range_rows(x: np.ndarray, x0: float, x1: float) -> tuple[int, int]:
    """[begin, end): the rows with x0 <= x <= x1."""
    return int(np.searchsorted(x, x0, "left")), int(np.searchsorted(x, x1, "right"))


def reduce_series(
    x: np.ndarray, columns: list[np.ndarray], x0: float, x1: float, bins: int
) -> Reduced:
    """The rows to send for `columns` over [x0, x1] at `bins` pixel columns.

    Up to 4 rows per pixel: the rows in range, one either side, and the first and
    last rows. Beyond: the union over every column of its M4 picks, a NaN per pixel
    that holds one (so the line breaks), the first and last rows and the nearest
    row outside each side (so lines run to the edges); all columns share one x.
    """
    n = len(x)
    begin, end = range_rows(x, x0, x1)
    if end - begin <= 4 * bins:
        start, stop = max(0, begin - 1), min(n, end + 1)
        if start == 0 and stop == n:
            return Reduced(None, False)
        head = [0] if start > 0 else []
        tail = [n - 1] if stop < n else []
        rows = np.concatenate([head, np.arange(start, stop), tail]).astype(np.int64)
        return Reduced(rows, False)
    if not columns:
        return Reduced(np.empty(0, np.int64), True)  # as reduceSeries: nothing to keep
    kept = [np.array([0, n - 1], np.int64)]
    if begin > 0:
        kept.append(np.array([begin - 1]))
    if end < n:
        kept.append(np.array([end]))
    pixel = pixel_of(x[begin:end], x0, x1, bins)
    starts = np.flatnonzero(np.diff(pixel, prepend=-1)) + begin
    for column in columns:
        kept.append(pixel_picks(column, starts, end))
    rows = sorted_unique(np.concatenate(kept))
    in_range = np.count_nonzero((rows >= begin) & (rows < end))
    return Reduced(rows, in_range < end - begin)


def sorted_unique(rows: np.ndarray) -> np.ndarray:
    """`rows` sorted (in place) without repeats: np.unique's hashing costs 6x this on a
    few thousand rows."""
    rows.sort()
    return rows[np.concatenate(([True], rows[1:] != rows[:-1]))]


def span(first: float, last: float) -> tuple[float, float]:
    """The whole range of rows from `first` to `last` x: from `min(0, first)` to `last`
    (TypeScript's `seriesExtent`)."""
    lo = min(0.0, first)
    return lo, last if last > lo else lo + 1


def pixel_of(x: np.ndarray, x0: float, x1: float, bins: int) -> np.ndarray:
    """Each x's pixel column, `min(bins - 1, floor((x - x0) * bins / (x1 - x0)))`."""
    columns = max(1, int(bins))
    scale = columns / (x1 - x0) if x1 > x0 else 0.0
    return np.minimum(columns - 1, np.floor((x - x0) * scale)).astype(np.int64)


def pixel_picks(values: np.ndarray, starts: np.ndarray, end: int) -> np.ndarray:
    """Per segment [starts[i], starts[i + 1] or end): the first, lowest, highest and
    last non-NaN rows (the first of equal extremes) and the first NaN row."""
    segment = values[starts[0] : end]
    offset = int(starts[0])
    local = starts - offset
    length = np.diff(np.append(local, len(segment)))
    nan = np.isnan(segment)
    if not nan.any():
        return _picks_without_nan(segment, local, length) + offset
    seg_of_row = np.repeat(np.arange(len(local)), length)
    picks = []
    for mask in (~nan, nan):
        where = np.flatnonzero(mask)
        if len(where):
            owner = seg_of_row[where]
            first = np.ones(len(where), bool)
            first[1:] = owner[1:] != owner[:-1]
            picks.append(where[first])
            if mask is not nan:
                last = np.ones(len(where), bool)
                last[:-1] = owner[1:] != owner[:-1]
                picks.append(where[last])
    valid = np.flatnonzero(~nan)
    if len(valid):
        owner = seg_of_row[valid]
        cut = np.flatnonzero(np.diff(owner, prepend=-1))
        v = segment[valid]
        for ufunc in (np.minimum, np.maximum):
            extreme = ufunc.reduceat(v, cut)
            hit = v == extreme[np.repeat(np.arange(len(cut)), np.diff(np.append(cut, len(v))))]
            at = np.flatnonzero(hit)
            first = np.ones(len(at), bool)
            first[1:] = owner[at[1:]] != owner[at[:-1]]
            picks.append(valid[at[first]])
    return np.concatenate(picks) + offset if picks else np.empty(0, np.int64)


def _picks_without_nan(segment: np.ndarray, local: np.ndarray, length: np.ndarray):
    """`pixel_picks` of a segment with no NaN (the common case): each segment's first
    and last rows are its ends, and its extremes are found without masking rows."""
    picks = [local, local + length - 1]
    for ufunc in (np.minimum, np.maximum):
        extreme = np.repeat(ufunc.reduceat(segment, local), length)
        at = np.flatnonzero(segment == extreme)
        # The first hit of each segment: where the segment changes from the last hit's.
        owner = np.searchsorted(local, at, "right")
        first = np.ones(len(at), bool)
        first[1:] = owner[1:] != owner[:-1]
        picks.append(at[first])
    return np.concatenate(picks)


def gather(rows: np.ndarray | None, array: np.ndarray) -> np.ndarray:
    return array if rows is None else array[rows]
