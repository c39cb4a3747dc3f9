"""`python -m runwatch.sweeps.supervisor <sweep folder>`: starts a sweep's queued variants.

A detached process (its own session: kernel restarts and JupyterLab reloads
don't end it). It holds the sweep's supervisor lock while it lives, so one runs
per sweep. Each turn it passes its variants' output lines to their runs' logs,
records the variants that ended, and starts queued ones into free slots (never
more than `parallel` alive), each in a new session, with its run made first and
named in its environment. It leaves once nothing is queued and none of its own
variants runs; it decides that under the record's lock, so a launcher that
queues meanwhile either is seen or sees no supervisor and starts one.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

from ..store import info, process
from . import record, slots
from .output import OutputLog
from .status import alive
from .variant import CPUS_ENV, RUN_ENV

POLL_S = 0.1
LOCK_TRIES = 40  # x 50 ms: a reader's momentary shared lock must not turn a supervisor away
EXITED_GRACE_S = 2.0  # a grandchild may hold the pipes open after the variant exits

log = logging.getLogger("runwatch.sweeps.supervisor")


def now_ms() -> int:
    return time.time_ns() // 10**6


class Child:
    """A variant process this supervisor started."""

    def __init__(self, variant: str, popen: subprocess.Popen, output: OutputLog, slot: int):
        self.variant, self.popen, self.output, self.slot = variant, popen, output, slot
        self.open_streams = 2
        self.exited_at: float | None = None


class Supervisor:
    def __init__(self, folder: Path):
        self.folder = folder
        self.root = folder.parent.parent
        self.children: dict[str, Child] = {}
        self.selector = selectors.DefaultSelector()
        self.lock_fd: int | None = None

    def take_lock(self) -> bool:
        fd = os.open(self.folder / record.SUPERVISOR_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        for _ in range(LOCK_TRIES):
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                time.sleep(0.05)
        else:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self.lock_fd = fd
        return True

    def run(self) -> None:
        if not self.take_lock():
            log.info("another supervisor runs this sweep; leaving")
            return
        log.info("supervising %s (pid %d)", self.folder, os.getpid())
        while self.schedule():
            self.pump(POLL_S)
            self.reap()
        log.info("nothing left to run; leaving")

    def pump(self, timeout: float) -> None:
        if not self.selector.get_map():
            time.sleep(timeout)  # waiting for variants to end (or another supervisor's)
            return
        for key, _ in self.selector.select(timeout):
            child, stream = key.data
            try:
                data = os.read(key.fd, 65536)
            except OSError:
                data = b""
            child.output.feed(stream, data)
            if not data:
                self.selector.unregister(key.fileobj)
                key.fileobj.close()
                child.open_streams -= 1

    def reap(self) -> None:
        for variant, child in list(self.children.items()):
            code = child.popen.poll()
            if code is None:
                continue
            if child.exited_at is None:
                child.exited_at = time.monotonic()
            if child.open_streams and time.monotonic() - child.exited_at < EXITED_GRACE_S:
                continue  # its last lines are still in the pipes
            for stream in (child.popen.stdout, child.popen.stderr):
                if stream is not None and not stream.closed:
                    self.selector.unregister(stream)
                    stream.close()
            child.output.close()
            del self.children[variant]
            with record.changing(self.folder) as sweep:
                entry = record.variant_by_id(sweep, variant)
                if entry.get("pid") == child.popen.pid:
                    entry.update(ended_ms=now_ms(), exit_code=code)
            log.info("variant %s (pid %d) ended: %s", variant, child.popen.pid, code)

    def schedule(self) -> bool:
        """Start queued variants into free slots; False (the lock released) once done."""
        with record.locked(self.folder):
            sweep = record.read(self.folder)
            taken = {child.slot for child in self.children.values()} | self.foreign_slots(sweep)
            queued = [entry for entry in sweep["variants"] if entry.get("queued")]
            changed = False
            for entry in queued:
                if len(taken) >= sweep["parallel"]:
                    break
                slot = slots.free_slot(taken)
                taken.add(slot)
                self.start(sweep, entry, slot)
                changed = True
            if changed:
                record.write(self.folder, sweep)
            if not self.children and not any(e.get("queued") for e in sweep["variants"]):
                os.close(self.lock_fd)  # under the record's lock: see the module's doc
                self.lock_fd = None
                return False
        return True

    def foreign_slots(self, sweep: dict) -> set[int]:
        """Slots of variants still alive that an earlier supervisor started."""
        taken = set()
        for entry in sweep["variants"]:
            pid, slot = entry.get("pid"), entry.get("slot")
            if pid is None or entry["id"] in self.children or entry.get("ended_ms") is not None:
                continue
            if alive(pid, entry.get("start_ticks")) and isinstance(slot, int):
                taken.add(slot)
        return taken

    def start(self, sweep: dict, entry: dict, slot: int) -> None:
        variant, params = entry["id"], entry["params"]
        entry["queued"] = False
        try:
            run = info.create_run(
                self.root,
                sweep["name"],
                {
                    "params": params,
                    "sweep": sweep["name"],
                    "sweep_id": sweep["id"],
                    "variant_id": variant,
                },
            )
            gpu = slots.gpu_of(slot, sweep.get("gpus"), sweep["parallel"], sweep.get("pack", False))
            cpus = slots.cpus_of(slot, sweep.get("cpus"), sweep["parallel"])
            env = variant_env(sweep, entry, run, gpu, cpus, self.root)
            popen = subprocess.Popen(
                variant_command(sweep, self.folder),
                cwd=sweep["cwd"],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group: stop signals it and its children
            )
        except Exception as error:
            log.exception("variant %s could not start", variant)
            entry.update(error=f"could not start: {type(error).__name__}: {error}"[:2000])
            return
        seen = process.read_proc_stat(popen.pid)
        entry.update(
            run=run,
            runs=[*entry.get("runs", []), run],
            pid=popen.pid,
            start_ticks=seen.start_ticks if seen else None,
            slot=slot,
            gpu=gpu,
            cpus=cpus,
            started_ms=now_ms(),
            ended_ms=None,
            exit_code=None,
            stopped=False,
            error=None,
        )
        child = Child(variant, popen, OutputLog(self.root / run), slot)
        self.selector.register(popen.stdout, selectors.EVENT_READ, (child, "stdout"))
        self.selector.register(popen.stderr, selectors.EVENT_READ, (child, "stderr"))
        self.children[variant] = child
        log.info("variant %s started as pid %d in run %s (slot %d)", variant, popen.pid, run, slot)


def variant_command(sweep: dict, folder: Path) -> list[str]:
    target = sweep["target"]
    kind = target["kind"]
    if kind == "script":
        what = target["path"]
    elif kind == "module":
        what = target["module"]
    else:
        pickle_path = str(folder / target["pickle"])
        what = pickle_path + (os.pathsep + target["path"] if target.get("path") else "")
    return [sweep["python"], "-m", "runwatch.sweeps.variant", kind, what, *target.get("args", [])]


def variant_env(
    sweep: dict, entry: dict, run: str, gpu: str | None, cpus: list[int] | None, root: Path
) -> dict:
    env = dict(os.environ)
    env.update({k: str(v) for k, v in (sweep.get("env") or {}).items()})
    env.update(
        {
            "RUNWATCH_ROOT": str(root),
            RUN_ENV: run,
            "RUNWATCH_VARIANT": json.dumps(entry["params"]),
            "RUNWATCH_SWEEP": sweep["name"],
            "RUNWATCH_SWEEP_ID": sweep["id"],
            "RUNWATCH_VARIANT_ID": entry["id"],
            "PYTHONUNBUFFERED": "1",  # lines reach the log as they are printed
        }
    )
    if gpu is not None:
        env["CUDA_VISIBLE_DEVICES"] = gpu
    if cpus:
        env[CPUS_ENV] = ",".join(str(c) for c in cpus)
    return env


def main(argv: list[str]) -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr
    )
    Supervisor(Path(argv[0])).run()


if __name__ == "__main__":
    main(sys.argv[1:])
