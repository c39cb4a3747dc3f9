"""M4's picks against a plain loop over the rows, and the raw rule read from every row
(raw_direct.py) against the summaries and the merged rows."""

from __future__ import annotations

import json
import math
import struct
from itertools import pairwise

import numpy as np
import pytest

from runwatch.server.lod import m4, raw_direct, service
from runwatch.server.paths import StorePaths
from runwatch.tests.lod_store import make_run, records

RUN = "2024-01-01 00-00-00 m4-run"


def picks_by_loop(values: np.ndarray, starts: np.ndarray, end: int, ends: bool = True) -> list[int]:
    """Per segment: the first, lowest, highest and last non-NaN rows (the first of equal
    extremes) and the first NaN row, one row at a time; without the first and last
    (`ends=False`), the envelope's picks (envelope.py)."""
    picked = set()
    bounds = list(starts) + [end]
    for begin, stop in pairwise(bounds):
        valid = [i for i in range(begin, stop) if not math.isnan(values[i])]
        nans = [i for i in range(begin, stop) if math.isnan(values[i])]
        if valid and ends:
            picked |= {valid[0], valid[-1]}
        if valid:
            picked.add(min(valid, key=lambda i: (values[i], i)))
            picked.add(min(valid, key=lambda i: (-values[i], i)))
        if nans:
            picked.add(nans[0])
    return sorted(picked)


@pytest.mark.parametrize("nan_share", [0.0, 0.1, 1.0])
def test_pixel_picks_are_the_loops_picks(nan_share):
    rng = np.random.default_rng(int(nan_share * 10))
    for _ in range(200):
        n = int(rng.integers(1, 300))
        values = rng.integers(-3, 4, n).astype(float)  # many equal extremes
        values[rng.random(n) < nan_share] = np.nan
        if rng.random() < 0.2:
            values[rng.integers(n)] = np.inf
        begin = int(rng.integers(0, n))
        cuts = np.unique(rng.integers(begin + 1, n + 1, int(rng.integers(0, 12))))
        starts = np.concatenate([[begin], cuts[cuts < n]]).astype(np.int64)
        got = sorted(set(m4.pixel_picks(values, starts, n).tolist()))
        assert got == picks_by_loop(values, starts, n), (values, starts)


def test_rows_out_of_time_order_are_merged_at_few_rows_a_pixel(store):
    t = np.arange(2_000) * 0.01
    t[700:900] = t[700:900][::-1]  # a stretch written out of order
    values = np.sin(t)
    make_run(store, RUN, {"c": ("last", [records(t, [("x", "<f8")], x=values)])})
    svc = service.SeriesService(StorePaths(store), 2**30)
    run = svc.run(RUN)
    spec = run.channels["c"]
    assert raw_direct.suits(2_000, 100)
    assert svc.cache.raw(run, spec, 100, None) is None  # not from the file's row order
    frame = svc.frame(run, spec, "raw", 100, None)
    length = struct.unpack_from("<I", frame)[0]
    header = json.loads(frame[4 : 4 + length])
    assert (header["rows"], header["error"]) == (2000, None)
    count = header["arrays"][0][1]
    at = 4 + length + (-(4 + length) % 8)
    x = np.frombuffer(frame, "<f8", count, at)
    assert (
        x[0] == 0 and x[-1] == pytest.approx(t.max(), abs=1e-9) and np.all(np.diff(x) >= 0)
    )  # merged by time
