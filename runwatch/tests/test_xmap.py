"""x by a step or counter channel (lod/xmap.py, docs/plots.md "x by step"): the
interpolation rule, points outside the x channel dropped, a falling x refused, a run
without the channel, a cumsum counter, the group on x, and `runwatch.stats.step`."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import numpy as np
import pytest

import runwatch
from runwatch.server.lod import wire
from runwatch.store import clock
from runwatch.store.reading import read_channel
from runwatch.tests.lod_store import make_run, records

RUN, SLOW = "2024-01-01 00-00-00 fast", "2024-01-01 00-00-01 slow"


@pytest.fixture(autouse=True)
def cache_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def last(t, x):
    return ("last", [records(np.asarray(t, float), [("x", "<f8")], x=x)])


@pytest.fixture
def get(http_server_client, jp_base_url, jp_auth_header):
    async def fetch(path: str, params: dict):
        query = urlencode(params, doseq=True, quote_via=quote)
        response = await http_server_client.fetch(
            f"{jp_base_url}runwatch/api/{path}?{query}",
            headers=dict(jp_auth_header),
            raise_error=False,
        )
        if response.headers.get("Content-Type", "").startswith("application/json"):
            return response.code, json.loads(response.body)
        return response.code, wire.parse_frames(response.body)

    return fetch


def series_path(run: str = RUN) -> str:
    return f"runs/{quote(run)}/series"


async def test_each_time_maps_to_the_x_channels_value_interpolated(get, store):
    make_run(
        store,
        RUN,
        {
            "step": last([10, 20, 40], [100.0, 200.0, 300.0]),
            "loss": last([5, 10, 15, 30, 40, 45], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
        },
    )
    code, frames = await get(
        series_path(), {"channel": "loss", "rule": "raw", "width": "50", "x": "step"}
    )
    assert code == 200
    [(header, arrays)] = frames
    assert header["x"] == "step" and header["error"] is None
    # t=5 is before step's first row and t=45 after its last: dropped. t=15 is halfway
    # between step's rows at 10 (100) and 20 (200); t=30 halfway from 20 to 40.
    np.testing.assert_allclose(arrays["x"], [100.0, 150.0, 250.0, 300.0])
    np.testing.assert_allclose(arrays["value"], [2.0, 3.0, 4.0, 5.0])
    assert header["x0"] == 0 and header["x1"] == 300


async def test_x0_x1_are_in_the_x_channels_units_and_m4_runs_on_x(get, store):
    t = np.arange(0, 1000, 0.01)
    spike = np.zeros(len(t))
    spike[50_000] = 1e3
    make_run(store, RUN, {"step": last(t, t * 1e8), "loss": last(t, spike)})
    params = {"channel": "loss", "rule": "raw", "width": "20", "x": "step"}
    code, frames = await get(series_path(), {**params, "x0": "4e10", "x1": "6e10"})
    assert code == 200  # past 1e10: a counter, not seconds
    [(header, arrays)] = frames
    assert header["reduced"] and header["x0"] == 4e10
    assert len(arrays["x"]) <= 4 * 20 + 4
    assert np.all(np.diff(arrays["x"]) >= 0)
    assert arrays["value"].max() == 1e3  # M4 keeps the spike on the mapped x


async def test_a_falling_x_channel_is_the_frames_error(get, store):
    make_run(store, RUN, {"step": last([0, 1, 2], [0.0, 5.0, 3.0]), "loss": last([1], [1.0])})
    _, frames = await get(
        series_path(), {"channel": "loss", "rule": "60", "width": "9", "x": "step"}
    )
    [(header, arrays)] = frames
    assert arrays == {} and header["x"] == "step"
    assert header["error"] == (
        "x: channel 'step' is not non-decreasing: it falls from 5 to 3 at 2 s "
        "(x needs a step or counter)"
    )


async def test_a_run_without_the_x_channel_says_so(get, store):
    make_run(store, RUN, {"loss": last([1, 2], [1.0, 2.0])})
    code, frames = await get(
        series_path(), {"channel": "loss", "rule": "raw", "width": "9", "x": "step"}
    )
    assert code == 200
    [(header, _)] = frames
    assert header["error"] == "x: run has no channel 'step': plot it against time"


async def test_a_cumsum_counter_as_x(get, store):
    samples = ("cumsum", [records(np.array([0.0, 10, 20]), [("total", "<f8")], total=[32, 32, 64])])
    make_run(store, RUN, {"samples": samples, "loss": last([10, 15, 20], [1.0, 2.0, 3.0])})
    _, frames = await get(
        series_path(), {"channel": "loss", "rule": "raw", "width": "9", "x": "samples"}
    )
    [(_, arrays)] = frames
    np.testing.assert_allclose(arrays["x"], [64.0, 96.0, 128.0])  # the running sum


async def test_a_bucketed_rule_maps_each_bucket_by_its_label(get, store):
    t = np.arange(0, 300, 1.0)
    make_run(store, RUN, {"step": last(t, 2 * t), "loss": last(t, t)})
    _, frames = await get(
        series_path(), {"channel": "loss", "rule": "60", "width": "9", "x": "step"}
    )
    [(_, arrays)] = frames
    np.testing.assert_allclose(arrays["x"], [0.0, 120.0, 240.0, 360.0, 480.0])
    np.testing.assert_allclose(arrays["value"], [59.0, 119.0, 179.0, 239.0, 299.0])


async def test_the_group_on_x_lines_up_runs_of_different_speeds(get, store):
    """Two runs reach the same steps at different times; on step they agree."""
    steps = np.arange(0.0, 1000.0)
    make_run(store, RUN, {"step": last(steps, steps), "loss": last(steps, 1000 - steps)})
    make_run(store, SLOW, {"step": last(3 * steps, steps), "loss": last(3 * steps, 1000 - steps)})
    params = {"run": [RUN, SLOW], "channel": "loss", "rule": "raw", "width": "10", "x": "step"}
    _, frames = await get("group", {**params, "band": "minmax"})
    [(header, arrays)] = frames
    assert header["x"] == "step" and header["runs"] == 2 and header["x1"] == 999
    np.testing.assert_array_equal(arrays["n"], 2)
    np.testing.assert_allclose(arrays["center"], 1000 - arrays["x"], atol=0.51)
    np.testing.assert_allclose(arrays["hi"] - arrays["lo"], 99.0)  # one bin's span
    # On time the slow run draws on thrice the x: they disagree.
    _, frames = await get("group", {k: v for k, v in params.items() if k != "x"})
    [(header, arrays)] = frames
    assert header["x"] is None and arrays["n"][-1] == 1


async def test_a_group_run_without_the_x_channel_is_named(get, store):
    make_run(store, RUN, {"step": last([0, 10], [0.0, 10.0]), "loss": last([0, 10], [1.0, 1.0])})
    make_run(store, SLOW, {"loss": last([0, 10], [3.0, 3.0])})  # as pavlov's runs: no step
    params = {"run": [RUN, SLOW], "channel": "loss", "rule": "raw", "width": "4", "x": "step"}
    _, frames = await get("group", params)
    [(header, arrays)] = frames
    assert header["run_errors"] == {SLOW: "x: run has no channel 'step': plot it against time"}
    np.testing.assert_allclose(arrays["center"], 1.0)


def test_stats_step_records_a_last_channel_named_step(store):
    run = runwatch.new_run()
    with clock.frozen(1_700_000_000 * 10**9) as frozen, runwatch.to_run(run):
        for n in (0, 64, 128):
            runwatch.stats.step(n)
            frozen.advance(1.0)
    files = runwatch.info(run)["_files"]
    assert files["stats.step.0.npr"]["kind"] == "last"
    rows = read_channel(run, "step")
    assert [float(v) for v in rows["x"]] == [0.0, 64.0, 128.0]
