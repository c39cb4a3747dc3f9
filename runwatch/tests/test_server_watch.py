"""The watch websocket: snapshots, then grew/added/info/deleted, and runs-changed.

Every test runs twice: with inotify and with the polling fallback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import time
from pathlib import Path

import pytest

import runwatch

log = logging.getLogger("train")
TIMEOUT_S = 5.0


@pytest.fixture(params=["inotify", "poll"])
def jp_server_config(request, store: Path):
    return {
        "ServerApp": {"jpserver_extensions": {"runwatch": True}},
        "Runwatch": {"watch_mode": request.param},
    }


@pytest.fixture
def served(jp_serverapp):
    return jp_serverapp.web_app.settings["runwatch"]


@pytest.fixture
def socket(jp_ws_fetch):
    async def connect():
        ws = await jp_ws_fetch("runwatch", "api", "watch")
        ws.send = lambda message: ws.write_message(json.dumps(message))
        return ws

    return connect


async def next_message(ws, type_: str, **match) -> dict:
    """The next message of `type_` whose fields include `match` (others are skipped)."""
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {type_} {match} within {TIMEOUT_S} s"
        text = await asyncio.wait_for(ws.read_message(), remaining)
        assert text is not None, "socket closed"
        message = json.loads(text)
        if message["type"] == type_ and all(message.get(k) == v for k, v in match.items()):
            return message


async def test_watch_sends_a_snapshot(socket, served, store: Path):
    run = runwatch.new_run(description="d")
    with runwatch.to_run(run):
        runwatch.stats.mean("loss", 1.0)
    ws = await socket()
    ws.send({"op": "watch", "run": run})
    snapshot = json.loads(await ws.read_message())
    assert served.watcher.uses_inotify == (served.settings.watch_mode == "inotify")
    assert snapshot["type"] == "snapshot" and snapshot["run"] == run
    assert snapshot["status"] == "finished" and snapshot["info"]["description"] == "d"
    sizes = {f["name"]: f["size"] for f in snapshot["files"]}
    assert sizes["stats.loss.0.npr"] == (store / run / "stats.loss.0.npr").stat().st_size
    assert set(sizes) == {"_info.json", "logs.0.txt", "stats.loss.0.npr"}


async def test_writes_arrive_as_added_grew_and_info(socket, store: Path):
    run = runwatch.new_run()
    ws = await socket()
    ws.send({"op": "watch", "run": run})
    assert (await next_message(ws, "snapshot"))["files"][0]["name"] == "_info.json"
    with runwatch.to_run(run):
        added = await next_message(ws, "added")
        assert added["file"]["name"] == "logs.0.txt" and added["file"]["type"] == "log"
        runwatch.stats.mean("loss.value", 0.5)
        added = await next_message(ws, "added")
        assert added["file"]["channel"] == "loss.value" and added["file"]["kind"] == "mean"
        header_size = added["file"]["size"]
        runwatch.stats.mean("loss.value", 0.25)
        grew = await next_message(ws, "grew", file="stats.loss.value.0.npr")
        assert grew["size"] > header_size
        log.info("a line")
        grew = await next_message(ws, "grew", file="logs.0.txt")
        assert grew["size"] == (store / run / "logs.0.txt").stat().st_size
    info = await next_message(ws, "info", status="finished")
    assert "_finished" in info["info"]
    ws.close()


async def test_deleting_the_run_sends_deleted(socket, served, store: Path):
    run = runwatch.new_run()
    ws = await socket()
    ws.send({"op": "watch", "run": run})
    await next_message(ws, "snapshot")
    shutil.rmtree(store / run)
    assert await next_message(ws, "deleted", run=run)
    assert served.watcher.watched_runs() == []
    ws.close()


async def test_watch_store_reports_new_and_removed_runs(socket, store: Path):
    store.mkdir(parents=True)
    ws = await socket()
    ws.send({"op": "watch-store"})
    await asyncio.sleep(0.05)
    run = runwatch.new_run()
    await next_message(ws, "runs-changed")
    shutil.rmtree(store / run)
    await next_message(ws, "runs-changed")
    ws.close()


async def test_watch_store_before_the_root_exists(socket, store: Path):
    ws = await socket()
    ws.send({"op": "watch-store"})
    await asyncio.sleep(0.05)
    runwatch.new_run()  # creates the root
    await next_message(ws, "runs-changed")
    ws.close()


async def test_closing_sockets_stops_watching(socket, served, store: Path):
    run = runwatch.new_run()
    first, second = await socket(), await socket()
    for ws in (first, second):
        ws.send({"op": "watch", "run": run})
        await next_message(ws, "snapshot")
    first.close()
    with runwatch.to_run(run):
        await next_message(second, "added")  # the other socket still hears
    assert served.watcher.watched_runs() == [run]
    second.send({"op": "unwatch", "run": run})
    await asyncio.sleep(0.1)
    assert served.watcher.watched_runs() == []
    second.close()


async def test_reconnecting_resumes_from_the_snapshot_sizes(socket, store: Path):
    run = runwatch.new_run()
    path = store / run / "logs.0.txt"
    with runwatch.to_run(run):
        log.info("before")
        ws = await socket()
        ws.send({"op": "watch", "run": run})
        before = {f["name"]: f["size"] for f in (await next_message(ws, "snapshot"))["files"]}
        ws.close()
        log.info("while disconnected")
        ws = await socket()
        ws.send({"op": "watch", "run": run})
        after = {f["name"]: f["size"] for f in (await next_message(ws, "snapshot"))["files"]}
        assert before["logs.0.txt"] < after["logs.0.txt"] == path.stat().st_size
        ws.close()


async def test_appends_arrive_quickly(socket, store: Path):
    run = runwatch.new_run()
    with runwatch.to_run(run):
        log.info("first")
        ws = await socket()
        ws.send({"op": "watch", "run": run})
        await next_message(ws, "snapshot")
        delays = []
        for i in range(5):
            started = time.monotonic()
            fd = os.open(store / run / "logs.0.txt", os.O_WRONLY | os.O_APPEND)
            os.write(fd, f"line {i}\n".encode())
            os.close(fd)
            await next_message(ws, "grew", file="logs.0.txt")
            delays.append(time.monotonic() - started)
        ws.close()
    assert sorted(delays)[2] < 0.5, delays  # poll 100 ms + coalescing 20 ms, with slack
