"""The server's boundary: authentication, name validation, and nothing served from outside."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError

import runwatch
from runwatch.server import paths
from runwatch.server.paths import Refused, StorePaths
from runwatch.tests.conftest_server import FAKE_SECRET, pavlov_info, pavlov_run

RUN = "2021-01-01 00-00-00 good-run"


@pytest.fixture
def raw_get(http_server_client, jp_base_url, jp_auth_header):
    """GET a raw (already URL-encoded) path under runwatch/api/, auth header unless told."""

    async def get(path: str, auth: bool = True):
        headers = dict(jp_auth_header) if auth else {}
        response = await http_server_client.fetch(
            f"{jp_base_url}runwatch/api/{path}", headers=headers, raise_error=False
        )
        body = response.body
        if response.headers.get("Content-Type", "").startswith("application/json"):
            body = json.loads(body)
        return response.code, body

    return get


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the store holding a secret a symlink could reach."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(FAKE_SECRET)
    (folder / "_info.json").write_text(json.dumps(pavlov_info(description=FAKE_SECRET)))
    (folder / "logs.0.txt").write_text(FAKE_SECRET)
    return folder


@pytest.fixture
def good_run(store: Path) -> Path:
    files = {"logs.0.txt": {"_pattern": "logs.{n}.txt"}, "logs.1.txt": {"_pattern": "logs.{n}.txt"}}
    return pavlov_run(
        store,
        RUN,
        pavlov_info(_files=files),
        {"logs.0.txt": b"fine\n", "_lock": b"", "_info.json.1.2.tmp": b"{}", "notes.txt": b"x"},
    )


ENDPOINTS = [
    "runs",
    "runs?glob=*",
    "resolve?q=-1",
    "runs/2021-01-01%2000-00-00%20good-run",
    "runs/2021-01-01%2000-00-00%20good-run/files/logs.0.txt",
]


@pytest.mark.parametrize("path", ENDPOINTS)
async def test_every_endpoint_needs_authentication(raw_get, good_run, path):
    code, body = await raw_get(path, auth=False)
    assert code in (401, 403)
    assert b"fine" not in (body if isinstance(body, bytes) else json.dumps(body).encode())
    code, _ = await raw_get(path)
    assert code == 200


async def test_websocket_needs_authentication(jp_ws_fetch, good_run):
    with pytest.raises(HTTPClientError) as refused:
        await jp_ws_fetch("runwatch", "api", "watch", headers={"Authorization": ""})
    assert refused.value.code in (401, 403)
    with pytest.raises(HTTPClientError):
        await jp_ws_fetch("runwatch", "api", "watch", headers={"Authorization": "token wrong"})


async def test_bad_tokens_are_refused(http_server_client, jp_base_url, good_run):
    response = await http_server_client.fetch(
        f"{jp_base_url}runwatch/api/runs",
        headers={"Authorization": "token not-the-token"},
        raise_error=False,
    )
    assert response.code == 403


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("runs/..", 400),
        ("runs/%2E%2E", 400),
        ("runs/.hidden", 400),
        ("runs/..%2F..%2Fetc", 400),
        ("runs/%2Fetc", 400),
        ("runs/a%5Cb", 400),
        ("runs/a%00b", 400),
        ("runs/2021-01-01%2000-00-00%20good-run/files/..%2F..%2Fouter", 400),
        ("runs/2021-01-01%2000-00-00%20good-run/files/%2Fetc%2Fpasswd", 400),
        ("runs/2021-01-01%2000-00-00%20good-run/files/..", 400),
        ("runs/2021-01-01%2000-00-00%20good-run/files/_lock", 403),
        ("runs/2021-01-01%2000-00-00%20good-run/files/_info.json.1.2.tmp", 403),
        ("runs/2021-01-01%2000-00-00%20good-run/files/notes.txt", 403),
        ("runs/2021-01-01%2000-00-00%20good-run/files/_info.json", 403),
        ("runs/2021-01-01%2000-00-00%20good-run/files/logs.7.txt", 404),
        ("runs/..%2Foutside/files/secret.txt", 400),
    ],
)
async def test_names_are_validated(raw_get, good_run, outside, path, code):
    got, body = await raw_get(path)
    assert got == code, body
    assert body["message"] and FAKE_SECRET not in json.dumps(body)


async def test_symlinked_run_out_of_the_root_is_refused(raw_get, api, store, good_run, outside):
    os.symlink(outside, store / "2021-01-02 00-00-00 evil-link")
    code, body = await raw_get("runs/2021-01-02%2000-00-00%20evil-link")
    assert code == 403 and "symlink out of the store root" in body["message"]
    code, body = await raw_get("runs/2021-01-02%2000-00-00%20evil-link/files/logs.0.txt")
    assert code == 403
    code, listing, _ = await api("runs")
    evil = next(r for r in listing["runs"] if r["name"].endswith("evil-link"))
    assert evil["status"] == "unreadable" and "symlink" in evil["error"]
    assert FAKE_SECRET not in json.dumps(listing)


async def test_symlinked_file_out_of_the_root_is_refused(raw_get, api, store, good_run, outside):
    os.symlink(outside / "secret.txt", good_run / "logs.1.txt")
    code, body = await raw_get("runs/2021-01-01%2000-00-00%20good-run/files/logs.1.txt")
    assert code == 403 and "symlink out of the store root" in body["message"]
    code, detail, _ = await api("runs", RUN)
    entry = next(f for f in detail["files"] if f["name"] == "logs.1.txt")
    assert "symlink out of the store root" in entry["error"] and entry["size"] == 0
    assert FAKE_SECRET not in json.dumps(detail)


async def test_symlinks_inside_the_root_are_served(raw_get, store, good_run):
    os.symlink(good_run, store / "2021-01-03 00-00-00 alias-run")
    code, body = await raw_get("runs/2021-01-03%2000-00-00%20alias-run/files/logs.0.txt")
    assert code == 200 and body == b"fine\n"


async def test_websocket_refuses_bad_names_and_stays_open(jp_ws_fetch, store, good_run):
    ws = await jp_ws_fetch("runwatch", "api", "watch")
    for bad in ["../outside", "/etc", ".hidden", "2099-01-01 00-00-00 no-such-run", None, 3]:
        ws.write_message(json.dumps({"op": "watch", "run": bad}))
        reply = json.loads(await ws.read_message())
        assert reply["type"] == "error" and reply["message"]
    ws.write_message("not json")
    assert json.loads(await ws.read_message())["type"] == "error"
    ws.write_message(json.dumps({"op": "watch", "run": RUN}))
    assert json.loads(await ws.read_message())["type"] == "snapshot"
    ws.close()


# The pure checks, without a server.


def test_run_names():
    assert paths.check_run_name(RUN) == RUN
    for bad in ["", ".", "..", ".x", "a/b", "a\\b", "a\0b", "/abs", None]:
        with pytest.raises(Refused) as refused:
            paths.check_run_name(bad)
        assert refused.value.status == 400


def test_file_names():
    for good in ["logs.0.txt", "logs.12.txt", "stats.loss.value.0.npr", "stats.a-b_c.3.npr"]:
        assert paths.check_file_name(good) == good
    for bad, status in [
        ("../x", 400),
        ("a/b", 400),
        ("..", 400),
        ("_lock", 403),
        ("_info.json", 403),
        ("_info.json.1.2.tmp", 403),
        ("logs.txt", 403),
        ("logs.0.txt.bak", 403),
        ("stats.x.npr", 403),
        ("storage.0.pkl", 403),
    ]:
        with pytest.raises(Refused) as refused:
            paths.check_file_name(bad)
        assert refused.value.status == status, bad


def test_store_paths(store: Path, tmp_path: Path):
    run = runwatch.new_run()
    store_paths = StorePaths(store)
    assert store_paths.run_dir(run) == store / run
    with pytest.raises(Refused) as refused:
        store_paths.run_dir("2020-01-01 00-00-00 missing")
    assert refused.value.status == 404
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", store / "escape")
    with pytest.raises(Refused) as refused:
        store_paths.run_dir("escape")
    assert refused.value.status == 403
    os.symlink(store, store / "loop")
    with pytest.raises(Refused) as refused:
        store_paths.run_dir("loop")  # the root itself is not a run
    assert refused.value.status == 403
