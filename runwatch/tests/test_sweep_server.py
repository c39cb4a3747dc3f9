"""The sweep endpoints: list, rows, stop and relaunch, and their refusals."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from pathlib import Path

import pytest
from jupyter_server.auth.authorizer import Authorizer

import runwatch
from runwatch.sweeps import record

READ_ONLY = [False]
DEADLINE_S = 60.0
FOREVER = "import time\nwhile True:\n    time.sleep(0.05)\n"


class MaybeReadOnlyAuthorizer(Authorizer):
    """Allows everything, or only reads while READ_ONLY[0] is set."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return action == "read" or not READ_ONLY[0]


@pytest.fixture
def jp_server_config(store: Path):
    return {
        "ServerApp": {
            "jpserver_extensions": {"runwatch": True},
            "authorizer_class": MaybeReadOnlyAuthorizer,
        }
    }


@pytest.fixture
def sweep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store: Path):
    (tmp_path / "forever.py").write_text(FOREVER)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RUNWATCH_HEARTBEAT_S", "0.5")
    found = runwatch.launch("forever.py", [{"lr": 0.1}, {"lr": 0.2}], parallel=1, name="s1")
    yield found
    READ_ONLY[0] = False
    found.stop()
    pid = found.supervisor()
    if pid and pid > 0:
        os.kill(pid, signal.SIGKILL)


@pytest.fixture
def post(jp_fetch):
    async def send(*parts: str, body: object = None, **kwargs):
        response = await jp_fetch(
            "runwatch",
            "api",
            *parts,
            method="POST",
            body=json.dumps(body),
            raise_error=False,
            **kwargs,
        )
        text = response.body
        return response.code, (json.loads(text) if text and text[:1] == b"{" else text)

    return send


async def wait_rows(api, done):
    deadline = time.monotonic() + DEADLINE_S
    while True:
        code, body, _ = await api("sweeps", "s1")
        assert code == 200
        if done(body["rows"]):
            return body
        assert time.monotonic() < deadline, body["rows"]
        await asyncio.sleep(0.1)


async def test_list_rows_stop_and_relaunch(api, post, sweep):
    body = await wait_rows(api, lambda rows: rows[0]["status"] == "running")
    assert body["name"] == "s1"
    assert body["id"] == sweep.id
    assert body["target"] == "forever.py"
    assert body["parallel"] == 1
    assert body["supervisor"] > 0
    first, second = body["rows"]
    assert first["params"] == {"lr": 0.1}
    assert first["variant"] == runwatch.variant_id({"lr": 0.1})
    assert first["run"].endswith(" s1")
    assert second["status"] == "queued"  # one slot
    assert set(first) == {
        "variant", "params", "run", "status", "reason", "elapsed_s", "metrics",
        "pid", "gpu", "cpus", "attempts", "stopped",
    }  # fmt: skip

    code, listed, _ = await api("sweeps")
    assert code == 200
    assert [s["name"] for s in listed["sweeps"]] == ["s1"]
    assert listed["sweeps"][0]["counts"] == {"running": 1, "queued": 1}

    code, answer = await post("sweeps", "s1", "stop", body={"variant": first["variant"]})
    assert (code, answer) == (200, {"stopped": [first["variant"]]})
    body = await wait_rows(
        api, lambda rows: rows[0]["status"] == "failed" and rows[1]["status"] == "running"
    )
    assert body["rows"][0]["reason"].startswith("stopped: killed by SIGTERM")

    code, answer = await post("sweeps", "s1", "relaunch", body={"variant": None})
    assert code == 200
    assert answer["queued"] == [first["variant"]]
    code, answer = await post("sweeps", "s1", "stop", body={"variant": None})
    assert code == 200
    assert sorted(answer["stopped"]) == sorted([first["variant"], second["variant"]])


async def test_refusals(api, post, sweep, jp_fetch, http_server_client, jp_base_url):
    # No token.
    response = await http_server_client.fetch(
        f"{jp_base_url}runwatch/api/sweeps/s1/stop",
        method="POST",
        body="{}",
        headers={"Authorization": ""},
        raise_error=False,
    )
    assert response.code in (401, 403)
    # Unknown sweep, bad names, unknown variant, bad bodies.
    assert (await post("sweeps", "nope", "stop", body={}))[0] == 404
    assert (await api("sweeps", "nope"))[0] == 404
    assert (await api("sweeps", ".sweeps"))[0] == 400
    assert (await post("sweeps", "%2E%2E", "relaunch", body={}))[0] in (400, 404)
    assert (await post("sweeps", "s1", "stop", body={"variant": "0000000000"}))[0] == 404
    assert (await post("sweeps", "s1", "stop", body=[1]))[0] == 400
    assert (await post("sweeps", "s1", "stop", body={"variant": 3}))[0] == 400
    # A read-only user may look but not stop.
    READ_ONLY[0] = True
    assert (await api("sweeps", "s1"))[0] == 200
    code, _ = await post("sweeps", "s1", "stop", body={"variant": None})
    assert code == 403
    code, _ = await post("sweeps", "s1", "relaunch", body={"variant": None})
    assert code == 403
    READ_ONLY[0] = False
    rows = record.read(sweep.folder)["variants"]
    assert not any(entry.get("stopped") for entry in rows)


async def test_a_record_others_could_write_is_not_acted_on(api, post, sweep, store):
    await wait_rows(api, lambda rows: rows[0]["status"] == "running")
    path = record.sweeps_dir(store) / "s1" / record.RECORD_FILE
    os.chmod(path, 0o666)  # anyone could have put a command or pids there
    code, answer = await post("sweeps", "s1", "relaunch", body={"variant": None})
    assert code == 403
    assert "writable by group or others" in str(answer)
    assert (await post("sweeps", "s1", "stop", body={"variant": None}))[0] == 403
    assert (await api("sweeps", "s1"))[0] == 200  # still shown
    os.chmod(path, 0o644)
    code, answer = await post("sweeps", "s1", "stop", body={"variant": None})
    assert code == 200 and answer["stopped"]
