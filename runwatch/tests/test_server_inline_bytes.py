"""`grew` carries small appends inline (offset + base64 data), so a caught-up
client needs no HTTP read; big appends and symlinked files carry no data.

Every test runs twice: with inotify and with the polling fallback.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
from pathlib import Path

import runwatch
from runwatch.server.watched_run import INLINE_MAX_BYTES

from .test_server_watch import jp_server_config, next_message, socket  # noqa: F401

log = logging.getLogger("train")


def append(path: Path, data: bytes) -> None:
    with open(path, "ab") as f:
        f.write(data)


async def test_small_appends_arrive_inline(socket, store: Path):  # noqa: F811
    run = runwatch.new_run()
    with runwatch.to_run(run):
        log.info("first")
        runwatch.stats.last("x", 1.0)
    path = store / run / "logs.0.txt"
    ws = await socket()
    ws.send({"op": "watch", "run": run})
    snapshot = await next_message(ws, "snapshot")
    sizes = {f["name"]: f["size"] for f in snapshot["files"]}
    append(path, b"second line \xff\n")
    grew = await next_message(ws, "grew", file="logs.0.txt")
    data = path.read_bytes()
    assert grew["offset"] == sizes["logs.0.txt"]
    assert grew["size"] == len(data)
    assert base64.b64decode(grew["data"]) == data[grew["offset"] : grew["size"]]

    npr = store / run / "stats.x.0.npr"
    before = npr.stat().st_size
    row = npr.read_bytes()[-16:]  # one whole row: _time <M8[ns], x <f8
    append(npr, row)
    grew = await next_message(ws, "grew", file="stats.x.0.npr")
    assert (grew["offset"], grew["size"]) == (before, before + 16)
    assert base64.b64decode(grew["data"]) == row
    ws.close()


async def test_big_appends_are_only_reported(socket, store: Path):  # noqa: F811
    run = runwatch.new_run()
    with runwatch.to_run(run):
        log.info("first")
    path = store / run / "logs.0.txt"
    ws = await socket()
    ws.send({"op": "watch", "run": run})
    await next_message(ws, "snapshot")
    append(path, b"x" * (INLINE_MAX_BYTES + 1) + b"\n")
    grew = await next_message(ws, "grew", file="logs.0.txt")
    assert grew["size"] == path.stat().st_size
    assert "data" not in grew and "offset" not in grew
    ws.close()


async def test_a_file_swapped_for_a_symlink_out_is_not_read(socket, store: Path, tmp_path):  # noqa: F811
    run = runwatch.new_run()
    with runwatch.to_run(run):
        log.info("first")
    path = store / run / "logs.0.txt"
    size = path.stat().st_size
    secret = tmp_path / ("outside-the-store-" * 8) / "secret.txt"
    secret.parent.mkdir()
    assert len(str(secret)) > size  # so the symlink's own size reads as growth
    secret.write_bytes(b"s" * (size + 100))
    ws = await socket()
    ws.send({"op": "watch", "run": run})
    await next_message(ws, "snapshot")
    os.unlink(path)
    os.symlink(secret, path)
    # inotify reports the symlink's own size (no data); polling skips it.
    deadline = asyncio.get_running_loop().time() + 1.0
    while (remaining := deadline - asyncio.get_running_loop().time()) > 0:
        try:
            text = await asyncio.wait_for(ws.read_message(), remaining)
        except asyncio.TimeoutError:
            break
        assert text is not None and "data" not in json.loads(text)
    ws.close()
