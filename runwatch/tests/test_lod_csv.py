"""GET runs/<run>/csv: every row at full resolution, as the browser's export writes it."""

from __future__ import annotations

import io
import json
from urllib.parse import quote, urlencode

import numpy as np
import pandas as pd
import pytest

from runwatch.server.lod import csv as lod_csv
from runwatch.server.lod import rows
from runwatch.server.lod.csv import CHUNK_BYTES, js_number
from runwatch.server.paths import StorePaths
from runwatch.store import npr
from runwatch.tests.lod_store import make_run, records
from runwatch.tests.make_vectors import VECTORS
from runwatch.tests.test_lod_vectors import from_json

RUN = "2024-01-01 00-00-00 csv, run"  # a comma: the run cell is quoted


@pytest.fixture(autouse=True)
def cache_home(monkeypatch, tmp_path):
    """The server's summaries on disk go under the test's folder (HOME is one already)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def csv(http_server_client, jp_base_url, jp_auth_header):
    async def get(channels: list[str]):
        query = urlencode({"channel": channels}, doseq=True, quote_via=quote)
        response = await http_server_client.fetch(
            f"{jp_base_url}runwatch/api/runs/{quote(RUN)}/csv?{query}",
            headers=dict(jp_auth_header),
            raise_error=False,
        )
        body = response.body
        if response.headers.get("Content-Type", "").startswith("application/json"):
            body = json.loads(body)
        return response.code, body, response.headers

    return get


@pytest.fixture
def run_dir(store):
    rng = np.random.default_rng(4)
    n = 60_000  # over 1 MB of text: several chunks
    t = np.sort(rng.uniform(-2, 5000, n))
    total = np.round(rng.normal(0, 10, n), 3)
    total[::11] = np.nan
    a = records(
        np.array([1.0, 3.0, 5.0]), [("x", "<f8"), ("flag", "|b1")], x=[0.5, 3, 1e-7], flag=True
    )
    b = records(np.array([2.0, 3.0]), [("x", "<f4")], x=[2.25, -(2.0**70)])
    return make_run(
        store,
        RUN,
        {
            "loss.train": (
                "mean",
                [records(t, [("total", "<f8"), ("count", "<i4")], total=total, count=3)],
            ),
            "two.files": ("last", [a, b]),
        },
    )


async def test_every_row_as_the_browser_exports_it(csv, run_dir):
    code, body, headers = await csv(["loss.train", "two.files"])
    assert code == 200
    assert headers["Content-Type"].startswith("text/csv")
    assert (
        headers["Content-Disposition"]
        == 'attachment; filename="2024-01-01_00-00-00_csv_run_2-channels.csv"'
    )
    text = body.decode()
    lines = text.split("\n")
    assert lines[0] == "run,channel,t_seconds,value,total,count,x,flag"
    # The two files merge by time; a field one file lacks is NaN in its rows, and
    # fields the channel lacks are empty cells. A `last` row's value is its x.
    quoted = '"2024-01-01 00-00-00 csv, run"'
    assert lines[-6:] == [
        f"{quoted},two.files,1,0.5,,,0.5,1",
        f"{quoted},two.files,2,2.25,,,2.25,NaN",
        f"{quoted},two.files,3,3,,,3,1",
        f"{quoted},two.files,3,-1.1805916207174113e+21,,,-1.1805916207174113e+21,NaN",
        f"{quoted},two.files,5,1e-7,,,1e-7,1",
        "",
    ]
    table = pd.read_csv(io.StringIO(text))
    train = table[table["channel"] == "loss.train"]
    path = run_dir / "stats.loss.train.0.npr"
    dtype = [("_time", "<M8[ns]"), ("total", "<f8"), ("count", "<i4")]
    rows = np.fromfile(path, dtype=dtype, offset=npr.read_header(path).header_len)
    # pandas' total_seconds() is the store's time axis (docs/run-store.md).
    created = pd.Timestamp("2024-01-01T00:00:00")
    seconds = (pd.Series(rows["_time"]) - created).dt.total_seconds().to_numpy()
    assert len(train) == len(rows) == 60_000
    assert np.array_equal(train["t_seconds"].to_numpy(), seconds)
    assert np.array_equal(train["total"].to_numpy(), rows["total"], equal_nan=True)
    # A mean row's value is its total / count, as the raw rule plots it.
    assert np.array_equal(train["value"].to_numpy(), rows["total"] / 3, equal_nan=True)
    assert (train["count"] == 3).all() and train["x"].isna().all()


def test_numbers_are_written_as_javascript_writes_them():
    cases = [
        (3.0, "3"),
        (-0.0, "0"),
        (0.1, "0.1"),
        (1e21, "1e+21"),
        (1e-7, "1e-7"),
        (1.5e-6, "0.0000015"),
        (float("nan"), "NaN"),
        (float("-inf"), "-Infinity"),
        (123456789012345680000.0, "123456789012345680000"),
    ]
    assert [js_number(value) for value, _ in cases] == [text for _, text in cases]


async def test_an_unknown_channel_is_400_and_a_corrupt_file_409(csv, run_dir):
    code, body, _ = await csv(["nope"])
    assert code == 400 and body["message"].startswith("channel")
    (run_dir / "stats.two.files.1.npr").write_bytes(b"not npy")
    code, body, _ = await csv(["loss.train", "two.files"])
    assert code == 409 and "stats.two.files.1.npr" in body["message"]


async def test_a_channel_too_big_to_merge_is_409(csv, run_dir, monkeypatch):
    monkeypatch.setattr(lod_csv, "MAX_MERGED_ROWS", 4)
    code, body, _ = await csv(["loss.train", "two.files"])
    assert code == 409
    assert body["message"] == (
        "channel 'two.files': 5 rows in 2 files, over the 4 the server merges in memory"
    )


VECTOR = json.loads((VECTORS / "csv.json").read_text())


@pytest.mark.parametrize("chunk_bytes", [CHUNK_BYTES, 1], ids=["one chunk", "a row a chunk"])
def test_the_shared_vector_as_the_browser_writes_it(store, monkeypatch, chunk_bytes):
    """test/vectors/csv.json: the same text as csv.spec.ts checks, a row's value carried
    across chunks (cumsum's running total)."""
    monkeypatch.setattr(lod_csv, "CHUNK_BYTES", chunk_bytes)
    channels = {}
    for channel in VECTOR["channels"]:
        dtype = [(name, "<f8") for name in channel["fields"]]
        values = {name: from_json(column) for name, column in channel["fields"].items()}
        channels[channel["channel"]] = (
            channel["kind"],
            [records(np.array(channel["t"], float), dtype, **values)],
        )
    make_run(store, VECTOR["run"], channels)
    paths = StorePaths(store)
    run = rows.run_channels(paths, VECTOR["run"])
    specs = [run.channels[c["channel"]] for c in VECTOR["channels"]]
    chunks = lod_csv.CsvChunks(paths, run, specs, VECTOR["run"])
    try:
        text = b"".join(iter(chunks.next, None)).decode()
    finally:
        chunks.close()
    assert text.split("\n") == VECTOR["csv"]
