"""A review's text snapshot is computed at the lowest priority: in a child process whose
autogroup is at nice 19 (Linux), else in a thread at nice 19, waited for."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from runwatch import low_priority
from runwatch.low_priority import LOWEST, at_lowest_priority, in_idle_process


def niceness_here() -> tuple[int, int]:
    return threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread niceness")
def test_the_work_runs_in_another_thread_at_the_lowest_priority():
    caller = niceness_here()
    thread, niceness = at_lowest_priority(niceness_here)
    assert thread != caller[0] and niceness == LOWEST
    assert niceness_here() == caller  # the caller's own priority is untouched


def test_the_result_and_the_error_come_back_to_the_caller():
    assert at_lowest_priority(lambda a, b: a + b, 2, 3) == 5

    def broken():
        raise ValueError("unreadable")

    with pytest.raises(ValueError, match="unreadable"):
        at_lowest_priority(broken)


def autogroup_nice() -> str | None:
    try:
        with open("/proc/self/autogroup") as autogroup:
            return autogroup.read().split()[-1]
    except OSError:
        return None  # no autogroups here


def where_it_ran(tag: str, after_s: float = 0.0) -> dict:
    """Called in the idle child (after `after_s`): its process, session, niceness and
    autogroup's niceness (as soon as the parent has set it)."""
    time.sleep(after_s)
    waited = time.monotonic() + 2
    while autogroup_nice() == "0" and not after_s and time.monotonic() < waited:
        time.sleep(0.01)
    return {
        "tag": tag,
        "pid": os.getpid(),
        "session": os.getsid(0),
        "nice": os.getpriority(os.PRIO_PROCESS, 0),
        "autogroup": autogroup_nice(),
    }


def shout(text: str) -> str:
    return text.upper()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sessions and autogroups")
def test_the_idle_process_is_another_session_at_the_lowest_priority():
    found = in_idle_process(where_it_ran, "table")
    assert found["tag"] == "table"
    assert found["pid"] != os.getpid()
    assert found["session"] != os.getsid(0)  # an autogroup of its own
    assert found["nice"] == LOWEST
    if found["autogroup"] is not None:  # a kernel without autogroups has no such file
        assert found["autogroup"] == str(LOWEST)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sessions and autogroups")
def test_a_child_still_busy_after_the_idle_wait_gets_its_share_back(monkeypatch):
    monkeypatch.setattr(low_priority, "IDLE_WAIT_S", 0.2)
    found = in_idle_process(where_it_ran, "late", 1.0)
    assert found["tag"] == "late"
    if found["autogroup"] is not None:
        assert found["autogroup"] == "0"


def test_where_no_child_can_run_a_thread_does_the_work(monkeypatch):
    monkeypatch.setattr(low_priority.sys, "executable", "/nonexistent/python")
    assert in_idle_process(shout, "snapshot") == "SNAPSHOT"


def test_arguments_that_are_not_json_are_run_in_a_thread():
    from pathlib import Path

    assert in_idle_process(str, Path("/store")) == "/store"
