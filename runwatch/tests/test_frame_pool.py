"""The series handlers' pool: the smallest key runs first, a cancelled job never runs,
and a job's error reaches its future."""

from __future__ import annotations

import threading

import pytest

from runwatch.server.frame_pool import FramePool


def test_jobs_run_smallest_key_first_ties_in_arrival_order():
    pool = FramePool(1, "test-pool")
    gate, ran = threading.Event(), []
    blocker = pool.submit((0,), gate.wait)  # holds the only thread while the rest queue
    keys = [(2, 0, 1), (2, 0, 0), (1, 5, 0), (2, 1, 0), (0, 9), (1, 5, 0)]
    futures = [pool.submit(key, ran.append, i) for i, key in enumerate(keys)]
    gate.set()
    blocker.result(timeout=5)
    for future in futures:
        future.result(timeout=5)
    # (0, 9), then the zoom's (1, 5, 0) twice as they came, then the spans in order.
    assert ran == [4, 2, 5, 1, 0, 3]


def test_a_cancelled_job_never_runs_and_errors_reach_the_future():
    pool = FramePool(1, "test-pool")
    gate, ran = threading.Event(), []
    pool.submit((0,), gate.wait)
    dropped = pool.submit((1,), ran.append, "dropped")
    kept = pool.submit((2,), ran.append, "kept")
    assert dropped.cancel()
    failing = pool.submit((3,), lambda: 1 / 0)
    gate.set()
    kept.result(timeout=5)
    with pytest.raises(ZeroDivisionError):
        failing.result(timeout=5)
    assert ran == ["kept"]


def test_it_runs_on_as_many_threads_as_it_was_given():
    pool = FramePool(2, "test-pool")
    both = threading.Barrier(2, timeout=5)  # breaks unless two jobs run at once
    futures = [pool.submit((0, i), both.wait) for i in range(2)]
    assert sorted(f.result(timeout=5) for f in futures) == [0, 1]


def test_a_job_computes_as_many_frames_as_take_about_five_ms():
    from runwatch.server.series_handlers import BATCH_S, MAX_BATCH, frames_of, next_batch

    assert next_batch(0.030) == 1  # a cold 1 M-row channel: alone, streamed at once
    assert next_batch(BATCH_S / 3) == 3
    assert next_batch(0.0003) == MAX_BATCH  # from warm summaries: batched
    assert next_batch(0.0) == MAX_BATCH
    frames, seconds = frames_of(lambda item: bytes([item]), [3, 1, 2])
    assert frames == [b"\x03", b"\x01", b"\x02"] and seconds >= 0
