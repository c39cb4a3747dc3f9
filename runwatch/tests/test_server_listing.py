"""Run summaries: order, status rules, `_finished`, and the listing cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import runwatch
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
