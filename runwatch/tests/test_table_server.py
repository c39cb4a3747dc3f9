"""GET runwatch/api/table: the runs table over HTTP, from a real server and real runs."""

from __future__ import annotations

import gzip
import json
from urllib.parse import quote, urlencode

import pytest

from runwatch.tests.test_table_rows import write_run


@pytest.fixture
def table(http_server_client, jp_base_url, jp_auth_header, tmp_path, monkeypatch):
    """GET table?<params> (lists repeat a parameter): (status, parsed JSON, headers).
    The table's disk cache goes to the test's folder, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))

    async def get(params: dict | None = None, headers: dict | None = None):
        query = urlencode(params or {}, doseq=True, quote_via=quote)
        response = await http_server_client.fetch(
            f"{jp_base_url}runwatch/api/table?{query}",
            headers={**dict(jp_auth_header), **(headers or {})},
            raise_error=False,
            decompress_response=False,
        )
        body = response.body
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.code, json.loads(body) if body else None, response.headers

    return get


async def test_every_run_newest_first_with_each_channels_last(table, store):
    older = write_run("a", params={"lr": 1e-3, "seed": 1})
    newer = write_run("b", params={"lr": 1e-4, "seed": 1}, losses=(0.5, 0.25))
    code, body, headers = await table()
    assert code == 200 and headers["Cache-Control"] == "no-store"
    assert body["root"] == str(store) and body["query"] is None
    assert [run["name"] for run in body["runs"]] == [newer, older]
    assert body["params"] == ["lr", "seed"]
    assert body["channels"] == ["acc", "lat", "loss.val", "score", "steps"]
    assert body["stats"] == [f"{c}.last" for c in body["channels"]]
    first = body["runs"][0]
    assert first["status"] == "finished" and first["params.lr"] == 1e-4
    assert first["loss.val.last"] == 0.25 and first["steps.last"] == 20.0


async def test_the_same_rows_as_runwatch_table(table, store):
    import runwatch

    write_run("a", params={"lr": 1e-3})
    _, body, _ = await table({"stat": ["loss.val.min", "acc.mean3"]})
    assert body["runs"] == runwatch.table(
        stats=["loss.val.min", "acc.mean3"]
    ).reset_index().to_dict("records")


async def test_stat_none_and_chosen_stats(table, store):
    write_run("a")
    _, body, _ = await table({"stat": "none"})
    assert body["stats"] == [] and not any(
        "." in key and not key.startswith("params.") for key in body["runs"][0]
    )
    _, body, _ = await table({"stat": ["loss.val.min", "loss.val.at86400"]})
    assert body["stats"] == ["loss.val.min", "loss.val.at86400"]
    assert body["runs"][0]["loss.val.min"] == 1.0 and body["runs"][0]["loss.val.at86400"] == 1.0


async def test_a_filter_computes_its_summaries_first(table, store):
    write_run("a", params={"lr": 1e-3})
    low = write_run("b", params={"lr": 1e-4}, losses=(0.5, 0.2))
    query = 'lr < 1e-3 and status == "finished" and loss.val.last < 0.3'
    code, body, _ = await table({"q": query, "stat": "none"})
    assert code == 200 and body["query"] == query
    assert [run["name"] for run in body["runs"]] == [low]
    assert body["stats"] == ["loss.val.last"] and body["runs"][0]["loss.val.last"] == 0.2


async def test_index_glob_and_no_match(table, store):
    older, newer = write_run("one"), write_run("two")
    assert [r["name"] for r in (await table({"q": "-1"}))[1]["runs"]] == [newer]
    assert [r["name"] for r in (await table({"q": "*one"}))[1]["runs"]] == [older]
    assert (await table({"q": "nothing-like-it"}))[1]["runs"] == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "lr < and x"}, "query: expected a value after '<' at column 6: lr < and x"),
        ({"q": "lr < " + "1" * 10_000}, "10,005 characters"),
        ({"stat": "loss.median"}, "stat 'loss.median' is not <channel>.<stat>"),
        ({"stat": ["none", "x.last"]}, "stat: 'none' can't be combined"),
    ],
)
async def test_bad_requests_are_400_saying_why(table, store, params, message):
    write_run("a")
    code, body, _ = await table(params)
    assert code == 400 and message in body["message"]


async def test_a_missing_root_is_an_empty_table(table, store):
    code, body, _ = await table()
    assert code == 200 and body["runs"] == [] and body["channels"] == []


async def test_a_root_that_is_a_file_is_409(table, store):
    store.write_text("not a folder")
    code, body, _ = await table()
    assert code == 409 and "is a file" in body["message"]


async def test_gzip_when_accepted(table, store):
    write_run("a")
    code, body, headers = await table(headers={"Accept-Encoding": "gzip"})
    assert code == 200 and headers["Content-Encoding"] == "gzip" and len(body["runs"]) == 1


async def test_a_corrupt_file_is_one_null_cell(table, store):
    write_run("a")
    run_dir = next(store.iterdir())
    (run_dir / "stats.acc.0.npr").write_bytes(b"\x93NUMPY garbage")
    code, body, _ = await table()
    (row,) = body["runs"]
    assert code == 200 and row["acc.last"] is None and row["loss.val.last"] == 1.0
    assert row["errors"]["acc.last"].startswith("stats.acc.0.npr: ")


async def test_needs_authentication(http_server_client, jp_base_url, store):
    write_run("a", params={"secret_lr": 1})
    response = await http_server_client.fetch(f"{jp_base_url}runwatch/api/table", raise_error=False)
    assert response.code in (401, 403)
    assert b"secret_lr" not in response.body


async def test_a_growing_run_shows_its_new_rows(table, store):
    import numpy as np

    from runwatch.tests.lod_store import append_npr, make_run, records

    x = [("x", "<f8")]
    run_dir = make_run(
        store, "2024-01-01 00-00-00 live", {"x": ("last", [records(np.array([1.0]), x, x=[2])])}
    )
    first = (await table({"stat": ["x.max", "x.last"]}))[1]["runs"][0]
    append_npr(run_dir / "stats.x.0.npr", records(np.array([2.0]), x, x=[7]))
    second = (await table({"stat": ["x.max", "x.last"]}))[1]["runs"][0]
    assert (first["x.max"], first["x.last"]) == (2.0, 2.0)
    assert (second["x.max"], second["x.last"]) == (7.0, 7.0)


async def test_a_restarted_server_reads_its_table_back(table, store, tmp_path, jp_serverapp):
    from tornado.ioloop import IOLoop

    from runwatch.server import table_handlers
    from runwatch.tests.test_table_cache import opened_files

    write_run("a", params={"lr": 1e-3})
    _, before, _ = await table({"stat": ["loss.val.min", "acc.last"]})
    # the answer is sent first; the table's own thread then writes it to disk
    await IOLoop.current().run_in_executor(table_handlers.executor(), lambda: None)
    assert list((tmp_path / "xdg-cache" / "runwatch" / "table").glob("*.lod"))
    del jp_serverapp.web_app.settings["runwatch_table"]  # what a restart forgets
    with opened_files() as opened:
        _, after, _ = await table({"stat": ["loss.val.min", "acc.last"]})
    assert after == before
    assert [name for name in opened if name.endswith(".npr")] == []
