"""The watch socket answers every message: a bad one gets an error naming the
problem and the socket stays open; a repeated `watch` gets a fresh snapshot.

Every test runs twice: with inotify and with the polling fallback.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

import runwatch
from runwatch.server.watch_requests import MAX_FRAME_BYTES

from .test_server_inline_bytes import append
from .test_server_watch import jp_server_config, next_message, served, socket  # noqa: F401

log = logging.getLogger("train")


def a_run() -> str:
    run = runwatch.new_run()
    with runwatch.to_run(run):
        log.info("first")
    return run


@pytest.mark.parametrize(
    "text, problem",
    [
        ('{"op": "unwatch", "run": ["a"]}', "run must be a string"),
        ('{"op": "watch", "run": {"a": 1}}', "run must be a string"),
        ("[" * 100_000 + "]" * 100_000, "too long"),
        ("[" * 5_000 + "]" * 5_000, "nested too deeply"),
        ('{"op": "watch", "run": "\\ud800"}', "invalid run name"),
        ('{"op": "unwatch", "run": "\\ud800"}', None),  # nothing to unwatch: no reply needed
        ('{"op": 7}', "unknown op"),
        ('"watch"', "must be a JSON object"),
        ("\xff\xfe not json", "not JSON"),
        ('{"op": "watch"}', "run name is required"),
    ],
)
async def test_a_bad_message_gets_an_error_and_the_socket_stays_open(
    socket,  # noqa: F811
    store: Path,
    text: str,
    problem: str | None,
):
    run = a_run()
    ws = await socket()
    ws.write_message(text)
    if problem is not None:
        error = json.loads(await ws.read_message())
        assert error["type"] == "error"
        assert problem in error["message"], error
    ws.send({"op": "watch", "run": run})
    snapshot = await next_message(ws, "snapshot")
    assert snapshot["run"] == run
    ws.close()


async def test_a_binary_message_is_read_like_text(socket, store: Path):  # noqa: F811
    run = a_run()
    ws = await socket()
    ws.write_message(json.dumps({"op": "watch", "run": run}).encode(), binary=True)
    assert (await next_message(ws, "snapshot"))["run"] == run
    ws.write_message(b"\xff\xfe", binary=True)
    assert "not JSON" in (await next_message(ws, "error"))["message"]
    ws.close()


async def test_a_huge_message_closes_the_socket_without_reading_it(socket, store: Path):  # noqa: F811
    ws = await socket()
    ws.write_message("x" * (MAX_FRAME_BYTES + 1))
    assert await ws.read_message() is None
    assert ws.close_code == 1009  # "message too big"


async def test_repeated_watch_answers_each_time_with_a_current_snapshot(
    socket,  # noqa: F811
    served,  # noqa: F811
    store: Path,
):
    run = a_run()
    path = store / run / "logs.0.txt"
    ws = await socket()
    ws.send({"op": "watch", "run": run})
    first = await next_message(ws, "snapshot")
    append(path, b"between the watches\n")
    ws.send({"op": "watch", "run": run})
    second = await next_message(ws, "snapshot")
    sizes = [{f["name"]: f["size"] for f in s["files"]}["logs.0.txt"] for s in (first, second)]
    assert sizes[0] < sizes[1] == path.stat().st_size

    # One unwatch ends the (single) subscription: nothing more arrives.
    ws.send({"op": "unwatch", "run": run})
    append(path, b"after the unwatch\n")
    ws.send({"op": "bogus"})  # its error marks the point where an unwatched grew would be
    await asyncio.sleep(0.3)  # polling (100 ms) + coalescing (20 ms) would have reported it
    ws.send({"op": "bogus"})
    messages = [json.loads(await ws.read_message()) for _ in range(2)]
    assert [m["type"] for m in messages] == ["error", "error"], messages
    assert served.watcher.watched_runs() == []
    ws.close()


async def test_watch_then_unwatch_at_once_leaves_nothing_watched(
    socket,  # noqa: F811
    served,  # noqa: F811
    store: Path,
):
    run = a_run()
    ws = await socket()
    ws.send({"op": "watch", "run": run})
    ws.send({"op": "unwatch", "run": run})
    ws.send({"op": "bogus"})
    # The snapshot may or may not come before the unwatch is read; nothing stays watched.
    while (message := json.loads(await ws.read_message()))["type"] != "error":
        assert message["type"] == "snapshot"
    await asyncio.sleep(0.1)
    assert served.watcher.watched_runs() == []
    ws.close()
