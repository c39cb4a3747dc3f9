"""The series cache: block summaries (and, at few rows a pixel, every row read at once)
give exactly M4 over every row, growth is read from the appended rows only, and a
truncated or replaced file is never served stale."""

from __future__ import annotations

import os

import numpy as np
import pytest

from runwatch.server.lod import cache, envelope, kinds, m4, raw_direct, service, summaries, wire
from runwatch.server.lod.rows import read_channel
from runwatch.server.paths import StorePaths
from runwatch.tests.lod_store import append_npr, make_run, records, write_npr

RUN = "2024-01-01 00-00-00 cache-run"
FIELDS = {
    "last": [("x", "<f8")],
    "max": [("x", "<f4")],
    "mean": [("total", "<f8"), ("count", "<i4")],
    "cumsum": [("total", "<f4")],
    "mean_std": [("μ", "<f8"), ("σ", "<f8")],
    "quantiles": [("qs.0", "<f8"), ("qs.1", "<f8"), ("qs.2", "<f8")],
    "timeaverage": [("x", "<f8")],
    "rate": [("count", "<i8")],
}


@pytest.fixture(autouse=True)
def summaries_at_any_rows_a_pixel(monkeypatch):
    """These tests are of the summaries: never read every row instead (raw_direct.py),
    unless a test says so."""
    monkeypatch.setattr(raw_direct, "suits", lambda rows, width: False)


def random_rows(rng, kind: str, n: int, start: float = -0.5) -> np.ndarray:
    gaps = rng.exponential(0.01, n) * (rng.random(n) > 0.2)  # ties too
    t = start + np.cumsum(gaps)
    values = {}
    for name, dtype in FIELDS[kind]:
        v = np.round(rng.normal(0, 1, n), 2)
        if dtype.startswith("<i"):
            values[name] = rng.integers(1, 5, n)
            continue
        v[rng.random(n) < 0.05] = np.nan
        if rng.random() < 0.5:
            v[n // 3 : n // 3 + 500] = np.nan  # a gap over several blocks
        values[name] = v
    return records(t, FIELDS[kind], **values)


def brute(paths, run, spec, width, x_range):
    """M4 over every row, with no cache: what the summaries must give."""
    fields = read_channel(paths, run, spec)
    series = kinds.channel_series(spec.kind, fields, "raw", spec.name)
    x0, x1 = x_range or service.extent(series.x)
    kept = m4.reduce_series(series.x, list(series.columns.values()), x0, x1, width)
    arrays = [("x", m4.gather(kept.rows, series.x))]
    arrays += [(n, m4.gather(kept.rows, c)) for n, c in series.columns.items()]
    return len(series.x), kept.reduced, x0, x1, arrays


def same(a, b) -> bool:
    return (
        a[:4] == b[:4]
        and [n for n, _ in a[4]] == [n for n, _ in b[4]]
        and all(np.array_equal(x, y, equal_nan=True) for (_, x), (_, y) in zip(a[4], b[4]))
    )


@pytest.mark.parametrize("read", ["summaries", "every row"])
@pytest.mark.parametrize("kind", ["last", "max", "mean", "cumsum", "mean_std", "quantiles"])
def test_block_summaries_give_m4_over_every_row(store, kind, read, monkeypatch):
    if read == "every row":
        monkeypatch.setattr(raw_direct, "suits", lambda rows, width: rows > 0)
    rng = np.random.default_rng(len(kind))
    paths = StorePaths(store)
    for trial in range(4):
        name = f"{RUN} {trial}"
        n = int(rng.integers(2_000, 40_000))
        make_run(store, name, {"c": (kind, [random_rows(rng, kind, n)])})
        svc = service.SeriesService(paths, 2**30)
        run = svc.run(name)
        spec = run.channels["c"]
        t_end = float(n * 0.008)
        for q in range(8):
            width = int(rng.integers(1, 400))
            x_range = None
            if q:
                a, b = np.sort(rng.uniform(-1, t_end + 1, 2))
                x_range = (float(a), float(b))
            fast = svc.cache.raw(run, spec, width, x_range)
            assert fast is not None
            assert same(fast, brute(paths, run, spec, width, x_range)), (kind, n, width, x_range)


def test_wide_ranges_read_rows_by_pixels_not_rows(store):
    rng = np.random.default_rng(3)
    n = 400_000
    make_run(store, RUN, {"c": ("last", [random_rows(rng, "last", n)])})
    svc = service.SeriesService(StorePaths(store), 2**30)
    run = svc.run(RUN)
    spec = run.channels["c"]
    by_pixels = (2 * 101 + 4 * 100 + 4) * summaries.BLOCK  # cut blocks, kept rows' blocks
    svc.cache.raw(run, spec, 100, None)  # builds the summary: every row once
    assert n <= svc.cache.rows_decoded <= n + by_pixels < 2 * n
    svc.cache.rows_decoded = 0
    fast = svc.cache.raw(run, spec, 100, (10.0, 2000.0))
    assert svc.cache.rows_decoded <= by_pixels
    assert same(fast, brute(svc.paths, run, spec, 100, (10.0, 2000.0)))


@pytest.mark.parametrize("kind", ["last", "cumsum", "timeaverage", "rate", "mean_std"])
@pytest.mark.parametrize("rule", ["raw", 10, 60])
def test_a_growing_file_is_extended_from_its_new_rows(store, kind, rule):
    rng = np.random.default_rng(7)
    rows = random_rows(rng, kind, 30_000)
    more = random_rows(rng, kind, 5_000, start=float(rows["_time"][-1] - rows["_time"][0]) / 1e9)
    more["_time"] = rows["_time"][-1] + (more["_time"] - more["_time"][0])
    run_dir = make_run(store, RUN, {"c": (kind, [rows])})
    svc = service.SeriesService(StorePaths(store), 2**30)

    def frame():
        run = svc.run(RUN)
        return svc.frame(run, run.channels["c"], rule, 300, None)

    frame()
    append_npr(run_dir / "stats.c.0.npr", more)
    svc.cache.rows_decoded = 0
    grown = frame()
    # Only what was appended, plus the last block or bucket, and the rows M4 keeps.
    read = svc.cache.rows_decoded
    assert 5_000 <= read <= 5_000 + 3_000 + 4 * 300 * summaries.BLOCK
    fresh = service.SeriesService(StorePaths(store), 2**30)
    run = fresh.run(RUN)
    assert grown == fresh.frame(run, run.channels["c"], rule, 300, None)


@pytest.mark.parametrize("rule", ["raw", 60])
def test_a_truncated_or_replaced_file_is_read_again(store, rule):
    rng = np.random.default_rng(9)
    rows = random_rows(rng, "last", 20_000)
    run_dir = make_run(store, RUN, {"c": ("last", [rows])})
    path = run_dir / "stats.c.0.npr"
    svc = service.SeriesService(StorePaths(store), 2**30)

    def frame():
        run = svc.run(RUN)
        return svc.frame(run, run.channels["c"], rule, 200, None)

    def fresh():
        other = service.SeriesService(StorePaths(store), 2**30)
        run = other.run(RUN)
        return other.frame(run, run.channels["c"], rule, 200, None)

    before = frame()
    # Rewritten in place, same size, same times, other values (only the mtime says so).
    with open(path, "r+b") as f:
        f.seek(-5_000 * rows.itemsize, os.SEEK_END)
        tail = np.frombuffer(f.read(), rows.dtype).copy()
        tail["x"] = rng.normal(0, 1, len(tail))
        f.seek(-5_000 * rows.itemsize, os.SEEK_END)
        f.write(tail.tobytes())
    os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 10**9))
    assert frame() == fresh() != before
    before = frame()
    # Truncated in place, then grown back past its old size with other rows.
    with open(path, "r+b") as f:
        f.truncate(os.path.getsize(path) - 10_000 * rows.itemsize)
    assert frame() == fresh() != before
    other = random_rows(rng, "last", 25_000)
    append_npr(path, other[-15_000:])
    assert frame() == fresh()
    # Rewritten in place (same inode, longer) between two requests: never extended.
    with open(path, "r+b") as f:
        f.truncate(os.path.getsize(path) - 24_000 * rows.itemsize)
    append_npr(path, random_rows(rng, "last", 30_000))
    assert frame() == fresh()
    # Replaced by a new file (a new inode) of the same size.
    replacement = random_rows(rng, "last", 20_000)
    write_npr(run_dir / "new.tmp", replacement)
    os.replace(run_dir / "new.tmp", path)
    assert frame() == fresh() != before


def test_the_cache_is_bounded(store):
    rng = np.random.default_rng(5)
    channels = {f"c{i}": ("last", [random_rows(rng, "last", 50_000)]) for i in range(6)}
    make_run(store, RUN, channels)
    svc = service.SeriesService(StorePaths(store), 2 * 2**20)
    run = svc.run(RUN)
    for spec in run.channels.values():
        for rule in ("raw", 1, 60):
            svc.frame(run, spec, rule, 100, None)
    assert 0 < svc.cache.lru.used <= 2 * 2**20


@pytest.mark.parametrize("kind", ["timeaverage", "last", "rate", "mean_std", "cumsum"])
def test_buckets_built_a_chunk_at_a_time_are_the_same(store, kind, monkeypatch):
    rng = np.random.default_rng(11)
    make_run(store, RUN, {"c": (kind, [random_rows(rng, kind, 20_000)])})

    def frames() -> list[bytes]:
        svc = service.SeriesService(StorePaths(store), 2**30)
        run = svc.run(RUN)
        return [svc.frame(run, run.channels["c"], rule, 300, None) for rule in (1, 10, 60)]

    whole = frames()
    monkeypatch.setattr(cache, "CHUNK_ROWS", 777)
    assert frames() == whole


@pytest.mark.parametrize("chunk", [4096, None])
@pytest.mark.parametrize("kind", list(FIELDS))
def test_cached_buckets_are_the_kinds_over_every_row(store, kind, chunk, monkeypatch):
    """The cache's integer-time, chunked, extended buckets against `channel_series`
    over every row (which the shared vectors hold to pandas)."""
    if chunk:
        monkeypatch.setattr(cache, "CHUNK_ROWS", chunk)
    rng = np.random.default_rng(13)
    make_run(store, RUN, {"c": (kind, [random_rows(rng, kind, 30_000, start=-7.25)])})
    paths = StorePaths(store)
    svc = service.SeriesService(paths, 2**30)
    run = svc.run(RUN)
    spec = run.channels["c"]
    fields = read_channel(paths, run, spec)
    for rule in (1, 10, 60, 600):
        series = kinds.channel_series(kind, fields, rule, "c")
        rows = len(fields["_time"])
        expected = service.reduced_frame(spec, series, rows, 50, None, envelope.reduce_buckets)
        assert svc.frame(run, spec, rule, 50, None) == wire.frame(*expected), rule


@pytest.mark.parametrize("kind", ["last", "mean_std"])
def test_coarse_blocks_give_m4_over_every_row(store, kind):
    """Wide pixels over many coarse blocks (4096 rows each), and ranges that cut them."""
    rng = np.random.default_rng(17)
    make_run(store, RUN, {"c": (kind, [random_rows(rng, kind, 300_000)])})
    paths = StorePaths(store)
    svc = service.SeriesService(paths, 2**30)
    run = svc.run(RUN)
    spec = run.channels["c"]
    for width, x_range in ((1, None), (3, None), (7, (100.0, 1500.0)), (40, (-3.0, 999.5))):
        fast = svc.cache.raw(run, spec, width, x_range)
        assert same(fast, brute(paths, run, spec, width, x_range)), (width, x_range)


def test_a_channel_too_big_to_merge_is_its_error_not_the_servers_memory(store, monkeypatch):
    monkeypatch.setattr(cache, "MAX_MERGED_ROWS", 1_000)
    rng = np.random.default_rng(19)
    a, b = random_rows(rng, "last", 800), random_rows(rng, "last", 800)
    make_run(store, RUN, {"c": ("last", [a, b]), "ok": ("last", [a])})
    svc = service.SeriesService(StorePaths(store), 2**30)
    run = svc.run(RUN)
    header, arrays = wire.parse_frames(svc.frame(run, run.channels["c"], 60, 100, None))[0]
    assert arrays == {} and header["error"] == (
        "stats.c.0.npr: 1,600 rows in several files or out of time order, "
        "over the 1,000 the server merges in memory"
    )
    header, _ = wire.parse_frames(svc.frame(run, run.channels["ok"], "raw", 100, None))[0]
    assert header["error"] is None and header["rows"] == 800
