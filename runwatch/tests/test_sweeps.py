"""Sweeps with real processes: queueing, GPUs, logs, crash and relaunch, stop, idempotence.

Each test launches a tiny training script (written in tmp) and polls the sweep's
status until it settles (a deadline, never a timed assertion).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import textwrap
import time
from pathlib import Path

import pytest

import runwatch
from runwatch.store import info as info_file
from runwatch.store.reading import runs
from runwatch.sweeps import record, slots

DEADLINE_S = 60.0

TRAIN = textwrap.dedent(
    """
    import json, os, sys, time
    import runwatch

    params = json.loads(os.environ["RUNWATCH_VARIANT"])
    marks = os.environ["MARKS"]
    variant = os.environ["RUNWATCH_VARIANT_ID"]
    with open(os.path.join(marks, variant + ".start"), "w") as f:
        json.dump({"t": time.time(), "gpu": os.environ.get("CUDA_VISIBLE_DEVICES")}, f)
    print(f"variant says lr={params['lr']}")
    print("a warning", file=sys.stderr)
    end = time.time() + params.get("seconds", 0.6)
    while params.get("forever") or time.time() < end:
        runwatch.stats.mean("loss", params["lr"])
        time.sleep(0.05)
    with open(os.path.join(marks, variant + ".end"), "w") as f:
        f.write(str(time.time()))
    if params.get("fail"):
        raise ValueError("bad lr")
    """
)


@pytest.fixture
def sweep_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store: Path):
    marks = tmp_path / "marks"
    marks.mkdir()
    (tmp_path / "train.py").write_text(TRAIN)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MARKS", str(marks))
    monkeypatch.setenv("RUNWATCH_HEARTBEAT_S", "0.5")
    yield marks
    for name in record.names(store):  # leave no process behind
        sweep = runwatch.sweep(name)
        sweep.stop()
        pid = sweep.supervisor()
        if pid and pid > 0:
            os.kill(pid, signal.SIGKILL)


def wait_for(sweep, done, what: str) -> list[dict]:
    deadline = time.monotonic() + DEADLINE_S
    while True:
        rows = sweep.status()
        if done(rows):
            return rows
        if time.monotonic() > deadline:
            raise AssertionError(f"never {what}: {[(r['status'], r['reason']) for r in rows]}")
        time.sleep(0.1)


def statuses(*wanted):
    return lambda rows: all(row["status"] in wanted for row in rows)


def log_text(store: Path, run: str) -> str:
    return "".join(p.read_text() for p in (store / run).glob("logs.*.txt"))


def test_six_variants_run_two_at_a_time_each_in_its_own_run(sweep_env, store):
    variants = runwatch.variants(lr=[1e-3, 3e-4, 1e-4], seed=[0, 1])
    sweep = runwatch.launch("train.py", variants, parallel=2, name="lr-sweep", gpus=[0, 1])
    rows = wait_for(sweep, statuses("finished"), "all finished")

    # Never more than two alive: at each start, at most one other had started and not ended.
    spans = []
    for row in rows:
        start = json.loads((sweep_env / f"{row['variant']}.start").read_text())
        spans.append((start["t"], float((sweep_env / f"{row['variant']}.end").read_text())))
        assert start["gpu"] == row["gpu"]
    for start, _ in spans:
        alive = [s for s, e in spans if s <= start < e]
        assert len(alive) <= 2
    assert {row["gpu"] for row in rows} == {"0", "1"}

    sweep_id = sweep.id
    for row, params in zip(rows, variants):
        assert row["params"] == params
        assert row["variant"] == runwatch.variant_id(params)
        assert row["run"].endswith(" lr-sweep")
        run_info = info_file.read_info(store / row["run"])
        assert run_info["sweep"] == "lr-sweep"
        assert run_info["sweep_id"] == sweep_id
        assert run_info["variant_id"] == row["variant"]
        assert run_info["params"] == params
        log = log_text(store, row["run"])
        assert f"INFO stdout: variant says lr={params['lr']}" in log
        assert "WARNING stderr: a warning" in log
        assert row["metrics"] == {"loss": params["lr"]}

    # The same launch again starts nothing new.
    again = runwatch.launch("train.py", variants, parallel=2, name="lr-sweep", gpus=[0, 1])
    assert [r["status"] for r in again.status()] == ["finished"] * 6
    assert [r["run"] for r in again.status()] == [r["run"] for r in rows]
    assert len(runs(store)) == 6
    assert runwatch.sweep("lr-sweep").id == sweep_id


def test_kill_9_reads_crashed_and_relaunch_starts_it_again(sweep_env, store):
    variants = [{"lr": 0.1, "forever": True}, {"lr": 0.2}]
    sweep = runwatch.launch("train.py", variants, parallel=2, name="crashy")
    rows = wait_for(
        sweep, lambda rs: rs[0]["status"] == "running" and rs[1]["status"] == "finished", "ran"
    )
    first_run = rows[0]["run"]

    # Launched again while running: the running and the finished one are left alone.
    runwatch.launch("train.py", variants, parallel=2, name="crashy")
    assert [r["run"] for r in sweep.status()] == [first_run, rows[1]["run"]]

    os.kill(rows[0]["pid"], signal.SIGKILL)
    rows = wait_for(sweep, lambda rs: rs[0]["status"] == "crashed", "crashed")
    assert "gone without a recorded exit" in rows[0]["reason"]

    assert sweep.relaunch() == [rows[0]["variant"]]
    rows = wait_for(sweep, lambda rs: rs[0]["status"] == "running", "running again")
    assert rows[0]["run"] != first_run
    assert rows[0]["attempts"] == 2
    assert rows[1]["attempts"] == 1  # the finished one was not started again

    assert sweep.stop(rows[0]["variant"]) == [rows[0]["variant"]]
    rows = wait_for(sweep, lambda rs: rs[0]["status"] == "failed", "stopped")
    assert rows[0]["reason"].startswith("stopped: killed by SIGTERM")


TALKER = textwrap.dedent(
    """
    import time
    import runwatch

    for i in range(40):
        print(f"line {i}")
        runwatch.stats.last("i", i)
        time.sleep(0.05)
    print("done talking")
    """
)


def test_a_variant_outlives_its_killed_supervisor_and_keeps_its_output(sweep_env, store, tmp_path):
    (tmp_path / "talker.py").write_text(TALKER)
    sweep = runwatch.launch("talker.py", [{"lr": 1.0}], name="orphaned")
    rows = wait_for(sweep, lambda rs: rs[0]["status"] == "running", "running")
    run = rows[0]["run"]
    deadline = time.monotonic() + DEADLINE_S
    while "stdout: line 0" not in log_text(store, run):
        assert time.monotonic() < deadline, "no output reached the run's log"
        time.sleep(0.05)

    os.kill(sweep.supervisor(), signal.SIGKILL)
    logged = log_text(store, run)
    last_seen = max(i for i in range(40) if f"stdout: line {i}\n" in logged)

    rows = wait_for(sweep, lambda rs: rs[0]["status"] != "running", "ended")
    assert rows[0]["status"] == "finished", rows[0]["reason"]
    log = log_text(store, run)
    assert "INFO stdout: done talking" in log
    # Lines the supervisor had read but not written when it died are lost with it (at
    # most the one after the last seen); every line printed since is there, once.
    for i in range(40):
        assert log.count(f"stdout: line {i}\n") <= 1, i
    for i in range(last_seen + 2, 40):
        assert f"stdout: line {i}\n" in log, i
    assert last_seen + 2 < 40, "the supervisor died too late to show anything"


def test_a_failing_variant_reads_failed_with_its_exception(sweep_env, store):
    sweep = runwatch.launch("train.py", [{"lr": 1.0, "fail": True}], name="bad")
    rows = wait_for(sweep, statuses("failed"), "failed")
    assert rows[0]["reason"].startswith("ValueError: bad lr at ")
    assert "ValueError: bad lr" in log_text(store, rows[0]["run"])


def test_a_picklable_callable_is_a_target(sweep_env, store, tmp_path, monkeypatch):
    (tmp_path / "trainer_mod.py").write_text(
        textwrap.dedent(
            """
            import runwatch

            def train(lr, seed):
                runwatch.stats.last("lr", lr)
                print(f"called with lr={lr} seed={seed}")
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import trainer_mod

    sweep = runwatch.launch(trainer_mod.train, runwatch.variants(lr=[0.5], seed=[7]), name="fn")
    rows = wait_for(sweep, statuses("finished"), "finished")
    assert "INFO stdout: called with lr=0.5 seed=7" in log_text(store, rows[0]["run"])
    assert rows[0]["metrics"] == {"lr": 0.5}
    sys.modules.pop("trainer_mod", None)


def test_a_notebook_function_is_refused_with_why(sweep_env):
    def train(lr):
        pass

    train.__module__ = "__main__"
    with pytest.raises(ValueError, match="defined in the notebook"):
        runwatch.launch(train, [{"lr": 1}], name="nb")


def test_gpus_round_robin_or_packed_and_cpus_shared_out():
    assert [slots.gpu_of(s, [0, 1], 4, pack=False) for s in range(4)] == ["0", "1", "0", "1"]
    assert [slots.gpu_of(s, [0, 1], 4, pack=True) for s in range(4)] == ["0", "0", "1", "1"]
    assert slots.gpu_of(0, None, 4, pack=False) is None
    assert [slots.cpus_of(s, 2, 3) for s in range(3)] == [[0, 1], [2, 3], [4, 5]]
    assert [slots.cpus_of(s, [4, 5, 6, 7], 2) for s in range(2)] == [[4, 5], [6, 7]]
    assert slots.cpus_of(1, [[0], [3]], 2) == [3]


def test_cpu_affinity_reaches_the_variant(sweep_env, store, tmp_path):
    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("no CPU affinity here")
    (tmp_path / "affinity.py").write_text(
        "import os\nprint('cpus', sorted(os.sched_getaffinity(0)))\n"
    )
    sweep = runwatch.launch(
        "affinity.py", [{"lr": 1}], name="pinned", cpus=[[0]], gpus=[3], pack=True
    )
    rows = wait_for(sweep, statuses("finished"), "finished")
    assert "stdout: cpus [0]" in log_text(store, rows[0]["run"])
    assert rows[0]["gpu"] == "3"


def test_bad_names_and_settings_are_refused(sweep_env):
    for name in ("../x", ".hidden", "a/b", ""):
        with pytest.raises(ValueError, match="sweep name"):
            runwatch.launch("train.py", [{"lr": 1}], name=name)
    with pytest.raises(ValueError, match="parallel"):
        runwatch.launch("train.py", [{"lr": 1}], name="x", parallel=0)
    with pytest.raises(FileNotFoundError):
        runwatch.launch("missing.py", [{"lr": 1}], name="x")
    with pytest.raises(record.NoSuchSweep):
        runwatch.sweep("never-launched")


def test_sweep_magic_shows_the_sweep_widget_and_lists_sweeps(
    sweep_env, store, shell, published, capsys
):
    sweep = runwatch.launch("train.py", [{"lr": 0.5, "seconds": 0.1}], name="magic")
    wait_for(sweep, statuses("finished"), "finished")
    shell.run_line_magic("sweep", "magic")
    (bundle,) = published
    assert bundle["application/vnd.runwatch.v1+json"] == {
        "widget": "sweep",
        "name": "magic",
        "root": str(store),
    }
    assert "finished  lr=0.5 seconds=0.1" in bundle["text/plain"]
    shell.run_line_magic("sweep", "")
    assert "magic  train.py  1 variants: 1 finished" in capsys.readouterr().out
    shell.run_line_magic("sweep", "nope")
    assert "no sweep named 'nope'" in capsys.readouterr().err


def test_the_runs_table_names_each_variants_sweep(tmp_path, monkeypatch, store):
    (tmp_path / "quick.py").write_text("print('done')\n")
    monkeypatch.chdir(tmp_path)
    sweep = runwatch.launch("quick.py", [{"lr": 0.1}], parallel=1, name="tabled")
    deadline = time.monotonic() + 60
    while sweep.status()[0]["status"] != "finished":
        assert time.monotonic() < deadline, sweep.status()
        time.sleep(0.1)
    rows = runwatch.table('sweep == "tabled"', stats="none")
    names = list(rows.index) if hasattr(rows, "index") else [r["name"] for r in rows]
    assert names == [sweep.status()[0]["run"]]
