"""The store's one clock: UTC nanoseconds since the epoch, freezable for tests.

Callers use `clock.now_ns()` through the module, so freezing (or monkeypatching
`now_ns`) reaches every writer; unfrozen it is `time.time_ns` itself, for speed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

now_ns = time.time_ns
_frozen_ns: int | None = None


def _frozen_now_ns() -> int:
    assert _frozen_ns is not None
    return _frozen_ns


def is_frozen() -> bool:
    return _frozen_ns is not None


class FrozenClock:
    """Handle returned by `frozen`; moves the frozen time."""

    def set(self, ns: int) -> None:
        global _frozen_ns
        _frozen_ns = int(ns)

    def advance(self, seconds: float) -> None:
        global _frozen_ns
        assert _frozen_ns is not None
        _frozen_ns += round(seconds * 1e9)

    @property
    def ns(self) -> int:
        assert _frozen_ns is not None
        return _frozen_ns


@contextmanager
def frozen(at_ns: int) -> Iterator[FrozenClock]:
    """Freeze `now_ns()` at `at_ns` for the whole process (all threads)."""
    global _frozen_ns, now_ns
    previous = _frozen_ns, now_ns
    _frozen_ns, now_ns = int(at_ns), _frozen_now_ns
    try:
        yield FrozenClock()
    finally:
        _frozen_ns, now_ns = previous
