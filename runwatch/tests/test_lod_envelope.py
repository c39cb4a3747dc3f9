"""A bucketed series at pixel resolution (envelope.py): each line's lowest and highest
bucket a pixel column, the band's envelope, against plain loops over the buckets."""

from __future__ import annotations

import numpy as np
import pytest

from runwatch.server.lod import envelope, m4, service, wire
from runwatch.server.paths import StorePaths
from runwatch.tests.lod_store import make_run, records
from runwatch.tests.test_lod_m4 import picks_by_loop

RUN = "2024-01-01 00-00-00 envelope-run"


@pytest.mark.parametrize("nan_share", [0.0, 0.1, 1.0])
def test_extreme_picks_are_the_loops_picks(nan_share):
    rng = np.random.default_rng(int(nan_share * 10) + 1)
    for _ in range(200):
        n = int(rng.integers(1, 300))
        values = rng.integers(-3, 4, n).astype(float)  # many equal extremes
        values[rng.random(n) < nan_share] = np.nan
        if rng.random() < 0.2:
            values[rng.integers(n)] = -np.inf if rng.random() < 0.5 else np.inf
        cuts = np.unique(rng.integers(1, n + 1, int(rng.integers(0, 12))))
        starts = np.concatenate([[0], cuts[cuts < n]]).astype(np.int64)
        got = sorted(set(envelope.extreme_picks(values, starts).tolist()))
        assert got == picks_by_loop(values, starts, n, ends=False), (values, starts)


def buckets(n: int, seed: int, nan_share: float = 0.0):
    rng = np.random.default_rng(seed)
    x = np.arange(n) * 60.0
    value = rng.normal(0, 1, n)
    value[rng.random(n) < nan_share] = np.nan
    lo = value - rng.random(n)
    hi = value + rng.random(n)
    return x, value, lo, hi


@pytest.mark.parametrize("nan_share", [0.0, 0.05])
@pytest.mark.parametrize("x_range", [None, (6_000.0, 50_000.0)])
def test_each_column_keeps_its_extremes_and_the_bands_envelope(nan_share, x_range):
    x, value, lo, hi = buckets(1_440, 3, nan_share)
    x0, x1 = x_range or service.extent(x)
    width = 100
    kept = envelope.reduce_buckets(x, [value], (lo, hi), x0, x1, width)
    assert kept.reduced
    rows = kept.rows
    assert np.all(np.diff(rows) > 0)
    begin, end = m4.range_rows(x, x0, x1)
    pixel = m4.pixel_of(x[begin:end], x0, x1, width)
    for column in np.unique(pixel):
        members = np.flatnonzero(pixel == column) + begin
        mine = rows[(rows >= members[0]) & (rows <= members[-1])]
        valid = members[~np.isnan(value[members])]
        assert len(set(mine.tolist()) - {0, len(x) - 1}) <= 3  # lowest, highest, first NaN
        if len(valid):
            assert np.nanmin(value[mine]) == value[valid].min()
            assert np.nanmax(value[mine]) == value[valid].max()
        at = np.searchsorted(rows, mine)
        assert np.all(kept.band[0][at] == np.nanmin(lo[members]))
        assert np.all(kept.band[1][at] == np.nanmax(hi[members]))
    # the ends, and the nearest bucket outside each side of the range, keep their own band
    outside = [0, len(x) - 1] + ([begin - 1] if begin else []) + ([end] if end < len(x) else [])
    for row in outside:
        at = int(np.searchsorted(rows, row))
        assert rows[at] == row
        if not begin <= row < end:
            assert kept.band[0][at] == lo[row] and kept.band[1][at] == hi[row]


def test_a_spike_in_one_bucket_survives_in_the_line_and_the_band():
    x, value, lo, hi = buckets(10_000, 5)
    value[6_543], hi[6_543] = 1e4, 2e4
    kept = envelope.reduce_buckets(x, [value], (lo, hi), *service.extent(x), 300)
    assert 6_543 in kept.rows
    assert value[kept.rows].max() == 1e4 and kept.band[1].max() == 2e4
    assert len(kept.rows) <= 2 * 300 + 4


def test_two_buckets_a_pixel_or_fewer_are_m4():
    x, value, lo, hi = buckets(600, 7)
    x0, x1 = service.extent(x)
    kept = envelope.reduce_buckets(x, [value], (lo, hi), x0, x1, 300)
    m4_kept = m4.reduce_series(x, [value, lo, hi], x0, x1, 300)
    assert kept.reduced == m4_kept.reduced
    np.testing.assert_array_equal(m4.gather(kept.rows, x), m4.gather(m4_kept.rows, x))
    np.testing.assert_array_equal(kept.band[0], m4.gather(m4_kept.rows, lo))


def test_every_line_of_a_kind_keeps_its_own_extremes():
    x, value, _, _ = buckets(3_000, 9)
    other = -value * 2 + 1
    kept = envelope.reduce_buckets(x, [value, other], None, *service.extent(x), 50)
    assert kept.band is None
    assert value[kept.rows].max() == value.max() and other[kept.rows].min() == other.min()
    assert value[kept.rows].min() == value.min() and other[kept.rows].max() == other.max()


def test_a_day_long_channel_at_60_s_sends_two_buckets_a_pixel(store):
    t = np.arange(100_000) * 0.864  # a day
    rng = np.random.default_rng(11)
    v = rng.normal(0, 1, len(t))
    v[50_000:50_010] = 1e4
    make_run(store, RUN, {"c": ("last", [records(t, [("x", "<f8")], x=v)])})
    svc = service.SeriesService(StorePaths(store), 2**30)
    run = svc.run(RUN)
    [(header, arrays)] = wire.parse_frames(svc.frame(run, run.channels["c"], 60, 300, None))
    assert header["reduced"] and header["rows"] == 100_000
    assert 600 <= len(arrays["x"]) <= 2 * 300 + 4  # of 1,440 buckets
    assert arrays["band.hi"].max() == 1e4  # the spike's rows are one bucket's max
    assert np.all(arrays["band.lo"] <= arrays["value"]) and np.all(
        arrays["value"] <= arrays["band.hi"]
    )


def test_the_raw_rule_stays_m4_when_its_rows_are_merged(store):
    """A channel of two files is merged from every row (no block summaries): its raw
    frame is still M4 over the rows, never the buckets' envelope."""
    rng = np.random.default_rng(13)
    t = np.arange(20_000) * 0.5
    v = rng.normal(0, 1, len(t))
    halves = [records(t[:10_000], [("x", "<f8")], x=v[:10_000])]
    halves.append(records(t[10_000:], [("x", "<f8")], x=v[10_000:]))
    make_run(store, RUN, {"c": ("last", halves)})
    svc = service.SeriesService(StorePaths(store), 2**30)
    run = svc.run(RUN)
    [(header, arrays)] = wire.parse_frames(svc.frame(run, run.channels["c"], "raw", 50, None))
    kept = m4.reduce_series(t, [v], *service.extent(t), 50)
    assert header["reduced"] and len(run.channels["c"].files) == 2
    np.testing.assert_array_equal(arrays["x"], t[kept.rows])
    np.testing.assert_array_equal(arrays["value"], v[kept.rows])
