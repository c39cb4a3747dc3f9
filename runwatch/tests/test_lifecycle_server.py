"""A `kill -9`ed writer shows crashed, with its reason, in `GET runs` and on the watch socket;
pavlov runs keep their statuses and get a reason too."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from .conftest_server import pavlov_info, pavlov_run
from .test_lifecycle_processes import DEADLINE_S, DECLARED, the_run, writer  # noqa: F401
from .test_server_watch import next_message, socket  # noqa: F401


@pytest.fixture(params=["inotify", "poll"])
def jp_server_config(request, store: Path):
    return {
        "ServerApp": {"jpserver_extensions": {"runwatch": True}},
        "Runwatch": {"watch_mode": request.param},
    }


async def listed(api, name: str, status: str) -> dict:
    """The run's entry in `GET runs` once it has `status` (or at the deadline)."""
    deadline = time.monotonic() + DEADLINE_S
    while True:
        code, runs, _ = await api("runs")
        assert code == 200
        (entry,) = [run for run in runs["runs"] if run["name"] == name]
        if entry["status"] == status or time.monotonic() > deadline:
            return entry
        await asyncio.sleep(0.05)


async def test_the_listing_shows_running_then_crashed_with_the_reason(api, writer, store):  # noqa: F811
    child = writer("forever")
    name = the_run(store).name
    entry = await listed(api, name, "running")
    assert entry["status"] == "running"
    assert entry["reason"] == f"pid {child.pid}: {DECLARED}"
    child.kill()
    child.wait()
    entry = await listed(api, name, "crashed")
    assert entry["status"] == "crashed"
    assert entry["reason"].startswith(f"pid {child.pid} gone without a recorded exit")
    code, detail, _ = await api("runs", name)  # the run's own endpoint says the same
    assert code == 200
    assert (detail["status"], detail["reason"]) == ("crashed", entry["reason"])


async def test_the_listing_keeps_pavlovs_statuses(api, store):
    pavlov_run(store, "2021-01-01 00-00-00 old-run", pavlov_info(), {"logs.0.txt": b"a\n"})
    entry = await listed(api, "2021-01-01 00-00-00 old-run", "stale")
    assert entry["status"] == "stale"
    assert entry["reason"] == "no heartbeat recorded; nothing written for 60 s"


async def test_the_socket_says_running_then_crashed(socket, writer, store):  # noqa: F811
    child = writer("forever")
    name = the_run(store).name
    ws = await socket()
    ws.send({"op": "watch", "run": name})
    snapshot = await next_message(ws, "snapshot")
    assert (snapshot["status"], snapshot["reason"]) == (
        "running",
        f"pid {child.pid}: {DECLARED}",
    )
    child.kill()
    child.wait()
    info = await next_message(ws, "info", run=name, status="crashed")
    assert info["reason"].startswith(f"pid {child.pid} gone without a recorded exit")
    ws.close()
