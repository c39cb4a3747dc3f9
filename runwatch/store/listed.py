"""What a run listing carries of each run's info: its description and params, capped.

A listing holds every run, so one run with megabytes of `params` would make
every listing megabytes. Listed, a string is cut at MAX_STRING characters, a
list or object keeps its first MAX_ITEMS entries and at most MAX_DEPTH levels,
and the params of a run are cut at MAX_PARAMS_CHARS of JSON (and MAX_NODES values). Whatever was cut
is marked: a cut string ends with CUT, a cut container gets a CUT entry (the
number of entries left out), and the run's summary says `params_truncated`.
The run's own endpoint (`GET runs/<name>`) carries them whole.
"""

from __future__ import annotations

import json

CUT = "…"
MAX_STRING = 200
MAX_ITEMS = 50
MAX_DEPTH = 4
MAX_PARAMS_CHARS = 4096
MAX_DESCRIPTION = 1000
MAX_NODES = 1000  # values looked at per run


def description(value: object) -> str | None:
    """`description` as a string, cut at MAX_DESCRIPTION characters."""
    if value is None:
        return None
    text = value if isinstance(value, str) else _text(value)
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + CUT


def _text(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)[: MAX_DESCRIPTION + 1]
    except (ValueError, TypeError, RecursionError):
        return str(type(value).__name__)


class _Cutter:
    def __init__(self) -> None:
        self.cut = False
        self.nodes = 0  # so that 50 items of 50 items of ... stay cheap

    def value(self, value: object, depth: int) -> object:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.cut = True
            return CUT
        if isinstance(value, str):
            if len(value) <= MAX_STRING:
                return value
            self.cut = True
            return value[: MAX_STRING - 1] + CUT
        if isinstance(value, dict):
            return self.object(value, depth)
        if isinstance(value, list):
            return self.list(value, depth)
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_STRING:
            self.cut = True
            return f"{str(value)[: MAX_STRING - 1]}{CUT}"
        return value  # float, bool, None, or a reasonable int

    def object(self, value: dict, depth: int) -> dict:
        if depth >= MAX_DEPTH:
            self.cut = True
            return {CUT: len(value)} if value else {}
        kept = {
            self.value(k, MAX_DEPTH): self.value(v, depth + 1) for k, v in _first(value.items())
        }
        if len(value) > MAX_ITEMS:
            self.cut = True
            kept[CUT] = len(value) - MAX_ITEMS
        return kept

    def list(self, value: list, depth: int) -> list:
        if depth >= MAX_DEPTH:
            self.cut = True
            return [{CUT: len(value)}] if value else []
        kept = [self.value(v, depth + 1) for v in value[:MAX_ITEMS]]
        if len(value) > MAX_ITEMS:
            self.cut = True
            kept.append({CUT: len(value) - MAX_ITEMS})
        return kept


def _first(items):
    for i, item in enumerate(items):
        if i == MAX_ITEMS:
            return
        yield item


def params(value: object) -> tuple[dict | None, bool]:
    """(`params` as listed, whether anything was cut); None if `params` is not an object."""
    if not isinstance(value, dict):
        return None, False
    cutter = _Cutter()
    listed: dict = {}
    used = 2  # the braces
    for key, item in value.items():
        key = cutter.value(key, MAX_DEPTH)
        item = cutter.value(item, 1)
        size = len(json.dumps({key: item})) - 1  # the pair and its comma
        if used + size > MAX_PARAMS_CHARS:
            cutter.cut = True
            listed[CUT] = len(value) - len(listed)
            break
        listed[key] = item
        used += size
    return listed, cutter.cut
