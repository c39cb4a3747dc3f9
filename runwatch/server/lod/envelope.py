"""A bucketed series at pixel resolution: when a rule's buckets outnumber twice the
plot's pixel columns, per pixel column each line keeps only its lowest and highest
bucket (in time order), and the band keeps the column's envelope, the lowest low and
the highest high. M4 (m4.py) keeps up to four buckets a column, which at 60 s buckets
on a day-long run in a 300-pixel plot (about 5 a column) keeps nearly all of them.

What this gives up against M4: a column's first and last buckets, which only place
the short segments joining one column's line to the next. Every extreme survives,
the band's pixels are the same, and zooming asks for the range again at its own
resolution.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import m4

# Above this many buckets a pixel column, the envelope; at or below, M4.
ENVELOPE_ABOVE = 2


class Kept(NamedTuple):
    rows: np.ndarray | None  # kept bucket indices, sorted; None: every bucket
    reduced: bool  # buckets inside the range were dropped
    band: tuple[np.ndarray, np.ndarray] | None  # lo and hi at the kept rows


def reduce_buckets(
    x: np.ndarray,
    lines: list[np.ndarray],
    band: tuple[np.ndarray, np.ndarray] | None,
    x0: float,
    x1: float,
    bins: int,
) -> Kept:
    """The buckets to send over [x0, x1] at `bins` pixel columns, and the band there.

    At most `ENVELOPE_ABOVE` buckets a column in range: M4 over the lines and the
    band's edges, as `m4.reduce_series`. Beyond: each line's lowest and highest
    bucket a column and its first NaN (so the line breaks), the first and last
    buckets and the nearest bucket outside each side (so lines run to the edges);
    a kept bucket inside the range carries its column's band envelope.
    """
    begin, end = m4.range_rows(x, x0, x1)
    columns = max(1, int(bins))
    if end - begin <= ENVELOPE_ABOVE * columns or not lines:
        return m4_kept(x, lines, band, x0, x1, bins)
    n = len(x)
    changes = np.diff(m4.pixel_of(x[begin:end], x0, x1, bins), prepend=-1) != 0
    starts = np.flatnonzero(changes)
    owner = np.cumsum(changes) - 1  # each bucket's column, counted from the range's first
    picks = [np.array([0, n - 1], np.int64)]
    if begin > 0:
        picks.append(np.array([begin - 1], np.int64))
    if end < n:
        picks.append(np.array([end], np.int64))
    for line in lines:
        picks.append(extreme_picks(line[begin:end], starts, owner) + begin)
    rows = m4.sorted_unique(np.concatenate(picks))
    if band is None:
        return Kept(rows, True, None)
    return Kept(rows, True, _band_at(rows, band, begin, end, starts, owner))


def m4_kept(
    x: np.ndarray,
    lines: list[np.ndarray],
    band: tuple[np.ndarray, np.ndarray] | None,
    x0: float,
    x1: float,
    bins: int,
) -> Kept:
    """M4 over the lines and the band's edges (`m4.reduce_series`): the raw rule's
    reduction, and a bucketed rule's at two buckets a pixel column or fewer."""
    edges = [] if band is None else list(band)
    kept = m4.reduce_series(x, lines + edges, x0, x1, bins)
    gathered = None if band is None else tuple(m4.gather(kept.rows, b) for b in band)
    return Kept(kept.rows, kept.reduced, gathered)


def extreme_picks(
    values: np.ndarray, starts: np.ndarray, owner: np.ndarray | None = None
) -> np.ndarray:
    """Per segment [starts[i], starts[i + 1] or the end): the lowest and highest
    non-NaN rows (the first of equal extremes) and the first NaN row. `owner`: each
    row's segment, if known."""
    if owner is None:
        owner = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(values))))
    nan = np.isnan(values)
    has_nan = bool(nan.any())
    picks = []
    for ufunc, fill in ((np.minimum, np.inf), (np.maximum, -np.inf)):
        filled = np.where(nan, fill, values) if has_nan else values
        hit = filled == ufunc.reduceat(filled, starts)[owner]
        picks.append(_first_each(np.flatnonzero(hit & ~nan if has_nan else hit), owner))
    if has_nan:
        picks.append(_first_each(np.flatnonzero(nan), owner))
    return np.concatenate(picks)


def _first_each(at: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Of rows `at` (sorted), the first in each segment."""
    if len(at) == 0:
        return at
    seg = owner[at]
    first = np.ones(len(at), bool)
    first[1:] = seg[1:] != seg[:-1]
    return at[first]


def _band_at(rows, band, begin, end, starts, owner):
    """The band at the kept rows: a row in range gets its column's lowest low and
    highest high (NaN ignored), a row outside its own."""
    lo, hi = band
    with np.errstate(invalid="ignore"):
        column_lo = np.fmin.reduceat(lo[begin:end], starts)
        column_hi = np.fmax.reduceat(hi[begin:end], starts)
    inside = (rows >= begin) & (rows < end)
    column = owner[rows[inside] - begin]
    out_lo, out_hi = lo[rows], hi[rows]  # copies (fancy indexing)
    out_lo[inside] = column_lo[column]
    out_hi[inside] = column_hi[column]
    return out_lo, out_hi
