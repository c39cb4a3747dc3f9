"""The HTTP API: listing, resolving, run details and file bytes (docs/server-api.md)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import runwatch
from runwatch.store import npr
from runwatch.tests.conftest_server import FAKE_SECRET, pavlov_info, pavlov_run

log = logging.getLogger("train")


def written_run(suffix: str = "", **fields) -> str:
    run = runwatch.new_run(suffix, **fields)
    with runwatch.to_run(run):
        log.info("hello from the run")
        runwatch.stats.mean("loss.value", 0.5)
        runwatch.stats.last("step", 3)
    return run


async def test_runs_lists_newest_first_with_summaries(api, store: Path):
    older = pavlov_run(store, "2021-01-01 00-00-00 old-run", pavlov_info(description="pavlov"))
    run = written_run("sweep", description="mine", params={"lr": 0.1})
    code, body, _ = await api("runs")
    assert code == 200
    assert body["root"] == str(store)
    assert [r["name"] for r in body["runs"]] == [run, older.name]
    mine, old = body["runs"]
    assert mine["status"] == "finished" and mine["error"] is None
    assert mine["description"] == "mine" and mine["params"] == {"lr": 0.1}
    assert mine["created"].endswith("+00:00") and isinstance(mine["created_ms"], int)
    assert mine["size"] == sum(f.stat().st_size for f in (store / run).iterdir())
    assert mine["last_write_ms"] >= mine["created_ms"]
    assert old["status"] == "stale" and old["description"] == "pavlov"
    assert old["created_ms"] == 1609459200500


async def test_runs_filters_by_glob_and_survives_corrupt_runs(api, store: Path):
    pavlov_run(store, "2021-01-01 00-00-00 half-written", '{"_created": "2021')
    pavlov_run(store, "2021-01-02 00-00-00 no-info")
    pavlov_run(store, "2021-01-03 00-00-00 no-created", {"_files": {}})
    run = written_run("keep")
    _, body, _ = await api("runs")
    by_name = {r["name"]: r for r in body["runs"]}
    assert by_name[run]["status"] == "finished"
    half = by_name["2021-01-01 00-00-00 half-written"]
    assert half["status"] == "unreadable" and half["error"].startswith("_info.json: invalid JSON")
    assert by_name["2021-01-02 00-00-00 no-info"]["error"].startswith("_info.json: missing")
    assert by_name["2021-01-03 00-00-00 no-created"]["error"] == "_info.json: missing _created"
    _, body, _ = await api("runs", params={"glob": "*keep"})
    assert [r["name"] for r in body["runs"]] == [run]


async def test_runs_with_no_store_yet(api, store: Path):
    code, body, _ = await api("runs")
    assert code == 200 and body == {"root": str(store), "runs": []}


async def test_resolve(api, store: Path):
    first, second = written_run("a"), written_run("b")
    assert (await api("resolve", params={"q": "-1"}))[1] == {"runs": [second]}
    assert (await api("resolve", params={"q": "0"}))[1] == {"runs": [first]}
    assert (await api("resolve", params={"q": first}))[1] == {"runs": [first]}
    assert (await api("resolve", params={"q": "*"}))[1] == {"runs": [first, second]}
    code, body, _ = await api("resolve", params={"q": "*nothing*"})
    assert code == 404 and "No run matches" in body["message"] and second in body["message"]
    code, body, _ = await api("resolve")
    assert code == 400


async def test_run_detail(api, store: Path):
    run = written_run(description="d")
    code, body, _ = await api("runs", run)
    assert code == 200 and body["name"] == run and body["status"] == "finished"
    assert body["info"]["description"] == "d" and "_finished" in body["info"]
    names = [f["name"] for f in body["files"]]
    assert names == ["_info.json", "logs.0.txt", "stats.loss.value.0.npr", "stats.step.0.npr"]
    by_name = {f["name"]: f for f in body["files"]}
    loss = by_name["stats.loss.value.0.npr"]
    assert loss["type"] == "stats" and loss["channel"] == "loss.value" and loss["kind"] == "mean"
    assert loss["writer"]["_pattern"] == "stats.loss.value.{n}.npr" and loss["error"] is None
    assert loss["size"] == (store / run / loss["name"]).stat().st_size
    assert by_name["logs.0.txt"]["type"] == "log" and by_name["logs.0.txt"]["kind"] is None
    assert by_name["_info.json"]["type"] == "info"
    assert body["size"] == sum(f.stat().st_size for f in (store / run).iterdir())


async def test_run_detail_flags_bad_headers_and_keeps_the_rest(api, store: Path):
    good = npr.encode_header([("_time", "<M8[ns]"), ("x", "<f8")])
    listed = {
        name: {"_pattern": "stats.{n}", "kind": "last"}
        for name in [
            "stats.good.0.npr",
            "stats.truncated.0.npr",
            "stats.garbage.0.npr",
            "stats.object.0.npr",
            "stats.shape.0.npr",
        ]
    }
    pavlov_run(
        store,
        "2021-01-01 00-00-00 bad-headers",
        pavlov_info(_files=listed),
        {
            "stats.good.0.npr": good + b"\0" * 16,
            "stats.truncated.0.npr": good[:20],
            "stats.garbage.0.npr": b"\x93NUMPY\x01\x00\x10\x00not a dict at all\n",
            "stats.object.0.npr": npr.encode_header([("_time", "<M8[ns]")]).replace(
                b"[('_time', '<M8[ns]')]", b"'|O'                  "
            ),
            "stats.shape.0.npr": good.replace(b"(0,)", b"(3,)"),
        },
    )
    code, body, _ = await api("runs", "2021-01-01 00-00-00 bad-headers")
    assert code == 200 and body["status"] == "stale"
    errors = {f["name"]: f["error"] for f in body["files"]}
    assert errors["stats.good.0.npr"] is None and errors["_info.json"] is None
    assert "truncated header" in errors["stats.truncated.0.npr"]
    assert "garbage header" in errors["stats.garbage.0.npr"]
    assert "object dtype" in errors["stats.object.0.npr"]
    assert "shape (3,)" in errors["stats.shape.0.npr"]


async def test_unreadable_run_still_lists_its_files(api, store: Path):
    pavlov_run(
        store,
        "2021-01-01 00-00-00 broken",
        "{not json",
        {"logs.0.txt": b"line\n", "_lock": b"", "notes.txt": b"x"},
    )
    code, body, _ = await api("runs", "2021-01-01 00-00-00 broken")
    assert code == 200 and body["status"] == "unreadable" and body["info"] is None
    assert body["error"].startswith("_info.json: invalid JSON")
    assert [f["name"] for f in body["files"]] == ["_info.json", "logs.0.txt"]


async def test_run_detail_missing_run(api):
    code, body, _ = await api("runs", "2020-01-01 00-00-00 nope")
    assert code == 404 and "no run named" in body["message"]


async def test_file_bytes_at_offsets(api, store: Path):
    run = runwatch.new_run()
    data = bytes(range(256)) * 10
    (store / run / "logs.0.txt").write_bytes(data)

    async def read(**params):
        code, body, headers = await api("runs", run, "files", "logs.0.txt", params=params)
        assert code == 200 and headers["Content-Type"] == "application/octet-stream"
        assert headers["X-Runwatch-File-Size"] == str(len(data))
        return body, int(headers["X-Runwatch-Offset"])

    assert await read() == (data, 0)
    assert await read(offset=100, length=10) == (data[100:110], 100)
    assert await read(offset=-64) == (data[-64:], len(data) - 64)
    assert await read(offset=-65536) == (data, 0)
    assert await read(offset=len(data)) == (b"", len(data))
    assert await read(offset=len(data) + 5) == (b"", len(data) + 5)
    assert await read(offset=10, length=0) == (b"", 10)
    code, body, _ = await api("runs", run, "files", "logs.0.txt", params={"offset": "x"})
    assert code == 400 and "offset" in body["message"]
    code, body, _ = await api("runs", run, "files", "logs.0.txt", params={"length": "-1"})
    assert code == 400


async def test_file_bytes_of_a_stats_file(api, store: Path):
    run = written_run()
    path = store / run / "stats.loss.value.0.npr"
    code, body, _ = await api("runs", run, "files", "stats.loss.value.0.npr")
    assert code == 200 and body == path.read_bytes()
    code, body, _ = await api("runs", run, "files", "stats.missing.0.npr")
    assert code == 404


async def test_env_is_never_returned(api, jp_ws_fetch, store: Path):
    run_dir = pavlov_run(
        store,
        "2021-01-01 00-00-00 leaky-run",
        pavlov_info(_files={"logs.0.txt": {"_pattern": "logs.{n}.txt"}}),
        {"logs.0.txt": b"hello\n"},
    )
    bodies = [
        json.dumps((await api("runs"))[1]),
        json.dumps((await api("runs", run_dir.name))[1]),
        json.dumps((await api("resolve", params={"q": "-1"}))[1]),
        json.dumps((await api("runs", run_dir.name, "files", "_info.json"))[1]),
    ]
    ws = await jp_ws_fetch("runwatch", "api", "watch")
    ws.write_message(json.dumps({"op": "watch", "run": run_dir.name}))
    bodies.append(await ws.read_message())
    ws.close()
    assert "leaky-run" in bodies[0]
    for body in bodies:
        assert FAKE_SECRET not in body and '"_env"' not in body
