"""GET group: channels aggregated across runs over HTTP (docs/server-api.md,
"Grouped series"): n drops where a run ends, a spike survives, a broken run is named
and the others draw, the bucketed values are the per-run series', bad parameters."""

from __future__ import annotations

import gzip
import json
from urllib.parse import quote, urlencode

import numpy as np
import pytest

from runwatch.server.lod import wire
from runwatch.tests.lod_store import make_run, records

SHORT, LONG, SPIKY = (f"2024-01-01 00-00-0{i} {name}" for i, name in enumerate(["a", "b", "c"]))


@pytest.fixture(autouse=True)
def cache_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def last(t, x):
    return ("last", [records(t, [("x", "<f8")], x=x)])


@pytest.fixture
def sweep(store):
    """Three runs of `loss`: 0..500 s at 1, 0..1000 s at 2, 0..1000 s at 3 with a
    one-row spike of 1e4 at 700 s; `acc` only in the long ones."""
    t_short, t_long = np.arange(0, 500, 0.25), np.arange(0, 1000, 0.25)
    spiky = np.full(len(t_long), 3.0)
    spiky[2800] = 1e4
    make_run(store, SHORT, {"loss": last(t_short, np.ones(len(t_short)))})
    make_run(
        store, LONG, {"loss": last(t_long, np.full(len(t_long), 2.0)), "acc": last(t_long, t_long)}
    )
    make_run(store, SPIKY, {"loss": last(t_long, spiky), "acc": last(t_long, t_long)})
    return store


@pytest.fixture
def group_api(http_server_client, jp_base_url, jp_auth_header):
    async def get(params: dict, path: str = "group", headers: dict | None = None):
        query = urlencode(params, doseq=True, quote_via=quote)
        response = await http_server_client.fetch(
            f"{jp_base_url}runwatch/api/{path}?{query}",
            headers={**jp_auth_header, **(headers or {})},
            raise_error=False,
            decompress_response=False,
        )
        body = response.body
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        if response.headers.get("Content-Type", "").startswith("application/json"):
            body = json.loads(body)
        return response.code, body, response.headers

    return get


BASE = {"run": [SHORT, LONG, SPIKY], "channel": ["loss"], "rule": "raw", "width": "100"}


async def test_n_drops_where_a_run_ends_and_the_spike_shows_in_the_band(group_api, sweep):
    code, body, headers = await group_api(BASE)
    assert code == 200 and headers["Content-Type"] == "application/octet-stream"
    [(header, arrays)] = wire.parse_frames(body)
    assert header["channel"] == "loss" and header["kind"] == "last" and header["error"] is None
    assert header["runs"] == 3 and header["run_errors"] == {} and header["missing"] == []
    assert header["center"] == "mean" and header["band"] == "minmax"
    assert header["rows"] == 2000 + 4000 + 4000
    assert [name for name, _ in header["arrays"]] == ["x", "center", "lo", "hi", "n"]
    x, n = arrays["x"], arrays["n"]
    assert header["x0"] == 0 and header["x1"] == pytest.approx(999.75)
    assert len(x) == 100 and x[0] == pytest.approx(999.75 / 200)  # bin centres
    np.testing.assert_array_equal(n[x < 499], 3)
    np.testing.assert_array_equal(n[x > 501], 2)  # the short run ended at 500 s
    np.testing.assert_allclose(arrays["center"][x < 499], 2.0)  # (1 + 2 + 3) / 3
    np.testing.assert_allclose(arrays["center"][(x > 501) & (x < 695)], 2.5)
    spike_bin = int(700 // (999.75 / 100))
    assert arrays["hi"][spike_bin] == 1e4  # never hide a spike
    assert arrays["lo"][spike_bin] == 2.0
    assert np.all(arrays["hi"][arrays["hi"] < 1e4] == 3.0)


async def test_median_stderr_and_members(group_api, sweep):
    params = {**BASE, "center": "median", "band": "stderr", "members": "1", "width": "10"}
    _, body, _ = await group_api(params)
    [(header, arrays)] = wire.parse_frames(body)
    names = [name for name, _ in header["arrays"]]
    assert names == ["x", "center", "lo", "hi", "n", "run.0", "run.1", "run.2"]
    assert arrays["center"][0] == 2.0  # the median of 1, 2, 3
    np.testing.assert_allclose(arrays["hi"][0] - 2.0, np.std([1, 2, 3]) / np.sqrt(3))
    np.testing.assert_allclose(arrays["run.0"][:5], 1.0)
    assert np.all(np.isnan(arrays["run.0"][6:]))  # the short run has no data there


async def test_band_none_sends_no_band(group_api, sweep):
    _, body, _ = await group_api({**BASE, "band": "none"})
    [(header, _)] = wire.parse_frames(body)
    assert [name for name, _ in header["arrays"]] == ["x", "center", "n"]


async def test_a_run_without_the_channel_is_missing_and_a_broken_one_is_named(group_api, sweep):
    (sweep / LONG / "stats.acc.0.npr").write_bytes(b"\x93NUMPY\x01\x00\x10\x00{'descr': garbage")
    _, body, _ = await group_api({**BASE, "channel": ["acc", "loss"], "rule": "60"})
    (acc, acc_arrays), (loss, _) = wire.parse_frames(body)
    assert acc["missing"] == [SHORT]
    assert list(acc["run_errors"]) == [LONG]
    assert acc["run_errors"][LONG].startswith("stats.acc.0.npr: ")
    assert acc["runs"] == 1 and acc["error"] is None
    assert np.nanmax(acc_arrays["n"]) == 1  # the spiky run alone draws
    assert loss["runs"] == 3 and loss["run_errors"] == {}


async def test_every_run_failing_is_the_frames_error(group_api, sweep):
    for run in (LONG, SPIKY):
        (sweep / run / "stats.acc.0.npr").write_bytes(b"garbage")
    _, body, _ = await group_api({**BASE, "channel": ["acc"]})
    [(header, _)] = wire.parse_frames(body)
    assert header["arrays"] == [] and "no run of the group could be read" in header["error"]
    assert set(header["run_errors"]) == {LONG, SPIKY}


async def test_bucketed_values_are_the_per_run_series(group_api, sweep):
    """One run, one bucket per bin: the group's center is the series endpoint's value."""
    params = {"run": [SPIKY], "channel": ["loss"], "rule": "60", "width": "17"}
    _, body, _ = await group_api({**params, "x0": "0", "x1": "1020"})
    [(_, arrays)] = wire.parse_frames(body)
    _, series_body, _ = await group_api(
        {"channel": "loss", "rule": "60", "width": "17"}, path=f"runs/{quote(SPIKY)}/series"
    )
    [(_, series)] = wire.parse_frames(series_body)
    np.testing.assert_allclose(arrays["center"], series["value"])
    np.testing.assert_allclose(arrays["hi"], series["band.hi"])  # the spike's bucket max


async def test_an_etag_answers_304_and_gzip_is_used(group_api, sweep, jp_serverapp):
    jp_serverapp.web_app.settings["runwatch"].settings.lod_gzip_frames = True
    code, body, headers = await group_api(BASE, headers={"Accept-Encoding": "gzip"})
    assert code == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Etag"].endswith('-gzip"')
    code, body, _ = await group_api(
        BASE, headers={"Accept-Encoding": "gzip", "If-None-Match": headers["Etag"]}
    )
    assert code == 304 and body == b""
    (sweep / SHORT / "stats.loss.0.npr").open("ab").write(b"\0" * 16)  # a row more
    code, _, _ = await group_api(
        BASE, headers={"Accept-Encoding": "gzip", "If-None-Match": headers["Etag"]}
    )
    assert code == 200


@pytest.mark.parametrize(
    "params, named",
    [
        ({**BASE, "run": []}, "run"),
        ({**BASE, "run": [SHORT, SHORT]}, "run"),
        ({**BASE, "run": [f"r{i}" for i in range(201)]}, "run"),
        ({**BASE, "center": "mode"}, "center"),
        ({**BASE, "band": "iqr"}, "band"),
        ({**BASE, "members": "yes"}, "members"),
        ({**BASE, "channel": ["nope"]}, "channel"),
        ({**BASE, "rule": "7"}, "rule"),
        ({**BASE, "width": "0"}, "width"),
        ({**BASE, "x": "../x"}, "x"),
    ],
)
async def test_bad_parameters_are_400_naming_them(group_api, sweep, params, named):
    code, body, _ = await group_api(params)
    assert code == 400
    assert body["message"].startswith(named), body["message"]


async def test_an_unknown_run_is_404_naming_it(group_api, sweep):
    code, body, _ = await group_api({**BASE, "run": [SHORT, "2020-01-01 00-00-00 nope"]})
    assert code == 404 and body["message"].startswith("run: ") and "nope" in body["message"]


async def test_needs_authentication(http_server_client, jp_base_url, sweep):
    url = f"{jp_base_url}runwatch/api/group?run={quote(SHORT)}&channel=loss&rule=raw&width=9"
    response = await http_server_client.fetch(url, raise_error=False)
    assert response.code in (401, 403)
