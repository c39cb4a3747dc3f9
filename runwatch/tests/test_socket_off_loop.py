"""The watch socket reads no file on the event loop, and keeps its order doing so.

A FIFO named `_info.json` blocks whoever opens it for reading until a writer
comes. Here a helper thread plays that writer, but only after HOLD_S: if the
server answers `/api/status` before then, nothing on its loop was waiting on
the FIFO. Every test runs twice: with inotify and with the polling fallback.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from pathlib import Path

import runwatch
from runwatch.server.watched_run import WatchedRun

from .test_server_inline_bytes import append
from .test_server_watch import jp_server_config, next_message, socket  # noqa: F401

HOLD_S = 3.0  # how long the FIFO holds a reader before the helper thread lets it go


class FifoWriter:
    """Opens the FIFO for writing (which lets a blocked reader go) from HOLD_S on."""

    def __init__(self, path: Path):
        self.path = path
        self.released = threading.Event()  # a reader was blocked, and was let go
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        # Never leave a server thread stuck on the FIFO (after a failure, it may be).
        self._let_go(time.monotonic() + (2.0 if exc[0] else 0.0))

    def _run(self) -> None:
        if not self._stop.wait(HOLD_S):
            while not self._stop.is_set():
                self._let_go(0.0)
                time.sleep(0.02)

    def _let_go(self, until: float) -> None:
        """Open and close the FIFO for writing, trying until `until` (at least once)."""
        while True:
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: nobody is reading it now
                if time.monotonic() >= until:
                    return
                time.sleep(0.02)
                continue
            os.close(fd)
            self.released.set()
            return


def a_run() -> str:
    run = runwatch.new_run()
    with runwatch.to_run(run):
        runwatch.stats.last("x", 1.0)
    return run


def fifo_run(store: Path) -> str:
    name = "2021-01-01 00-00-00 fifo-run"
    (store / name).mkdir(parents=True)
    os.mkfifo(store / name / "_info.json")
    return name


async def test_watching_a_run_with_a_fifo_info_leaves_the_server_answering(
    socket,  # noqa: F811
    jp_fetch,
    store: Path,
):
    good = a_run()
    bad = fifo_run(store)
    ws = await socket()
    with FifoWriter(store / bad / "_info.json") as fifo:
        ws.send({"op": "watch", "run": bad})
        ws.send({"op": "watch", "run": good})
        response = await jp_fetch("api", "status")
        assert response.code == 200
        assert not fifo.released.is_set(), "the server answered only once the FIFO let go"
        # Another run is still watched while that one is (maybe) stuck.
        snapshots: dict = {}
        while len(snapshots) < 2:  # in either order: a FIFO may be refused unopened
            message = await next_message(ws, "snapshot")
            snapshots[message["run"]] = message
            if message["run"] == good:
                assert not fifo.released.is_set()
        assert snapshots[good]["status"] == "finished"
        snapshot = snapshots[bad]
        assert snapshot["status"] == "unreadable" and "_info.json" in snapshot["error"]
    ws.close()


async def test_an_info_swapped_for_a_fifo_while_watched_leaves_the_server_answering(
    socket,  # noqa: F811
    jp_fetch,
    store: Path,
):
    run = a_run()
    ws = await socket()
    ws.send({"op": "watch", "run": run})
    assert (await next_message(ws, "snapshot"))["status"] == "finished"
    info = store / run / "_info.json"
    with FifoWriter(info) as fifo:
        os.unlink(info)
        os.mkfifo(info)
        await asyncio.sleep(0.3)  # noticed and re-read by now (poll 100 ms + coalescing 20 ms)
        response = await jp_fetch("api", "status")
        assert response.code == 200
        assert not fifo.released.is_set(), "the server answered only once the FIFO let go"
        changed = await next_message(ws, "info", status="unreadable")
        assert "_info.json" in changed["error"]
    ws.close()


async def test_a_snapshot_comes_first_and_no_append_is_lost_after_it(
    socket,  # noqa: F811
    store: Path,
):
    run = a_run()
    path = store / run / "logs.0.txt"
    append(path, b"start\n")
    done = threading.Event()

    def write() -> None:
        for i in range(300):
            append(path, f"line {i}\n".encode())
            time.sleep(0.002)
        done.set()

    writer = threading.Thread(target=write)
    writer.start()
    sockets = []
    try:
        for _ in range(4):  # each watch lands somewhere in the stream of appends
            ws = await socket()
            ws.send({"op": "watch", "run": run})
            first = json.loads(await ws.read_message())
            assert first["type"] == "snapshot", first
            sockets.append((ws, {f["name"]: f["size"] for f in first["files"]}["logs.0.txt"]))
            await asyncio.sleep(0.1)
    finally:
        writer.join()
    final = path.stat().st_size
    for ws, seen in sockets:
        while seen < final:
            message = json.loads(await asyncio.wait_for(ws.read_message(), 5))
            assert message["type"] in ("grew", "info"), message  # info: finished -> live
            if message["type"] == "grew" and message["file"] == "logs.0.txt":
                seen = max(seen, message["size"])  # sizes are "at least" (server-api.md)
        assert seen == final
        ws.close()


async def test_an_append_between_the_snapshot_and_the_subscription_is_reported(
    socket,  # noqa: F811
    store: Path,
    monkeypatch,
):
    """The run's watch is added in a thread: what happens before the loop has it is kept."""
    run = a_run()
    path = store / run / "logs.0.txt"
    append(path, b"start\n")
    snapshot = WatchedRun.snapshot

    def snapshot_then_append(self, real_root):
        taken = snapshot(self, real_root)
        append(path, b"after the scan\n")
        time.sleep(0.3)  # the loop reads that event before this job is done
        return taken

    monkeypatch.setattr(WatchedRun, "snapshot", snapshot_then_append)
    ws = await socket()
    ws.send({"op": "watch", "run": run})
    taken = await next_message(ws, "snapshot")
    assert {f["name"]: f["size"] for f in taken["files"]}["logs.0.txt"] < path.stat().st_size
    grew = await next_message(ws, "grew", file="logs.0.txt")
    assert grew["size"] == path.stat().st_size
    ws.close()
