"""A run's bins on a common grid (lod/run_bins.py) and the aggregation across runs
(lod/group.py): the summaries give the same bins as every row, empty bins inside a
run are interpolated, n drops outside it, and each center and band."""

from __future__ import annotations

from contextlib import closing

import numpy as np
import pytest

from runwatch.server.lod import group, kinds, run_bins
from runwatch.server.lod.rows import OpenFile, run_channels
from runwatch.server.lod.summaries import FileSummary
from runwatch.server.paths import StorePaths
from runwatch.tests.lod_store import make_run, records

RUN = "2024-01-01 00-00-00 bins"


class Counter:
    rows_decoded = 0


def rows_with_faults(n: int, seed: int):
    """Uneven times with a silent hour, NaN and ±inf rows, and a spike."""
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.exponential(0.5, n))
    t[n // 3 :] += 3600  # a gap: bins there hold none of the run's points
    v = rng.normal(size=n)
    v[rng.choice(n, n // 50, replace=False)] = np.nan
    v[rng.choice(n, 5, replace=False)] = np.inf
    v[rng.choice(n, 5, replace=False)] = -np.inf
    v[n // 2] = 1e6
    return t, v


FIELD = {"last": "x", "mean": "total", "cumsum": "total"}


@pytest.mark.parametrize("width", [1, 7, 300, 5000])
@pytest.mark.parametrize("span", ["whole", "inside", "beyond"])
@pytest.mark.parametrize("kind", ["last", "mean", "cumsum"])
def test_summaries_give_the_bins_of_every_row(store, width, span, kind):
    t, v = rows_with_faults(50_000, seed=width)
    if kind == "cumsum":
        v = np.where(np.isinf(v), 1.0, v)  # else the running sum is inf from the first
    field = FIELD[kind]
    make_run(store, RUN, {"c": (kind, [records(t, [(field, "<f8")], **{field: v})])})
    paths = StorePaths(store)
    run = run_channels(paths, RUN)
    with closing(OpenFile(paths, run.run_dir, "stats.c.0.npr")) as opened:
        fields = opened.columns(run.created_ns)
        t = fields["_time"]  # as stored: whole ns
        v = kinds.raw_columns(kind, fields)["value"]  # each row's own value
    x0, x1 = {"whole": (0.0, t[-1]), "inside": (t[100], t[30_000]), "beyond": (-50, 2 * t[-1])}[
        span
    ]
    with closing(OpenFile(paths, run.run_dir, "stats.c.0.npr")) as opened:
        summary = FileSummary.build(kind, opened, run.created_ns, Counter())
        counter = Counter()
        fast = run_bins.from_summary(
            summary, "value", opened, run.created_ns, x0, x1, width, counter
        )
    every = run_bins.from_points(t, v, x0, x1, width)
    assert fast.before == every.before and fast.after == every.after
    assert fast.points == every.points
    for name in ("count", "low", "high", "first_x", "first_v", "last_x", "last_v"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(every, name), err_msg=name)
    np.testing.assert_allclose(fast.total, every.total, rtol=1e-9, atol=1e-9)
    if width == 7 and span == "whole":
        assert counter.rows_decoded < len(t) / 20  # whole blocks come from their summaries
    if kind != "cumsum":
        assert np.nanmax(fast.high) == 1e6  # the spike is in its bin's max


def test_a_bin_without_points_inside_the_run_is_interpolated():
    x = np.array([0.0, 10.0])
    bins = run_bins.from_points(x, np.array([0.0, 100.0]), 0.0, 10.0, 10)
    values = group.run_values(bins, run_bins.centres(0.0, 10.0, 10))
    # Bins 1..8 hold no point: the line from (0, 0) to (10, 100) at their centres.
    np.testing.assert_allclose(values.value[1:-1], 10 * np.arange(1.5, 9.5))
    np.testing.assert_allclose(values.low[1:-1], values.value[1:-1])
    assert values.value[0] == 0 and values.value[-1] == 100


def test_points_outside_the_grid_are_the_edge_bins_neighbours():
    x = np.array([-5.0, 15.0])
    bins = run_bins.from_points(x, np.array([0.0, 20.0]), 0.0, 10.0, 2)
    values = group.run_values(bins, run_bins.centres(0.0, 10.0, 2))
    np.testing.assert_allclose(values.value, [7.5, 12.5])


def test_a_run_has_no_data_outside_its_first_and_last_points():
    x = np.arange(0.0, 5.0, 0.5)
    short = group.run_values(run_bins.from_points(x, x, 0.0, 10.0, 10), run_bins.centres(0, 10, 10))
    full = group.run_values(
        run_bins.from_points(np.arange(0.0, 10.0, 0.5), np.ones(20), 0.0, 10.0, 10),
        run_bins.centres(0, 10, 10),
    )
    result = group.aggregate([short, full], "mean", "minmax")
    np.testing.assert_array_equal(result.n, [2] * 5 + [1] * 5)
    np.testing.assert_allclose(result.center[5:], 1.0)  # the long run alone


def test_nan_and_inf_points_are_ignored():
    bins = run_bins.from_points(
        np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, np.nan, np.inf, 3.0]), 0.0, 4.0, 1
    )
    assert bins.count[0] == 2 and bins.total[0] == 4 and bins.high[0] == 3


def values_of(*rows: list[float]) -> list[group.RunValues]:
    return [group.RunValues(np.array(r), np.array(r) - 1, np.array(r) + 1) for r in rows]


def test_centers_and_bands():
    runs = values_of([1.0, 2.0, np.nan], [2.0, 4.0, 5.0], [6.0, 9.0, np.nan])
    mean = group.aggregate(runs, "mean", "std")
    np.testing.assert_allclose(mean.center, [3.0, 5.0, 5.0])
    std = np.array([np.std([1, 2, 6]), np.std([2, 4, 9]), 0.0])  # population std
    np.testing.assert_allclose(mean.hi - mean.center, std)
    np.testing.assert_allclose(mean.center - mean.lo, std)
    np.testing.assert_array_equal(mean.n, [3, 3, 1])
    median = group.aggregate(runs, "median", "stderr")
    np.testing.assert_allclose(median.center, [2.0, 4.0, 5.0])
    np.testing.assert_allclose(median.hi - median.center, std / np.sqrt([3, 3, 1]))
    minmax = group.aggregate(runs, "mean", "minmax")
    np.testing.assert_allclose(minmax.lo, [0.0, 1.0, 4.0])  # the runs' own mins
    np.testing.assert_allclose(minmax.hi, [7.0, 10.0, 6.0])
    none = group.aggregate(runs, "median", "none")
    assert none.lo is None and none.hi is None


def test_a_bin_no_run_has_is_nan_with_n_zero():
    result = group.aggregate(values_of([np.nan, 1.0], [np.nan, 3.0]), "median", "minmax")
    assert np.isnan(result.center[0]) and np.isnan(result.lo[0]) and result.n[0] == 0
