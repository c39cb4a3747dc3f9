"""A review's text snapshot is computed at the lowest priority: in a child process whose
autogroup is at nice 19 (Linux), else in a thread at nice 19, waited for."""

from __future__ import annotations

import os
import sys
import threading

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


def where_it_ran(tag: str) -> dict:
    """Called in the idle child: its process, session, niceness and autogroup."""
    try:
        with open("/proc/self/autogroup") as autogroup:
            group = autogroup.read().split()
    except OSError:
        group = []
    return {
        "tag": tag,
        "pid": os.getpid(),
        "session": os.getsid(0),
        "nice": os.getpriority(os.PRIO_PROCESS, 0),
        "autogroup": group,
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
    if found["autogroup"]:  # a kernel without autogroups has no such file
        assert found["autogroup"][-2:] == ["nice", str(LOWEST)]


def test_where_no_child_can_run_a_thread_does_the_work(monkeypatch):
    monkeypatch.setattr(low_priority.sys, "executable", "/nonexistent/python")
    assert in_idle_process(shout, "snapshot") == "SNAPSHOT"


def test_arguments_that_are_not_json_are_run_in_a_thread():
    from pathlib import Path

    assert in_idle_process(str, Path("/store")) == "/store"
