"""GET series: several runs' series in one answer over HTTP (docs/server-api.md,
"Series of several runs"): frames channel by channel and run by run, each the one
runs/<run>/series sends, named by its run; a run that can't be read gets its error
while the others draw; ETag; bad parameters; authentication."""

from __future__ import annotations

from urllib.parse import quote

import numpy as np
import pytest

from runwatch.server.lod import wire
from runwatch.tests import test_group_server as group_tests
from runwatch.tests.test_group_server import LONG, SHORT, SPIKY

# The grouped series' runs and client, shared (pytest finds fixtures by name).
cache_home = group_tests.cache_home
sweep = group_tests.sweep
group_api = group_tests.group_api

BASE = {"run": [SHORT, LONG, SPIKY], "channel": ["acc", "loss"], "rule": "60", "width": "50"}
GONE = "2020-01-01 00-00-00 gone"


async def test_frames_come_channel_by_channel_each_as_its_runs_own(group_api, sweep):
    code, body, _ = await group_api(BASE, path="series")
    assert code == 200
    frames = wire.parse_frames(body)
    # acc: only the runs that log it; then loss of every run, in the runs' order.
    assert [(h["channel"], h["run"]) for h, _ in frames] == [
        ("acc", LONG),
        ("acc", SPIKY),
        ("loss", SHORT),
        ("loss", LONG),
        ("loss", SPIKY),
    ]
    for header, arrays in frames:
        single = {"channel": header["channel"], "rule": "60", "width": "50"}
        _, own, _ = await group_api(single, path=f"runs/{quote(header['run'])}/series")
        [(own_header, own_arrays)] = wire.parse_frames(own)
        assert {**own_header, "run": header["run"]} == header
        for name, values in own_arrays.items():
            np.testing.assert_array_equal(arrays[name], values)
    spiky_loss = frames[-1][1]
    assert np.nanmax(spiky_loss["band.hi"]) == 1e4  # the spike, in its bucket's band


async def test_a_run_that_cannot_be_read_gets_its_error_and_the_others_draw(group_api, sweep):
    (sweep / LONG / "stats.loss.0.npr").write_bytes(b"garbage")
    params = {**BASE, "run": [SHORT, GONE, LONG], "channel": ["loss"]}
    code, body, _ = await group_api(params, path="series")
    assert code == 200
    (short, short_arrays), (gone, _), (long, _) = wire.parse_frames(body)
    assert short["run"] == SHORT and short["error"] is None and len(short_arrays["x"]) > 0
    assert gone["run"] == GONE and "no run named" in gone["error"]
    assert long["run"] == LONG and long["error"].startswith("stats.loss.0.npr: ")


async def test_a_run_out_of_the_store_is_refused_in_its_frames(group_api, sweep, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (sweep / "2020-01-01 00-00-00 link").symlink_to(outside)
    params = {**BASE, "run": ["../x", "2020-01-01 00-00-00 link", SHORT], "channel": ["loss"]}
    code, body, _ = await group_api(params, path="series")
    assert code == 200
    dotted, linked, short = (header for header, _ in wire.parse_frames(body))
    assert dotted["arrays"] == [] and dotted["error"]
    assert linked["arrays"] == [] and "symlink out of the store root" in linked["error"]
    assert str(outside) not in linked["error"]  # nothing of where it leads
    assert short["error"] is None


async def test_a_run_without_the_x_channel_is_named(group_api, sweep):
    params = {**BASE, "channel": ["loss"], "x": "acc", "rule": "raw"}
    _, body, _ = await group_api(params, path="series")
    short, long, spiky = (header for header, _ in wire.parse_frames(body))
    assert short["error"] == f"run {SHORT!r} has no stats channel 'acc'"
    assert long["error"] is None and long["x"] == "acc" and spiky["x"] == "acc"


async def test_an_etag_answers_304_until_a_run_grows(group_api, sweep):
    code, _, headers = await group_api(BASE, path="series")
    etag = {"If-None-Match": headers["Etag"]}
    code, body, _ = await group_api(BASE, path="series", headers=etag)
    assert code == 304 and body == b""
    (sweep / SPIKY / "stats.loss.0.npr").open("ab").write(b"\0" * 16)  # a row more
    code, _, _ = await group_api(BASE, path="series", headers=etag)
    assert code == 200


@pytest.mark.parametrize(
    "params, named",
    [
        ({**BASE, "run": []}, "run"),
        ({**BASE, "run": [SHORT, SHORT]}, "run"),
        ({**BASE, "run": [f"r{i}" for i in range(201)]}, "run"),
        (
            {**BASE, "run": [f"r{i}" for i in range(101)], "channel": [f"c{i}" for i in range(20)]},
            "run, channel",
        ),
        ({**BASE, "channel": ["nope"]}, "channel"),
        ({**BASE, "rule": "7"}, "rule"),
        ({**BASE, "width": "0"}, "width"),
        ({**BASE, "x0": "5", "x1": "1"}, "x0"),
        ({**BASE, "band": "all"}, "band: unknown band 'all' (each or shared)"),
    ],
)
async def test_bad_parameters_are_400_naming_them(group_api, sweep, params, named):
    code, body, _ = await group_api(params, path="series")
    assert code == 400
    assert body["message"].startswith(named), body["message"]


async def test_needs_authentication(http_server_client, jp_base_url, sweep):
    url = f"{jp_base_url}runwatch/api/series?run={quote(SHORT)}&channel=loss&rule=raw&width=9"
    response = await http_server_client.fetch(url, raise_error=False)
    assert response.code in (401, 403)


async def test_band_shared_sends_the_runs_bands_folded_into_one_frame_first(group_api, sweep):
    _, each, _ = await group_api(BASE, path="series")
    code, body, _ = await group_api({**BASE, "band": "shared"}, path="series")
    assert code == 200
    frames = wire.parse_frames(body)
    # Each channel: its shared band, then each run's frame without a band.
    assert [(h["channel"], h.get("run")) for h, _ in frames] == [
        ("acc", None),
        ("acc", LONG),
        ("acc", SPIKY),
        ("loss", None),
        ("loss", SHORT),
        ("loss", LONG),
        ("loss", SPIKY),
    ]
    own = {(h["channel"], h["run"]): (h, a) for h, a in wire.parse_frames(each)}
    for header, arrays in frames:
        if "run" not in header:
            assert header["band"] == "shared" and list(arrays) == ["x", "band.lo", "band.hi"]
            continue
        own_header, own_arrays = own[(header["channel"], header["run"])]
        assert "band.lo" not in arrays
        lines = [a for a in own_header["arrays"] if not a[0].startswith("band.")]
        packed = {n: p for n, p in own_header.get("packed", {}).items() if n in dict(lines)}
        assert header == {**own_header, "arrays": lines, "packed": packed, "band": "shared"}
        for name, values in arrays.items():
            np.testing.assert_array_equal(values, own_arrays[name])
    # The loss band: every run's extremes, the spike among them, and no more points
    # than a low and a high a pixel column.
    loss_band = frames[3][1]
    highs = [own[("loss", run)][1]["band.hi"] for run in (SHORT, LONG, SPIKY)]
    lows = [own[("loss", run)][1]["band.lo"] for run in (SHORT, LONG, SPIKY)]
    assert np.nanmax(loss_band["band.hi"]) == max(np.nanmax(h) for h in highs) == 1e4
    assert np.nanmin(loss_band["band.lo"]) == min(np.nanmin(lo) for lo in lows)
    assert len(loss_band["x"]) <= 2 * 50 + 6
    assert len(loss_band["x"]) < sum(len(h) for h in highs)  # fewer points than the runs'


async def test_band_shared_has_its_own_etag(group_api, sweep):
    _, _, each = await group_api(BASE, path="series")
    _, _, shared = await group_api({**BASE, "band": "shared"}, path="series")
    assert each["ETag"] != shared["ETag"]


async def test_band_shared_leaves_a_failed_run_its_error(group_api, sweep):
    params = {**BASE, "run": [SHORT, GONE, LONG], "channel": ["loss"], "band": "shared"}
    _, body, _ = await group_api(params, path="series")
    band, short, gone, long = wire.parse_frames(body)
    assert "run" not in band[0] and len(band[1]["x"]) > 0
    assert short[0]["run"] == SHORT and short[0]["error"] is None
    assert gone[0]["run"] == GONE and "no run named" in gone[0]["error"]
    assert long[0]["run"] == LONG and long[0]["error"] is None


async def test_a_fold_that_fails_leaves_each_run_its_own_band(group_api, sweep, monkeypatch):
    from runwatch.server import runs_series_handlers

    def broken(*_):
        raise ValueError("a bug")

    monkeypatch.setattr(runs_series_handlers, "runs_envelope", broken)
    _, each, _ = await group_api(BASE, path="series")
    code, body, _ = await group_api({**BASE, "band": "shared"}, path="series")
    assert code == 200
    assert body == each  # the same frames, each with its band: no spike is lost
