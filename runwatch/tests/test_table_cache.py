"""The runs table's disk cache: a restarted server's first table reads back each run's
facts and channel summaries instead of the files, and never shows what a file no
longer holds."""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from runwatch.server.listing import RunListing
from runwatch.server.lod.disk_cache import DiskCache
from runwatch.server.paths import StorePaths
from runwatch.table import RunsTable, persisted
from runwatch.tests.lod_store import append_npr, make_run, records, write_npr
from runwatch.tests.test_table_rows import write_run

X = [("x", "<f8")]
RUN = "2024-01-01 00-00-00 cached"
STATS = ["loss.val.last", "loss.val.min", "acc.max", "steps.last", "lat.mean2"]


class Server:
    """What one server start keeps: a listing and a runs table, with the disk cache in
    `cache` (a new Server over the same folder is a restarted server)."""

    def __init__(self, store: Path, cache: Path, limit: int = 2**20):
        self.listing = RunListing(StorePaths(store), 60.0)
        self.table = RunsTable(store, 60.0, DiskCache(cache, limit))

    def rows(self, stats: list[str] | None = None) -> dict[str, dict]:
        text = self.table.table_json(None, stats, self.listing.summaries)
        return {row["name"]: row for row in json.loads(text)["runs"]}


@contextmanager
def opened_files() -> Iterator[list[str]]:
    """The names of the files opened meanwhile (every read goes through os.open)."""
    names: list[str] = []
    real_open = os.open

    def recording(path, *args, **kwargs):
        names.append(os.path.basename(os.fsdecode(path)))
        return real_open(path, *args, **kwargs)

    os.open = recording
    try:
        yield names
    finally:
        os.open = real_open


@pytest.fixture
def opened() -> Iterator[list[str]]:
    with opened_files() as names:
        yield names


def x_run(store: Path, values: list[float]) -> Path:
    seconds = np.arange(1.0, len(values) + 1)
    return make_run(store, RUN, {"x": ("last", [records(seconds, X, x=values)])})


def test_a_restarted_server_reads_no_data_file_and_no_info(store, tmp_path, opened):
    write_run("a", params={"lr": 1e-3, "optim": {"beta1": 0.9}})
    write_run("b", params={"lr": 1e-4}, losses=(0.5, 0.25))
    first = Server(store, tmp_path / "cache")
    before = first.rows(STATS)
    assert first.table.persist()

    restarted = Server(store, tmp_path / "cache")
    restarted.listing.summaries()  # GET runs reads each _info.json, as it always did
    opened.clear()
    assert restarted.rows(STATS) == before
    assert [name for name in opened if name.endswith(".npr") or name == "_info.json"] == []
    assert restarted.table.stats_cache.misses == 0 and restarted.table.persisted.loads == 1
    assert not restarted.table.persist()  # it learned nothing: nothing is written


def test_a_file_that_grew_is_read_again(store, tmp_path):
    run_dir = x_run(store, [1.0, 2.0])
    first = Server(store, tmp_path / "cache")
    assert first.rows(["x.max", "x.last"])[RUN]["x.max"] == 2.0
    first.table.persist()
    append_npr(run_dir / "stats.x.0.npr", records(np.array([3.0]), X, x=[7.0]))
    restarted = Server(store, tmp_path / "cache")
    row = restarted.rows(["x.max", "x.last"])[RUN]
    assert (row["x.max"], row["x.last"]) == (7.0, 7.0)
    assert restarted.table.stats_cache.misses == 1


def test_a_truncated_file_is_read_again(store, tmp_path):
    run_dir = x_run(store, [1.0, 2.0, 9.0])
    first = Server(store, tmp_path / "cache")
    assert first.rows(["x.max", "x.last"])[RUN]["x.max"] == 9.0
    first.table.persist()
    path = run_dir / "stats.x.0.npr"
    os.truncate(path, path.stat().st_size - records(np.array([1.0]), X).itemsize)
    row = Server(store, tmp_path / "cache").rows(["x.max", "x.last"])[RUN]
    assert (row["x.max"], row["x.last"]) == (2.0, 2.0)


def test_a_file_rewritten_in_place_at_the_same_size_is_read_again(store, tmp_path):
    run_dir = x_run(store, [1.0, 2.0])
    first = Server(store, tmp_path / "cache")
    first.rows(["x.max"])
    first.table.persist()
    path = run_dir / "stats.x.0.npr"
    st = path.stat()
    write_npr(path, records(np.array([1.0, 2.0]), X, x=[5.0, 6.0]))  # same inode, same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert Server(store, tmp_path / "cache").rows(["x.max"])[RUN]["x.max"] == 6.0


@pytest.mark.parametrize("how", ["replaced", "in place"])
def test_a_changed_info_is_read_again(store, tmp_path, how):
    run = write_run("a", params={"lr": 1e-3})
    first = Server(store, tmp_path / "cache")
    assert first.rows()[run]["params.lr"] == 1e-3
    first.table.persist()
    path = store / run / "_info.json"
    text = path.read_text().replace('"lr": 0.001', '"lr": 0.002')
    assert '"lr": 0.002' in text
    if how == "replaced":  # as the writer does: a new file renamed over the old
        (store / run / "_info.json.new").write_text(text)
        os.replace(store / run / "_info.json.new", path)
    else:  # the same inode and size, a later mtime
        mtime_ns = path.stat().st_mtime_ns
        path.write_text(text)
        os.utime(path, ns=(mtime_ns, mtime_ns + 10**9))
    assert Server(store, tmp_path / "cache").rows()[run]["params.lr"] == 2e-3


def _flip_a_byte(entry: Path) -> None:
    data = bytearray(entry.read_bytes())
    data[-5] ^= 0xFF
    entry.write_bytes(bytes(data))


def _truncate(entry: Path) -> None:
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])


def _garbage(entry: Path) -> None:
    entry.write_bytes(b"not a cache entry\n" * 50)


@pytest.mark.parametrize("damage", [_flip_a_byte, _truncate, _garbage, "another shape"])
def test_a_broken_cache_entry_is_ignored_and_rebuilt(store, tmp_path, damage):
    x_run(store, [1.0, 4.0])
    first = Server(store, tmp_path / "cache")
    before = first.rows(["x.max"])
    first.table.persist()
    (entry,) = (tmp_path / "cache").glob("*.lod")
    if damage == "another shape":  # a whole entry (its CRC right) that is not a table's
        document = {"runs": [[RUN, None, [["x", "last", 0, [[1, 2, 3, 4]], {"max": "?"}]]]]}
        packed = zlib.compress(json.dumps(document).encode())
        first.table.disk.store(
            first.table.persisted.key, {}, {"json": np.frombuffer(packed, np.uint8)}
        )
    else:
        damage(entry)

    restarted = Server(store, tmp_path / "cache")
    assert restarted.rows(["x.max"]) == before
    assert restarted.table.stats_cache.misses == 1 and restarted.table.persisted.loads == 0
    assert restarted.table.persist()  # written afresh, and read back by the next start
    again = Server(store, tmp_path / "cache")
    assert again.rows(["x.max"]) == before and again.table.stats_cache.misses == 0


def test_a_channel_that_could_not_be_read_is_read_again_after_a_restart(store, tmp_path):
    run = write_run("a")
    (store / run / "stats.acc.0.npr").write_bytes(b"\x93NUMPY\x01\x00\x10\x00{'descr': bad")
    first = Server(store, tmp_path / "cache")
    assert first.rows()[run]["acc.last"] is None
    first.table.persist()
    restarted = Server(store, tmp_path / "cache")
    row = restarted.rows()[run]
    assert row["acc.last"] is None and row["errors"]["acc.last"].startswith("stats.acc.0.npr")
    assert restarted.table.stats_cache.misses == 1  # that channel only, not the other four


def test_an_entry_holds_at_most_max_entries_channels(store, tmp_path, monkeypatch):
    run = write_run("a")  # five channels
    monkeypatch.setattr(persisted, "MAX_ENTRIES", 2)
    first = Server(store, tmp_path / "cache")
    first.rows()
    first.table.persist()
    restarted = Server(store, tmp_path / "cache")
    assert restarted.rows()[run]["loss.val.last"] == 1.0
    assert restarted.table.stats_cache.misses == 3


def test_the_folder_keeps_the_most_recent_stores_within_its_bound(tmp_path):
    stores = [tmp_path / "store-a", tmp_path / "store-b"]
    for store in stores:
        x_run(store, [1.0, 2.0, 3.0])
    first = Server(stores[0], tmp_path / "cache")
    first.rows()
    first.table.persist()
    (entry,) = (tmp_path / "cache").glob("*.lod")
    limit = entry.stat().st_size * 3 // 2  # room for one store's entry, not two
    other = Server(stores[1], tmp_path / "cache", limit)
    other.rows()
    assert other.table.persist()
    (kept,) = (tmp_path / "cache").glob("*.lod")
    assert kept != entry and kept.stat().st_size <= limit
    restarted = Server(stores[1], tmp_path / "cache", limit)
    restarted.rows()
    assert restarted.table.stats_cache.misses == 0


def test_a_table_writes_at_most_every_persist_spacing(store, tmp_path):
    run_dir = x_run(store, [1.0])
    server = Server(store, tmp_path / "cache")
    server.rows()
    assert server.table.persist(now_s=100.0)
    append_npr(run_dir / "stats.x.0.npr", records(np.array([2.0]), X, x=[2.0]))
    server.rows()
    assert not server.table.persist(now_s=101.0)  # learned something, but too soon
    assert server.table.persist(now_s=100.0 + persisted_spacing())


def persisted_spacing() -> float:
    from runwatch.table.build import PERSIST_SPACING_S

    return PERSIST_SPACING_S


def test_a_cache_folder_that_cant_be_used_leaves_the_table_in_memory(store, tmp_path):
    x_run(store, [1.0, 3.0])
    (tmp_path / "cache").write_text("a file where the folder would be")
    server = Server(store, tmp_path / "cache")
    assert server.rows(["x.max"])[RUN]["x.max"] == 3.0
    assert not server.table.persist()
    assert server.rows(["x.max"])[RUN]["x.max"] == 3.0 and server.table.stats_cache.misses == 1


def test_other_code_reads_nothing_back(store, tmp_path, monkeypatch):
    x_run(store, [1.0, 3.0])
    first = Server(store, tmp_path / "cache")
    first.rows(["x.max"])
    first.table.persist()
    monkeypatch.setattr(persisted, "code_digest", lambda: "an upgraded runwatch")
    upgraded = Server(store, tmp_path / "cache")
    assert upgraded.rows(["x.max"])[RUN]["x.max"] == 3.0
    assert upgraded.table.stats_cache.misses == 1 and upgraded.table.persisted.loads == 0
