"""Steering end to end: a real job calling update() every 100 ms, steered from this process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import runwatch
from runwatch.steering.declaration import SteerRefused
from runwatch.steering.requests import open_run, read_log_tail, write_request
from runwatch.store.npr import last_row
from runwatch.store.reading import read_channel

REPO = Path(__file__).resolve().parents[2]
JOB = """
import sys, time, runwatch
with runwatch.to_run(sys.argv[1]):
    p = runwatch.steerable(lr=3e-4, ent_coef=0.01, bounds={"lr": (1e-6, 1e-2)})
    print("ready", flush=True)
    step = 0
    while not p.should_stop:
        runwatch.stats.step(step)
        p.update()
        step += 1
        time.sleep(0.1)
print("stopped", p.lr, p.ent_coef, flush=True)
"""


@pytest.fixture
def job(store, tmp_path):
    script = tmp_path / "job.py"
    script.write_text(textwrap.dedent(JOB))
    run = runwatch.new_run("steered")
    env = {**os.environ, "RUNWATCH_ROOT": str(store), "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, str(script), run], stdout=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout.readline().strip() == "ready"
    yield run, process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def test_applied_rejected_logged_recorded_and_stopped(job, store):
    run, process = job
    # The answer's step is the run's last `step` stat on disk: wait for the first flush.
    deadline = time.monotonic() + 10
    while not (store / run / "stats.step.0.npr").exists() or not last_row(
        store / run / "stats.step.0.npr"
    ):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    answer = runwatch.steer(run, lr=1e-3, timeout=10)
    assert answer["status"] == "applied"
    [entry] = answer["entries"]
    assert (entry["key"], entry["old"], entry["new"], entry["source"]) == (
        "lr",
        3e-4,
        1e-3,
        "notebook",
    )
    assert isinstance(entry["step"], int) and entry["step"] >= 0

    # The notebook and the server check first; a request that got past them anyway
    # (written by hand) is checked again by the job, and rejected with its reason.
    fd = open_run(store / run, os.path.realpath(store))
    try:
        write_request(fd, {"id": "1" * 19 + "-abcdef", "changes": {"lr": 5.0, "ent_coef": 0.5}})
    finally:
        os.close(fd)
    answer = runwatch.steer(run, ent_coef=0.02, timeout=10)
    assert answer["status"] == "applied"
    fd = open_run(store / run, os.path.realpath(store))
    try:
        log, _ = read_log_tail(fd)
    finally:
        os.close(fd)
    rejected = [e for e in log if e["id"] == "1" * 19 + "-abcdef"]
    assert [(e["key"], e["status"]) for e in rejected] == [
        ("lr", "rejected"),
        ("ent_coef", "rejected"),
    ]
    assert rejected[0]["reason"] == "lr=5.0 is out of bounds [1e-06, 0.01]"

    with pytest.raises(SteerRefused, match="'momentum' is not steerable; steerable: lr, ent_coef"):
        runwatch.steer(run, momentum=0.9)

    answer = runwatch.steer(run, stop=True, timeout=10)
    assert answer["status"] == "applied" and answer["entries"][0]["stop"] is True
    assert process.stdout.read().strip() == "stopped 0.001 0.02"
    assert process.wait(timeout=10) == 0

    # What plots show: the initial value, then each applied one.
    assert read_channel(run, "steer.lr")["x"] == [3e-4, 1e-3]
    assert read_channel(run, "steer.ent_coef")["x"] == [0.01, 0.02]
    assert runwatch.status(run).status == "finished"
    with pytest.raises(SteerRefused, match="is finished"):
        runwatch.steer(run, lr=1e-4)
    assert not [n for n in os.listdir(store / run) if n.startswith("_steer.request.")]


def test_steerable_needs_a_run_and_plain_values(store):
    with pytest.raises(RuntimeError, match="inside `with runwatch.to_run"):
        runwatch.steerable(lr=1e-3)
    with runwatch.to_run(runwatch.new_run("x")):
        with pytest.raises(TypeError, match="only bool, int, float and str"):
            runwatch.steerable(layers=[1, 2])
        with pytest.raises(ValueError, match="would hide Steerable.update"):
            runwatch.steerable(update=1)
        with pytest.raises(SteerRefused, match="out of bounds"):
            runwatch.steerable(lr=1.0, bounds={"lr": (0, 0.1)})
