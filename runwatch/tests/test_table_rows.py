"""runwatch.table(): one row per run, params flattened, channel summaries, from a real store."""

from __future__ import annotations

import builtins
import json
import os
import shutil

import numpy as np
import pytest

import runwatch
from runwatch.table import BadStat, build
from runwatch.tests.lod_store import append_npr, make_run, records


def write_run(suffix: str = "", losses=(4.0, 2.0, 3.0, 1.0), **fields) -> str:
    """A finished run by the real writer: loss.val (mean), steps (cumsum), score (mean_std),
    lat (quantiles), acc (last)."""
    run = runwatch.new_run(suffix, **fields)
    with runwatch.to_run(run):
        for i, loss in enumerate(losses):
            runwatch.stats.mean("loss.val", loss * 2, 2)  # the row's value: 2 loss / 2
            runwatch.stats.cumsum("steps", 10)
            runwatch.stats.mean_std("score", float(i), 0.5)
            runwatch.stats.quantiles("lat", [i, i + 1, i + 2, i + 3, i + 4])
            runwatch.stats.last("acc", i / 10)
    return run


def rows_by_name(result) -> dict[str, dict]:
    return {row["name"]: row for row in result}


@pytest.fixture
def no_pandas(monkeypatch):
    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("no pandas here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)


def test_rows_carry_status_params_and_each_channels_last(no_pandas, store):
    run = write_run("a", params={"lr": 1e-3, "optim": {"beta1": 0.9, "betas": [1, 2]}})
    (row,) = runwatch.table()
    assert row["name"] == run and row["status"] == "finished"
    assert row["reason"].startswith("finished cleanly") and row["error"] is None
    assert row["created"].startswith(run[:10]) and isinstance(row["created_ms"], int)
    assert row["host"] == os.uname().nodename and 0 <= row["duration"] < 60
    assert row["params.lr"] == 1e-3
    assert row["params.optim.beta1"] == 0.9 and row["params.optim.betas"] == [1, 2]
    assert row["loss.val.last"] == 1.0  # total / count of the last row
    assert row["steps.last"] == 40.0  # cumsum: the running total
    assert row["score.last"] == 3.0  # mean_std: μ
    assert row["lat.last"] == 5.0  # quantiles: the middle one (the median)
    assert row["acc.last"] == 0.3


def test_min_max_mean_of_the_last_rows_and_at_a_time(no_pandas, store):
    write_run("a")
    stats = ["loss.val.min", "loss.val.max", "loss.val.mean2", "loss.val.at0", "loss.val.at86400"]
    (row,) = runwatch.table(stats=stats)
    assert (row["loss.val.min"], row["loss.val.max"]) == (1.0, 4.0)
    assert row["loss.val.mean2"] == 2.0  # (3 + 1) / 2
    assert row["loss.val.at0"] is None  # no row yet at 0 s
    assert row["loss.val.at86400"] == 1.0  # a day in: the last row
    assert "loss.val.last" not in row and "acc.last" not in row


def test_at_a_time_is_the_last_row_at_or_before_it(no_pandas, store):
    t = np.array([1.0, 10.0, 20.0, 30.0])
    make_run(
        store,
        "2024-01-01 00-00-00 timed",
        {"x": ("last", [records(t, [("x", "<f8")], x=[1, 2, 3, 4])])},
    )
    (row,) = runwatch.table(stats=["x.at0", "x.at10", "x.at19", "x.at30", "x.at99", "x.mean10"])
    assert [row[f"x.at{s}"] for s in (0, 10, 19, 30, 99)] == [None, 2.0, 2.0, 4.0, 4.0]
    assert row["x.mean10"] == 2.5


def test_a_channel_in_two_files_merges_by_time(no_pandas, store):
    first = records(np.array([1.0, 3.0]), [("x", "<f8")], x=[10, 30])
    second = records(np.array([2.0, 4.0]), [("x", "<f8")], x=[20, 5])
    make_run(store, "2024-01-01 00-00-00 two-files", {"x": ("last", [first, second])})
    (row,) = runwatch.table(stats=["x.last", "x.at2", "x.max", "x.mean2"])
    assert row["x.last"] == 5.0 and row["x.at2"] == 20.0 and row["x.max"] == 30.0
    assert row["x.mean2"] == 17.5


def test_params_that_differ_come_first(store):
    write_run("a", params={"lr": 1e-3, "seed": 1, "model": {"depth": 4}})
    write_run("b", params={"lr": 1e-4, "seed": 1, "model": {"depth": 4}, "extra": True})
    answer = build.store_table(store).table(None, ["none"])
    assert answer["params"] == ["extra", "lr", "model.depth", "seed"]
    assert answer["stats"] == [] and answer["channels"] == [
        "acc",
        "lat",
        "loss.val",
        "score",
        "steps",
    ]
    assert not any(key.endswith(".last") for row in answer["runs"] for key in row)


def test_pandas_gives_a_frame_indexed_by_name(store):
    pandas = pytest.importorskip("pandas")
    older, newer = write_run("a", params={"lr": 1e-3}), write_run("b", params={"lr": 1e-4})
    frame = runwatch.table()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.index) == [newer, older]  # newest first, as the endpoint
    assert list(frame["params.lr"]) == [1e-4, 1e-3]
    assert list(frame["loss.val.last"]) == [1.0, 1.0]
    assert list(frame.columns[:3]) == ["status", "reason", "error"]


def test_without_pandas_a_list_of_dicts(no_pandas, store):
    run = write_run("a")
    rows = runwatch.table(-1, stats="none")
    assert isinstance(rows, list) and [row["name"] for row in rows] == [run]


def test_queries_select_runs(no_pandas, store):
    older = write_run("one", params={"lr": 1e-2})
    newer = write_run("two", params={"lr": 1e-4}, losses=(0.5, 0.2))
    assert [r["name"] for r in runwatch.table(-1)] == [newer]
    assert [r["name"] for r in runwatch.table("*one")] == [older]
    assert [r["name"] for r in runwatch.table("lr < 1e-3")] == [newer]
    assert [r["name"] for r in runwatch.table("loss.val.min < 0.5", stats="none")] == [newer]
    rows = runwatch.table("loss.val.min < 0.5", stats="none")
    assert rows[0]["loss.val.min"] == 0.2  # a filter's summaries are in the rows
    assert runwatch.table("no-such-run") == []


def test_a_second_table_reads_no_data_file_until_one_grows(no_pandas, store):
    t = np.array([1.0, 2.0])
    run_dir = make_run(
        store,
        "2024-01-01 00-00-00 growing",
        {"x": ("last", [records(t, [("x", "<f8")], x=[1, 2])])},
    )
    table = build.store_table(store)
    assert table.table(None, ["x.max"])["runs"][0]["x.max"] == 2.0
    misses = table.stats_cache.misses
    assert table.table(None, ["x.max"])["runs"][0]["x.max"] == 2.0
    assert table.stats_cache.misses == misses
    append_npr(run_dir / "stats.x.0.npr", records(np.array([3.0]), [("x", "<f8")], x=[7]))
    assert table.table(None, ["x.max"])["runs"][0]["x.max"] == 7.0
    assert table.stats_cache.misses == misses + 1


@pytest.mark.parametrize(
    "key", ["loss", "loss.median", "loss.mean0", "loss.at-1", "loss.at1.5", ".last"]
)
def test_a_bad_stat_is_named(no_pandas, store, key):
    with pytest.raises(BadStat) as caught:
        runwatch.table(stats=[key])
    assert str(caught.value).startswith(f"stat {key!r}")


def test_a_corrupt_header_nulls_that_channel_and_says_why(no_pandas, store):
    write_run("a")
    run_dir = next(store.iterdir())
    (run_dir / "stats.loss.val.0.npr").write_bytes(b"\x93NUMPY\x01\x00\x10\x00{'descr': garbage")
    (row,) = runwatch.table(stats=["loss.val.last", "loss.val.min", "acc.last"])
    assert row["loss.val.last"] is None and row["loss.val.min"] is None
    assert row["errors"]["loss.val.min"].startswith("stats.loss.val.0.npr: ")
    assert row["acc.last"] == 0.3 and "acc.last" not in row["errors"]


def test_a_truncated_file_keeps_its_whole_rows(no_pandas, store):
    write_run("a")
    path = next(store.iterdir()) / "stats.acc.0.npr"
    os.truncate(path, path.stat().st_size - 3)  # the last row is cut
    (row,) = runwatch.table(stats=["acc.last", "acc.max"])
    assert row["acc.last"] == 0.2 and row["acc.max"] == 0.2 and "errors" not in row


def test_a_truncated_header_is_that_cells_error(no_pandas, store):
    write_run("a")
    path = next(store.iterdir()) / "stats.acc.0.npr"
    os.truncate(path, 20)
    (row,) = runwatch.table(stats=["acc.last", "loss.val.last"])
    assert row["acc.last"] is None and "stats.acc.0.npr" in row["errors"]["acc.last"]
    assert row["loss.val.last"] == 1.0


def test_a_fifo_named_like_a_stats_file_is_refused(no_pandas, store):
    write_run("a")
    path = next(store.iterdir()) / "stats.acc.0.npr"
    path.unlink()
    os.mkfifo(path)
    (row,) = runwatch.table()
    assert row["acc.last"] is None
    assert row["errors"]["acc.last"] == "stats.acc.0.npr: a FIFO, not a regular file, refused"
    assert row["loss.val.last"] == 1.0


def test_a_run_deleted_mid_table_is_flagged_and_the_rest_list(no_pandas, store, monkeypatch):
    kept, gone = write_run("kept"), write_run("gone")
    real_inspect = build.run_facts.inspect

    def delete_then_inspect(root, real_root, name, previous):
        if name == gone:
            shutil.rmtree(root / name)
        return real_inspect(root, real_root, name, previous)

    monkeypatch.setattr(build.run_facts, "inspect", delete_then_inspect)
    rows = rows_by_name(runwatch.table())
    assert rows[gone]["status"] == "unreadable"
    assert rows[gone]["error"] == "run folder deleted while the table was read"
    assert rows[kept]["loss.val.last"] == 1.0


def test_an_unreadable_info_is_a_row_with_its_error(no_pandas, store):
    write_run("a")
    broken = store / "2024-01-01 00-00-00 broken"
    broken.mkdir()
    (broken / "_info.json").write_text('{"_created": "2024-')
    rows = rows_by_name(runwatch.table())
    assert rows[broken.name]["status"] == "unreadable"
    assert rows[broken.name]["error"].startswith("_info.json: ")
    assert len(rows) == 2


def test_a_huge_params_object_is_capped(no_pandas, store):
    run_dir = make_run(store, "2024-01-01 00-00-00 wide", {})
    info = json.loads((run_dir / "_info.json").read_text())
    info["params"] = {f"p{i}": i for i in range(5000)}
    (run_dir / "_info.json").write_text(json.dumps(info))
    (row,) = runwatch.table()
    assert sum(key.startswith("params.") for key in row) == 1000
    assert "1000" in row["errors"]["params"]


def test_a_missing_root_is_an_empty_table(no_pandas, store):
    assert not store.exists()
    assert runwatch.table() == []
