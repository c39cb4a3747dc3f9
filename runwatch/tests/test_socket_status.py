"""A watched run turns from live to stale with no file event, within about a second
of `stale_after`; the once-a-second check looks only at live runs.

Every test runs twice: with inotify and with the polling fallback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest_server import pavlov_info
from .test_server_watch import next_message, socket  # noqa: F401

STALE_AFTER_S = 1.0


@pytest.fixture(params=["inotify", "poll"])
def jp_server_config(request, store: Path):
    return {
        "ServerApp": {"jpserver_extensions": {"runwatch": True}},
        "Runwatch": {"watch_mode": request.param, "stale_after": STALE_AFTER_S},
    }


def live_run(store: Path, name: str) -> None:
    """A pavlov run (no `_finished`) written just now."""
    (store / name).mkdir(parents=True)
    (store / name / "_info.json").write_text(json.dumps(pavlov_info()))
    (store / name / "logs.0.txt").write_text("a line\n")


async def test_a_live_run_turns_stale_without_any_write(socket, store: Path):  # noqa: F811
    name = "2021-01-01 00-00-00 live-run"
    live_run(store, name)
    ws = await socket()
    ws.send({"op": "watch", "run": name})
    assert (await next_message(ws, "snapshot"))["status"] == "live"
    info = await next_message(ws, "info", run=name)
    assert info["status"] == "stale" and info["info"]["_created"]
    ws.close()
