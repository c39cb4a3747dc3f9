"""Run lifecycle with real writer processes: each way a process can end reads as it should.

Each test starts a writer script (a subprocess) with a short declared heartbeat,
ends it one way, and polls the status a reader derives until it settles (a
deadline, never a timed assertion).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from runwatch.store import layout, lifecycle, process, summary

# Short enough for quick tests; long enough that a loaded machine's delays (the
# writer's flusher thread starved for a moment) don't read as a stall.
HEARTBEAT_S = 1.0
DECLARED = "heartbeat declared every 1 s"
DEADLINE_S = 30.0
REPO = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent(
    """
    import signal, sys, time
    import runwatch

    # Ctrl-C as in a terminal: a shell's background job starts with SIGINT ignored,
    # and Python then leaves it ignored (the test would wait forever).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    mode = sys.argv[1]

    def train(run):
        with runwatch.to_run(run):
            runwatch.stats.mean("loss", 1.0)
            print("ready", flush=True)
            if mode == "raise":
                raise ValueError("bad lr")
            if mode == "exit3":
                sys.exit(3)
            if mode == "forever":
                while True:
                    runwatch.stats.mean("loss", 1.0)
                    time.sleep(0.01)

    if mode == "user_sigterm":
        signal.signal(signal.SIGTERM, lambda *args: (print("user handler", flush=True), sys.exit(7)))
        mode = "forever"
    if mode == "user_excepthook":
        sys.excepthook = lambda *args: print("user hook", args[0].__name__, flush=True)
        mode = "open_raise"
    run = runwatch.new_run(description=mode)
    if mode == "open_raise":  # the exception ends the process with the run still open
        block = runwatch.to_run(run)  # kept: a dropped generator would close the block
        block.__enter__()
        print("ready", flush=True)
        raise KeyError("missing")
    train(run)
    """
)


@pytest.fixture
def writer(tmp_path: Path, store: Path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    started: list[subprocess.Popen] = []

    def start(mode: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "RUNWATCH_ROOT": str(store),
            process.HEARTBEAT_ENV: str(HEARTBEAT_S),
            "PYTHONPATH": str(REPO),
        }
        child = subprocess.Popen(
            [sys.executable, str(script), mode],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(child)
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        return child

    yield start
    for child in started:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGCONT)
            child.kill()
        child.wait()
        child.stdout.close()
        child.stderr.close()


def the_run(store: Path) -> Path:
    (run,) = store.iterdir()
    return run


def status_of(run_dir: Path, now_ms: int | None = None) -> lifecycle.Status:
    scan, info, _ = summary.inspect_run(run_dir, os.path.realpath(run_dir.parent))
    return summary.run_lifecycle(info, scan, now_ms or time.time_ns() // 10**6)


def wait_for(run_dir: Path, status: str) -> lifecycle.Status:
    deadline = time.monotonic() + DEADLINE_S
    while True:
        found = status_of(run_dir)
        if found.status == status or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_a_running_writer_is_running(writer, store):
    writer("forever")
    found = status_of(the_run(store))
    assert found.status == "running"
    assert "pid " in found.reason and DECLARED in found.reason


def test_clean_exit_is_finished(writer, store):
    child = writer("clean")
    assert child.wait() == 0
    found = status_of(the_run(store))
    assert found.status == "finished"
    assert found.reason.startswith("finished cleanly at ")


def test_an_exception_is_failed_with_type_message_and_place(writer, store, tmp_path):
    child = writer("raise")
    assert child.wait() == 1
    found = status_of(the_run(store))
    assert found.status == "failed"
    line = WRITER.splitlines().index('            raise ValueError("bad lr")') + 1
    assert found.reason == f"ValueError: bad lr at {tmp_path / 'writer.py'}:{line} in train"


def test_sys_exit_3_is_failed_with_the_exit_code(writer, store):
    child = writer("exit3")
    assert child.wait() == 3
    found = status_of(the_run(store))
    assert found.status == "failed"
    assert found.reason.startswith("exit code 3 at ")


def test_sigterm_is_failed_and_the_process_still_dies_by_it(writer, store):
    child = writer("forever")
    child.send_signal(signal.SIGTERM)
    assert child.wait() == -signal.SIGTERM  # the default behaviour, re-raised
    found = status_of(the_run(store))
    assert found.status == "failed"
    assert found.reason.startswith("killed by SIGTERM at ")


def test_a_users_sigterm_handler_is_left_alone(writer, store):
    child = writer("user_sigterm")
    child.send_signal(signal.SIGTERM)
    assert child.wait() == 7
    assert "user handler" in child.stdout.read()
    # sys.exit in the user's handler passes through to_run, which records it.
    assert status_of(the_run(store)).reason.startswith("exit code 7 at ")


def test_an_exception_with_the_run_still_open_goes_through_the_users_excepthook(writer, store):
    child = writer("user_excepthook")
    assert child.wait() == 1
    assert "user hook KeyError" in child.stdout.read()
    found = status_of(the_run(store))
    assert found.status == "failed"
    assert found.reason.startswith("KeyError: 'missing' at ")


def test_ctrl_c_is_failed_as_interrupted(writer, store):
    child = writer("forever")
    child.send_signal(signal.SIGINT)
    # Python dies by SIGINT after KeyboardInterrupt.
    assert child.wait(timeout=DEADLINE_S) == -signal.SIGINT
    found = status_of(the_run(store))
    assert found.status == "failed"
    assert found.reason.startswith("interrupted (KeyboardInterrupt) at ")


def test_opening_the_run_again_runs_again(store, monkeypatch):
    """A notebook leaves a run and comes back to it: finished, then running, then finished."""
    import runwatch

    monkeypatch.setenv(process.HEARTBEAT_ENV, str(HEARTBEAT_S))
    run = runwatch.new_run()
    with runwatch.to_run(run):
        runwatch.stats.mean("loss", 1.0)
    assert status_of(store / run).status == "finished"
    with runwatch.to_run(run):
        found = status_of(store / run)
        assert (found.status, found.reason) == (
            "running",
            f"pid {os.getpid()}: {DECLARED}",
        )
    assert len(list((store / run).glob("_process.*.json"))) == 1  # one record per process
    assert status_of(store / run).status == "finished"


def test_kill_9_is_crashed_within_two_heartbeat_intervals(writer, store):
    child = writer("forever")
    run_dir = the_run(store)
    child.kill()
    child.wait()
    found = wait_for(run_dir, "crashed")
    assert found.status == "crashed", found
    assert f"pid {child.pid} gone without a recorded exit" in found.reason
    # The rule itself: two declared intervals after the last heartbeat, it is crashed.
    at = found.last_beat_ms + int(2 * HEARTBEAT_S * 1000)
    assert status_of(run_dir, at).status == "crashed"


def test_sigstop_is_stalled_and_sigcont_runs_again(writer, store):
    child = writer("forever")
    run_dir = the_run(store)
    os.kill(child.pid, signal.SIGSTOP)
    found = wait_for(run_dir, "stalled")
    assert found.status == "stalled", found
    assert f"pid {child.pid} is stopped (SIGSTOP?) and silent since" in found.reason
    assert "declared every 1 s" in found.reason
    os.kill(child.pid, signal.SIGCONT)
    assert wait_for(run_dir, "running").status == "running"


def test_a_reused_pid_is_not_alive(writer, store):
    """A record whose pid now belongs to another process (its start time differs)
    reads as gone: crashed, not stalled."""
    child = writer("forever")
    run_dir = the_run(store)
    (record_path,) = run_dir.glob("_process.*.json")
    record = json.loads(record_path.read_text())
    # A silent record for the live child's pid: stalled if it is that process...
    silent = {**record, "heartbeat_file": "_heartbeat.old"}
    fake = run_dir / layout.process_file_name("old")
    fake.write_text(json.dumps(silent))
    (run_dir / "_heartbeat.old").touch()
    old = time.time() - 60
    os.utime(run_dir / "_heartbeat.old", (old, old))
    record_path.unlink()  # leave only the fake record
    assert status_of(run_dir).status == "stalled"
    # ...and crashed once its start time says the pid was reused.
    fake.write_text(json.dumps({**silent, "start_ticks": record["start_ticks"] + 1}))
    found = status_of(run_dir)
    assert found.status == "crashed"
    assert f"pid {child.pid} gone" in found.reason


def test_runs_and_status_show_the_status_and_its_reason(writer, store, shell, published):
    import runwatch

    child = writer("forever")
    found = runwatch.status(-1)
    assert found.status == "running"
    assert found.reason == f"pid {child.pid}: {DECLARED}"
    shell.run_line_magic("runs", "")
    line = published[-1]["text/plain"].splitlines()[1]
    assert "running" in line and f"pid {child.pid}: {DECLARED}" in line
    assert "; last heartbeat " in line and " ago" in line
    child.kill()
    child.wait()
    assert wait_for(the_run(store), "crashed").status == "crashed"
    assert runwatch.status(-1).reason.startswith(f"pid {child.pid} gone without a recorded exit")
