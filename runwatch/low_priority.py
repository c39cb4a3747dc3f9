"""Work the kernel does for itself while the browser and the server are busy on
the user's behalf: a review's text snapshot reads every channel's last rows (0.4-0.5 s
of CPU for 20 runs x 60 channels) just as the plots' requests start, and on a 2-core
box that CPU comes out of theirs.

A thread at nice 19 is not enough on Linux: with the scheduler's autogroups (on by
default on desktops and most servers), a kernel started in its own session has an
autogroup of its own, which gets a full share against the browser's whatever its
threads' niceness. So the work runs in a child process in a new session, whose
autogroup it sets to nice 19 (`/proc/self/autogroup`): then it gets the CPU only
when the browser and the server leave some. Where that can't be done (not Linux, or
the child fails), a thread at nice 19 does it in the kernel, as before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from importlib import import_module
from pathlib import Path

LOWEST = 19  # nice
CHILD_TIMEOUT_S = 300
CHILD_CODE = (
    "import sys; sys.path.append(sys.argv[1]); "
    "from runwatch.low_priority import child_main; child_main(sys.argv[2])"
)


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


def in_idle_process(function, *args):
    """`function(*args)` (a module-level function; JSON arguments and result) in a
    child process at the lowest priority the system gives, waited for; in a thread
    at nice 19 where no such child can run (see the module's notes)."""
    if not sys.platform.startswith("linux"):
        return at_lowest_priority(function, *args)
    target = f"{function.__module__}:{function.__qualname__}"
    # The child finds runwatch where this kernel did, after its own path (a folder
    # put before it, as PYTHONPATH would, could shadow the standard library).
    package_parent = str(Path(__file__).resolve().parent.parent)
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD_CODE, package_parent, target],
            check=False,
            input=json.dumps(args).encode(),
            capture_output=True,
            start_new_session=True,  # a new session: an autogroup of its own
            timeout=CHILD_TIMEOUT_S,
        )
        if done.returncode == 0:
            return json.loads(done.stdout)["value"]
    except (OSError, TypeError, ValueError, KeyError, subprocess.SubprocessError):
        pass
    return at_lowest_priority(function, *args)


def lower_own_priority() -> None:
    """This process at nice 19, and its autogroup too (raising niceness needs no
    privilege); either may be refused, and the work runs anyway."""
    try:
        os.setpriority(os.PRIO_PROCESS, 0, LOWEST)
    except OSError:
        pass
    try:
        with open("/proc/self/autogroup", "w") as autogroup:
            autogroup.write(str(LOWEST))
    except OSError:
        pass


def child_main(target: str) -> None:
    """The child's side: `module:function` called with the JSON list on stdin."""
    lower_own_priority()
    module, _, name = target.partition(":")
    function = getattr(import_module(module), name)
    value = function(*json.load(sys.stdin))
    json.dump({"value": value}, sys.stdout)
