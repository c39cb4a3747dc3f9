"""GET run-details: several runs' GET runs/<name> in one answer, in the order given;
a run that can't be listed gets its status and message while the others list; bad
parameters get a 400 naming `run`; no answer without authentication."""

from __future__ import annotations

import json
import os
from urllib.parse import quote

from runwatch.tests import test_group_server as group_tests
from runwatch.tests.conftest_server import FAKE_SECRET
from runwatch.tests.test_group_server import LONG, SHORT, SPIKY

cache_home = group_tests.cache_home
sweep = group_tests.sweep
group_api = group_tests.group_api

GONE = "2020-01-01 00-00-00 gone"


def without_times(detail: dict) -> dict:
    """A listing without what moves with the clock (a run turns stale)."""
    return {k: v for k, v in detail.items() if k not in ("status", "reason")}


async def test_each_run_is_listed_as_its_own_get_lists_it(group_api, sweep):
    code, body, headers = await group_api({"run": [SPIKY, SHORT, LONG]}, path="run-details")
    assert code == 200 and headers["Cache-Control"] == "no-store"
    assert [d["name"] for d in body["runs"]] == [SPIKY, SHORT, LONG]
    for detail in body["runs"]:
        _, own, _ = await group_api({}, path=f"runs/{quote(detail['name'])}")
        assert without_times(detail) == without_times(own)
        assert any(f["channel"] == "loss" for f in detail["files"])


async def test_a_run_that_cannot_be_listed_says_why_and_the_others_list(group_api, sweep, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "_info.json").write_text(json.dumps({"secret": FAKE_SECRET}))
    os.symlink(outside, sweep / "2020-01-01 00-00-01 linked")
    names = [SHORT, GONE, "2020-01-01 00-00-01 linked", LONG]
    code, body, _ = await group_api({"run": names}, path="run-details")
    assert code == 200
    short, gone, linked, long = body["runs"]
    assert short["name"] == SHORT and short["files"]
    assert gone == {"name": GONE, "status": 404, "message": f"no run named {GONE!r} in {sweep}"}
    assert linked["status"] == 403 and "symlink out of the store root" in linked["message"]
    assert long["name"] == LONG and long["files"]
    assert FAKE_SECRET not in json.dumps(body)


async def test_bad_parameters_get_a_400_naming_run(group_api, sweep):
    for params, says in [
        ({}, "run is required"),
        ({"run": [SHORT, SHORT]}, "is given twice"),
        ({"run": [f"2020-01-01 00-00-00 r{i}" for i in range(201)]}, "at most 200"),
    ]:
        code, body, _ = await group_api(params, path="run-details")
        assert code == 400 and body["message"].startswith("run") and says in body["message"]


async def test_an_unauthenticated_request_gets_nothing(http_server_client, jp_base_url, sweep):
    response = await http_server_client.fetch(
        f"{jp_base_url}runwatch/api/run-details?run={quote(SHORT)}", raise_error=False
    )
    assert response.code == 403 and SHORT.encode() not in response.body
