"""The background pass: the newest runs' channels summarised before anyone asks, so a
first review reads no rows (runwatch/server/warmup.py, lod/warm.py)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import numpy as np
import pytest

from runwatch.server import warmup as warmup_module
from runwatch.server.lod import wire
from runwatch.server.lod.rows import ChannelSpec
from runwatch.server.lod.service import SeriesService
from runwatch.server.lod.warm import FileStamps, newest_runs, opens_at_warm_rule
from runwatch.server.series_handlers import lod_service
from runwatch.server.warmup import Warmup
from runwatch.store import npr
from runwatch.store.header_memo import HEADERS_FINE
from runwatch.tests.lod_store import append_npr, make_run, records

CREATED_S = 1704067200  # lod_store.CREATED
NEW, OLD, SHORT = "2024-01-03 run-new", "2024-01-02 run-old", "2024-01-04 run-short"
NEWEST = "2024-01-05 run-newest"


def test_the_newest_runs_are_warmed_if_they_open_a_review_at_60_s():
    runs = [{"name": "c"}, {"name": "b"}, {"name": "a"}]
    assert newest_runs(runs, 2) == ["c", "b"]
    assert newest_runs(runs, 0) == []
    created = 10**18
    file_at = lambda s: (1, 2, 3, created + int(s * 1e9))  # (dev, ino, size, mtime)
    hour = [("mean", file_at(5)), ("last", file_at(3600), file_at(10))]
    assert opens_at_warm_rule(created, hour)  # its last write an hour in
    assert opens_at_warm_rule(created, [("mean", file_at(600))])
    assert not opens_at_warm_rule(created, [("mean", file_at(599.9))])  # opens at 10 s
    assert not opens_at_warm_rule(created, [("mean", 2)])  # every file gone (ENOENT)


def mean_rows(seconds: np.ndarray, value: float = 1.0) -> np.ndarray:
    return records(seconds, [("total", "<f8"), ("count", "<i4")], total=value, count=1)


def test_file_stamps_say_which_channels_changed(tmp_path: Path):
    run_dir = make_run(tmp_path, "run", {"c": ("mean", [mean_rows(np.arange(0, 700.0))])})
    spec = ChannelSpec("c", "mean", ("stats.c.0.npr",))
    stamps = FileStamps()

    def changed() -> bool:
        return stamps.differs(run_dir, spec, FileStamps.now(run_dir, spec))

    def read() -> None:
        stamps.seen(run_dir, spec, FileStamps.now(run_dir, spec))

    assert changed()
    read()
    assert not changed()
    append_npr(run_dir / "stats.c.0.npr", mean_rows(np.array([700.0])))
    assert changed()
    read()
    replacement = tmp_path / "replacement.npr"
    replacement.write_bytes((run_dir / "stats.c.0.npr").read_bytes())
    os.replace(replacement, run_dir / "stats.c.0.npr")  # same bytes, another inode
    assert changed()
    read()
    (run_dir / "stats.c.0.npr").unlink()
    assert changed()  # deleted: its errno differs
    read()
    assert not changed()
    stamps.keep_only(set())
    assert changed()  # forgotten: read again if warmed


# ---- through the server -----------------------------------------------------------------

SECONDS = np.arange(0, 1800.0, 0.25)  # 30 minutes: a review opens at 60 s
LAST = records(np.arange(0, 900.0), [("x", "<f8")], x=1.0)


def made_at(run_dir: Path, last_write_s: float) -> Path:
    for path in run_dir.iterdir():
        os.utime(path, (last_write_s, last_write_s))
    return run_dir


@pytest.fixture
def runs(store: Path) -> dict[str, Path]:
    """Three runs that open at 60 s (oldest last in the listing) and one that doesn't."""
    spiky = np.sin(SECONDS)
    spiky[4000] = 1e4
    made = {
        NEW: make_run(
            store,
            NEW,
            {
                "loss": ("mean", [mean_rows(SECONDS, spiky)]),
                "lr": ("last", [records(SECONDS, [("x", "<f8")], x=SECONDS / 1e3)]),
            },
        ),
        OLD: make_run(store, OLD, {"loss": ("mean", [mean_rows(SECONDS)])}),
        SHORT: make_run(store, SHORT, {"loss": ("mean", [mean_rows(np.arange(0, 100.0))])}),
    }
    made_at(made[OLD], CREATED_S + 3600)
    made_at(made[NEW], CREATED_S + 7200)
    made_at(made[SHORT], CREATED_S + 100)  # a 100 s run: opens at 1 s
    return made


@pytest.fixture
def jp_server_config(store: Path):
    return {
        "ServerApp": {"jpserver_extensions": {"runwatch": True}},
        "Runwatch": {"lod_warm_runs": 3, "lod_disk_cache_mb": 0},
    }


def served(jp_serverapp) -> tuple[Warmup, SeriesService]:
    settings = jp_serverapp.web_app.settings
    return settings["runwatch_warmup"], lod_service(settings)


async def review(api, run: str, channels: list[str]) -> list[tuple[dict, dict]]:
    params = [("channel", c) for c in channels] + [("rule", "60"), ("width", "400")]
    code, body, _ = await api("runs", run, "series", params=params)
    assert code == 200
    return wire.parse_frames(body)


async def test_a_first_review_of_a_warmed_run_reads_no_rows(api, runs, jp_serverapp):
    warmup, service = served(jp_serverapp)
    assert await warmup.one_pass() == (2, 3)  # NEW's 2 channels and OLD's; not SHORT
    before = service.cache.rows_decoded
    frames = await review(api, NEW, ["loss", "lr"])
    assert service.cache.rows_decoded == before  # answered from the summaries
    loss = frames[0][1]
    spike_bucket = slice(3840, 4080)  # 960-1020 s, 240 rows, row 4000 (1000 s) is 1e4
    spiky = np.sin(SECONDS[spike_bucket])
    spiky[160] = 1e4
    assert loss["value"].max() == pytest.approx(spiky.mean())
    cold = SeriesService(service.paths, 2**26)
    expected = cold.frame(cold.run(NEW), cold.run(NEW).channels["loss"], 60, 400, None)
    assert wire.parse_frames(expected)[0][1]["value"].tolist() == loss["value"].tolist()
    before = service.cache.rows_decoded
    await review(api, SHORT, ["loss"])  # not warmed: read when asked
    assert service.cache.rows_decoded - before == 100


async def test_a_warmed_run_is_listed_without_reading_its_headers(
    api, runs, jp_serverapp, monkeypatch
):
    warmup, _ = served(jp_serverapp)
    HEADERS_FINE.clear()
    await warmup.one_pass()
    read = []
    real = npr.read_header
    monkeypatch.setattr(
        npr, "read_header", lambda path, **kw: read.append(path) or real(path, **kw)
    )
    code, new, _ = await api("runs", NEW)
    assert code == 200 and [f["error"] for f in new["files"]] == [None] * len(new["files"])
    assert read == []  # checked by the pass, at these stamps
    code, _, _ = await api("runs", SHORT)  # not warmed: its header is read
    assert code == 200 and len(read) == 1


async def test_a_later_pass_reads_only_the_rows_appended(api, runs, jp_serverapp):
    warmup, service = served(jp_serverapp)
    await warmup.one_pass()
    assert await warmup.one_pass() == (0, 0)  # nothing changed: nothing read
    extra = np.arange(1800.0, 1900.0, 0.25)
    append_npr(runs[NEW] / "stats.loss.0.npr", mean_rows(extra, 2.0))
    before = service.cache.rows_decoded
    assert await warmup.one_pass() == (1, 1)
    # The last bucket's rows are read again (240 a minute), then the 400 appended.
    assert 400 <= service.cache.rows_decoded - before <= 400 + 241
    before = service.cache.rows_decoded
    frames = await review(api, NEW, ["loss"])
    assert service.cache.rows_decoded == before
    assert frames[0][0]["rows"] == len(SECONDS) + len(extra)
    assert frames[0][1]["value"][-1] == 2.0


async def test_the_runs_are_listed_again_only_when_the_store_changed(runs, store, jp_serverapp):
    warmup, _ = served(jp_serverapp)
    await warmup.one_pass()
    assert await warmup.one_pass() == (0, 0) and warmup.listings == 1
    # A run that grows past 10 minutes is found without a listing: its files are read.
    append_npr(runs[SHORT] / "stats.loss.0.npr", mean_rows(np.arange(100.0, 700.0)))
    made_at(runs[SHORT], CREATED_S + 700)
    assert await warmup.one_pass() == (1, 1) and warmup.listings == 1
    # A new run changes the store's folder: listed, then warmed.
    made_at(make_run(store, NEWEST, {"acc": ("last", [LAST])}), CREATED_S + 900)
    assert await warmup.one_pass() == (1, 1) and warmup.listings == 2


async def test_a_broken_channel_is_left_for_its_review_to_report(api, runs, jp_serverapp):
    (runs[NEW] / "stats.lr.0.npr").write_bytes(b"\x93NUMPY not a header")
    warmup, _ = served(jp_serverapp)
    assert await warmup.one_pass() == (2, 3)
    frames = await review(api, NEW, ["loss", "lr"])
    assert frames[0][0]["error"] is None and len(frames[0][1]["value"]) > 0
    assert frames[1][0]["error"].startswith("stats.lr.0.npr: ")


async def test_a_pass_stops_once_the_memory_cache_is_half_full(runs, jp_serverapp):
    warmup, service = served(jp_serverapp)
    probe = SeriesService(service.paths, 2**26)
    # The newest 2: SHORT (listed first; it opens at 1 s) and NEW.
    assert await Warmup(warmup.listing, lambda: probe, 2, 60.0).one_pass() == (1, 2)
    newest = probe.cache.lru.used  # what the newest run's channels hold
    small = SeriesService(service.paths, 2 * newest - 1)
    limited = Warmup(warmup.listing, lambda: small, 3, 60.0)
    assert await limited.one_pass() == (1, 2)  # the newest, then over half: stopped
    assert small.cache.lru.used == newest


@pytest.fixture
def quick_timer(monkeypatch):
    monkeypatch.setattr(warmup_module, "START_DELAY_S", 0.05)


async def test_the_server_runs_the_pass_soon_after_it_starts(quick_timer, api, runs, jp_serverapp):
    warmup, service = served(jp_serverapp)
    for _ in range(200):
        if warmup.passes:
            break
        await asyncio.sleep(0.05)
    assert warmup.passes >= 1
    before = service.cache.rows_decoded
    await review(api, OLD, ["loss"])
    assert service.cache.rows_decoded == before
