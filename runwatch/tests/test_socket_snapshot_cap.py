"""A run with more store files than a snapshot lists: the first MAX_SNAPSHOT_FILES
in display order, `omitted` counting the rest, and no message about those.

Every test runs twice: with inotify and with the polling fallback.
"""

from __future__ import annotations

import json
from pathlib import Path

from runwatch.server.watched_run import MAX_SNAPSHOT_FILES

from .conftest_server import pavlov_info, pavlov_run
from .test_server_inline_bytes import append
from .test_server_watch import jp_server_config, next_message, socket  # noqa: F401

RUN = "2021-01-01 00-00-00 many-files"
LOGS = MAX_SNAPSHOT_FILES + 500


def many_files_run(store: Path) -> Path:
    names = [f"logs.{n}.txt" for n in range(LOGS)]
    info = pavlov_info(_files={name: {"_pattern": "logs.{n}.txt"} for name in names})
    return pavlov_run(store, RUN, info, {name: b"a line\n" for name in names})


async def test_a_snapshot_lists_at_most_the_cap_and_counts_the_rest(socket, store: Path):  # noqa: F811
    run_dir = many_files_run(store)
    ws = await socket()
    ws.send({"op": "watch", "run": RUN})
    snapshot = await next_message(ws, "snapshot")
    names = [f["name"] for f in snapshot["files"]]
    assert len(names) == MAX_SNAPSHOT_FILES
    assert names[:3] == ["_info.json", "logs.0.txt", "logs.1.txt"]
    assert snapshot["omitted"] == LOGS + 1 - MAX_SNAPSHOT_FILES
    assert len(json.dumps(snapshot)) < 300 * MAX_SNAPSHOT_FILES

    # An omitted file's growth is not reported; a listed one's is.
    append(run_dir / f"logs.{LOGS - 1}.txt", b"omitted\n")
    append(run_dir / "logs.5.txt", b"listed\n")
    grew = await next_message(ws, "grew")
    assert grew["file"] == "logs.5.txt"

    # Watching again lists the same files.
    ws.send({"op": "watch", "run": RUN})
    again = await next_message(ws, "snapshot")
    assert [f["name"] for f in again["files"]] == names
    assert again["omitted"] == snapshot["omitted"]
    ws.close()
