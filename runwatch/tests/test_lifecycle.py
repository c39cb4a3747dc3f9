"""The pure status derivation (runwatch/store/lifecycle.py), and reading evidence from a run folder."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from runwatch.store import layout, lifecycle, summary
from runwatch.store.lifecycle import Ended, Host, Process, Seen

NOW = 1_700_000_000_000
HOST = "gpu1"
BOOT = 1_699_000_000


def host(table: dict[int, Seen], boot: int | None = BOOT) -> Host:
    return Host(HOST, boot, table.get)


def proc(beat_ago_ms: int | None = 0, **fields) -> Process:
    base = {
        "key": "k",
        "pid": 1234,
        "host": HOST,
        "start_ticks": 500,
        "boot_time_s": BOOT,
        "heartbeat_s": 5.0,
        "last_beat_ms": None if beat_ago_ms is None else NOW - beat_ago_ms,
        "ended": None,
    }
    return Process(**{**base, **fields})


ALIVE = {1234: Seen(500, "S")}


def status(process: Process, table=ALIVE, **kw) -> lifecycle.Status:
    return lifecycle.process_status(process, NOW, host(table, **kw))


def test_a_recent_heartbeat_is_running_until_two_intervals_pass():
    found = status(proc(4_000))
    assert (found.status, found.reason) == ("running", "pid 1234: heartbeat declared every 5 s")
    assert found.recheck_ms == NOW - 4_000 + 2 * 5_000 + 1_000 + 1
    assert status(proc(10_000 + 1_000)).status == "running"  # a second's slack for a late beat
    assert status(proc(10_000 + 1_002)).status == "stalled"


def test_an_alive_but_silent_process_is_stalled_and_says_since_when():
    found = status(proc(31_000))
    assert found.status == "stalled"
    assert found.reason.startswith("pid 1234 is alive but silent since ")
    assert found.reason.endswith("UTC (declared every 5 s)")
    assert found.recheck_ms == NOW + 5_000  # it may yet die or resume


def test_a_stopped_process_is_stalled_with_sigstop_named():
    found = status(proc(31_000), {1234: Seen(500, "T")})
    assert found.status == "stalled"
    assert found.reason.startswith("pid 1234 is stopped (SIGSTOP?) and silent since ")


@pytest.mark.parametrize(
    "table, boot",
    [
        ({}, BOOT),  # no such pid
        ({1234: Seen(999, "S")}, BOOT),  # the pid was reused: another start time
        ({1234: Seen(500, "Z")}, BOOT),  # a zombie has exited
        (ALIVE, BOOT + 3600),  # the host rebooted since
    ],
)
def test_a_gone_process_is_crashed_once_its_grace_is_over(table, boot):
    found = status(proc(8_000), table, boot=boot)
    assert found.status == "crashed"
    assert found.reason.startswith("pid 1234 gone without a recorded exit; last heartbeat ")


def test_a_gone_process_with_a_fresh_heartbeat_is_still_running():
    """Another pid namespace (a container) may hide a live process: its beats decide."""
    found = status(proc(2_000), {})
    assert found.status == "running"
    assert found.recheck_ms == NOW - 2_000 + 5_000 + 1_000 + 1


def test_kill_9_reads_crashed_two_intervals_after_the_last_beat():
    gone = proc(0)
    at = gone.last_beat_ms + 2 * int(gone.heartbeat_s * 1000)
    assert lifecycle.process_status(gone, at, host({})).status == "crashed"
    short = proc(0, heartbeat_s=0.2)
    assert lifecycle.process_status(short, NOW + 400, host({})).status == "crashed"


def test_btime_drifting_by_a_second_is_the_same_boot():
    assert status(proc(31_000), boot=BOOT + 1).status == "stalled"


def test_another_hosts_process_is_running_then_stalled_then_crashed():
    other = proc(0, host="gpu2")
    at = other.last_beat_ms
    assert lifecycle.process_status(other, at + 5_000, host({})).status == "running"
    found = lifecycle.process_status(other, at + 30_000, host({}))
    assert found.status == "stalled"
    assert "pid 1234 on gpu2 silent since" in found.reason
    assert "can't be checked" in found.reason
    found = lifecycle.process_status(other, at + 61_000, host({}))
    assert found.status == "crashed"
    assert "over 60 s" in found.reason


@pytest.mark.parametrize(
    "ended, expected",
    [
        (Ended("left", NOW), ("finished", "finished cleanly at ")),
        (Ended("exit", NOW, 0), ("finished", "exit code 0 at ")),
        (Ended("exit", NOW, None), ("finished", "process exited at ")),
        (Ended("exit", NOW, 3), ("failed", "exit code 3 at ")),
        (Ended("signal", NOW, signal="SIGTERM"), ("failed", "killed by SIGTERM at ")),
        (Ended("interrupted", NOW), ("failed", "interrupted (KeyboardInterrupt) at ")),
    ],
)
def test_a_recorded_ending_decides_whatever_the_process_table_says(ended, expected):
    found = status(proc(60_000, ended=ended), {})
    assert found.status == expected[0]
    assert found.reason.startswith(expected[1])


def test_an_exception_reads_type_message_file_line_and_function():
    exception = {
        "type": "ValueError",
        "message": "bad lr",
        "file": "train.py",
        "line": 88,
        "function": "step",
    }
    found = status(proc(ended=Ended("exception", NOW, exception=exception)))
    assert (found.status, found.reason) == ("failed", "ValueError: bad lr at train.py:88 in step")
    at_top = {**exception, "function": "<module>"}
    assert status(proc(ended=Ended("exception", NOW, exception=at_top))).reason == (
        "ValueError: bad lr at train.py:88"
    )


def test_several_processes_the_liveliest_decides_and_the_reason_counts_them():
    done = proc(60_000, key="a", pid=1, ended=Ended("left", NOW))
    crashed = proc(60_000, key="b", pid=2)
    running = proc(1_000, key="c", pid=1234)
    found = lifecycle.run_status([done, crashed, running], NOW, host(ALIVE))
    assert found.status == "running"
    assert found.reason == (
        "pid 1234: heartbeat declared every 5 s (3 processes: 1 running, 1 crashed, 1 finished)"
    )
    assert found.last_beat_ms == NOW - 1_000
    found = lifecycle.run_status([done, crashed], NOW, host(ALIVE))
    assert found.status == "crashed"
    assert found.reason.endswith("(2 processes: 1 crashed, 1 finished)")


@pytest.mark.parametrize(
    "record, problem",
    [
        ([], "not a JSON object"),
        ({"pid": "1", "host": "h", "heartbeat_s": 5}, "bad pid"),
        ({"pid": 1, "heartbeat_s": 5}, "bad host"),
        ({"pid": 1, "host": "h", "heartbeat_s": 0}, "bad heartbeat_s"),
    ],
)
def test_a_bad_record_says_what_is_wrong(record, problem):
    with pytest.raises(ValueError, match=problem):
        lifecycle.parse_record("k", record, None)


# Reading the evidence from a run folder (summary.run_lifecycle)


def make_run(root: Path, records: dict[str, object], finished: bool = False) -> Path:
    run = root / "2024-01-02 03-04-05 neat-river"
    run.mkdir(parents=True)
    info = {"_created": "2024-01-02 03:04:05+00:00", "_files": {}}
    if finished:
        info[layout.FINISHED_FIELD] = layout.format_created(time.time_ns() + 10**9)
    (run / layout.INFO_FILE).write_text(json.dumps(info))
    for key, record in records.items():
        (run / layout.process_file_name(key)).write_text(
            record if isinstance(record, str) else json.dumps(record)
        )
        (run / layout.heartbeat_file_name(key)).touch()
    return run


def read(run: Path) -> lifecycle.Status:
    scan, info, _ = summary.inspect_run(run, os.path.realpath(run.parent))
    return summary.run_lifecycle(info, scan, time.time_ns() // 10**6)


def test_a_run_without_records_keeps_pavlovs_statuses(store):
    run = make_run(store, {})
    assert read(run) == ("live", "no heartbeat recorded; written within 60 s", None, None)
    old = time.time() - 120
    for file in run.iterdir():
        os.utime(file, (old, old))
    assert read(run).status == "stale"
    assert read(run).reason == "no heartbeat recorded; nothing written for 60 s"
    finished = make_run(store / "other", {}, finished=True)
    assert read(finished).status == "finished"


def test_the_heartbeats_mtime_is_the_beat_and_not_a_write(store):
    record = {"pid": os.getpid(), "host": summary.this_host().name, "heartbeat_s": 5}
    run = make_run(store, {"1-2": record})
    old = time.time() - 120
    for file in run.iterdir():
        os.utime(file, (old, old))
    os.utime(run / layout.heartbeat_file_name("1-2"))  # beats now
    found = read(run)
    assert found.status == "running"
    scan = summary.scan_run_dir(run, os.path.realpath(store))
    assert scan.last_write_ms == int(old * 1000)


def test_an_unreadable_record_is_skipped_and_named(store):
    run = make_run(store, {"1-2": "{half a rec"})
    found = read(run)
    assert found.status == "live"
    assert "_process.1-2.json: invalid" in found.reason
    gone = {"pid": 2**22 + 1, "host": summary.this_host().name, "heartbeat_s": 0.1}
    run = make_run(store / "other", {"1-2": "{half a rec", "3-4": gone})
    old = time.time() - 120
    os.utime(run / layout.heartbeat_file_name("3-4"), (old, old))
    assert read(run).status == "crashed"


def test_a_symlinked_record_is_not_followed(store, tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"pid": 1, "host": "h", "heartbeat_s": 5}))
    run = make_run(store, {})
    (run / layout.process_file_name("1-2")).symlink_to(outside)
    assert read(run).status == "live"  # no evidence read: pavlov's rules
