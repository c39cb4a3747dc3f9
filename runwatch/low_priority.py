"""Work the kernel does for itself while the browser and the server are busy on
the user's behalf: a review's text snapshot reads every channel's last rows (0.4-0.5 s
of CPU for 20 runs x 60 channels) just as the plots' requests start, and on a 2-core
box that CPU comes out of theirs.

A thread at nice 19 is not enough on Linux: with the scheduler's autogroups (on by
default on desktops and most servers), a kernel started in its own session has an
autogroup of its own, which gets a full share against the browser's whatever its
threads' niceness. So the work runs in a child process in a new session, whose
autogroup is set to nice 19 (`/proc/<pid>/autogroup`): then it gets the CPU only
when the browser and the server leave some, for up to IDLE_WAIT_S; then its
autogroup goes back to nice 0, since the cell waits for the result. Where that
can't be done (not Linux, or the child fails), a thread at nice 19 does it in the
kernel, as before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from importlib import import_module
from pathlib import Path

LOWEST = 19  # nice
CHILD_TIMEOUT_S = 300
# The idle child has the CPU the page and the server leave for this long; then its
# share is restored, so the cell (which waits for the table) is not held much longer
# than the page's first draw (a 20-run glob's: 3 s on 2 cores).
IDLE_WAIT_S = 3.0
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
        stdin = json.dumps(args).encode()
        with subprocess.Popen(
            [sys.executable, "-c", CHILD_CODE, package_parent, target],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a new session: an autogroup of its own
        ) as child:
            try:
                set_autogroup_nice(child.pid, LOWEST)
                try:
                    out, _ = child.communicate(stdin, timeout=IDLE_WAIT_S)
                except subprocess.TimeoutExpired:
                    # The cell waits for it: past the page's first draw, its full share.
                    set_autogroup_nice(child.pid, 0)
                    out, _ = child.communicate(timeout=CHILD_TIMEOUT_S)
            except BaseException:  # an interrupted cell, a timeout: no child left behind
                child.kill()
                raise
        if child.returncode == 0:
            return json.loads(out)["value"]
    except (OSError, TypeError, ValueError, KeyError, subprocess.SubprocessError):
        pass
    return at_lowest_priority(function, *args)


def set_autogroup_nice(pid: int, nice: int) -> None:
    """Set the niceness of the process's autogroup (a child in a session of its own:
    only its own). Its owner may, to any value from 0 up; Linux takes one such write
    a tenth of a second system-wide, so a refused one is tried again. No autogroups
    (turned off): nothing to set."""
    for _ in range(3):
        try:
            with open(f"/proc/{pid}/autogroup", "w") as autogroup:
                autogroup.write(str(nice))
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.1)


def child_main(target: str) -> None:
    """The child's side: `module:function` called with the JSON list on stdin, at
    nice 19 (what counts where there are no autogroups)."""
    try:
        os.setpriority(os.PRIO_PROCESS, 0, LOWEST)
    except OSError:
        pass
    module, _, name = target.partition(":")
    function = getattr(import_module(module), name)
    value = function(*json.load(sys.stdin))
    json.dump({"value": value}, sys.stdout)
