"""`runwatch.launch(...)`, which records a sweep, queues its variants and makes sure a
supervisor runs, returning at once; and `Sweep`, a launched sweep, reopened from the
store by name (`runwatch.sweep(name)`)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import sys
from pathlib import Path

from ..store import layout
from . import record, slots, targets
from .display import bundle
from .launcher import LAUNCHERS, queue, relaunch, variant_id
from .status import alive, counts, now_ms, rows


class Sweep:
    """A sweep in the store: its status rows, stop and relaunch. Holds only its name,
    so it stays right however often the supervisor changes the record."""

    def __init__(self, name: str, root: Path | None = None):
        self.name = record.check_name(name)
        self.root = Path(root) if root is not None else layout.store_root()
        self.folder = record.sweep_dir(name, self.root)
        self.record()  # NoSuchSweep now, not at the first use

    def record(self) -> dict:
        return record.read(self.folder)

    @property
    def id(self) -> str:
        return self.record()["id"]

    def status(self) -> list[dict]:
        """One row per variant: variant id, params, run, status and reason, elapsed_s,
        metrics (each channel's last value), pid, gpu, attempts."""
        return rows(self.record(), self.root)

    def stop(self, variant: str | None = None) -> list[str]:
        """SIGTERM the variant's process group (every running variant's if None) and
        take it (them) off the queue; the ids stopped or dequeued."""
        stopped = []
        with record.changing(self.folder) as sweep:
            entries = (
                sweep["variants"] if variant is None else [record.variant_by_id(sweep, variant)]
            )
            for entry in entries:
                if entry.get("queued"):
                    entry.update(queued=False, stopped=True)
                    stopped.append(entry["id"])
                    continue
                pid = entry.get("pid")
                if not pid or entry.get("ended_ms") is not None:
                    continue
                if not alive(pid, entry.get("start_ticks")):
                    continue
                try:
                    os.killpg(pid, signal.SIGTERM)  # the variant led its own session
                except ProcessLookupError:
                    continue
                entry["stopped"] = True
                stopped.append(entry["id"])
        return stopped

    def relaunch(self, failed: bool = True, variant: str | None = None) -> list[str]:
        """Start the crashed and failed variants again (each in a new run), or one `variant`;
        the ids queued."""
        if variant is None and not failed:
            return []
        return relaunch(self.name, variant, self.root)["queued"]

    def supervisor(self) -> int | None:
        """The live supervisor's pid, if one runs."""
        return record.supervisor_pid(self.folder)

    def summary(self) -> dict:
        """What GET sweeps lists of this sweep."""
        sweep = self.record()
        found = rows(sweep, self.root)
        return {**self._facts(sweep), "variants": len(found), "counts": counts(found)}

    def detail(self) -> dict:
        """What GET sweeps/<name> answers: the sweep's settings and its rows."""
        sweep = self.record()
        return {
            **self._facts(sweep),
            "gpus": sweep.get("gpus"),
            "pack": sweep.get("pack", False),
            "rows": rows(sweep, self.root),
        }

    def _facts(self, sweep: dict) -> dict:
        """What both the listing and the detail say of the sweep."""
        return {
            "name": self.name,
            "id": sweep["id"],
            "created_ms": sweep.get("created_ms"),
            "target": targets.describe(sweep["target"]),
            "parallel": sweep["parallel"],
            "supervisor": record.supervisor_pid(self.folder),
        }

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return bundle(self)

    def __repr__(self) -> str:
        return f"<Sweep {self.name!r}>"


def sweep(name: str, root: Path | None = None) -> Sweep:
    """Reopen the sweep `name` from the store."""
    return Sweep(name, root)


def sweeps(root: Path | None = None) -> list[str]:
    """The names of the store's sweeps."""
    return record.names(root)


def launch(
    target,
    variants,
    parallel: int = 4,
    name: str = "lr-sweep",
    gpus: list | None = None,
    pack: bool = False,
    cpus=None,
    env: dict | None = None,
    args: list | None = None,
    root: Path | None = None,
):
    """Start `target` once per variant, at most `parallel` at a time, and return the Sweep.

    `target`: a script path, a module (`"-m pkg.mod"` or `"module:pkg.mod"`) or a
    picklable callable (called with the variant's params as keywords). Each variant
    gets its own process and run (the sweep's name as the run's suffix).
    Safe to run twice: variants running or finished are not started again; crashed
    and failed ones are. See docs/sweeps.md.
    """
    record.check_name(name)
    slots.check(parallel, gpus, cpus)
    variants = [dict(v) for v in variants]
    json.dumps(variants)  # fail here, not in the supervisor
    if env is not None:
        env = {str(k): str(v) for k, v in env.items()}
    root = Path(root) if root is not None else layout.store_root()
    folder = record.sweep_dir(name, root)
    folder.mkdir(parents=True, exist_ok=True)
    cwd = os.getcwd()
    spec = targets.spec(target, cwd, folder, args)
    settings = {
        "target": spec,
        "parallel": parallel,
        "gpus": list(gpus) if gpus else None,
        "pack": bool(pack),
        "cpus": cpus,
        "env": env,
        "python": sys.executable,
        "cwd": cwd,
        "launcher": "local",
    }
    ids = [variant_id(v) for v in variants]
    with record.locked(folder):
        try:
            sweep = record.read(folder)
        except record.NoSuchSweep:
            sweep = {
                "name": name,
                "id": secrets.token_hex(5),
                "created_ms": now_ms(),
                "variants": [],
            }
        sweep.update(settings)
        known = {entry["id"]: entry for entry in sweep["variants"]}
        for vid, params in zip(ids, variants):
            if vid not in known:
                known[vid] = {"id": vid, "params": params, "queued": False}
                sweep["variants"].append(known[vid])
        queue(sweep, [known[vid] for vid in dict.fromkeys(ids)], root)
        record.write(folder, sweep)
        LAUNCHERS[sweep["launcher"]].ensure_supervisor(folder, sweep)
    return Sweep(name, root)
