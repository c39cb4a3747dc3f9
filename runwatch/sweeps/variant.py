"""`python -m runwatch.sweeps.variant <kind> <what> [args...]`: one variant's process.

The supervisor made the variant's run and names it in `$RUNWATCH_RUN`; this opens
it (`to_run`), so the run records this process (pid, heartbeat, how it ended) even
when the target never calls runwatch, and the target's own `runwatch.new_run()`
returns that run (runwatch/store/session.py). Its output survives the supervisor
(orphan_output.py). It pins the CPUs in `$RUNWATCH_CPUS`, then runs the target as
`python script.py`, `python -m module` or the callable would.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

RUN_ENV = "RUNWATCH_RUN"
CPUS_ENV = "RUNWATCH_CPUS"


def pin_cpus() -> None:
    text = os.environ.get(CPUS_ENV)
    if text and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {int(c) for c in text.split(",")})


def run_target(kind: str, what: str, args: list[str]) -> None:
    if kind == "script":
        sys.argv = [what, *args]
        sys.path[0] = os.path.dirname(what)  # as `python script.py` has it
        runpy.run_path(what, run_name="__main__")
    elif kind == "module":
        sys.argv = [what, *args]
        sys.path[0] = os.getcwd()  # as `python -m` has it
        runpy.run_module(what, run_name="__main__", alter_sys=True)
    elif kind == "callable":
        from .call import call_pickled

        pickle_path, _, module_path = what.partition(os.pathsep)
        sys.argv = [pickle_path, *args]
        result = call_pickled(pickle_path, module_path or None)
        if result is not None:
            print(f"returned {result!r}"[:2000])
    else:
        raise SystemExit(f"runwatch.sweeps.variant: unknown target kind {kind!r}")


def main(argv: list[str]) -> None:
    kind, what, *args = argv
    pin_cpus()
    run = os.environ.get(RUN_ENV)
    if not run:
        run_target(kind, what, args)
        return
    import runwatch

    from .orphan_output import guard

    guard(Path(os.environ["RUNWATCH_ROOT"]) / run)  # the supervisor sets both
    with runwatch.to_run(run):
        run_target(kind, what, args)


if __name__ == "__main__":
    main(sys.argv[1:])
