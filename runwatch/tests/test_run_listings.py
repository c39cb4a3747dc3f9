"""The series service's kept run listings (lod/run_listings.py): read once while
`_info.json` is unchanged, read again when the writer replaces it, and never a
refusal served from memory (a run deleted, an `_info.json` swapped for a symlink)."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from runwatch.server.lod import run_listings
from runwatch.server.lod.run_listings import RunListings
from runwatch.server.paths import Refused, StorePaths
from runwatch.store import info as info_file
from runwatch.tests.lod_store import make_run, records

RUN = "2024-01-01 00-00-00 kept"


def rows(n: int = 10) -> np.ndarray:
    return records(np.arange(n, dtype=float), [("value", "<f8")], value=np.ones(n))


@pytest.fixture
def store(tmp_path):
    make_run(tmp_path, RUN, {"loss": ("mean", [rows()])})
    return tmp_path


@pytest.fixture
def reads(monkeypatch):
    """How many times each run's `_info.json` was read and decoded."""
    counted: list[str] = []
    real = run_listings.listed_channels

    def counting(paths, run_dir):
        counted.append(run_dir.name)
        return real(paths, run_dir)

    monkeypatch.setattr(run_listings, "listed_channels", counting)
    return counted


def test_an_unchanged_run_is_read_once(store, reads):
    listings = RunListings(StorePaths(store))
    first = listings.get(RUN)
    assert list(first.channels) == ["loss"]
    assert listings.get(RUN) is first
    assert reads == [RUN]


def test_a_channel_the_writer_adds_is_listed_next_time(store, reads):
    listings = RunListings(StorePaths(store))
    assert list(listings.get(RUN).channels) == ["loss"]
    run_dir = store / RUN
    info = json.loads((run_dir / "_info.json").read_text())
    info["_files"]["stats.acc.0.npr"] = {"kind": "mean", "_pattern": "stats.acc.{n}.npr"}
    info_file.write_info(run_dir, info)  # as the writer does: os.replace, a new inode
    assert list(listings.get(RUN).channels) == ["acc", "loss"]
    assert reads == [RUN, RUN]


def test_an_info_rewritten_in_place_is_read_again(store, reads):
    listings = RunListings(StorePaths(store))
    listings.get(RUN)
    path = store / RUN / "_info.json"
    info = json.loads(path.read_text())
    info["_files"]["stats.acc.0.npr"] = {"kind": "max", "_pattern": "stats.acc.{n}.npr"}
    stat = path.stat()
    path.write_text(json.dumps(info))  # same inode, another size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert listings.get(RUN).channels["acc"].kind == "max"


def test_a_deleted_run_is_refused_though_it_was_kept(store):
    listings = RunListings(StorePaths(store))
    listings.get(RUN)
    shutil.rmtree(store / RUN)
    with pytest.raises(Refused) as refused:
        listings.get(RUN)
    assert refused.value.status == 404
    assert "no run named" in refused.value.message


def test_an_info_swapped_for_a_symlink_is_refused_though_it_was_kept(store, tmp_path_factory):
    listings = RunListings(StorePaths(store))
    listings.get(RUN)
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "_info.json"
    shutil.copy(store / RUN / "_info.json", elsewhere)
    os.replace(store / RUN / "_info.json", store / RUN / "moved.json")
    os.symlink(elsewhere, store / RUN / "_info.json")
    with pytest.raises(Refused) as refused:
        listings.get(RUN)
    assert refused.value.status == 409
    assert "symlink" in refused.value.message


def test_only_the_most_recent_runs_are_kept(tmp_path, reads):
    names = [f"2024-01-01 00-00-0{i} run{i}" for i in range(3)]
    for name in names:
        make_run(tmp_path, name, {"loss": ("mean", [rows()])})
    listings = RunListings(StorePaths(tmp_path), limit=2)
    for name in names:
        listings.get(name)
    listings.get(names[2])
    listings.get(names[1])
    listings.get(names[0])  # pushed out by the third
    assert reads == [*names, names[0]]
