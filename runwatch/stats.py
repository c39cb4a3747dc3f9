"""Stats calls, one per stat kind: `runwatch.stats.mean('loss.value', v)`.

Each function takes the channel and then its kind's arguments, as listed in
`runwatch.store.kinds` (the one table of kinds). Outside `runwatch.to_run`
every call is a no-op.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from .store import clock
from .store import session as _session
from .store.kinds import BY_NAME, REQUIRED

__all__ = list(BY_NAME)
__all__ += ["step"]  # not a kind: `last("step", n)`

# The common call, inlined: this thread's cached appender for the channel packs
# the row and queues it. Anything else (first call, no run, new session, nested
# or oddly-typed values) falls through to `write_stat`.
_TEMPLATE = """
def {name}(channel, {params}):
    route = _route
    if route.epoch == _epoch[0] and route.appenders is not None:
        appender = route.appenders.get(channel)
        if appender is not None and appender.kind is kind:
            try:
                appender.append(appender.pack(clock.now_ns(), {values}))
                return
            except (struct_error, TypeError):
                pass
    write_stat(kind, names, channel, ({values},))
"""


def _stat(name: str) -> Callable[..., None]:
    """Build `name(channel, <kind's args>)`.

    Generated from source so each function has its kind's real signature (for
    help and completion), Python binds the arguments at full speed, and the
    common path costs no extra call.
    """
    kind = BY_NAME[name]
    params = ", ".join(
        arg if default is REQUIRED else f"{arg}={default!r}" for arg, default in kind.args
    )
    values = ", ".join(kind.arg_names)
    namespace = {
        "_route": _session._route,
        "_epoch": _session._epoch,
        "clock": clock,
        "struct_error": struct.error,
        "write_stat": _session.write_stat,
        "kind": kind.name,
        "names": kind.arg_names,
    }
    exec(_TEMPLATE.format(name=name, params=params, values=values), namespace)  # noqa: S102
    stat = namespace[name]
    stat.__module__ = __name__
    stat.__doc__ = f"Record a `{name}` stat on `channel`. Buckets aggregate as: {kind.aggregation}."
    return stat


last = _stat("last")
max = _stat("max")
max_percent = _stat("max_percent")
mean = _stat("mean")
mean_percent = _stat("mean_percent")
std = _stat("std")
cumsum = _stat("cumsum")
timeaverage = _stat("timeaverage")
duty = _stat("duty")
maxrate = _stat("maxrate")
rate = _stat("rate")
period = _stat("period")
mean_std = _stat("mean_std")
quantiles = _stat("quantiles")
silent = _stat("silent")


def step(n) -> None:
    """Record the training step (or any counter) `n` as `last("step", n)`: plots can
    then put runs of different speeds on one x axis (`x=step`, docs/plots.md)."""
    last("step", n)
