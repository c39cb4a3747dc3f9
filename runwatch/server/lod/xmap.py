"""x by a channel (a step or any counter) instead of time (docs/plots.md, "x by step").

Each point's time t maps to the x channel's value at t, linearly interpolated between
the x channel's rows bracketing t (its kind's per-row values: `last`'s value,
`cumsum`'s running sum, ...). A point before the x channel's first row or after its
last is dropped: nothing says where it lies. An x channel that ever decreases is
refused with a clear error rather than drawn as a line folding back on itself.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import kinds
from .rows import ChannelError, RunChannels


class XMap(NamedTuple):
    channel: str
    t: np.ndarray  # the x channel's row times, sorted (finite values only)
    x: np.ndarray  # its values there, non-decreasing


def load(cache, run: RunChannels, name: str) -> XMap:
    """The run's x channel `name`; ChannelError saying why it can't be x."""
    spec = run.channels.get(name)
    if spec is None:
        raise ChannelError(f"x: run has no channel {name!r}: plot it against time")
    series, _ = cache.series(run, spec, "raw")
    values = series.columns.get("value")
    if values is None:
        raise ChannelError(
            f"x: {name!r} is a '{spec.kind}' channel, without one value per row "
            "(x needs a step or counter: last, cumsum, ...)"
        )
    t = series.x
    finite = np.isfinite(values) & np.isfinite(t)
    t, values = t[finite], values[finite]
    if len(t) == 0:
        raise ChannelError(f"x: channel {name!r} has no finite values yet")
    falls = np.flatnonzero(np.diff(values) < 0)
    if len(falls):
        at = int(falls[0])
        raise ChannelError(
            f"x: channel {name!r} is not non-decreasing: it falls from {values[at]:g} to "
            f"{values[at + 1]:g} at {t[at + 1]:g} s (x needs a step or counter)"
        )
    return XMap(name, t, values)


def apply(xmap: XMap, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the points kept: a bool mask over `t`, their x): points outside the x channel's
    first and last rows are dropped."""
    with np.errstate(invalid="ignore"):
        kept = (t >= xmap.t[0]) & (t <= xmap.t[-1])
    return kept, np.interp(t[kept], xmap.t, xmap.x)


def mapped_series(cache, run: RunChannels, spec, rule, xmap: XMap) -> tuple[kinds.Series, int]:
    """(the channel's series at `rule` on the x channel's x, rows in the channel): a
    bucket maps by its label (its left edge), as it is drawn on time."""
    series, rows = cache.series(run, spec, rule)
    kept, x = apply(xmap, series.x)
    columns = {name: column[kept] for name, column in series.columns.items()}
    band = None if series.band is None else (series.band[0][kept], series.band[1][kept])
    return kinds.Series(x, columns, band), rows
