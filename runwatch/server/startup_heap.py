"""Keep the garbage collector's full passes short: freeze the server's startup heap once.

A full (generation 2) collection walks every container object in the process
while holding the GIL, whichever thread triggers it, so the IOLoop waits for all
of it. A Jupyter server with JupyterLab holds about 200,000 of them once started
(modules, classes, functions, configuration), and a full pass over them took
100-190 ms on the 2-core dev machine: the last event-loop stalls over 100 ms
(bench/README.md). Runwatch's work makes such passes happen: watching 10,000 runs
or scanning a 50,000-file folder leaves enough new long-lived objects for the
collector's 25 % rule to call one.

`gc.freeze()` moves what exists into a permanent generation that no collection
walks, so a full pass costs only what was made since. It is called once, when
runwatch first lists or watches runs (the server has started by then). The
frozen objects are still freed by reference counting; only a reference cycle
among them that becomes garbage later stays in memory. Startup objects live as
long as the server, so that costs next to nothing.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_startup_heap() -> None:
    """Move every object that exists now out of the collector's reach (once per process)."""
    global _frozen
    if _frozen:
        return
    with _lock:
        if not _frozen:
            gc.freeze()
            _frozen = True
