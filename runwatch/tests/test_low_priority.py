"""A review's text snapshot is computed at the lowest priority, in a thread waited for."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from runwatch.low_priority import LOWEST, at_lowest_priority


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
