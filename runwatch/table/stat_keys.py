"""Channel summary keys: `<channel>.<stat>`, parsed from the right (channel names hold dots).

A stat is `last`, `min`, `max`, `mean<N>` (the mean of the last N rows' values) or
`at<T>` (the value at T seconds since `_created`). See docs/runs-table.md.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..store import layout

STAT = re.compile(r"last|min|max|mean(?P<n>[1-9]\d{0,6})|at(?P<t>\d{1,10})")
STAT_FORMS = "last, min, max, mean<N> (N rows, 1 to 9999999) or at<T> (T whole seconds)"


class BadStat(ValueError):
    """A stat key that is not `<channel>.<stat>`; str() names it."""


class StatKey(NamedTuple):
    key: str  # as requested: "loss.val.last"
    channel: str  # "loss.val"
    stat: str  # "last" | "min" | "max" | "mean" | "at"
    arg: int | None = None  # N of mean<N>, T of at<T>


def parse_stat(key: str) -> StatKey:
    """The key's channel and stat; BadStat saying why if it is neither."""
    channel, dot, stat = key.rpartition(".")
    match = STAT.fullmatch(stat) if dot else None
    if match is None:
        raise BadStat(f"stat {key[:200]!r} is not <channel>.<stat>, where a stat is {STAT_FORMS}")
    if not layout.STATS_FILE.fullmatch(f"stats.{channel}.0.npr"):
        raise BadStat(f"stat {key[:200]!r}: {channel[:200]!r} can't be a channel name")
    if match["n"]:
        return StatKey(key, channel, "mean", int(match["n"]))
    if match["t"]:
        return StatKey(key, channel, "at", int(match["t"]))
    return StatKey(key, channel, stat)


def stat_or_none(key: str) -> StatKey | None:
    """The key's StatKey if it is one (a filter's identifier may be a param instead)."""
    try:
        return parse_stat(key)
    except BadStat:
        return None
