"""StorePaths.open_in_run, the series frames' way to open a file: the same answer as
open_file (the same bytes, or the same refusal) for every kind of entry a hostile
store can hold, through an fd on the run folder in the common case."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from runwatch.server import paths as paths_module
from runwatch.server.paths import Refused, StorePaths
from runwatch.store import safe_read

RUN = "2021-01-01 00-00-00 run"
OTHER = "2021-01-01 00-00-01 other"
SECRET = b"outside the store"


@pytest.fixture
def store_paths(tmp_path: Path) -> StorePaths:
    root = tmp_path / "store"
    run = root / RUN
    other = root / OTHER
    run.mkdir(parents=True)
    other.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "stats.x.0.npr").write_bytes(SECRET)
    (run / "stats.plain.0.npr").write_bytes(b"plain rows")
    (other / "stats.y.0.npr").write_bytes(b"the other run's rows")
    (other / "_info.json").write_text('{"secret": 1}')
    (run / "stats.inside.0.npr").symlink_to(f"../{OTHER}/stats.y.0.npr")
    (run / "stats.out.0.npr").symlink_to(outside / "stats.x.0.npr")
    (run / "stats.info.0.npr").symlink_to(f"../{OTHER}/_info.json")
    os.mkfifo(run / "stats.fifo.0.npr")
    (run / "stats.folder.0.npr").mkdir()
    os.symlink(outside, root / "2021-01-01 00-00-02 linked-out")
    os.symlink(run, root / "2021-01-01 00-00-03 alias")
    return StorePaths(root)


def outcome(open_, run: str, name: str):
    """The bytes opened, or the refusal's status and message."""
    try:
        path, fd = open_(run, name)
    except Refused as refused:
        return ("refused", refused.status, refused.message)
    try:
        return ("read", path.name, os.pread(fd, 100, 0))
    finally:
        os.close(fd)


CASES = [
    (RUN, "stats.plain.0.npr"),  # a regular file: opened through the folder's fd
    (RUN, "stats.inside.0.npr"),  # a symlink to a stats file in the store: served
    (RUN, "stats.out.0.npr"),  # a symlink out of the root
    (RUN, "stats.info.0.npr"),  # a symlink to another run's _info.json
    (RUN, "stats.fifo.0.npr"),  # a FIFO: never opened for reading
    (RUN, "stats.folder.0.npr"),  # a folder
    (RUN, "stats.missing.0.npr"),
    (RUN, "_info.json"),  # not a servable file
    (RUN, "notes.txt"),
    ("2021-01-01 00-00-02 linked-out", "stats.x.0.npr"),  # a run folder linked out
    ("2021-01-01 00-00-03 alias", "stats.plain.0.npr"),  # a run folder linked inside
    ("2099-01-01 00-00-00 none", "stats.plain.0.npr"),
    ("../outside", "stats.x.0.npr"),
    (".hidden", "stats.x.0.npr"),
]


@pytest.mark.parametrize("run, name", CASES)
def test_it_answers_as_open_file_does(store_paths, run, name):
    fast = outcome(store_paths.open_in_run, run, name)
    assert fast == outcome(store_paths.open_file, run, name)
    assert repr(SECRET) not in repr(fast)


def test_a_regular_file_is_opened_without_the_path_checks(store_paths, monkeypatch):
    calls = []
    monkeypatch.setattr(paths_module.StorePaths, "store_file", lambda *a: calls.append(a))
    assert outcome(store_paths.open_in_run, RUN, "stats.plain.0.npr")[2] == b"plain rows"
    assert calls == []


def test_a_folder_swapped_for_a_link_out_after_its_check_leads_nowhere_new(
    store_paths, tmp_path, monkeypatch
):
    """The file is opened relative to the folder's checked fd: the folder's name
    swapped for a symlink out of the root between the check and the open changes
    nothing that is read."""
    run = store_paths.root / RUN
    outside = tmp_path / "outside"
    (outside / "stats.plain.0.npr").write_bytes(SECRET)
    checked = safe_read.open_dir

    def open_then_swap(path, real_root=None, **kw):
        fd = checked(path, real_root, **kw)
        os.rename(run, run.with_name(".parked"))
        os.symlink(outside, run)
        return fd

    monkeypatch.setattr(safe_read, "open_dir", open_then_swap)
    assert outcome(store_paths.open_in_run, RUN, "stats.plain.0.npr") == (
        "read",
        "stats.plain.0.npr",
        b"plain rows",
    )
