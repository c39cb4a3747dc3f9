"""The stats writer: call signatures, field types, routing, durability and logs."""

from __future__ import annotations

import inspect
import logging
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import runwatch
from runwatch.store import clock, kinds, npr
from runwatch.store.reading import channels, read_channel


def test_every_kind_has_a_stats_function_with_its_signature():
    for kind in kinds.KINDS:
        parameters = list(inspect.signature(getattr(runwatch.stats, kind.name)).parameters.values())
        assert [p.name for p in parameters] == ["channel", *kind.arg_names]
        defaults = [
            None if p.default is inspect.Parameter.empty else p.default for p in parameters[1:]
        ]
        assert defaults == [None if d is kinds.REQUIRED else d for _, d in kind.args]


def test_outside_to_run_is_a_no_op(store: Path):
    runwatch.stats.mean("a", 1.0)
    run = runwatch.new_run()
    runwatch.stats.mean("a", 1.0)
    assert runwatch.info(run)["_files"] == {}


def dtype_of(store: Path, run: str, filename: str) -> list[tuple[str, str]]:
    layout = npr.read_header(store / run / filename)
    return [(f.name, f.typestr) for f in layout.fields]


class Tensorish:
    """Stands in for a torch scalar: only `.item()`."""

    def __init__(self, value):
        self.value = value

    def item(self):
        return self.value


def test_field_types_match_numpys_inference(store: Path):
    run = runwatch.new_run()
    with runwatch.to_run(run), clock.frozen(1_700_000_000 * 10**9):
        runwatch.stats.mean("py", 1.5)
        runwatch.stats.mean("ints", 3, 2)
        runwatch.stats.last("flag", True)
        runwatch.stats.mean("np", np.float32(0.5), np.int32(2))
        runwatch.stats.max("u1", np.uint8(7))
        runwatch.stats.last("tensor", Tensorish(2.5))
        runwatch.stats.last("zero_d", np.array(4.0))
        runwatch.stats.quantiles("lat", [1.0, 2.0, 3.0, 4.0, 5.0])
        runwatch.stats.last("cfg", {"a": 1, "b": {"c": 2.5}})
        runwatch.stats.mean_std("ms", 0.1, σ=0.2)
    t = ("_time", "<M8[ns]")
    assert dtype_of(store, run, "stats.py.0.npr") == [t, ("total", "<f8"), ("count", "<i8")]
    assert dtype_of(store, run, "stats.ints.0.npr") == [t, ("total", "<i8"), ("count", "<i8")]
    assert dtype_of(store, run, "stats.flag.0.npr") == [t, ("x", "|b1")]
    assert dtype_of(store, run, "stats.np.0.npr") == [t, ("total", "<f4"), ("count", "<i4")]
    assert dtype_of(store, run, "stats.u1.0.npr") == [t, ("x", "|u1")]
    assert dtype_of(store, run, "stats.tensor.0.npr") == [t, ("x", "<f8")]
    assert dtype_of(store, run, "stats.zero_d.0.npr") == [t, ("x", "<f8")]
    assert dtype_of(store, run, "stats.lat.0.npr") == [t] + [(f"qs.{i}", "<f8") for i in range(5)]
    assert dtype_of(store, run, "stats.cfg.0.npr") == [t, ("x.a", "<i8"), ("x.b.c", "<f8")]
    assert dtype_of(store, run, "stats.ms.0.npr") == [t, ("μ", "<f8"), ("σ", "<f8")]
    assert read_channel(run, "cfg") == {
        "_time": [1_700_000_000 * 10**9],
        "x.a": [1],
        "x.b.c": [2.5],
    }
    kinds_by_channel = {name: c.kind for name, c in channels(run).items()}
    assert kinds_by_channel["lat"] == "quantiles" and kinds_by_channel["ms"] == "mean_std"
    entry = runwatch.info(run)["_files"]["stats.py.0.npr"]
    assert set(entry) == {
        "_pattern",
        "_created",
        "_process_id",
        "_process_name",
        "_thread_id",
        "_thread_name",
        "kind",
    }
    assert entry["_pattern"] == "stats.py.{n}.npr" and entry["kind"] == "mean"


def test_values_are_cast_to_the_files_types(store: Path):
    run = runwatch.new_run()
    with runwatch.to_run(run):
        runwatch.stats.mean("a", 1)
        runwatch.stats.mean("a", 2.7)  # truncated into <i8, as numpy (and pavlov) would
    assert read_channel(run, "a")["total"] == [1, 2]


def test_mismatched_calls_raise(store: Path):
    run = runwatch.new_run()
    with runwatch.to_run(run):
        runwatch.stats.mean("a", 1.0)
        with pytest.raises(ValueError, match="fields"):
            runwatch.stats.mean("a", {"x": 1.0})
        with pytest.raises(ValueError, match="can't write 'max'"):
            runwatch.stats.max("a", 1.0)
        with pytest.raises(TypeError, match="expected a number"):
            runwatch.stats.last("b", "text")
        with pytest.raises(ValueError, match="channel"):
            runwatch.stats.last("../escape", 1.0)
        with pytest.raises(TypeError):
            runwatch.stats.mean("a")


def test_rows_reach_disk_within_a_tenth_of_a_second(store: Path):
    run = runwatch.new_run()
    with runwatch.to_run(run):
        runwatch.stats.mean("a", 1.0)
        path = store / run / "stats.a.0.npr"
        for i in range(20):
            runwatch.stats.mean("a", float(i))
            written = time.perf_counter()
            while npr.file_rows(path) < i + 2:
                assert time.perf_counter() - written < 0.1
                time.sleep(0.002)


def test_each_thread_gets_its_own_file_and_threads_follow_the_newest_run(store: Path):
    run = runwatch.new_run()

    def work():
        for i in range(100):
            runwatch.stats.mean("shared", float(i))

    with runwatch.to_run(run):
        threads = [threading.Thread(target=work) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        work()
    assert channels(run)["shared"].files == tuple(f"stats.shared.{n}.npr" for n in range(4))
    assert len(read_channel(run, "shared")["total"]) == 400


def test_reentering_to_run_starts_new_files(store: Path):
    run = runwatch.new_run()
    for _ in range(2):
        with runwatch.to_run(-1):
            runwatch.stats.mean("a", 1.0)
    assert channels(run)["a"].files == ("stats.a.0.npr", "stats.a.1.npr")
    assert sorted(f for f in runwatch.info(run)["_files"] if f.startswith("logs")) == [
        "logs.0.txt",
        "logs.1.txt",
    ]


def test_logging_goes_to_the_runs_log(store: Path):
    run = runwatch.new_run()
    root_level = logging.getLogger().level
    with clock.frozen(1_700_000_000 * 10**9), pytest.raises(KeyError), runwatch.to_run(run):
        logging.getLogger("train").info("step %d", 1)
        raise KeyError("boom")
    logging.getLogger("train").info("after")  # not routed any more
    text = (store / run / "logs.0.txt").read_text()
    assert text.startswith("22:13:20 INFO train: step 1\n")
    assert "ERROR runwatch: Trace:" in text and "KeyError: 'boom'" in text
    assert "after" not in text
    assert logging.getLogger().level == root_level


def test_forked_child_writes_its_own_files(store: Path):
    run = runwatch.new_run()
    with runwatch.to_run(run):
        runwatch.stats.mean("a", 1.0)
        logging.getLogger("parent").info("parent")
        pid = os.fork()
        if pid == 0:
            try:
                runwatch.stats.mean("a", 2.0)
                logging.getLogger("child").info("child")
                runwatch.store.appender.FLUSHER.flush_all()
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
    assert channels(run)["a"].files == ("stats.a.0.npr", "stats.a.1.npr")
    assert sorted(read_channel(run, "a")["total"]) == [1.0, 2.0]
    assert "child" in (store / run / "logs.1.txt").read_text()
    assert "child" not in (store / run / "logs.0.txt").read_text()
