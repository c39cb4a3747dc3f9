"""Sweeps: launching variants as local processes, tracking them, stop and relaunch
(docs/sweeps.md). Stdlib only, like the writer."""

from .launcher import Launcher, LocalLauncher, relaunch
from .record import NoSuchSweep
from .sweep import Sweep, launch, sweep, sweeps

__all__ = [
    "Launcher",
    "LocalLauncher",
    "NoSuchSweep",
    "Sweep",
    "launch",
    "relaunch",
    "sweep",
    "sweeps",
]
