"""A hostile or broken store never breaks the server or the kernel's readers.

FIFOs and other special files, deeply nested, non-object, huge or non-UTF-8
`_info.json`s: the bad run is listed as unreadable with its reason, every
other run lists, and nothing hangs (docs/security.md).
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from pathlib import Path

import pytest

import runwatch
from runwatch import widgets
from runwatch.store import npr, summary
from runwatch.tests.conftest_server import FAKE_SECRET, pavlov_info, pavlov_run

GOOD = "2021-01-01 00-00-00 good-run"
BAD = "2021-01-01 00-00-00 bad-run"  # the same second: resolving reads both infos
HANG_GUARD_S = 30  # not a timing assertion: on the old code these requests never return


@pytest.fixture
def fifos():
    """mkfifo(path); at teardown each FIFO is opened for writing once, which releases
    any reader stuck opening it (the old code), so a failing test can't hang the run."""
    made: list[Path] = []

    def make(path: Path) -> Path:
        os.mkfifo(path)
        made.append(path)
        return path

    yield make
    for path in made:
        for _ in range(20):
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                break  # ENXIO: nobody is stuck reading it
            time.sleep(0.05)


async def guarded(request):
    return await asyncio.wait_for(request, HANG_GUARD_S)


def in_thread(function, *args):
    """function(*args) in a thread that can be abandoned if it hangs."""
    result: dict = {}

    def run():
        try:
            result["value"] = function(*args)
        except BaseException as error:  # noqa: BLE001 (handed to the test)
            result["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_GUARD_S)
    assert not thread.is_alive(), f"{function.__name__} hung"
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.fixture
def good_run(store: Path) -> Path:
    files = {"logs.0.txt": {"_pattern": "logs.{n}.txt"}}
    return pavlov_run(store, GOOD, pavlov_info(_files=files), {"logs.0.txt": b"fine\n"})


def by_name(listing: dict) -> dict[str, dict]:
    return {run["name"]: run for run in listing["runs"]}


# Item 2: special files are never opened for reading as if they were files.


async def test_a_fifo_info_does_not_hang_the_listing(api, jp_fetch, store, good_run, fifos):
    run_dir = pavlov_run(store, BAD)
    fifos(run_dir / "_info.json")
    code, listing, _ = await guarded(api("runs"))
    assert code == 200
    runs = by_name(listing)
    assert runs[GOOD]["status"] == "stale"
    assert runs[BAD]["status"] == "unreadable" and "FIFO" in runs[BAD]["error"]
    code, detail, _ = await guarded(api("runs", BAD))
    assert code == 200 and detail["status"] == "unreadable" and "FIFO" in detail["error"]
    code, resolved, _ = await guarded(api("resolve", params={"q": "-1"}))
    assert code == 200 and resolved["runs"] == [GOOD]
    status = await guarded(jp_fetch("api", "status"))
    assert status.code == 200


async def test_fifo_store_files_do_not_hang_the_run(api, store, fifos):
    files = {
        "logs.0.txt": {"_pattern": "logs.{n}.txt"},
        "stats.loss.0.npr": {"_pattern": "stats.loss.{n}.npr", "kind": "last"},
    }
    run_dir = pavlov_run(store, BAD, pavlov_info(_files=files))
    fifos(run_dir / "logs.0.txt")
    fifos(run_dir / "stats.loss.0.npr")
    code, detail, _ = await guarded(api("runs", BAD))
    assert code == 200 and detail["status"] == "stale"
    errors = {f["name"]: f["error"] for f in detail["files"]}
    assert "FIFO" in errors["logs.0.txt"] and "FIFO" in errors["stats.loss.0.npr"]
    for name in ("logs.0.txt", "stats.loss.0.npr"):
        code, body, _ = await guarded(api("runs", BAD, "files", name))
        assert code in (403, 404) and body["message"]


def test_kernel_readers_refuse_fifos(store, good_run, fifos):
    run_dir = pavlov_run(store, BAD)
    fifos(run_dir / "_info.json")
    assert in_thread(runwatch.runs) == [BAD, GOOD]  # unreadable ties sort first
    assert in_thread(runwatch.resolve, -1) == GOOD
    stats = fifos(good_run / "stats.x.0.npr")
    assert "FIFO" in in_thread(summary.header_error, stats)
    with pytest.raises(OSError, match="FIFO"):
        in_thread(npr.last_row, stats)
    log = fifos(good_run / "logs.1.txt")
    assert "FIFO" in in_thread(widgets.log_tail, log)[0]


# Item 4: one bad `_info.json` is one unreadable run, whatever is in it.

BAD_INFOS = {
    "deep list": (b"[" * 100_000, "nested too deeply"),
    "deep object": (b'{"a":' * 100_000, "nested too deeply"),
    "deep but parseable": (
        b'{"_created": "2021-01-01 00:00:00", "p": ' + b"[" * 500 + b"]" * 500 + b"}",
        "nested more than 100 levels",
    ),
    "a list": (b"[1, 2]", "expected a JSON object, got list"),
    "a string": (b'"text"', "expected a JSON object, got str"),
    "a huge integer": (b'{"_created": "2021-01-01 00:00:00", "n": ' + b"9" * 5000 + b"}", "digits"),
    "invalid UTF-8": (b'{"_created": "2021-01-01 00:00:00", "d": "\xff\xfe"}', "UTF-8"),
    "year zero": (b'{"_created": "0000-01-01 00:00:00"}', "bad _created"),
    "year ten thousand": (b'{"_created": "9999-12-31 23:59:59-23:59"}', "bad _created"),
}


@pytest.mark.parametrize("case", BAD_INFOS)
async def test_one_bad_info_is_one_unreadable_run(api, jp_ws_fetch, store, good_run, case):
    data, reason = BAD_INFOS[case]
    run_dir = pavlov_run(store, BAD)
    (run_dir / "_info.json").write_bytes(data)
    code, listing, _ = await api("runs")
    assert code == 200
    runs = by_name(listing)
    assert runs[GOOD]["status"] == "stale"
    assert runs[BAD]["status"] == "unreadable" and reason in runs[BAD]["error"]
    code, detail, _ = await api("runs", BAD)
    assert code == 200 and detail["status"] == "unreadable" and reason in detail["error"]
    code, resolved, _ = await api("resolve", params={"q": "-1"})
    assert code == 200 and resolved["runs"] == [GOOD]
    assert runwatch.runs() == [BAD, GOOD] and runwatch.resolve(-1) == GOOD
    ws = await jp_ws_fetch("runwatch", "api", "watch")
    ws.write_message(json.dumps({"op": "watch", "run": BAD}))
    snapshot = json.loads(await guarded(ws.read_message()))
    assert snapshot["type"] == "snapshot" and reason in snapshot["error"]
    ws.close()


async def test_huge_floats_list_as_null(api, store, good_run):
    pavlov_run(store, BAD, '{"_created": "2021-01-01 00:00:00", "params": {"lr": 1e999}}')
    code, listing, _ = await api("runs")
    assert code == 200 and by_name(listing)[BAD]["params"] == {"lr": None}


# Item 5: what is read, and what a listing carries, is capped.


async def test_a_huge_info_is_refused_unread(api, store, good_run):
    run_dir = pavlov_run(store, BAD)
    (run_dir / "_info.json").touch()
    os.truncate(run_dir / "_info.json", 200 * 10**6)  # sparse: 200 MB that costs no disk
    code, listing, _ = await api("runs")
    assert code == 200
    error = by_name(listing)[BAD]["error"]
    assert "200 MB, over the 2 MiB limit" in error
    code, detail, _ = await api("runs", BAD)
    assert code == 200 and "200 MB, over the 2 MiB limit" in detail["error"]
    assert runwatch.resolve(-1) == GOOD


async def test_the_listing_carries_params_cut_and_the_run_carries_them_whole(api, store, good_run):
    params = {
        "lr": 0.001,
        "name": "x" * 10_000,
        "layers": list(range(1000)),
        **{f"extra{i}": "y" * 100 for i in range(5000)},
    }
    info = pavlov_info(params=params, description="d" * 50_000)
    pavlov_run(store, BAD, info)
    code, listing, _ = await api("runs")
    assert code == 200
    listed = by_name(listing)[BAD]
    assert len(json.dumps(listed)) < 10_000
    assert (
        listed["params_truncated"] is True and by_name(listing)[GOOD]["params_truncated"] is False
    )
    assert listed["params"]["lr"] == 0.001
    assert listed["params"]["name"].endswith("…") and len(listed["params"]["name"]) <= 200
    assert listed["params"]["layers"][:3] == [0, 1, 2] and {"…": 950} in listed["params"]["layers"]
    assert listed["params"]["…"] > 0  # how many params were left out
    assert listed["description"].endswith("…") and len(listed["description"]) <= 1000
    code, detail, _ = await api("runs", BAD)
    assert code == 200 and detail["info"]["params"] == params
    assert FAKE_SECRET not in json.dumps(detail) + json.dumps(listing)
