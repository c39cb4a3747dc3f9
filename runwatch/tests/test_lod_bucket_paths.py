"""Bucket sums, counts, means and lasts skip the NaN mask when a chunk holds no NaN
(runwatch/server/lod/kinds.py): the same bits as the masked path, which still takes
every chunk with a NaN (or an inf - inf sum), and M4's picks stay unique and sorted."""

from __future__ import annotations

import numpy as np
import pytest

from runwatch.server.lod import kinds, m4


def buckets(time: np.ndarray, rule_s: float) -> kinds.Buckets:
    return kinds.make_buckets(time, rule_s)


def masked_last(values: np.ndarray, b: kinds.Buckets) -> np.ndarray:
    """The last non-NaN value per bucket, one bucket at a time."""
    out = np.full(len(b.labels), np.nan)
    for k, (start, stop) in enumerate(zip(b.row_start[:-1], b.row_start[1:])):
        valid = values[start:stop][~np.isnan(values[start:stop])]
        if len(valid):
            out[k] = valid[-1]
    return out


@pytest.fixture
def rows():
    rng = np.random.default_rng(7)
    # Gaps up to 30 s at a 10 s rule: some buckets are empty.
    time = np.cumsum(rng.uniform(0.0, 30.0, 5_000))
    return time, rng.normal(size=5_000) * 1e3


def test_a_clean_chunk_sums_counts_and_means_as_the_masked_path(rows):
    time, values = rows
    b = buckets(time, 10.0)
    assert kinds.has_no_nan(values)
    assert (np.diff(b.row_start) == 0).any()  # empty buckets are covered
    fast = kinds.bucket_sum(values, b), kinds.bucket_count(values, b)
    masked = kinds.bucket_sum(values, b, clean=False), kinds.bucket_count(values, b, clean=False)
    assert fast[0].tobytes() == masked[0].tobytes()  # the same additions: the same bits
    assert np.array_equal(fast[1], masked[1])
    mean = kinds.bucket_mean(values, b)
    with np.errstate(invalid="ignore"):
        expected = np.where(masked[1] > 0, masked[0] / masked[1], np.nan)
    assert np.array_equal(mean, expected, equal_nan=True)


def test_a_clean_chunk_keeps_each_buckets_last_row(rows):
    time, values = rows
    b = buckets(time, 10.0)
    assert np.array_equal(kinds.bucket_last(values, b), masked_last(values, b), equal_nan=True)


def test_a_chunk_with_nan_or_opposite_infinities_takes_the_masked_path(rows):
    time, values = rows
    with_nan = values.copy()
    with_nan[::7] = np.nan
    b = buckets(time, 10.0)
    assert not kinds.has_no_nan(with_nan)
    assert np.array_equal(kinds.bucket_last(with_nan, b), masked_last(with_nan, b), True)
    counts = kinds.bucket_count(with_nan, b)
    assert counts.sum() == np.count_nonzero(~np.isnan(with_nan))
    # inf - inf sums to NaN with no NaN row: the masked path, still right.
    infinite = values.copy()
    infinite[10], infinite[20] = np.inf, -np.inf
    assert not kinds.has_no_nan(infinite)
    assert kinds.bucket_count(infinite, b).sum() == len(infinite)
    assert np.array_equal(kinds.bucket_last(infinite, b), masked_last(infinite, b), True)


def test_m4_keeps_each_picked_row_once_in_order():
    x = np.arange(10_000, dtype=float)
    flat = np.zeros(10_000)  # every pick of a pixel is its first row: many repeats
    kept = m4.reduce_series(x, [flat, flat.copy()], 0.0, 9_999.0, 100)
    assert kept.reduced
    assert np.array_equal(kept.rows, np.unique(kept.rows))
    assert kept.rows[0] == 0 and kept.rows[-1] == 9_999


def test_integer_values_are_summed_as_doubles_as_before(rows):
    time, _ = rows
    b = buckets(time, 10.0)
    big = np.full(len(time), 2**53 + 1, np.int64)  # not a double: summed as 2**53 each
    assert not kinds.has_no_nan(big)
    as_doubles = kinds.bucket_sum(big.astype(np.float64), b, clean=False)
    assert np.array_equal(kinds.bucket_sum(big, b), as_doubles)
