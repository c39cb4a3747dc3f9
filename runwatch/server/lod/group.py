"""Runs aggregated on a common grid (docs/server-api.md, "Grouped series"): pure numpy
over each run's bins (run_bins.py).

A run's value in a bin is the mean of its points there, with their min and max (so a
minmax band still shows every run's spike). A bin inside the run's extent that holds
none of its points takes the run's line interpolated linearly at the bin's centre
between its neighbouring points, so sparse logging doesn't make n flicker. Outside its
first and last points the run has no data, and n drops there.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np

from .run_bins import RunBins

CENTERS = ("mean", "median")
BANDS = ("minmax", "std", "stderr", "none")


class RunValues(NamedTuple):
    value: np.ndarray  # per bin; NaN where the run has no data
    low: np.ndarray
    high: np.ndarray


class Group(NamedTuple):
    center: np.ndarray
    lo: np.ndarray | None  # None for band=none
    hi: np.ndarray | None
    n: np.ndarray  # runs with data per bin


def run_values(bins: RunBins, centres: np.ndarray) -> RunValues:
    """The run's value, min and max per bin, empty bins inside its extent interpolated."""
    has = bins.count > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(has, bins.total / bins.count, np.nan)
    low, high = bins.low.copy(), bins.high.copy()
    empty = np.flatnonzero(~has)
    if len(empty):
        filled = np.flatnonzero(has)
        k = np.searchsorted(filled, empty)
        # Left neighbours: `before`, then each filled bin's last point; right ones: each
        # filled bin's first point, then `after`. Empty bin i sits between k-1 and k.
        nan = (np.nan, np.nan)
        left_x = np.concatenate([[(bins.before or nan)[0]], bins.last_x[filled]])
        left_v = np.concatenate([[(bins.before or nan)[1]], bins.last_v[filled]])
        right_x = np.concatenate([bins.first_x[filled], [(bins.after or nan)[0]]])
        right_v = np.concatenate([bins.first_v[filled], [(bins.after or nan)[1]]])
        lx, lv, rx, rv = left_x[k], left_v[k], right_x[k], right_v[k]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = (centres[empty] - lx) / (rx - lx)
            between = lv + (rv - lv) * share
        between = np.where(rx > lx, between, np.nan)  # NaN: no neighbour on one side
        value[empty] = low[empty] = high[empty] = between
    return RunValues(value, low, high)


def aggregate(runs: list[RunValues], center: str, band: str) -> Group:
    """Across runs per bin: the mean or median of their values, n, and the band:
    minmax (the least of the runs' mins to the greatest of their maxes), std
    (center ± the population std of their values), stderr (± std / sqrt(n)) or none."""
    if center not in CENTERS or band not in BANDS:
        raise ValueError(f"center {center!r} or band {band!r} unknown")
    if not runs:
        return Group(np.empty(0), None if band == "none" else np.empty(0), None, np.empty(0))
    values = np.vstack([r.value for r in runs])
    n = np.count_nonzero(~np.isnan(values), axis=0).astype(np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN bins stay NaN
        mid = np.nanmean(values, axis=0) if center == "mean" else np.nanmedian(values, axis=0)
        if band == "none":
            return Group(mid, None, None, n)
        if band == "minmax":
            lo = np.nanmin(np.vstack([r.low for r in runs]), axis=0)
            hi = np.nanmax(np.vstack([r.high for r in runs]), axis=0)
            return Group(mid, lo, hi, n)
        spread = np.nanstd(values, axis=0)
        if band == "stderr":
            spread = spread / np.sqrt(n)
    return Group(mid, mid - spread, mid + spread, n)
