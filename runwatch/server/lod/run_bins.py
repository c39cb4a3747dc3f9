"""One run's values on a common grid of bins: per bin the count, sum, min and max of
its finite points, and its first and last point, plus the run's nearest finite point
outside the grid on either side (so an empty edge bin can still be interpolated).

`from_points` bins a series' points (buckets, or rows already in memory);
`from_summary` gets the same numbers from a file's block summaries (summaries.py):
a block or coarse block that lies inside one bin, holds no ±inf and is in range is
used whole, and only the rows of the blocks a bin edge cuts are read. Both give the
same bins for the same rows (runwatch/tests/test_group_bins.py). Where bins hold
few rows, edges cut most blocks: row_bins.py bins the rows directly instead.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import m4
from .rows import OpenFile
from .summaries import BLOCK, FAN, FileSummary

Point = tuple[float, float]


class RunBins(NamedTuple):
    count: np.ndarray  # finite points per bin
    total: np.ndarray  # their sum
    low: np.ndarray  # their min (NaN where none)
    high: np.ndarray  # their max
    first_x: np.ndarray  # each bin's first point (NaN where none)
    first_v: np.ndarray
    last_x: np.ndarray  # and its last
    last_v: np.ndarray
    before: Point | None  # the run's last finite point left of the grid
    after: Point | None  # its first finite point right of the grid
    points: int  # finite points inside the grid


def edges(x0: float, x1: float, width: int) -> np.ndarray:
    """The grid's `width + 1` bin edges; bin i is where `m4.pixel_of` puts a point."""
    return x0 + (x1 - x0) * np.arange(width + 1) / width


def centres(x0: float, x1: float, width: int) -> np.ndarray:
    e = edges(x0, x1, width)
    return (e[:-1] + e[1:]) / 2


def _reduce(pixel, count, total, low, high, fx, fv, lx, lv, width: int, before, after) -> RunBins:
    """Elements (single points or whole blocks) in x order, `pixel` non-decreasing,
    reduced per bin."""
    out_count = np.zeros(width)
    out_total = np.zeros(width)
    out = [np.full(width, np.nan) for _ in range(6)]
    if len(pixel):
        starts = np.flatnonzero(np.diff(pixel, prepend=-1))
        ends = np.append(starts[1:], len(pixel)) - 1
        bins = pixel[starts]
        out_count[bins] = np.add.reduceat(count, starts)
        out_total[bins] = np.add.reduceat(total, starts)
        out[0][bins] = np.minimum.reduceat(low, starts)
        out[1][bins] = np.maximum.reduceat(high, starts)
        out[2][bins], out[3][bins] = fx[starts], fv[starts]
        out[4][bins], out[5][bins] = lx[ends], lv[ends]
    points = int(out_count.sum())
    return RunBins(out_count, out_total, *out, before, after, points)


def from_points(
    x: np.ndarray,
    v: np.ndarray,
    x0: float,
    x1: float,
    width: int,
    low: np.ndarray | None = None,
    high: np.ndarray | None = None,
) -> RunBins:
    """Bins of a series' points (x sorted). NaN and ±inf values are ignored, as the
    kinds ignore them; `low`/`high` (a bucket's raw min and max) widen a bin's min
    and max beyond the values themselves."""
    keep = np.isfinite(v) & np.isfinite(x)
    x, v = x[keep], v[keep]
    low = v if low is None else np.fmin(low[keep], v)
    high = v if high is None else np.fmax(high[keep], v)
    begin, end = m4.range_rows(x, x0, x1)
    before = (float(x[begin - 1]), float(v[begin - 1])) if begin > 0 else None
    after = (float(x[end]), float(v[end])) if end < len(x) else None
    xs, vs = x[begin:end], v[begin:end]
    pixel = m4.pixel_of(xs, x0, x1, width)
    ones = np.ones(len(xs))
    return _reduce(
        pixel, ones, vs, low[begin:end], high[begin:end], xs, vs, xs, vs, width, before, after
    )


def from_summary(
    summary: FileSummary,
    column: str,
    opened: OpenFile,
    origin_ns: int,
    x0: float,
    x1: float,
    width: int,
    counter,
) -> RunBins | None:
    """The same bins as `from_points` over the file's raw rows of `column`, from its
    block summaries; None when it has no rows or no such column."""
    blocks, coarse, n = summary.blocks, summary.coarse, summary.rows
    if blocks is None or n == 0 or column not in blocks.columns:
        return None
    begin, end = summary._bounds(opened, origin_ns, x0, x1, counter)
    before = neighbour(summary, column, opened, origin_ns, begin - 1, -1, counter)
    after = neighbour(summary, column, opened, origin_ns, end, 1, counter)
    if begin >= end:
        return from_points(np.empty(0), np.empty(0), x0, x1, width)._replace(
            before=before, after=after
        )
    b, c = blocks.columns[column], coarse.columns[column]

    def whole(xf, xl, sums, ids, size):
        """Of blocks `ids` of `size` rows: their bins, first rows, and which can be used
        whole (in range, one bin, no ±inf)."""
        pf = m4.pixel_of(xf[ids], x0, x1, width)
        pl = m4.pixel_of(xl[ids], x0, x1, width)
        lo, hi = ids * size, np.minimum((ids + 1) * size, n)
        with np.errstate(invalid="ignore"):
            finite = np.isfinite(sums["sum"][ids]) | (sums["count"][ids] == 0)
        return pf, lo, (lo >= begin) & (hi <= end) & (pf == pl) & finite

    span = BLOCK * FAN
    cids = np.arange(begin // span, (end - 1) // span + 1)
    cpf, clo, cwhole = whole(coarse.xf, coarse.xl, c, cids, span)
    ids = (cids[~cwhole][:, None] * FAN + np.arange(FAN)).ravel()
    ids = ids[(ids >= begin // BLOCK) & (ids <= (end - 1) // BLOCK)]
    pf, lo, bwhole = whole(blocks.xf, blocks.xl, b, ids, BLOCK)
    rows, x, raw = summary.read_blocks(opened, origin_ns, ids[~bwhole], counter)
    values = raw[column] if len(rows) else np.empty(0)
    keep = (rows >= begin) & (rows < end) & np.isfinite(values)
    rows, x, values = rows[keep], x[keep], values[keep]

    def field(name: str, row_values: np.ndarray) -> np.ndarray:
        return np.concatenate([c[name][cids][cwhole], b[name][ids][bwhole], row_values])

    element_row = np.concatenate([clo[cwhole], lo[bwhole], rows])
    count = field("count", np.ones(len(rows)))
    used = count > 0  # a block of NaN rows only adds nothing
    order = np.argsort(element_row[used], kind="stable")

    def pick(name: str, row_values: np.ndarray) -> np.ndarray:
        return field(name, row_values)[used][order]

    pixel = np.concatenate([cpf[cwhole], pf[bwhole], m4.pixel_of(x, x0, x1, width)])
    return _reduce(
        pixel[used][order],
        count[used][order],
        pick("sum", values),
        pick("mn", values),
        pick("mx", values),
        pick("xfv", x),
        pick("vfv", values),
        pick("xlv", x),
        pick("vlv", values),
        width,
        before,
        after,
    )


MAX_NEIGHBOUR_BLOCKS = 64  # blocks read looking for a finite neighbour before giving up


def neighbour(summary, column, opened, origin_ns, row: int, step: int, counter) -> Point | None:
    """The first finite point from `row` on in direction `step` (-1 back, 1 on): the
    summaries say which blocks hold a non-NaN row; only those are read (±inf rows are
    skipped, which may take a few blocks)."""
    b, n = summary.blocks.columns[column], summary.rows
    if not 0 <= row < n:
        return None
    block, read = row // BLOCK, 0
    last_block = len(summary.blocks.xf) - 1
    while 0 <= block <= last_block and read < MAX_NEIGHBOUR_BLOCKS:
        if b["count"][block] > 0:
            rows, x, raw = summary.read_blocks(opened, origin_ns, np.array([block]), counter)
            values = raw[column]
            inside = (rows <= row) if step < 0 else (rows >= row)
            hits = np.flatnonzero(inside & np.isfinite(values))
            read += 1
            if len(hits):
                at = hits[-1] if step < 0 else hits[0]
                return float(x[at]), float(values[at])
        block += step
        if step < 0:  # skip blocks with no non-NaN row without reading them
            filled = np.flatnonzero(b["count"][: block + 1] > 0)
            block = int(filled[-1]) if len(filled) else -1
        else:
            filled = np.flatnonzero(b["count"][block:] > 0)
            block = block + int(filled[0]) if len(filled) else last_block + 1
    return None
