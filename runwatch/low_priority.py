"""Work the kernel does for itself while the browser and the server are busy on
the user's behalf: a review's text snapshot reads every channel's last rows (0.4-0.5 s
of CPU for 20 runs x 60 channels) just as the plots' requests start, and on a 2-core
box that CPU comes out of theirs."""

from __future__ import annotations

import os
import sys
import threading

LOWEST = 19  # nice


def at_lowest_priority(function, *args):
    """`function(*args)`, run in a thread at the lowest CPU priority and waited for.

    Only on Linux, where a thread's niceness is its own (`setpriority` on its thread
    id); elsewhere, or where that is refused, at the caller's priority. The result or
    exception comes back to the caller's thread, which does the output itself.
    """
    outcome: dict = {}

    def run() -> None:
        if sys.platform.startswith("linux"):
            try:
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWEST)
            except OSError:
                pass
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # noqa: BLE001 (handed to the caller, raised there)
            outcome["error"] = error

    worker = threading.Thread(target=run, name="runwatch-low-priority", daemon=True)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
