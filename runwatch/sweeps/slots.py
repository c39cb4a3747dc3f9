"""Which GPU and CPUs a slot gets: pure functions (docs/sweeps.md "GPUs and CPUs").

A sweep runs at most `parallel` variants, each in a numbered slot (the lowest
free one). GPUs go round-robin over slots, or packed: a GPU's slots fill first.
"""

from __future__ import annotations

import math


def free_slot(taken: set[int]) -> int:
    slot = 0
    while slot in taken:
        slot += 1
    return slot


def gpu_of(slot: int, gpus: list | None, parallel: int, pack: bool) -> str | None:
    """The `CUDA_VISIBLE_DEVICES` of a slot: None (left alone) without `gpus`."""
    if not gpus:
        return None
    if pack:
        per_gpu = math.ceil(parallel / len(gpus))
        return str(gpus[min(slot // per_gpu, len(gpus) - 1)])
    return str(gpus[slot % len(gpus)])


def cpus_of(slot: int, cpus, parallel: int) -> list[int] | None:
    """The CPUs a slot's process is pinned to: `cpus` is None (no pinning), an int n
    (n CPUs per slot, from CPU 0 up), a list of CPU ids (shared out evenly between
    slots) or a list of lists (one per slot, cycled)."""
    if cpus is None:
        return None
    if isinstance(cpus, int) and not isinstance(cpus, bool):
        return list(range(slot * cpus, (slot + 1) * cpus))
    cpus = list(cpus)
    if cpus and all(isinstance(c, (list, tuple)) for c in cpus):
        return [int(c) for c in cpus[slot % len(cpus)]]
    share = max(1, len(cpus) // parallel)
    start = (slot * share) % len(cpus)
    return [int(c) for c in cpus[start : start + share]]


def check(parallel: object, gpus: object, cpus: object) -> None:
    if not isinstance(parallel, int) or isinstance(parallel, bool) or parallel < 1:
        raise ValueError(f"parallel must be a positive int, got {parallel!r}")
    if gpus is not None and (not isinstance(gpus, (list, tuple)) or not gpus):
        raise ValueError(f"gpus must be a non-empty list of device ids, got {gpus!r}")
    if cpus is not None:
        try:
            cpus_of(0, cpus, parallel)
        except (TypeError, ValueError):
            raise ValueError(
                f"cpus must be an int, a list of CPU ids or a list of lists, got {cpus!r}"
            ) from None
