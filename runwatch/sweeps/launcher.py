"""Queueing a sweep's variants and making sure a supervisor runs (`runwatch.launch`, in
sweep.py, and relaunch).

The variants are started by a detached supervisor (supervisor.py). The `Launcher`
interface starts supervisors; `LocalLauncher` runs one on this machine (a cluster
launcher can be added beside it).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import runwatch

from ..store import layout
from . import record
from .status import now_ms, variant_state

RUNNING_OR_DONE = ("running", "stalled", "starting", "finished")


class Launcher:
    """Starts a sweep's supervisor; one implementation per place variants can run."""

    def ensure_supervisor(self, folder: Path, sweep: dict) -> int | None:
        """With the record locked: start a supervisor unless one lives; its pid, or None."""
        raise NotImplementedError


class LocalLauncher(Launcher):
    def ensure_supervisor(self, folder: Path, sweep: dict) -> int | None:
        if record.supervisor_pid(folder) is not None:
            return None  # the live one sees the queue on its next turn
        env = dict(os.environ)
        # The supervisor and variants import this runwatch, whatever is installed.
        source = str(Path(runwatch.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (source, env.get("PYTHONPATH")) if p)
        with open(folder / record.SUPERVISOR_LOG, "ab") as log:
            popen = subprocess.Popen(
                [sweep["python"], "-m", "runwatch.sweeps.supervisor", str(folder)],
                cwd=sweep["cwd"],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # survives the kernel and JupyterLab
            )
        return popen.pid


LAUNCHERS = {"local": LocalLauncher()}


def variant_id(params: dict) -> str:
    from ..variants import variant_id as stable_id

    return stable_id(params)


def queue(sweep: dict, entries: list[dict], root: Path, only_fallen: bool = False) -> list[str]:
    """Queue those of `entries` neither queued, running nor finished (with `only_fallen`,
    only crashed and failed ones); their ids."""
    now = now_ms()
    queued = []
    for entry in entries:
        status = variant_state(entry, root, now)[0]
        if status == "queued" or status in RUNNING_OR_DONE:
            continue
        if only_fallen and status not in ("crashed", "failed"):
            continue
        entry.update(queued=True, stopped=False, error=None)
        queued.append(entry["id"])
    return queued


def relaunch(name: str, variant: str | None = None, root: Path | None = None) -> dict:
    """Queue the crashed and failed variants (or the one `variant`, unless it runs or is
    queued) and make sure a supervisor runs: {"queued": [ids], "supervisor": pid|None}."""
    root = Path(root) if root is not None else layout.store_root()
    folder = record.sweep_dir(name, root)
    with record.locked(folder):
        sweep = record.read(folder)
        if variant is None:
            queued = queue(sweep, sweep["variants"], root, only_fallen=True)
        else:
            entry = record.variant_by_id(sweep, variant)
            status = variant_state(entry, root, now_ms())[0]
            queued = [] if status in ("queued", "running", "stalled", "starting") else [variant]
            if queued:
                entry.update(queued=True, stopped=False, error=None)
        record.write(folder, sweep)
        started = (
            LAUNCHERS[sweep.get("launcher", "local")].ensure_supervisor(folder, sweep)
            if queued
            else None
        )
    return {"queued": queued, "supervisor": started or record.supervisor_pid(folder)}
