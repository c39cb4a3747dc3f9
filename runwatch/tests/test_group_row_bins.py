"""A run's bins straight from its rows (lod/row_bins.py), as a grouped request at the
raw rule uses them when a bin holds few rows: the same bins as every row gives (the
spike in its bin's max, NaN and ±inf ignored, rows exactly on a bin edge), read once
with no summaries built, and a file out of time order binned from its merged series."""

from __future__ import annotations

from contextlib import closing

import numpy as np
import pytest

from runwatch.server.lod import group, group_frame, kinds, row_bins, run_bins, wire
from runwatch.server.lod.cache import SeriesCache
from runwatch.server.lod.rows import OpenFile, read_channel, run_channels
from runwatch.server.paths import StorePaths
from runwatch.tests.lod_store import append_npr, make_run, records
from runwatch.tests.test_group_bins import FIELD, Counter, rows_with_faults

RUN = "2024-01-01 00-00-00 rows"


def every_row(store, kind: str, t: np.ndarray, v: np.ndarray):
    """(paths, run, the rows' seconds as stored, each row's own value)."""
    field = FIELD[kind]
    make_run(store, RUN, {"c": (kind, [records(t, [(field, "<f8")], **{field: v})])})
    paths = StorePaths(store)
    run = run_channels(paths, RUN)
    with closing(OpenFile(paths, run.run_dir, "stats.c.0.npr")) as opened:
        fields = opened.columns(run.created_ns)
    return paths, run, fields["_time"], kinds.raw_columns(kind, fields)["value"]


def assert_same_bins(got: run_bins.RunBins, want: run_bins.RunBins) -> None:
    assert got.before == want.before and got.after == want.after
    assert got.points == want.points
    for name in ("count", "low", "high", "first_x", "first_v", "last_x", "last_v"):
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name), err_msg=name)
    np.testing.assert_allclose(got.total, want.total, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("chunk", [row_bins.CHUNK_ROWS, 4_000])
@pytest.mark.parametrize("width", [1, 7, 300, 5000])
@pytest.mark.parametrize("span", ["whole", "inside", "beyond"])
@pytest.mark.parametrize("kind", ["last", "mean", "cumsum"])
def test_rows_give_the_bins_of_every_row(store, monkeypatch, chunk, width, span, kind):
    monkeypatch.setattr(row_bins, "CHUNK_ROWS", chunk)  # several reads carry bins over
    t, v = rows_with_faults(50_000, seed=width)
    if kind == "cumsum":
        v = np.where(np.isinf(v), 1.0, v)  # else the running sum is inf from the first
    paths, run, t, v = every_row(store, kind, t, v)
    x0, x1 = {"whole": (0.0, t[-1]), "inside": (t[100], t[30_000]), "beyond": (-50, 2 * t[-1])}[
        span
    ]
    counter = Counter()
    with closing(OpenFile(paths, run.run_dir, "stats.c.0.npr")) as opened:
        got = row_bins.from_rows(opened, kind, "value", run.created_ns, x0, x1, width, counter)
    assert_same_bins(got, run_bins.from_points(t, v, x0, x1, width))
    assert counter.rows_decoded == len(t)  # every row once
    if kind != "cumsum" and span != "inside":
        assert np.nanmax(got.high) == 1e6  # the spike is in its bin's max


@pytest.mark.parametrize("x_range", [(0.0, 100.0), (2.0, 3.0), (100.0, 100.00005), (-1e9, 5e9)])
def test_rows_on_and_next_to_bin_edges_fall_where_their_seconds_put_them(store, x_range):
    """Rows exactly on each edge, a nanosecond either side, many sharing a time; edges
    packed tighter than a row's time can tell apart (every row then exactly); and edges
    over a century from _created (past 2**62 ns: saturated, not wrapped)."""
    edges = run_bins.edges(*x_range, 100)
    ns = np.round(edges * 1e9).astype(np.int64)
    near = np.concatenate([ns - 1, ns, ns, ns + 1, 100 * 10**9 + np.arange(20_000)])
    t = np.sort(near) / 1e9
    v = np.random.default_rng(1).normal(size=len(t))
    paths, run, t, v = every_row(store, "last", t, v)
    with closing(OpenFile(paths, run.run_dir, "stats.c.0.npr")) as opened:
        got = row_bins.from_rows(opened, "last", "value", run.created_ns, *x_range, 100, Counter())
    assert_same_bins(got, run_bins.from_points(t, v, *x_range, 100))


def one_channel_group(store, cache: SeriesCache, runs: list[str], width: int, x_range=None):
    paths = StorePaths(store)
    opened = [(name, run_channels(paths, name)) for name in runs]
    frame = group_frame.frame(cache, opened, {}, "c", "raw", width, x_range, "mean", "minmax", None)
    [(header, arrays)] = wire.parse_frames(frame)
    return header, arrays


SPIKY = [f"2024-01-01 00-00-0{i} seed{i}" for i in range(3)]


@pytest.fixture
def spiky_runs(store):
    """Three 20 k-row runs of different lengths; seed 1 has a one-row spike of 1e4."""
    rng = np.random.default_rng(0)
    for i, name in enumerate(SPIKY):
        t = np.cumsum(rng.exponential(0.05, 20_000 + 5_000 * i))
        v = rng.normal(size=len(t))
        if i == 1:
            v[7_777] = 1e4
        make_run(store, name, {"c": ("last", [records(t, [("x", "<f8")], x=v)])})
    return store


@pytest.mark.parametrize("x_range", [None, (100.0, 600.0)])
def test_a_group_from_rows_is_the_group_from_summaries(spiky_runs, monkeypatch, x_range):
    cache = SeriesCache(StorePaths(spiky_runs))
    rows_header, rows = one_channel_group(spiky_runs, cache, SPIKY, 420, x_range)
    assert len(cache.lru) == 3  # each run's bins, and no summaries built
    monkeypatch.setattr(row_bins, "DIRECT_ROWS_PER_BIN", 0)  # force the summaries
    summaries_cache = SeriesCache(StorePaths(spiky_runs))
    summaries_header, summaries = one_channel_group(
        spiky_runs, summaries_cache, SPIKY, 420, x_range
    )
    assert rows_header == summaries_header
    for name in ("x", "lo", "hi", "n"):
        np.testing.assert_array_equal(rows[name], summaries[name], err_msg=name)
    np.testing.assert_allclose(rows["center"], summaries["center"], rtol=1e-12)
    if x_range is None:
        assert np.max(rows["hi"]) == 1e4  # the spike shows in the band


def test_a_cold_group_reads_each_row_once(spiky_runs):
    """No summaries first and then the rows a bin edge cuts: one read of every row."""
    cache = SeriesCache(StorePaths(spiky_runs))
    header, _ = one_channel_group(spiky_runs, cache, SPIKY, 420)
    assert header["rows"] == 20_000 + 25_000 + 30_000
    assert cache.rows_decoded == header["rows"]


def test_summaries_in_cache_bin_a_zoom_from_its_rows_with_neighbours_outside(store):
    """A zoom over a summarised file reads the rows in range (cumsum from its block's
    running sum), and the neighbours outside come from the summaries."""
    t, v = rows_with_faults(50_000, seed=3)
    paths, run, t, v = every_row(store, "cumsum", t, np.where(np.isinf(v), 1.0, v))
    cache = SeriesCache(paths)
    spec = run.channels["c"]
    with closing(OpenFile(paths, run.run_dir, "stats.c.0.npr")) as opened:
        summary = cache.summary(run, spec, opened)
        source = group_frame.SummarySource(cache, run, opened, summary, "value")
        x0, x1 = t[20_000] - 1e-3, t[21_000]
        before = cache.rows_decoded
        got = source.bins(x0, x1, 200)
    assert_same_bins(got, run_bins.from_points(t, v, x0, x1, 200))
    assert cache.rows_decoded - before < 2_000  # about the rows in range, not the file


@pytest.mark.parametrize("fault", ["stepped back", "NaT"])
def test_a_file_out_of_time_order_is_binned_from_its_merged_series(store, fault):
    """A clock that stepped back, or a row with no time: the group draws the rows the
    series endpoint would, sorted, on a grid over their true extent."""
    t = np.arange(0.0, 100.0, 0.01)
    v = np.sin(t)
    if fault == "stepped back":
        t[-2_000:] -= 150  # the last rows went back in time, before the first
        array = records(t, [("x", "<f8")], x=v)
    else:
        array = records(t, [("x", "<f8")], x=v)
        array["_time"][-1] = np.datetime64("NaT")
    run_dir = make_run(store, RUN, {"c": ("last", [array])})
    paths = StorePaths(store)
    run = run_channels(paths, RUN)
    cache = SeriesCache(paths)
    # Again once it is known to be out of order, and again after rows were appended.
    for appended in (False, False, True):
        if appended:
            more = np.arange(100.0, 110.0, 0.01)
            append_npr(run_dir / "stats.c.0.npr", records(more, [("x", "<f8")], x=np.cos(more)))
        merged = read_channel(paths, run, run.channels["c"])  # sorted, the NaT row dropped
        x, values = merged["_time"], merged["x"]
        assert np.all(np.diff(x) >= 0)
        header, arrays = one_channel_group(store, cache, [RUN], 50)
        assert header["runs"] == 1 and header["run_errors"] == {}
        assert header["rows"] == len(x) and len(x) == len(t) - (fault == "NaT") + 1000 * appended
        assert header["x0"] == min(0.0, x[0]) and header["x1"] == x[-1]
        bins = run_bins.from_points(x, values, header["x0"], header["x1"], 50)
        want = group.run_values(bins, arrays["x"])  # empty bins inside: interpolated
        np.testing.assert_array_equal(arrays["hi"], want.high)
        np.testing.assert_allclose(arrays["center"], want.value)


def test_a_file_of_no_whole_row_yet_draws_nothing_and_is_no_error(spiky_runs):
    """A writer that has written its header (and maybe part of a row) only."""
    empty = "2024-01-01 00-00-09 starting"
    run_dir = make_run(spiky_runs, empty, {"c": ("last", [records(np.empty(0), [("x", "<f8")])])})
    with open(run_dir / "stats.c.0.npr", "ab") as f:
        f.write(b"\0" * 7)  # part of a row
    cache = SeriesCache(StorePaths(spiky_runs))
    header, arrays = one_channel_group(spiky_runs, cache, [*SPIKY, empty], 420)
    assert header["run_errors"] == {} and header["runs"] == 4
    assert np.nanmax(arrays["n"]) == 3
