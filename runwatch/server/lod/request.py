"""The series and CSV endpoints' query parameters, checked before any file is read:
each problem is a 400 naming the parameter (docs/server-api.md, "Series")."""

from __future__ import annotations

import math
import os
from typing import NamedTuple

from ...store import layout
from ..paths import MAX_NAME_BYTES

RULES = {"raw": "raw", "1": 1, "10": 10, "60": 60, "600": 600}
MAX_CHANNELS = 200
MAX_WIDTH = 10_000
MAX_ABS_SECONDS = 1e10  # about 317 years from `_created`: anything past it is a mistake


class BadParameter(ValueError):
    """A 400: str() names the parameter and says what is wrong."""


class SeriesRequest(NamedTuple):
    channels: list[str]
    rule: str | int
    width: int
    x_range: tuple[float, float] | None


def channels(values: list[str]) -> list[str]:
    if not values:
        raise BadParameter("channel is required (one or more channel=<name>)")
    if len(values) > MAX_CHANNELS:
        raise BadParameter(f"channel: {len(values)} given, at most {MAX_CHANNELS} per request")
    for name in values:
        shown = repr(name) if len(name) <= 80 else repr(name[:60]) + "…"
        if not name or not layout.STATS_FILE.fullmatch(f"stats.{name}.0.npr"):
            raise BadParameter(f"channel: invalid channel name {shown}")
        if len(os.fsencode(name)) > MAX_NAME_BYTES:
            raise BadParameter(f"channel: {shown} is over {MAX_NAME_BYTES} bytes")
    return values


def _number(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadParameter(f"{name} must be a number of seconds, got {text!r}") from None
    if not math.isfinite(value):
        raise BadParameter(f"{name} must be finite, got {text!r}")
    if abs(value) > MAX_ABS_SECONDS:
        raise BadParameter(f"{name}={text} is absurd: at most {MAX_ABS_SECONDS:g} s from _created")
    return value


def series(arguments: dict[str, list[str]]) -> SeriesRequest:
    """Parse `channel`, `rule`, `width`, `x0` and `x1` (one value each, but channel)."""

    def one(name: str) -> str | None:
        values = arguments.get(name, [])
        if len(values) > 1:
            raise BadParameter(f"{name} is given {len(values)} times")
        return values[0] if values else None

    names = channels(arguments.get("channel", []))
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
        x0, x1 = _number("x0", x0_text), _number("x1", x1_text)
        if not x0 < x1:
            raise BadParameter(f"x0 must be below x1 (x0={x0_text}, x1={x1_text})")
        x_range = (x0, x1)
    return SeriesRequest(names, RULES[rule_text], width, x_range)
