"""Many writers at once, and writers killed with SIGKILL: no row lost, nothing unreadable."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import runwatch
from runwatch.store import npr
from runwatch.store.reading import channels, read_channel
from runwatch.tests.reference import read_npr

REPO = Path(__file__).resolve().parents[2]
PROCESSES, THREADS, ROWS = 8, 4, 100_000


def _write_rows(run: str, process: int) -> None:
    def work(thread: int) -> None:
        mean, tag = runwatch.stats.mean, process * 10 + thread
        for i in range(ROWS):
            mean("load", i, tag)

    with runwatch.to_run(run):
        threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


@pytest.mark.slow
def test_many_processes_and_threads_lose_no_row(store: Path):
    run = runwatch.new_run("load")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write_rows, args=(run, p)) for p in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0
    files = channels(run)["load"].files
    assert len(files) == PROCESSES * THREADS
    tags = set()
    for name in files:
        rows = read_npr(store / run / name)
        assert len(rows) == ROWS
        assert np.array_equal(np.sort(rows["total"]), np.arange(ROWS))  # every row, once
        assert len(set(rows["count"])) == 1
        tags.add(int(rows["count"][0]))
    assert tags == {p * 10 + t for p in range(PROCESSES) for t in range(THREADS)}


WRITER = """
import threading, runwatch
run = runwatch.resolve(-1)

def work(name):
    for i in range(10**9):
        runwatch.stats.mean(name, i, 1.5)
        runwatch.stats.quantiles(name + ".q", [i, i + 1, i + 2])

with runwatch.to_run(run):
    threading.Thread(target=work, args=("b",), daemon=True).start()
    work("a")
"""


@pytest.mark.slow
def test_kill_9_leaves_a_readable_run(store: Path):
    run = runwatch.new_run("killed")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(0)
    for attempt in range(6):
        process = subprocess.Popen([sys.executable, "-c", WRITER], env=env, cwd=REPO)
        # Wait for this writer's own file: on a loaded machine a fresh Python
        # process can take longer to start than the random delay below.
        deadline = time.monotonic() + 20
        while (
            len(list((store / run).glob("stats.a.[0-9]*.npr"))) <= attempt
            and time.monotonic() < deadline
        ):
            time.sleep(0.01)
        time.sleep(rng.uniform(0.05, 0.4))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL
        for channel in channels(run):  # listed files read cleanly, whole rows only
            for name in channels(run)[channel].files:
                _, columns = npr.read_columns(store / run / name)
                count = len(columns["_time"])
                if channel in ("a", "b"):
                    assert sorted(columns["total"]) == list(range(count))
                    assert set(columns["count"]) <= {1.5}
                else:
                    assert [row for row in columns["qs.1"]] == [i + 1 for i in range(count)]
    assert len(channels(run)["a"].files) == 6
    assert len(read_channel(run, "a")["total"]) > 0
