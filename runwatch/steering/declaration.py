"""What a run lets be steered, and the one check every steer request passes.

The job declares its steerable keys in `_steer.json`; the server, `runwatch.steer`
and the job itself all check a request against that declaration with
`check_request`, so they refuse for the same reasons in the same words.
Pure functions over plain data; stdlib only.
"""

from __future__ import annotations

import math
import re

# The run's steering files (docs/steering.md).
DECLARATION_FILE = "_steer.json"
LOG_FILE = "_steer.log.jsonl"
REQUEST_FILE = re.compile(r"_steer\.request\.(?P<id>[0-9]{19}-[0-9a-f]{6})\.json")
REQUEST_PREFIX = "_steer.request."

MAX_REQUEST_BYTES = 4096  # a request file (and a POST body) is refused past this
MAX_DECLARATION_BYTES = 64 * 1024
MAX_TEXT = 1000  # characters of a steerable str value
TYPES = ("bool", "int", "float", "str")


class SteerRefused(ValueError):
    """A steer request that is refused; `status` is its HTTP status, `key` the key at fault."""

    def __init__(self, status: int, message: str, key: str | None = None):
        super().__init__(message)
        self.status, self.message, self.key = status, message, key


def request_file_name(request_id: str) -> str:
    return f"{REQUEST_PREFIX}{request_id}.json"


def type_of(key: str, value: object) -> str:
    """The steerable type of an initial value; TypeError for a type that can't be steered."""
    for name, python in (("bool", bool), ("int", int), ("float", float), ("str", str)):
        if type(value) is python:
            return name
    raise TypeError(
        f"steerable {key}={value!r}: only bool, int, float and str values can be steered"
    )


def key_spec(key: str, value: object, bounds: object = None) -> dict:
    """The declaration of one key: its type and bounds (numbers only, either may be None)."""
    kind = type_of(key, value)
    if bounds is None:
        return {"type": kind, "bounds": None}
    if kind not in ("int", "float"):
        raise TypeError(f"bounds for {key!r}: only int and float keys have bounds")
    if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
        raise TypeError(f"bounds for {key!r} must be (low, high), got {bounds!r}")
    low, high = (None if b is None else float(b) if kind == "float" else int(b) for b in bounds)
    if low is not None and high is not None and low > high:
        raise ValueError(f"bounds for {key!r}: low {low!r} is above high {high!r}")
    spec = {"type": kind, "bounds": [low, high]}
    check_value(key, spec, value)  # the initial value must be within its own bounds
    return spec


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_value(key: str, spec: dict, value: object) -> object:
    """`value` as the key's type (an int for a float key becomes a float); SteerRefused(400)."""
    kind = spec.get("type")
    got = type(value).__name__ if value is not None else "null"
    if kind == "float" and type(value) in (int, float):
        value = float(value)
        if not math.isfinite(value):
            raise SteerRefused(400, f"{key}: {value!r} is not a finite number", key)
    elif kind == "int" and type(value) is int or kind == "bool" and type(value) is bool:
        pass
    elif kind == "str" and type(value) is str:
        if len(value) > MAX_TEXT:
            raise SteerRefused(400, f"{key}: text of {len(value)} characters, over {MAX_TEXT}", key)
    else:
        raise SteerRefused(400, f"{key}: expected {kind}, got {got} {_shown(value)}", key)
    bounds = spec.get("bounds")
    if bounds:
        low, high = bounds
        if (low is not None and value < low) or (high is not None and value > high):
            shown = f"[{'-inf' if low is None else low}, {'inf' if high is None else high}]"
            raise SteerRefused(400, f"{key}={value!r} is out of bounds {shown}", key)
    return value


def check_declaration(declaration: object) -> dict:
    """The `keys` of a `_steer.json` as read; SteerRefused(409) if it isn't a declaration."""
    keys = declaration.get("keys") if isinstance(declaration, dict) else None
    if not isinstance(keys, dict) or not all(
        isinstance(spec, dict) and spec.get("type") in TYPES for spec in keys.values()
    ):
        raise SteerRefused(409, f"{DECLARATION_FILE} is not a steerable declaration")
    return keys


def check_request(keys: dict, changes: object, stop: object = False) -> dict:
    """The changes as their keys' types, if every one is allowed; else SteerRefused.

    A request is all or nothing: one bad key refuses it whole.
    """
    if not isinstance(stop, bool):
        raise SteerRefused(400, f"stop must be true or false, got {_shown(stop)}")
    if changes is None:
        changes = {}
    if not isinstance(changes, dict):
        raise SteerRefused(400, f"changes must be an object of key: value, got {_shown(changes)}")
    if not changes and not stop:
        raise SteerRefused(400, 'nothing to do: give {"changes": {...}} or {"stop": true}')
    checked = {}
    for key, value in changes.items():
        spec = keys.get(key)
        if spec is None:
            steerable = ", ".join(keys) or "(none)"
            raise SteerRefused(400, f"{key!r} is not steerable; steerable: {steerable}", key)
        checked[key] = check_value(key, spec, value)
    return checked
