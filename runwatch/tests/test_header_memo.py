"""A listing reads a stats file's header once per version of the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from runwatch.store import npr, summary
from runwatch.store.header_memo import HEADERS_FINE, file_stamp
from runwatch.store.recently_used import RecentlyUsed
from runwatch.tests.conftest_server import pavlov_info, pavlov_run

RUN = "2021-01-01 00-00-00 memo-run"
GOOD = npr.encode_header([("_time", "<f8"), ("mean", "<f8")]) + b"\0" * 16


@pytest.fixture
def reads(monkeypatch):
    """Counts the headers actually read."""
    count = {"n": 0}
    real = npr.read_header

    def counted(path, real_root=None):
        count["n"] += 1
        return real(path, real_root=real_root)

    monkeypatch.setattr(npr, "read_header", counted)
    return count


def listing(store: Path) -> dict[str, str | None]:
    run_dir = store / RUN
    real_root = os.path.realpath(store)
    info, _ = summary.read_info(run_dir, real_root=real_root)
    scan = summary.scan_run_dir(run_dir, real_root)
    return {e["name"]: e["error"] for e in summary.file_entries(run_dir, info, scan)}


def make_run(store: Path) -> Path:
    files = {"stats.loss.0.npr": GOOD, "stats.acc.0.npr": GOOD}
    info = pavlov_info(_files={name: {"kind": "mean"} for name in files})
    return pavlov_run(store, RUN, info, files)


def test_an_unchanged_file_is_not_read_again(tmp_path, reads):
    make_run(tmp_path)
    assert listing(tmp_path) == {
        "_info.json": None,
        "stats.acc.0.npr": None,
        "stats.loss.0.npr": None,
    }
    assert reads["n"] == 2
    listing(tmp_path)
    assert reads["n"] == 2


def test_a_file_replaced_with_a_bad_header_is_read_and_refused(tmp_path, reads):
    run_dir = make_run(tmp_path)
    listing(tmp_path)
    replacement = run_dir / "new.tmp"
    replacement.write_bytes(b"\x93NUMPY garbage")
    os.replace(replacement, run_dir / "stats.loss.0.npr")
    errors = listing(tmp_path)
    assert errors["stats.loss.0.npr"] and "stats.loss.0.npr" in errors["stats.loss.0.npr"]
    assert errors["stats.acc.0.npr"] is None


def test_a_file_rewritten_in_place_is_read_again(tmp_path, reads):
    run_dir = make_run(tmp_path)
    listing(tmp_path)
    before = reads["n"]
    path = run_dir / "stats.acc.0.npr"
    with open(path, "r+b") as f:
        f.write(b"garbage!")
    assert listing(tmp_path)["stats.acc.0.npr"] is not None
    assert reads["n"] == before + 1


def test_a_bad_header_is_read_every_time(tmp_path, reads):
    info = pavlov_info(_files={"stats.loss.0.npr": {"kind": "mean"}})
    pavlov_run(tmp_path, RUN, info, {"stats.loss.0.npr": b"not npr"})
    assert listing(tmp_path)["stats.loss.0.npr"] is not None
    assert listing(tmp_path)["stats.loss.0.npr"] is not None
    assert reads["n"] == 2


def test_the_memo_drops_the_least_recently_used():
    memo = RecentlyUsed(2)
    st = os.stat(__file__)
    a, b, c = (file_stamp(name, st) for name in "abc")
    memo.put(a, True)
    memo.put(b, True)
    assert memo.get(a, False)  # a is now the most recent
    memo.put(c, True)
    assert memo.get(a, False) and memo.get(c, False)
    assert not memo.get(b, False)
    assert len(memo) == 2


@pytest.fixture(autouse=True)
def fresh_memo():
    """Each test starts from a memo that knows none of its files (tmp paths repeat)."""
    HEADERS_FINE.clear()
    yield
    HEADERS_FINE.clear()
