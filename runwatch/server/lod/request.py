"""The series and CSV endpoints' query parameters, checked before any file is read:
each problem is a 400 naming the parameter (docs/server-api.md, "Series")."""

from __future__ import annotations

import math
import os
from typing import NamedTuple

from ...store import layout
from ..paths import MAX_NAME_BYTES
from .group import BANDS, CENTERS

RULES = {"raw": "raw", "1": 1, "10": 10, "60": 60, "600": 600}
MAX_CHANNELS = 200
MAX_WIDTH = 10_000
MAX_ABS_SECONDS = 1e10  # about 317 years from `_created`: anything past it is a mistake
MAX_RUNS = 200  # runs in one grouped request
MAX_FRAMES = 2000  # runs x channels in one request of several runs' series
RUN_BANDS = ("each", "shared")  # several runs' bands: each run's own, or folded into one


class BadParameter(ValueError):
    """A 400: str() names the parameter and says what is wrong."""


class SeriesRequest(NamedTuple):
    channels: list[str]
    rule: str | int
    width: int
    x_range: tuple[float, float] | None
    x: str | None = None  # a channel to plot against instead of time (lod/xmap.py)


class RunsSeriesRequest(NamedTuple):
    runs: list[str]
    channels: list[str]
    rule: str | int
    width: int
    x_range: tuple[float, float] | None
    x: str | None
    band: str = "each"  # or "shared": the runs' bands folded into one (runs_envelope.py)


class GroupRequest(NamedTuple):
    runs: list[str]
    channels: list[str]
    rule: str | int
    width: int
    x_range: tuple[float, float] | None
    x: str | None
    center: str
    band: str
    members: bool  # each run's own line on the grid too (`run.<i>` arrays)


def channels(values: list[str], parameter: str = "channel") -> list[str]:
    if not values:
        raise BadParameter("channel is required (one or more channel=<name>)")
    if len(values) > MAX_CHANNELS:
        raise BadParameter(f"channel: {len(values)} given, at most {MAX_CHANNELS} per request")
    for name in values:
        shown = repr(name) if len(name) <= 80 else repr(name[:60]) + "…"
        if not name or not layout.STATS_FILE.fullmatch(f"stats.{name}.0.npr"):
            raise BadParameter(f"{parameter}: invalid channel name {shown}")
        if len(os.fsencode(name)) > MAX_NAME_BYTES:
            raise BadParameter(f"{parameter}: {shown} is over {MAX_NAME_BYTES} bytes")
    return values


def _number(name: str, text: str, seconds: bool = True) -> float:
    try:
        value = float(text)
    except ValueError:
        unit = "a number of seconds" if seconds else "a number"
        raise BadParameter(f"{name} must be {unit}, got {text!r}") from None
    if not math.isfinite(value):
        raise BadParameter(f"{name} must be finite, got {text!r}")
    if seconds and abs(value) > MAX_ABS_SECONDS:  # a counter as x may well pass 1e10
        raise BadParameter(f"{name}={text} is absurd: at most {MAX_ABS_SECONDS:g} s from _created")
    return value


def _one(arguments: dict[str, list[str]], name: str) -> str | None:
    values = arguments.get(name, [])
    if len(values) > 1:
        raise BadParameter(f"{name} is given {len(values)} times")
    return values[0] if values else None


def series(arguments: dict[str, list[str]]) -> SeriesRequest:
    """Parse `channel`, `rule`, `width`, `x0`, `x1` and `x` (one value each, but channel)."""

    def one(name: str) -> str | None:
        return _one(arguments, name)

    names = channels(arguments.get("channel", []))
    x = one("x")
    if x is not None:
        channels([x], "x")
    rule_text = one("rule")
    if rule_text is None:
        raise BadParameter("rule is required: raw, 1, 10, 60 or 600")
    if rule_text not in RULES:
        raise BadParameter(f"rule: unknown rule {rule_text!r} (raw, 1, 10, 60 or 600)")
    width_text = one("width")
    if width_text is None:
        raise BadParameter("width is required: the plot's width in pixels, 1 to 10000")
    try:
        width = int(width_text)
    except ValueError:
        raise BadParameter(f"width must be an integer, got {width_text!r}") from None
    if not 1 <= width <= MAX_WIDTH:
        raise BadParameter(f"width must be 1 to {MAX_WIDTH} pixels, got {width}")
    x0_text, x1_text = one("x0"), one("x1")
    if (x0_text is None) != (x1_text is None):
        missing = "x1" if x1_text is None else "x0"
        raise BadParameter(f"{missing} is required with {'x0' if missing == 'x1' else 'x1'}")
    x_range = None
    if x0_text is not None:
        x0, x1 = _number("x0", x0_text, x is None), _number("x1", x1_text, x is None)
        if not x0 < x1:
            raise BadParameter(f"x0 must be below x1 (x0={x0_text}, x1={x1_text})")
        x_range = (x0, x1)
    return SeriesRequest(names, RULES[rule_text], width, x_range, x)


def runs(arguments: dict[str, list[str]]) -> list[str]:
    """The `run` parameters: 1 to 200 run names, none twice."""
    names = arguments.get("run", [])
    if not names:
        raise BadParameter("run is required (one or more run=<name>)")
    if len(names) > MAX_RUNS:
        raise BadParameter(f"run: {len(names)} given, at most {MAX_RUNS} per request")
    for at, name in enumerate(names):
        if not name or len(os.fsencode(name)) > MAX_NAME_BYTES:
            raise BadParameter(f"run: invalid run name {name[:60]!r}")
        if name in names[:at]:
            raise BadParameter(f"run: {name!r} is given twice")
    return names


def runs_series(arguments: dict[str, list[str]]) -> RunsSeriesRequest:
    """Parse the series of several runs: `run` (1 to 200), `band` (each or shared)
    and the series' own parameters, at most MAX_FRAMES frames (runs x channels)."""
    names = runs(arguments)
    parsed = series(arguments)
    frames = len(names) * len(parsed.channels)
    if frames > MAX_FRAMES:
        raise BadParameter(
            f"run, channel: {len(names)} runs x {len(parsed.channels)} channels is "
            f"{frames} frames, at most {MAX_FRAMES} per request"
        )
    band = _one(arguments, "band") or "each"
    if band not in RUN_BANDS:
        raise BadParameter(f"band: unknown band {band!r} (each or shared)")
    return RunsSeriesRequest(names, *parsed, band)


def group(arguments: dict[str, list[str]]) -> GroupRequest:
    """Parse the grouped series' `run` (1 to 200), `center` and `band`, and the
    series' own parameters."""
    runs_ = runs(arguments)
    parsed = series(arguments)
    center = _one(arguments, "center") or "mean"
    if center not in CENTERS:
        raise BadParameter(f"center: unknown center {center!r} (mean or median)")
    band = _one(arguments, "band") or "minmax"
    if band not in BANDS:
        raise BadParameter(f"band: unknown band {band!r} (minmax, std, stderr or none)")
    members = _one(arguments, "members") or "0"
    if members not in ("0", "1"):
        raise BadParameter(f"members must be 0 or 1, got {members!r}")
    return GroupRequest(runs_, *parsed, center, band, members == "1")
