"""The runs' bands folded into one on the server (runs_envelope.py): folded again as
the page folds bands (`runsEnvelope`), it gives what folding every run's band gives."""

from __future__ import annotations

import math

import numpy as np
import pytest

from runwatch.server.lod.runs_envelope import runs_envelope


def page_fold(bands, x0, x1, columns):
    """The page's `runsEnvelope`, point by point: each column's lowest low and highest
    high (the first of equal ones), and on each side the nearest point beyond."""
    scale = columns / (x1 - x0) if x1 > x0 else 0.0
    low = [None] * columns
    high = [None] * columns
    beyond = {}
    for x, lo, hi in bands:
        for at, l, h in zip(x.tolist(), lo.tolist(), hi.tolist()):
            if x0 <= at <= x1:
                c = min(columns - 1, math.floor((at - x0) * scale))
                if not math.isnan(l) and (low[c] is None or l < low[c][1]):
                    low[c] = (at, l)
                if not math.isnan(h) and (high[c] is None or h > high[c][1]):
                    high[c] = (at, h)
            else:
                for side, y, sign in (("lo", l, 1), ("hi", h, -1)):
                    if math.isnan(y):
                        continue
                    key = (at < x0, side)
                    best = beyond.get(key)
                    nearer = best is None or (at > best[0] if at < x0 else at < best[0])
                    if nearer or (at == best[0] and sign * (y - best[1]) < 0):
                        beyond[key] = (at, y)
    return (
        [p for p in low if p],
        [p for p in high if p],
        {k: beyond[k] for k in sorted(beyond)},
    )


def random_band(rng, n, start):
    x = np.sort(rng.uniform(start, start + 1000, n))
    lo = np.round(rng.normal(size=n), 1)  # ties
    hi = lo + np.abs(np.round(rng.normal(size=n), 1))
    lo[rng.random(n) < 0.05] = np.nan
    hi[rng.random(n) < 0.05] = np.nan
    return x, lo, hi


@pytest.mark.parametrize("seed", range(20))
def test_folded_again_it_is_every_runs_bands_folded(seed):
    rng = np.random.default_rng(seed)
    bands = [random_band(rng, int(rng.integers(0, 300)), rng.uniform(-50, 50)) for _ in range(7)]
    x0, x1 = sorted(rng.uniform(-100, 1100, 2)) if seed % 2 else (-50.0, 1050.0)
    columns = int(rng.integers(1, 200))
    shared = runs_envelope(bands, x0, x1, columns)
    assert np.all(np.diff(shared[0]) >= 0)  # sorted by x
    assert len(shared[0]) <= 2 * columns + sum(len(b[0]) for b in bands)
    assert page_fold([shared], x0, x1, columns) == page_fold(bands, x0, x1, columns)


def test_a_spike_of_one_run_is_the_folds_high_at_its_own_x():
    x = np.arange(100.0)
    flat = (x, np.zeros(100), np.ones(100))
    spiky = (x, np.zeros(100), np.ones(100))
    spiky[2][42] = 1e4
    out_x, _, hi = runs_envelope([flat, spiky, flat], 0.0, 99.0, 10)
    assert np.nanmax(hi) == 1e4
    assert out_x[np.nanargmax(hi)] == 42.0
    assert len(out_x) == 20  # a low and a high a column


def test_no_band_folds_to_nothing():
    assert all(len(a) == 0 for a in runs_envelope([], 0.0, 1.0, 10))
