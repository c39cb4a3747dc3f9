"""POST/GET runs/<run>/steer: the server's first write, and every reason it refuses one."""

from __future__ import annotations

import json
import logging
import os

import pytest
from jupyter_server.auth.authorizer import Authorizer

import runwatch
from runwatch.steering.declaration import DECLARATION_FILE, LOG_FILE, REQUEST_FILE


class ReadOnlyAuthorizer(Authorizer):
    """A user who may read everything and write nothing."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return action == "read"


@pytest.fixture
def read_only() -> bool:
    return False


@pytest.fixture
def jp_server_config(store, read_only):
    config = {"ServerApp": {"jpserver_extensions": {"runwatch": True}}}
    if read_only:
        config["ServerApp"]["authorizer_class"] = ReadOnlyAuthorizer
    return config


@pytest.fixture
def steered(store):
    """A running run (this process, inside to_run) that declared lr, epochs, amp and opt."""
    run = runwatch.new_run("steered")
    with runwatch.to_run(run):
        p = runwatch.steerable(
            lr=3e-4, epochs=10, amp=False, opt="adam", bounds={"lr": (1e-6, 1e-2)}
        )
        yield run, p


@pytest.fixture
def post(jp_fetch):
    """POST runs/<run>/steer with `body`; (status, parsed JSON, reason)."""

    async def send(run: str, body: object, headers: dict | None = None):
        response = await jp_fetch(
            "runwatch",
            "api",
            "runs",
            run,
            "steer",
            method="POST",
            body=body if isinstance(body, (str, bytes)) else json.dumps(body),
            headers=headers,
            raise_error=False,
        )
        try:
            parsed = json.loads(response.body) if response.body else None
        except ValueError:
            parsed = None
        message = parsed.get("message") if isinstance(parsed, dict) else None
        return response.code, parsed, message

    return send


def request_files(store, run) -> list[str]:
    return sorted(n for n in os.listdir(store / run) if REQUEST_FILE.fullmatch(n))


async def test_accepted_request_is_one_file_in_the_run_and_the_job_applies_it(
    steered, post, api, store
):
    run, p = steered
    code, body, _ = await post(run, {"changes": {"lr": 1e-3, "epochs": 12}})
    assert code == 202
    assert set(body) == {"run", "id", "changes", "stop", "source", "time"}
    assert body["changes"] == {"lr": 1e-3, "epochs": 12} and body["stop"] is False
    assert request_files(store, run) == [f"_steer.request.{body['id']}.json"]
    code, state, _ = await api("runs", run, "steer")
    assert code == 200 and state["pending"] == [body["id"]] and state["values"]["lr"] == 3e-4

    p._state.next_check = 0  # don't wait out the 50 ms between looks
    assert p.update(step=7) == {"lr": 1e-3, "epochs": 12}
    assert (p.lr, p.epochs) == (1e-3, 12)
    assert request_files(store, run) == []
    code, state, _ = await api("runs", run, "steer")
    assert state["values"] == {"lr": 1e-3, "epochs": 12, "amp": False, "opt": "adam"}
    assert state["keys"]["lr"] == {"type": "float", "bounds": [1e-6, 1e-2]}
    assert state["status"] == "running" and state["steerable"] is True and state["pending"] == []
    assert [(e["key"], e["old"], e["new"], e["status"], e["step"]) for e in state["log"]] == [
        ("lr", 3e-4, 1e-3, "applied", 7),
        ("epochs", 10, 12, "applied", 7),
    ]


@pytest.mark.parametrize(
    "body, status, message",
    [
        (
            {"changes": {"momentum": 0.9}},
            400,
            "'momentum' is not steerable; steerable: lr, epochs, amp, opt",
        ),
        ({"changes": {"lr": "fast"}}, 400, "lr: expected float, got str 'fast'"),
        ({"changes": {"epochs": 2.5}}, 400, "epochs: expected int, got float 2.5"),
        ({"changes": {"amp": 1}}, 400, "amp: expected bool, got int 1"),
        ({"changes": {"lr": 0.5}}, 400, "lr=0.5 is out of bounds [1e-06, 0.01]"),
        ({"changes": {"lr": 1e-3, "momentum": 0.9}}, 400, "'momentum' is not steerable"),
        ({}, 400, "nothing to do"),
        ({"stop": "yes"}, 400, "stop must be true or false"),
        ({"changes": {"lr": 1e-3}, "extra": 1}, 400, "the body must be"),
        ("not json", 400, "the body must be JSON"),
        ({"changes": {"opt": "x" * 5000}}, 413, "at most 4096 bytes"),
    ],
)
async def test_refused_requests_write_nothing_and_are_logged(
    steered, post, store, body, status, message, caplog
):
    run, _ = steered
    with caplog.at_level(logging.WARNING):
        code, _, reason = await post(run, body)
    assert (code, reason) == (status, reason) and message in (reason or "")
    assert request_files(store, run) == []
    assert any(
        "steer of run" in r.getMessage() and "refused" in r.getMessage() for r in caplog.records
    )


async def test_run_without_declaration_is_409(post, store, api):
    run = runwatch.new_run("plain")
    with runwatch.to_run(run):
        code, _, reason = await post(run, {"changes": {"lr": 1e-3}})
        assert code == 409 and "declares nothing steerable" in reason
        code, state, _ = await api("runs", run, "steer")
    assert code == 200 and state["declared"] is False and state["keys"] == {}
    assert not (store / run / DECLARATION_FILE).exists()


async def test_finished_run_is_409(post, store):
    run = runwatch.new_run("done")
    with runwatch.to_run(run):
        runwatch.steerable(lr=3e-4)
    code, _, reason = await post(run, {"changes": {"lr": 1e-3}})
    assert code == 409 and reason.startswith(f"run {run!r} is finished")
    code, _, reason = await post(run, {"stop": True})
    assert code == 409
    assert request_files(store, run) == []


async def test_unknown_and_invalid_runs(post):
    code, _, _ = await post("2021-01-01 00-00-00 no-such-run", {"stop": True})
    assert code == 404
    code, _, _ = await post("..", {"stop": True})
    assert code in (400, 404)


async def test_no_token_is_refused(steered, post, store):
    run, _ = steered
    code, _, _ = await post(run, {"changes": {"lr": 1e-3}}, headers={"Authorization": ""})
    assert code == 403
    assert request_files(store, run) == []


async def test_cookie_login_needs_the_xsrf_token(steered, post, jp_fetch, store):
    """A browser's cookie alone is what a cross-site form would send: refused without XSRF."""
    run, _ = steered
    response = await jp_fetch("runwatch", "api", "runs")  # with the token: sets the login cookie
    cookies = [c.split(";")[0] for c in response.headers.get_list("Set-Cookie")]
    assert cookies, "the token login should set a cookie"
    cookie = "; ".join(cookies)
    no_token = {"Authorization": "", "Cookie": cookie}
    code, _, _ = await post(run, {"changes": {"lr": 1e-3}}, headers=no_token)
    assert code == 403
    assert request_files(store, run) == []
    with_xsrf = {**no_token, "Cookie": f"{cookie}; _xsrf=k3y", "X-XSRFToken": "k3y"}
    code, body, _ = await post(run, {"changes": {"lr": 1e-3}}, headers=with_xsrf)
    assert code == 202
    assert request_files(store, run) == [f"_steer.request.{body['id']}.json"]


@pytest.mark.parametrize("read_only", [True])
async def test_read_only_user_can_look_but_not_steer(steered, post, api, store):
    run, _ = steered
    code, state, _ = await api("runs", run, "steer")
    assert code == 200 and state["declared"] is True
    code, _, _ = await post(run, {"changes": {"lr": 1e-3}})
    assert code == 403
    assert request_files(store, run) == []


async def test_symlinked_declaration_is_not_followed(post, store, tmp_path):
    run = runwatch.new_run("linked")
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"keys": {"lr": {"type": "float", "bounds": None}}}))
    with runwatch.to_run(run):
        os.symlink(outside, store / run / DECLARATION_FILE)
        code, _, reason = await post(run, {"changes": {"lr": 1e-3}})
    assert code == 409 and "symlink" in reason
    assert request_files(store, run) == []


async def test_a_runs_listing_says_whether_it_has_steering_to_show(steered, api, store):
    run, _ = steered
    code, detail, _ = await api("runs", run)
    assert code == 200 and detail["steering"] is True
    plain = runwatch.new_run("plain")
    code, detail, _ = await api("runs", plain)
    assert code == 200 and detail["steering"] is False
    # The answers stay after the declaration goes: there are marks to draw.
    (store / run / DECLARATION_FILE).unlink()
    (store / run / LOG_FILE).write_text("")
    code, detail, _ = await api("runs", run)
    assert detail["steering"] is True
