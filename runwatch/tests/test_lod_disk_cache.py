"""The series summaries on disk: a restarted server reads them instead of every row,
extends them when a file grew, never serves them for bytes that are gone, and
survives a broken, full, unwritable or booby-trapped cache folder."""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import os
import struct
from pathlib import Path
from urllib.parse import quote, urlencode

import numpy as np
import pytest

from runwatch.server.lod import disk_cache, raw_direct, service, summaries
from runwatch.server.lod.disk_cache import DiskCache
from runwatch.server.paths import StorePaths
from runwatch.store import npr
from runwatch.tests.lod_store import append_npr, make_run, records, write_npr

RUN = "2024-01-01 00-00-00 disk-run"
N = 200_000
WIDTH = 300
RULES = ("raw", 60)
# M4 at WIDTH from summaries reads at most the blocks a pixel edge cuts and the kept
# rows' blocks; a bucketed rule read back reads its last bucket (60 s here: 6,000 rows).
BY_PIXELS = (2 * (WIDTH + 1) + 4 * WIDTH + 4) * summaries.BLOCK


@pytest.fixture(autouse=True)
def summaries_at_any_rows_a_pixel(monkeypatch):
    """The raw rule's summaries are what is kept on disk: never read every row instead
    (raw_direct.py)."""
    monkeypatch.setattr(raw_direct, "suits", lambda rows, width: False)


def rows_at(rng, n: int, start: float = 0.0) -> np.ndarray:
    t = start + np.cumsum(rng.exponential(0.01, n))
    x = rng.normal(0, 1, n)
    x[rng.random(n) < 0.01] = np.nan
    return records(t, [("x", "<f8")], x=x)


@pytest.fixture
def run_dir(store):
    rng = np.random.default_rng(1)
    return make_run(store, RUN, {"c": ("last", [rows_at(rng, N)])})


def new_service(store: Path, folder: Path | None, limit: int = 2**30, defer=None):
    """A server's series service, as after a restart: nothing in memory."""
    disk = DiskCache(folder, limit) if folder is not None else None
    return service.SeriesService(StorePaths(store), 2**30, disk, defer)


def frames(svc, channels=("c",), rules=RULES) -> list[bytes]:
    run = svc.run(RUN)
    return [svc.frame(run, run.channels[c], rule, WIDTH, None) for c in channels for rule in rules]


def entries(folder: Path) -> list[Path]:
    """The entry files, the raw rule's summary first, then the buckets."""

    def what(path: Path) -> str:
        data = path.read_bytes()
        start = len(disk_cache.MAGIC) + 4
        (length,) = struct.unpack_from("<I", data, len(disk_cache.MAGIC))
        return json.loads(data[start : start + length])["key"][0]

    return sorted(folder.glob("*.lod"), key=lambda p: (what(p) != "summary", p.name))


def test_a_restarted_server_reads_the_summaries_from_disk(store, run_dir, tmp_path):
    folder = tmp_path / "cache"
    first = new_service(store, folder)
    expected = frames(first)
    assert first.cache.rows_decoded >= 2 * N  # built from every row, per rule
    assert len(entries(folder)) == 2  # the raw summary and the 60 s buckets
    restarted = new_service(store, folder)
    assert frames(restarted) == expected
    assert restarted.cache.disk.hits == 2
    assert restarted.cache.rows_decoded <= BY_PIXELS + 6_000 + summaries.PREFIX_SAMPLES
    # Without the disk cache a restart reads every row again.
    memory_only = new_service(store, None)
    assert frames(memory_only) == expected and memory_only.cache.rows_decoded >= 2 * N


def test_the_server_writes_its_entries_after_the_answers(store, run_dir, tmp_path):
    folder = tmp_path / "cache"
    later = []
    first = new_service(store, folder, defer=later.append)
    expected = frames(first)
    assert entries(folder) == [] and len(later) == 2  # answered; nothing written yet
    frames(first)  # asked again before the writes ran: no second write queued
    assert len(later) == 2
    for job in later:
        job()
    assert len(entries(folder)) == 2
    restarted = new_service(store, folder)
    assert frames(restarted) == expected and restarted.cache.disk.hits == 2


def test_a_grown_file_is_extended_from_its_appended_rows(store, run_dir, tmp_path):
    folder = tmp_path / "cache"
    frames(new_service(store, folder))
    rng = np.random.default_rng(2)
    append_npr(run_dir / "stats.c.0.npr", rows_at(rng, 5_000, start=N * 0.01 + 5))
    restarted = new_service(store, folder)
    grown = frames(restarted)
    assert restarted.cache.disk.hits == 2
    assert 5_000 <= restarted.cache.rows_decoded <= 2 * 5_000 + BY_PIXELS + 6_000 + 3_000
    assert grown == frames(new_service(store, None))


def rewrite_same_size(path: Path) -> None:
    """Other values in place, same size; only the mtime says so."""
    offset = npr.read_header(path).header_len
    rows = np.fromfile(path, np.dtype([("_time", "<M8[ns]"), ("x", "<f8")]), offset=offset)
    rows["x"] = -rows["x"]
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(rows.tobytes())
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))


def shrink(path: Path) -> None:
    with open(path, "r+b") as f:
        f.truncate(os.path.getsize(path) - 50_000 * 16)


def replace(path: Path) -> None:
    write_npr(path.with_name("new.tmp"), rows_at(np.random.default_rng(3), N))
    os.replace(path.with_name("new.tmp"), path)


@pytest.mark.parametrize("change", [rewrite_same_size, shrink, replace])
def test_a_shrunk_replaced_or_rewritten_file_is_read_again(store, run_dir, tmp_path, change):
    folder = tmp_path / "cache"
    before = frames(new_service(store, folder))
    change(run_dir / "stats.c.0.npr")
    restarted = new_service(store, folder)
    after = frames(restarted)
    assert after == frames(new_service(store, None)) and after != before
    assert restarted.cache.disk.hits == 0
    assert restarted.cache.rows_decoded >= 2 * (N - 50_000)
    # The entries now hold the new bytes' summaries.
    again = new_service(store, folder)
    assert frames(again) == after and again.cache.disk.hits == 2


def test_a_broken_entry_is_a_miss_deleted_and_logged_once(store, run_dir, tmp_path, caplog):
    folder = tmp_path / "cache"
    expected = frames(new_service(store, folder))
    raw_entry, buckets_entry = entries(folder)
    with open(raw_entry, "r+b") as f:  # truncated
        f.truncate(os.path.getsize(raw_entry) // 2)
    data = bytearray(buckets_entry.read_bytes())  # one bit of an array flipped
    data[-20] ^= 1
    buckets_entry.write_bytes(bytes(data))
    caplog.set_level(logging.WARNING, "runwatch.server.lod.disk_cache")
    restarted = new_service(store, folder)
    assert frames(restarted) == expected
    assert restarted.cache.disk.hits == 0
    assert [r.message for r in caplog.records if "broken" in r.message] == [
        f"runwatch: the disk cache's entry {raw_entry} is broken: deleted"
    ]
    again = new_service(store, folder)  # rewritten whole
    assert frames(again) == expected and again.cache.disk.hits == 2
    (garbage := folder / raw_entry.name).write_bytes(b"\x93NUMPY garbage" * 100)
    assert frames(new_service(store, folder)) == expected
    assert garbage.read_bytes()[:7] == disk_cache.MAGIC[:7]


def test_the_least_recently_used_entries_go_past_the_bound(store, tmp_path):
    rng = np.random.default_rng(4)
    make_run(store, RUN, {f"c{i}": ("last", [rows_at(rng, 50_000)]) for i in range(4)})
    folder = tmp_path / "cache"
    probe = new_service(store, folder)
    frames(probe, ["c0"], ["raw"])
    size = os.path.getsize(entries(folder)[0])
    limit = int(2.5 * size)  # two entries fit
    svc = new_service(store, folder, limit)
    frames(svc, ["c1"], ["raw"])  # c0, c1 on disk
    restarted = new_service(store, folder, limit)
    frames(restarted, ["c0"], ["raw"])  # read back: c0 is now the most recent
    assert restarted.cache.disk.hits == 1
    frames(restarted, ["c2"], ["raw"])  # c1 goes
    assert len(entries(folder)) == 2
    assert sum(os.path.getsize(p) for p in entries(folder)) <= limit
    last = new_service(store, folder, limit)
    for channel, kept in (("c0", 1), ("c2", 1), ("c1", 0)):
        before = last.cache.disk.hits
        frames(last, [channel], ["raw"])
        assert last.cache.disk.hits - before == kept, channel


def test_a_cache_folder_that_cant_be_made_leaves_memory_only(store, run_dir, tmp_path, caplog):
    (tmp_path / "a-file").write_text("not a folder")
    caplog.set_level(logging.WARNING, "runwatch.server.lod.disk_cache")
    svc = new_service(store, tmp_path / "a-file" / "cache")
    assert frames(svc) == frames(new_service(store, None))
    frames(svc)
    warnings = [r.message for r in caplog.records]
    assert len(warnings) == 1 and "summaries stay in memory only" in warnings[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to a read-only folder")
def test_a_read_only_cache_folder_leaves_memory_only(store, run_dir, tmp_path, caplog):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o500)
    caplog.set_level(logging.WARNING, "runwatch.server.lod.disk_cache")
    try:
        svc = new_service(store, folder)
        assert frames(svc) == frames(new_service(store, None))
    finally:
        folder.chmod(0o700)
    assert entries(folder) == []
    assert len([r for r in caplog.records if "can't be written" in r.message]) == 1


def test_a_full_disk_skips_the_write(store, run_dir, tmp_path, caplog, monkeypatch):
    real_mkstemp = disk_cache.tempfile.mkstemp

    def onto_a_full_disk(suffix, prefix, folder):
        fd, path = real_mkstemp(suffix, prefix, folder)
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), path  # every write: ENOSPC

    monkeypatch.setattr(disk_cache.tempfile, "mkstemp", onto_a_full_disk)
    caplog.set_level(logging.WARNING, "runwatch.server.lod.disk_cache")
    folder = tmp_path / "cache"
    svc = new_service(store, folder)
    assert frames(svc) == frames(new_service(store, None))
    assert list(folder.iterdir()) == []  # no entry, no temp file left
    assert [r.message for r in caplog.records] == [
        f"runwatch: the disk cache {folder} is full: not written"
    ]
    monkeypatch.undo()  # space again: it writes (a full disk doesn't turn it off)
    frames(svc, rules=[10])
    assert len(entries(folder)) == 1


def test_a_symlink_in_the_cache_folder_is_never_followed(store, run_dir, tmp_path):
    folder = tmp_path / "cache"
    expected = frames(new_service(store, folder))
    victim = tmp_path / "victim"
    raw_entry, buckets_entry = entries(folder)
    victim.write_bytes(raw_entry.read_bytes())  # a valid entry, but not ours to read
    raw_entry.unlink()
    raw_entry.symlink_to(victim)
    buckets_entry.unlink()
    buckets_entry.symlink_to(tmp_path / "elsewhere")  # to write through, if followed
    restarted = new_service(store, folder)
    assert frames(restarted) == expected
    assert restarted.cache.disk.hits == 0
    assert not raw_entry.is_symlink() and not buckets_entry.is_symlink()
    assert not (tmp_path / "elsewhere").exists()
    assert victim.read_bytes()[:7] == disk_cache.MAGIC[:7]


# ---- through the server -----------------------------------------------------------------

OLD_S = 1609459300  # 2021: files not written to lately (the run isn't live)


@pytest.fixture
def jp_server_config(store: Path, tmp_path: Path):
    return {
        "ServerApp": {"jpserver_extensions": {"runwatch": True}},
        "Runwatch": {"lod_disk_cache_dir": str(tmp_path / "server-cache")},
    }


@pytest.fixture
def get(http_server_client, jp_base_url, jp_auth_header):
    """GET runs/RUN/<endpoint>, with headers; the body as sent (not decompressed)."""

    async def fetch(endpoint: str, params: dict, headers: dict | None = None):
        query = urlencode(params, doseq=True, quote_via=quote)
        response = await http_server_client.fetch(
            f"{jp_base_url}runwatch/api/runs/{quote(RUN)}/{endpoint}?{query}",
            headers={**dict(jp_auth_header), "Accept-Encoding": "identity", **(headers or {})},
            decompress_response=False,
            raise_error=False,
        )
        return response.code, response.body, response.headers

    return fetch


SERIES = {"channel": ["c"], "rule": "raw", "width": str(WIDTH)}


def age(run_dir: Path) -> None:
    for path in run_dir.iterdir():
        os.utime(path, (OLD_S, OLD_S))


async def test_a_restarted_server_answers_from_the_summaries_on_disk(
    get, run_dir, jp_serverapp, tmp_path
):
    code, before, _ = await get("series", SERIES)
    folder = tmp_path / "server-cache"
    for _ in range(200):  # written by the pool once no frame waits
        if list(folder.glob("*.lod")):
            break
        await asyncio.sleep(0.02)
    assert code == 200 and len(list(folder.glob("*.lod"))) == 1
    # What a restart leaves: the disk, and a service with nothing in memory.
    del jp_serverapp.web_app.settings["runwatch_lod"]
    code, after, _ = await get("series", SERIES)
    restarted = jp_serverapp.web_app.settings["runwatch_lod"]
    assert code == 200 and after == before
    assert restarted.cache.disk.hits == 1 and restarted.cache.rows_decoded <= BY_PIXELS + 16


async def test_an_unchanging_answer_is_304_for_its_etag(get, run_dir):
    age(run_dir)
    code, body, headers = await get("series", SERIES)
    etag = headers["Etag"]
    assert code == 200 and body and headers["Cache-Control"] == "private, no-cache"
    code, body, again = await get("series", SERIES, {"If-None-Match": etag})
    assert (code, body, again["Etag"]) == (304, b"", etag)
    code, body, other = await get("series", {**SERIES, "width": "299"}, {"If-None-Match": etag})
    assert code == 200 and body and other["Etag"] != etag
    code, _, csv = await get("csv", {"channel": ["c"]})
    assert code == 200 and csv["Cache-Control"] == "private, no-cache"
    code, body, _ = await get("csv", {"channel": ["c"]}, {"If-None-Match": csv["Etag"]})
    assert (code, body) == (304, b"")


async def test_a_live_files_answer_is_never_kept_and_its_etag_moves(get, run_dir):
    code, _, headers = await get("series", SERIES)
    assert code == 200 and headers["Cache-Control"] == "no-store"
    etag = headers["Etag"]
    append_npr(run_dir / "stats.c.0.npr", rows_at(np.random.default_rng(5), 10, N * 0.01 + 5))
    code, grown, headers = await get("series", SERIES, {"If-None-Match": etag})
    assert code == 200 and headers["Etag"] != etag
    assert service.wire.parse_frames(grown)[0][0]["rows"] == N + 10


async def test_frames_are_not_gzipped_unless_the_server_is_set_to(get, run_dir, jp_serverapp):
    age(run_dir)
    params = {**SERIES, "rule": ["raw"]}
    code, plain, headers = await get("series", params, {"Accept-Encoding": "gzip, br"})
    assert (
        code == 200 and "Content-Encoding" not in headers and not headers["Etag"].endswith('-gzip"')
    )
    jp_serverapp.web_app.settings["runwatch"].settings.lod_gzip_frames = True
    code, packed, zipped = await get("series", params, {"Accept-Encoding": "gzip, br"})
    assert code == 200 and zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed) == plain and zipped["Etag"] != headers["Etag"]


async def test_gzip_when_accepted(get, run_dir, jp_serverapp):
    age(run_dir)
    jp_serverapp.web_app.settings["runwatch"].settings.lod_gzip_frames = True
    for endpoint, params in (("series", {**SERIES, "rule": ["raw"]}), ("csv", {"channel": ["c"]})):
        code, plain, headers = await get(endpoint, params)
        assert code == 200 and "Content-Encoding" not in headers
        code, packed, zipped = await get(endpoint, params, {"Accept-Encoding": "gzip, br"})
        assert code == 200 and zipped["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed) == plain and len(packed) < len(plain)
        assert zipped["Etag"] != headers["Etag"] and zipped["Vary"] == "Accept-Encoding"
        code, _, refused = await get(endpoint, params, {"Accept-Encoding": "gzip;q=0"})
        assert code == 200 and "Content-Encoding" not in refused


def test_buckets_current_in_memory_touch_no_disk_entry(store, run_dir, tmp_path, monkeypatch):
    """A frame from buckets in memory that cover every row neither names nor writes a
    disk entry (a glob's review hashed one for each of its 1,200 frames); rows appended
    since are read, and kept on disk again, and the frame says so."""
    from runwatch.server.lod import persisted

    folder = tmp_path / "cache"
    svc = new_service(store, folder)
    named = []
    real_key = persisted.file_key
    monkeypatch.setattr(persisted, "file_key", lambda *a: named.append(a[0]) or real_key(*a))
    first = frames(svc, rules=(60,))
    assert named == ["buckets"]
    assert frames(svc, rules=(60,)) == first
    assert named == ["buckets"]
    append_npr(run_dir / "stats.c.0.npr", rows_at(np.random.default_rng(2), 10_000, 3_000.0))
    grown = frames(svc, rules=(60,))
    assert named == ["buckets", "buckets"]
    assert grown != first
    assert grown == frames(new_service(store, None), rules=(60,))
