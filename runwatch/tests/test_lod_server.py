"""GET runs/<run>/series: frames over HTTP, bad parameters, errors per channel, spikes."""

from __future__ import annotations

import asyncio
import json
import struct
import time
from urllib.parse import quote, urlencode

import numpy as np
import pytest

from runwatch.server import series_handlers
from runwatch.server.lod import wire
from runwatch.tests.lod_store import make_run, records

RUN = "2024-01-01 00-00-00 lod-run"


def parse(body: bytes) -> list[tuple[dict, dict[str, np.ndarray]]]:
    return wire.parse_frames(body)


@pytest.fixture(autouse=True)
def cache_home(monkeypatch, tmp_path):
    """The server's summaries on disk go under the test's folder (HOME is one already)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def small_run(store):
    t = np.arange(0, 300, 0.5)
    x = np.sin(t)
    x[7] = np.nan
    return make_run(
        store,
        RUN,
        {
            "loss.train": (
                "mean",
                [records(t, [("total", "<f8"), ("count", "<i4")], total=x, count=2)],
            ),
            "loss.test": ("last", [records(t[::3], [("x", "<f4")], x=x[::3])]),
            "eval.score": ("mean_std", [records(t, [("μ", "<f8"), ("σ", "<f8")], μ=x, σ=0.5)]),
        },
    )


@pytest.fixture
def api(http_server_client, jp_base_url, jp_auth_header):
    """GET runwatch/api/runs/<run>/<endpoint>?<params> (lists repeat a parameter)."""

    async def get(run: str, endpoint: str, params: dict):
        query = urlencode(params, doseq=True, quote_via=quote)
        response = await http_server_client.fetch(
            f"{jp_base_url}runwatch/api/runs/{quote(run)}/{endpoint}?{query}",
            headers=dict(jp_auth_header),
            raise_error=False,
        )
        body = response.body
        if response.headers.get("Content-Type", "").startswith("application/json"):
            body = json.loads(body)
        return response.code, body, response.headers

    return get


async def series(api, params: dict, run: str = RUN):
    return await api(run, "series", params)


async def test_frames_in_request_order_with_the_kinds_columns(api, small_run):
    code, body, headers = await series(
        api, {"channel": ["loss.test", "eval.score", "loss.train"], "rule": "60", "width": "300"}
    )
    assert code == 200
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Cache-Control"] == "no-store"
    frames = parse(body)
    assert [h["channel"] for h, _ in frames] == ["loss.test", "eval.score", "loss.train"]
    test, score, train = frames
    assert test[0]["kind"] == "last" and test[0]["rows"] == 200 and test[0]["error"] is None
    assert [name for name, _ in test[0]["arrays"]] == ["x", "value", "band.lo", "band.hi"]
    assert [name for name, _ in score[0]["arrays"]] == ["x", "mu", "sigma", "lo", "hi"]
    assert list(train[1]["x"]) == [0, 60, 120, 180, 240]
    t = np.arange(0, 60, 0.5)
    x = np.sin(t)
    x[7] = np.nan
    assert train[1]["value"][0] == pytest.approx(np.nanmean(x) / 2, rel=1e-12)
    assert train[1]["band.hi"][0] == np.nanmax(x) / 2
    assert train[0]["x0"] == 0 and train[0]["x1"] == 240 and train[0]["reduced"] is False


async def test_frames_are_padded_to_8_bytes(api, small_run):
    _, body, _ = await series(api, {"channel": "loss.test", "rule": "raw", "width": "10"})
    (length,) = struct.unpack_from("<I", body)
    start = 4 + length + (-(4 + length) % 8)
    assert body[4 + length : start] == b"\0" * (start - 4 - length)
    header, arrays = parse(body)[0]
    width = {"f8": 8, "f4": 4, "u2": 2, "u4": 4}
    types = {name: p[0] for name, p in header.get("packed", {}).items()}
    padded = [-(-n * width[types.get(name, "f8")] // 8) * 8 for name, n in header["arrays"]]
    assert len(body) == start + sum(padded)
    assert header["reduced"] is True and len(arrays["x"]) <= 4 * 10 + 4


async def test_raw_with_a_range_keeps_every_row_there_and_one_either_side(api, small_run):
    _, body, _ = await series(
        api, {"channel": "loss.train", "rule": "raw", "width": "100", "x0": "10", "x1": "20"}
    )
    header, arrays = parse(body)[0]
    assert header["x0"] == 10 and header["x1"] == 20 and header["reduced"] is False
    assert list(arrays["x"]) == [0.0, *np.arange(9.5, 20.75, 0.5), 299.5]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"rule": "60", "width": "10"}, "channel"),
        ({"channel": "no.such", "rule": "60", "width": "10"}, "channel"),
        ({"channel": "../x", "rule": "60", "width": "10"}, "channel"),
        ({"channel": "loss.test", "rule": "5", "width": "10"}, "rule"),
        ({"channel": "loss.test", "width": "10"}, "rule"),
        ({"channel": "loss.test", "rule": "60"}, "width"),
        ({"channel": "loss.test", "rule": "60", "width": "0"}, "width"),
        ({"channel": "loss.test", "rule": "60", "width": "10001"}, "width"),
        ({"channel": "loss.test", "rule": "60", "width": "-3"}, "width"),
        ({"channel": "loss.test", "rule": "60", "width": "1.5"}, "width"),
        ({"channel": "loss.test", "rule": "60", "width": "9", "x0": "nan", "x1": "1"}, "x0"),
        ({"channel": "loss.test", "rule": "60", "width": "9", "x0": "5", "x1": "1"}, "x0"),
        ({"channel": "loss.test", "rule": "60", "width": "9", "x0": "0", "x1": "inf"}, "x1"),
        ({"channel": "loss.test", "rule": "60", "width": "9", "x0": "0", "x1": "1e300"}, "x1"),
        ({"channel": "loss.test", "rule": "60", "width": "9", "x0": "0"}, "x1"),
        ({"channel": ["loss.test"] * 201, "rule": "60", "width": "9"}, "channel"),
    ],
)
async def test_bad_parameters_are_400_naming_them(api, small_run, params, named):
    code, body, _ = await series(api, params)
    assert code == 400
    assert body["message"].startswith(named), body["message"]


async def test_unknown_run_is_404(api, small_run):
    code, _, _ = await series(api, {"channel": "a", "rule": "60", "width": "9"}, run="nope")
    assert code == 404


@pytest.mark.parametrize("endpoint", ["series", "csv"])
async def test_needs_authentication(http_server_client, jp_base_url, small_run, endpoint):
    url = f"{jp_base_url}runwatch/api/runs/{RUN.replace(' ', '%20')}/{endpoint}"
    url += "?channel=loss.test&rule=60&width=10"
    response = await http_server_client.fetch(url, raise_error=False)
    assert response.code in (401, 403)
    assert b"loss" not in response.body


async def test_a_corrupt_header_is_that_channels_error_and_the_rest_draw(api, small_run):
    (small_run / "stats.loss.test.0.npr").write_bytes(b"\x93NUMPY\x01\x00\x10\x00{'descr': garbage")
    _, body, _ = await series(
        api, {"channel": ["loss.train", "loss.test", "eval.score"], "rule": "raw", "width": "50"}
    )
    train, test, score = parse(body)
    assert test[0]["arrays"] == [] and test[1] == {}
    assert test[0]["error"].startswith("stats.loss.test.0.npr: ")
    assert train[0]["error"] is None and len(train[1]["value"]) > 0
    assert score[0]["error"] is None and len(score[1]["mu"]) > 0


async def test_a_fifo_is_refused_in_its_frame(api, small_run):
    import os

    path = small_run / "stats.loss.test.0.npr"
    path.unlink()
    os.mkfifo(path)
    _, body, _ = await series(
        api, {"channel": ["loss.test", "loss.train"], "rule": "60", "width": "5"}
    )
    test, train = parse(body)
    assert "FIFO" in test[0]["error"] and test[0]["error"].startswith("stats.loss.test.0.npr: ")
    assert train[0]["error"] is None


@pytest.mark.slow
async def test_a_spike_in_a_million_rows_reaches_every_rule(api, store):
    n = 1_000_000
    t = np.arange(n) * 0.01
    x = np.random.default_rng(0).normal(0, 1, n)
    spike = 612_345
    x[spike] = 1e4
    make_run(store, RUN, {"big.spike": ("last", [records(t, [("x", "<f8")], x=x)])})
    _, body, _ = await series(api, {"channel": "big.spike", "rule": "raw", "width": "420"})
    header, arrays = parse(body)[0]
    assert header["rows"] == n and header["reduced"] is True
    assert len(arrays["x"]) <= 4 * 420 + 4
    at = np.flatnonzero(arrays["value"] == 1e4)
    assert list(arrays["x"][at]) == [t[spike]]
    for rule in ("1", "10", "60", "600"):
        _, body, _ = await series(api, {"channel": "big.spike", "rule": rule, "width": "420"})
        header, arrays = parse(body)[0]
        assert np.nanmax(arrays["band.hi"]) == 1e4, rule
    # Zoomed in around it: the spike's own row, at its exact time.
    _, body, _ = await series(
        api,
        {"channel": "big.spike", "rule": "raw", "width": "420", "x0": "6123", "x1": "6124"},
    )
    header, arrays = parse(body)[0]
    assert header["reduced"] is False
    assert arrays["value"][np.flatnonzero(arrays["x"] == t[spike])[0]] == 1e4


async def test_an_empty_file_is_skipped(api, small_run):
    (small_run / "stats.loss.test.1.npr").write_bytes(b"")
    info = json.loads((small_run / "_info.json").read_text())
    info["_files"]["stats.loss.test.1.npr"] = {"kind": "last"}
    (small_run / "_info.json").write_text(json.dumps(info))
    _, body, _ = await series(api, {"channel": "loss.test", "rule": "raw", "width": "1000"})
    header, _ = parse(body)[0]
    assert header["error"] is None and header["rows"] == 200


async def test_two_files_merge_by_time(api, store):
    a = records(np.array([1.0, 3.0, 5.0]), [("x", "<f8")], x=[1, 3, 5])
    b = records(np.array([2.0, 3.0, 4.0]), [("x", "<f8")], x=[20, 30, 40])
    make_run(store, RUN, {"two": ("last", [a, b])})
    _, body, _ = await series(api, {"channel": "two", "rule": "raw", "width": "10"})
    _, arrays = parse(body)[0]
    assert list(arrays["x"]) == [1, 2, 3, 3, 4, 5]
    assert list(arrays["value"]) == [1, 20, 3, 30, 40, 5]


def test_writer_stays_numpy_free():
    import subprocess
    import sys

    code = "import sys, runwatch, runwatch.stats; print('numpy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    assert result.stdout.strip() == "False"


async def test_the_summaries_reach_the_disk_cache_after_the_answer(api, small_run, tmp_path):
    folder = tmp_path / "xdg-cache" / "runwatch" / "lod"
    code, _, _ = await series(api, {"channel": ["loss.train"], "rule": "60", "width": "300"})
    assert code == 200
    for _ in range(200):  # written by the pool once no frame waits
        if list(folder.glob("*.lod")):
            break
        await asyncio.sleep(0.02)
    assert len(list(folder.glob("*.lod"))) == 1


def test_a_failed_disk_write_is_logged_not_lost(caplog):
    def broken():
        raise RuntimeError("the disk went away")

    with caplog.at_level("WARNING", logger="runwatch.server.series_handlers"):
        series_handlers.later(broken)
        for _ in range(200):  # run by the pool's thread
            if "disk write failed" in caplog.text:
                break
            time.sleep(0.01)
    assert "a summaries' disk write failed" in caplog.text
    assert "the disk went away" in caplog.text
