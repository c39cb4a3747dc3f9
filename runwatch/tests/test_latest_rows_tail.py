"""The kernel's text snapshot reads a channel's last buckets only (latest_rows.py): the
same latest values as every row gives, on the edges of the bisection and the walk back."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from runwatch.store import latest, latest_rows, layout, npr
from runwatch.tests.lod_store import CREATED, append_npr, records, write_npr

CREATED_NS = layout.parse_created(CREATED)
MEAN = [("total", "<f8"), ("count", "<i8")]
LAST = [("x", "<f8")]


def every_row(paths: list[Path]) -> dict[str, list]:
    """All rows of the files, as read_latest_rows gives them: merged in N order,
    NaN-filled, stably sorted by time; `_time` in ns since `_created`, values floats."""
    parts = [npr.read_columns(path)[1] for path in paths]
    names = list(dict.fromkeys(name for part in parts for name in part))
    merged: dict[str, list] = {name: [] for name in names}
    for part in parts:
        count = len(part["_time"])
        for name in names:
            merged[name].extend(part.get(name, [math.nan] * count))
    order = sorted(range(len(merged["_time"])), key=merged["_time"].__getitem__)
    return {
        name: [values[i] - CREATED_NS if name == "_time" else float(values[i]) for i in order]
        for name, values in merged.items()
    }


def same(a: dict | None, b: dict | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.keys() == b.keys() and all(
        a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a
    )


def assert_tail_gives_every_row(paths: list[Path], kind: str, now_s: float, rule_s: float = 60):
    tail = latest_rows.read_latest_rows(paths, kind, CREATED_NS, rule_s, now_s)
    every = every_row(paths)
    got = latest.latest_buckets(kind, tail, rule_s, now_s)
    want = latest.latest_buckets(kind, every, rule_s, now_s)
    assert same(got.complete, want.complete), (kind, now_s, got, want)
    assert same(got.partial, want.partial), (kind, now_s, got, want)
    return tail


@pytest.fixture
def decoded(monkeypatch) -> list[int]:
    """How many rows each read of the snapshot decoded (one-row time reads aside)."""
    counts: list[int] = []
    read = latest_rows._File.read

    def counting(self, first: int, end: int) -> dict[str, list]:
        counts.append(end - first)
        return read(self, first, end)

    monkeypatch.setattr(latest_rows._File, "read", counting)
    return counts


def mean_file(path: Path, seconds: np.ndarray) -> Path:
    n = len(seconds)
    write_npr(path, records(seconds, MEAN, total=np.arange(n) % 7 + 0.5, count=np.arange(n) % 3))
    return path


def test_a_big_file_decodes_only_its_last_bucket_and_a_margin(tmp_path: Path, decoded):
    """100 k rows over 10,000 s: the last 60 s bucket holds 600; 4,096 were decoded before."""
    path = mean_file(tmp_path / "stats.m.0.npr", np.arange(100_000) * 0.1)
    tail = assert_tail_gives_every_row([path], "mean", now_s=15_000.0)
    assert sum(decoded) <= 600 + 1 + latest_rows.MARGIN_ROWS + 1, decoded
    assert tail["_time"][0] == 0 and len(tail["_time"]) == sum(decoded)


@pytest.mark.parametrize("now_s", [1979.0, 1980.0, 1999.95, 2000.0, 2010.0, 2040.0, 5000.0])
def test_a_bisection_landing_on_a_bucket_edge(tmp_path: Path, now_s: float):
    """Rows every 0.5 s sit on every bucket's first instant: a row at `from_ns` exactly
    belongs to the bucket, and the row before it (timeaverage's gap) is still read."""
    seconds = np.arange(4001) * 0.5  # up to 2,000 s; 1920 s and 1980 s are bucket edges
    for kind in ("mean", "timeaverage", "rate", "duty", "max"):
        path = tmp_path / f"stats.{kind}.0.npr"
        fields = [("x", "<f8"), ("count", "<f8"), ("duration", "<f8")]
        values = np.sin(np.arange(len(seconds)))
        write_npr(path, records(seconds, fields, x=values, count=values + 2, duration=0.1))
        if kind == "mean":
            mean_file(path, seconds)
        assert_tail_gives_every_row([path], kind, now_s)


def test_duplicate_times_across_the_edge(tmp_path: Path, decoded):
    """40 rows at the instant before the last complete bucket (from 180 s) and 40 on its
    edge: the bisection finds the first of those on the edge; all 40 are in the tail."""
    seconds = np.concatenate(
        [np.arange(3599) * 0.05, [179.99] * 40, [180.0] * 40, 180 + np.arange(1, 1220) * 0.05]
    )
    path = tmp_path / "stats.ta.0.npr"
    write_npr(path, records(seconds, [("x", "<f8")], x=np.arange(len(seconds)) % 5))
    for kind in ("timeaverage", "max", "last"):
        tail = assert_tail_gives_every_row([path], kind, now_s=241.5)
        assert tail["_time"].count(180 * 10**9) == 40
    assert max(decoded) < len(seconds) // 2


def test_last_walks_back_over_a_nan_only_tail(tmp_path: Path, monkeypatch, decoded):
    """`last`'s NaN rows since the last buckets don't hide its earlier value: it reads
    back, chunk by chunk, to each field's last non-NaN value (`b` is the oldest)."""
    monkeypatch.setattr(latest_rows, "CHUNK_ROWS", 50)
    n = 20_000
    a = np.full(n, np.nan)
    b = np.full(n, np.nan)
    a[: n - 900] = 1.5
    b[:8000] = np.arange(8000)
    path = tmp_path / "stats.v.0.npr"
    write_npr(
        path, records(np.arange(n) * 0.1, [("x.a", "<f8"), ("x.b", "<f8")], **{"x.a": a, "x.b": b})
    )
    for now_s in (1999.95, 2000.0, 5000.0):
        decoded.clear()
        tail = assert_tail_gives_every_row([path], "last", now_s)
        assert 8000 < sum(decoded) < n - 6000  # back past b's last value, not to the start
        text = latest.latest_text("last", tail, 60, now_s)
        assert text.complete == "a=1.5 b=7.999k", text


def test_last_with_no_value_ever_reads_back_to_the_start(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(latest_rows, "CHUNK_ROWS", 64)
    path = tmp_path / "stats.v.0.npr"
    write_npr(path, records(np.arange(5000) * 0.1, LAST, x=np.nan))
    tail = assert_tail_gives_every_row([path], "last", 600.0)
    assert len(tail["_time"]) == 5000
    assert latest.latest_text("last", tail, 60, 600.0) == latest.LatestText("nan", "")


def test_a_file_out_of_order_only_before_the_tail_keeps_the_quick_read(
    tmp_path: Path, monkeypatch, decoded
):
    """A clock that stepped back early in the run doesn't force a whole read: the last
    buckets' rows, and the order check on them, don't reach it."""
    monkeypatch.setattr(latest_rows, "MAX_ROWS", 5000)  # a whole read would refuse
    seconds = np.arange(50_000) * 0.1
    seconds[100:200] = seconds[100:200][::-1]  # rows 100..199 backwards
    path = mean_file(tmp_path / "stats.m.0.npr", seconds)
    assert_tail_gives_every_row([path], "mean", now_s=6000.0)
    assert sum(decoded) < 1000


def test_a_file_out_of_order_in_the_tail_is_read_whole(tmp_path: Path, decoded):
    """A row of the last bucket written out of order: the file is read whole, so the
    latest values are those of its rows sorted by time."""
    seconds = np.arange(3000) * 0.1
    seconds[-300], seconds[-200] = seconds[-200], seconds[-300]
    path = mean_file(tmp_path / "stats.m.0.npr", seconds)
    assert_tail_gives_every_row([path], "mean", now_s=400.0)
    assert decoded[-1] == 3000


@pytest.mark.parametrize("now_s", [-5.0, 0.0, 3.0, 61.0, 1000.0])
def test_a_file_with_one_row(tmp_path: Path, now_s: float):
    for t in (0.0, 3.0, 59.999, 60.0, 125.0):
        path = tmp_path / f"stats.one{int(t * 1000)}.0.npr"
        mean_file(path, np.array([t]))
        tail = assert_tail_gives_every_row([path], "mean", now_s)
        assert len(tail["_time"]) == 1


def test_an_empty_file_beside_a_filled_one(tmp_path: Path):
    """A writer that made its file but wrote no row yet (or a partial one) adds nothing."""
    empty = mean_file(tmp_path / "stats.m.0.npr", np.array([]))
    with open(empty, "ab") as f:
        f.write(b"\x01" * 10)  # a partial row
    filled = mean_file(tmp_path / "stats.m.1.npr", np.arange(2000) * 0.1)
    tail = assert_tail_gives_every_row([empty, filled], "mean", 300.0)
    assert tail["_time"][0] == 0
    only_empty = latest_rows.read_latest_rows([empty], "mean", CREATED_NS, 60, 300.0)
    assert only_empty == {"_time": [], "total": [], "count": []}


def test_a_file_growing_between_header_and_rows(tmp_path: Path, monkeypatch):
    """Rows appended after the file's size was taken are left for the next look: the
    snapshot is of the rows there when it started, whole rows only."""
    path = mean_file(tmp_path / "stats.m.0.npr", np.arange(3000) * 0.1)
    before = every_row([path])
    opened = latest_rows._File.__init__

    def then_grows(self, *args) -> None:
        opened(self, *args)
        later = records(300 + np.arange(700) * 0.1, MEAN, total=1e6, count=1)
        append_npr(path, later)
        with open(path, "ab") as f:
            f.write(b"\x02" * 7)  # and a partial row

    monkeypatch.setattr(latest_rows._File, "__init__", then_grows)
    tail = latest_rows.read_latest_rows([path], "mean", CREATED_NS, 60, 400.0)
    assert tail["_time"][-1] == before["_time"][-1]
    want = latest.latest_buckets("mean", before, 60, 400.0)
    assert same(latest.latest_buckets("mean", tail, 60, 400.0).complete, want.complete)


def test_unaligned_and_half_float_fields_read_as_the_aligned_ones(tmp_path: Path):
    """A layout the strided view can't take (a bool before an f4, an f2; `_time` in µs)
    is decoded by struct, to the same values."""
    seconds = np.arange(4000) * 0.1
    fields = [("flag", "|b1"), ("x", "<f4"), ("h", "<f2"), ("count", "<i4")]
    array = np.zeros(len(seconds), [("_time", "<M8[us]"), *fields])
    array["_time"] = np.datetime64("2024-01-01T00:00:00", "us") + (seconds * 1e6).astype(
        "timedelta64[us]"
    )
    array["flag"] = np.arange(len(seconds)) % 2
    array["x"] = np.sin(seconds)
    array["h"] = seconds % 3
    array["count"] = np.arange(len(seconds))
    path = tmp_path / "stats.u.0.npr"
    write_npr(path, array)
    assert latest_rows._strided_columns(npr.read_header(path)) is None
    tail = assert_tail_gives_every_row([path], "max", 400.0)
    every = every_row([path])
    for name in ("flag", "x", "h", "count", "_time"):
        assert tail[name][1:] == every[name][-len(tail[name]) + 1 :], name


def test_last_buckets_of_more_rows_than_the_kernel_reads_say_so(
    tmp_path: Path, monkeypatch, decoded
):
    """6,000 rows in the last two buckets, over a 1,000-row quick look: the text names the
    rows it would need, and none were decoded (the chunked read decoded 4,096 first)."""
    monkeypatch.setattr(latest_rows, "MAX_ROWS", 1000)
    path = mean_file(tmp_path / "stats.m.0.npr", np.arange(6000) * 0.02)
    with pytest.raises(latest_rows.TooManyRows, match="needs 6,000 rows, over the 1,000"):
        latest_rows.read_latest_rows([path], "mean", CREATED_NS, 60, 110.0)
    assert decoded == []
