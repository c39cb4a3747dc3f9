"""Steering a running job: it declares what may change, requests change it (docs/steering.md).

The job: `p = runwatch.steerable(lr=3e-4, bounds={"lr": (1e-6, 1e-2)})` and `p.update()`.
A notebook: `runwatch.steer(-1, lr=1e-4)`. The server: POST runs/<run>/steer.
"""

from __future__ import annotations

from .declaration import SteerRefused
from .job import Steerable, steerable
from .notebook import steer

__all__ = ["SteerRefused", "Steerable", "steer", "steerable"]
