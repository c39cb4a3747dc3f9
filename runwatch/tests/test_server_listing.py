"""Run summaries: order, status rules, `_finished`, and the listing cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import runwatch
from runwatch.server import listing as listing_module
from runwatch.server.listing import RunListing
from runwatch.server.paths import StorePaths
from runwatch.store import info, layout, summary
from runwatch.tests.conftest_server import pavlov_info, pavlov_run

NOW_MS = 1_700_000_000_000


def test_listing_is_the_reverse_of_runs(store: Path):
    created = "2021-01-01 00:00:00.{}+00:00"
    pavlov_run(store, "2021-01-01 00-00-00 tie-b", pavlov_info(_created=created.format(1)))
    pavlov_run(store, "2021-01-01 00-00-00 tie-a", pavlov_info(_created=created.format(2)))
    pavlov_run(store, "2021-01-01 00-00-00 tie-c", "{broken")
    pavlov_run(store, "unstamped", pavlov_info(_created="2021-06-01 00:00:00+00:00"))
    pavlov_run(store, "unstamped-broken", "{broken")
    runwatch.new_run()
    runwatch.new_run()
    listed = [r["name"] for r in RunListing(StorePaths(store), 60).summaries()]
    placed = list(reversed(runwatch.runs()))
    assert listed[:-1] == [n for n in placed if n != "unstamped-broken"]
    assert listed[-1] == "unstamped-broken"


def test_status_rules():
    created = {"_created": "2023-01-01 00:00:00+00:00"}
    finished = {**created, "_finished": layout.format_created((NOW_MS - 10_000) * 10**6)}
    status = summary.run_status
    assert status(None, NOW_MS, NOW_MS, 60) == "unreadable"
    assert status(created, NOW_MS - 59_000, NOW_MS, 60) == "live"
    assert status(created, NOW_MS - 61_000, NOW_MS, 60) == "stale"
    assert status(created, None, NOW_MS, 60) == "stale"
    assert status(finished, NOW_MS - 10_000, NOW_MS, 60) == "finished"
    assert status(finished, NOW_MS - 9_500, NOW_MS, 60) == "finished"  # the closing write
    # Another process wrote after this one finished: it is still running.
    assert status(finished, NOW_MS - 5_000, NOW_MS, 60) == "live"
    assert status({**created, "_finished": "garbage"}, NOW_MS, NOW_MS, 60) == "finished"


def test_to_run_marks_the_run_finished_on_the_last_exit(store: Path):
    run = runwatch.new_run()
    with runwatch.to_run(run):
        with runwatch.to_run(run):
            runwatch.stats.mean("a", 1)
        assert "_finished" not in runwatch.info(run)
    finished = runwatch.info(run)["_finished"]
    layout.parse_created(finished)
    with runwatch.to_run(run):
        assert "_finished" not in runwatch.info(run)  # reopening clears it
    with pytest.raises(ZeroDivisionError), runwatch.to_run(run):
        raise ZeroDivisionError
    assert runwatch.info(run)["_finished"] >= finished


def test_a_run_deleted_under_to_run_exits_cleanly(store: Path):
    import shutil

    run = runwatch.new_run()
    with runwatch.to_run(run):
        shutil.rmtree(store / run)


def test_listing_rereads_info_only_when_it_changes(store: Path, monkeypatch):
    runs = [runwatch.new_run(description=str(i)) for i in range(3)]
    listing = RunListing(StorePaths(store), 60)
    reads = []
    real_read = summary.read_info
    monkeypatch.setattr(
        summary, "read_info", lambda d, **kw: reads.append(d.name) or real_read(d, **kw)
    )
    first = listing.summaries()
    assert sorted(reads) == sorted(runs)
    reads.clear()
    assert listing.summaries() == first and reads == []
    with info.updating(store / runs[0]) as fields:
        fields["description"] = "changed"
    (store / runs[1] / "logs.0.txt").write_text("x" * 100)  # size moves without the info
    summaries = {r["name"]: r for r in listing.summaries()}
    assert reads == [runs[0]]
    assert summaries[runs[0]]["description"] == "changed"
    assert summaries[runs[1]]["size"] == first[1]["size"] + 100
    os.rename(store / runs[2], store / f"{runs[2]}-moved")
    names = [r["name"] for r in listing.summaries()]
    assert runs[2] not in names and f"{runs[2]}-moved" in names


def test_half_written_info_recovers(store: Path):
    run_dir = pavlov_run(store, "2021-01-01 00-00-00 pavlov-run", '{"_created": ')
    listing = RunListing(StorePaths(store), 60)
    assert listing.summaries()[0]["status"] == "unreadable"
    (run_dir / "_info.json").write_text(json.dumps(pavlov_info()))
    assert listing.summaries()[0]["status"] in ("live", "stale")


def quiet_runs(store: Path, count: int) -> list[str]:
    """Runs last written in 2021 (stale): the listing keeps them while their folder is unchanged."""
    files = {"logs.0.txt": {"_pattern": "logs.{n}.txt"}}
    names = [f"2021-01-01 00-00-0{i} quiet" for i in range(count)]
    for name in names:
        run_dir = pavlov_run(store, name, pavlov_info(_files=files), {"logs.0.txt": b"x\n"})
        os.utime(run_dir, (1609459300, 1609459300))
    return names


@pytest.fixture
def scans(monkeypatch) -> list[str]:
    """The names of the run folders the listing scans."""
    scanned: list[str] = []
    real_scan = summary.scan_dir_fd

    def scan(fd, real_root, real_dir=None):
        scanned.append(os.path.basename(os.readlink(f"/proc/self/fd/{fd}")))
        return real_scan(fd, real_root, real_dir)

    monkeypatch.setattr(summary, "scan_dir_fd", scan)
    return scanned


def test_quiet_runs_are_listed_from_the_cache_until_their_folder_changes(store: Path, scans):
    names = quiet_runs(store, 3)
    listing = RunListing(StorePaths(store), 60)
    first = listing.summaries_json()
    assert sorted(scans) == sorted(names)
    scans.clear()
    assert listing.summaries_json() == first and scans == []
    (store / names[1] / "logs.1.txt").write_text("new file\n")  # the folder's mtime moves
    summaries = {r["name"]: r for r in listing.summaries()}
    assert scans == [names[1]]
    assert summaries[names[1]]["size"] > summaries[names[0]]["size"]
    assert summaries[names[1]]["status"] == "live"


def test_a_quiet_run_that_grows_is_seen_at_its_recheck(store: Path, scans, monkeypatch):
    names = quiet_runs(store, 3)
    listing = RunListing(StorePaths(store), 60)
    before = {r["name"]: r for r in listing.summaries()}
    with open(store / names[0] / "logs.0.txt", "a") as log:  # an append: the folder is unchanged
        log.write("resumed\n")
    # Until its recheck the listing still says what it saw: the folder did not change.
    assert {r["name"]: r for r in listing.summaries()}[names[0]]["status"] == "stale"
    monkeypatch.setattr(listing_module, "QUIET_RECHECK_S", 0.0)
    monkeypatch.setattr(listing_module, "QUIET_RECHECKS", 2)  # at most 2 a listing
    scans.clear()
    listing.summaries()
    assert scans == names[:2]  # the two least recently scanned
    after = {r["name"]: r for r in listing.summaries()}
    assert names[0] in scans[2:] and names[2] in scans[2:]  # live now, and the last one
    assert after[names[0]]["status"] == "live"
    assert after[names[0]]["size"] == before[names[0]]["size"] + len("resumed\n")


def test_live_runs_are_scanned_on_every_listing(store: Path, scans):
    run = runwatch.new_run()
    (store / run / "logs.0.txt").write_text("first\n")
    listing = RunListing(StorePaths(store), 60)
    sizes = [listing.summaries()[0]["size"]]
    assert listing.summaries()[0]["status"] == "live"
    scans.clear()
    with open(store / run / "logs.0.txt", "a") as log:  # the folder is unchanged
        log.write("more\n")
    sizes.append(listing.summaries()[0]["size"])
    assert scans == [run] and sizes[1] == sizes[0] + 5


def test_a_slow_run_is_scanned_again_only_after_ten_scans_time(store: Path, scans, monkeypatch):
    run = runwatch.new_run()
    (store / run / "logs.0.txt").write_text("first\n")
    listing = RunListing(StorePaths(store), 60)
    monkeypatch.setattr(listing_module, "SLOW_SCAN_S", -1.0)  # every scan counts as slow
    monkeypatch.setattr(listing_module, "SLOW_SCAN_SPACING", 10**9)
    size = listing.summaries()[0]["size"]
    with open(store / run / "logs.0.txt", "a") as log:
        log.write("more\n")
    scans.clear()
    assert listing.summaries()[0]["size"] == size and scans == []  # deferred
    monkeypatch.setattr(listing_module, "SLOW_SCAN_SPACING", 0)
    assert listing.summaries()[0]["size"] == size + 5 and scans == [run]


def test_an_info_replaced_unchanged_is_read_once(store: Path, monkeypatch):
    run = runwatch.new_run(description="same")
    listing = RunListing(StorePaths(store), 60)
    first = listing.summaries_json()
    path = store / run / "_info.json"
    st = path.stat()
    copy = path.with_name("copy")
    copy.write_bytes(path.read_bytes())
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns))  # as rsync -t or cp -p would
    os.replace(copy, path)  # a new inode, the same fields and times
    reads = []
    real_read = summary.read_info
    monkeypatch.setattr(
        summary, "read_info", lambda d, **kw: reads.append(d.name) or real_read(d, **kw)
    )
    assert listing.summaries_json() == first and reads == [run]
    assert listing.summaries_json() == first and reads == [run]
