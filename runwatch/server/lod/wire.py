"""The series endpoint's binary frames (docs/server-api.md, "Series"):

FRAME = uint32 LE header length + UTF-8 JSON header + zero padding to a multiple
of 8 bytes (from the frame's start) + the arrays, in the order the header lists
them, each padded to a multiple of 8 bytes: little-endian float64, unless the
header's `packed` names the array with a smaller type that gives back the same
float64 values exactly (`pack`).
"""

from __future__ import annotations

import json
import math
import struct
from typing import NamedTuple

import numpy as np

LENGTH = struct.Struct("<I")

# Index types for arrays on a grid `from + k·step`, smallest first.
STEP_TYPES = tuple(
    (name, np.dtype(f"<{name}"), np.iinfo(np.dtype(name)).max) for name in ("u2", "u4")
)
FLOAT32 = np.dtype("<f4")
FLOAT64 = np.dtype("<f8")
# Every array type a frame may hold, by the name `packed` gives it.
WIRE_TYPES = {"f8": FLOAT64, "f4": FLOAT32, **{name: dtype for name, dtype, _ in STEP_TYPES}}
# Below this many values the header's words cost more than packing saves.
MIN_PACKED = 8


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


class Frame(NamedTuple):
    """A frame before it is encoded: `frame`'s arguments."""

    channel: str
    kind: str
    rows: int
    reduced: bool
    x0: float
    x1: float
    arrays: list[tuple[str, np.ndarray]]
    error: str | None = None
    extra: dict | None = None


def on_grid(values: np.ndarray) -> tuple[str, float, float, np.ndarray] | None:
    """(type, from, step, k) with `from + k·step == values` exactly in float64 (the
    browser computes the same two roundings), for increasing values on a grid such
    as a rule's bucket times; None otherwise."""
    if len(values) < MIN_PACKED:
        return None
    start, step = float(values[0]), float((values[1:] - values[:-1]).min())
    if not (step > 0 and math.isfinite(start)):  # also false for a NaN
        return None
    steps = np.rint((values - start) / step)
    for name, dtype, most in STEP_TYPES:
        if steps[-1] <= most:
            if (start + steps * step == values).all():
                return name, start, step, steps.astype(dtype)
            return None
    return None


def pack(name: str, values: np.ndarray) -> tuple[list | None, bytes]:
    """The array's `packed` entry (None: float64) and its bytes, padded to 8: `x` on
    a grid as its steps, any array that float32 holds exactly as float32."""
    values = np.ascontiguousarray(values, dtype=FLOAT64)
    packed, data = None, None
    if name == "x":
        grid = on_grid(values)
        if grid is not None:
            kind, start, step, steps = grid
            packed, data = [kind, start, step], steps.tobytes()
    elif len(values) >= MIN_PACKED:
        with np.errstate(over="ignore"):  # beyond float32: inf, which fails the check
            narrow = values.astype(FLOAT32)
        # Bit for bit, so that -0.0 and NaN are held too.
        if (narrow.astype(FLOAT64).view("<u8") == values.view("<u8")).all():
            packed, data = ["f4"], narrow.tobytes()
    if data is None:
        return None, values.tobytes()
    return packed, data + b"\0" * (-len(data) % 8)


def frame(
    channel: str,
    kind: str,
    rows: int,
    reduced: bool,
    x0: float,
    x1: float,
    arrays: list[tuple[str, np.ndarray]],
    error: str | None = None,
    extra: dict | None = None,
) -> bytes:
    """One frame; all arrays must have the same length. `extra`: more header fields
    (a grouped frame's `runs`, a frame's `x` channel)."""
    packed, bodies = {}, []
    for name, array in arrays:
        entry, data = pack(name, array)
        if entry is not None:
            packed[name] = entry
        bodies.append(data)
    header = {
        "channel": channel,
        "kind": kind,
        "rows": int(rows),
        "reduced": bool(reduced),
        "x0": _number(float(x0)),
        "x1": _number(float(x1)),
        "arrays": [[name, len(array)] for name, array in arrays],
        **({"packed": packed} if packed else {}),
        "error": error,
        **(extra or {}),
    }
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    start = LENGTH.size + len(text)
    padding = -start % 8
    return LENGTH.pack(len(text)) + text + b"\0" * padding + b"".join(bodies)


def error_frame(channel: str, kind: str, error: str, extra: dict | None = None) -> bytes:
    """A channel that can't be drawn: no arrays, and why ("<file name>: <reason>")."""
    return frame(channel, kind, 0, False, 0.0, 0.0, [], error, extra)


def unpack(data: bytes, at: int, count: int, packed: list | None) -> tuple[np.ndarray, int]:
    """One array back as float64, and the offset past its padded bytes."""
    kind = packed[0] if packed else "f8"
    dtype = WIRE_TYPES[kind]
    raw = np.frombuffer(data, dtype, count, at)
    end = at + raw.nbytes + (-raw.nbytes % 8)
    if kind in ("u2", "u4"):
        return packed[1] + raw.astype(FLOAT64) * packed[2], end
    return raw.astype(FLOAT64, copy=False), end


def parse_frames(data: bytes) -> list[tuple[dict, dict[str, np.ndarray]]]:
    """Frames back into (header, arrays as float64); for tests and the bench."""
    out, at = [], 0
    while at < len(data):
        (length,) = LENGTH.unpack_from(data, at)
        header = json.loads(data[at + 4 : at + 4 + length].decode("utf-8"))
        at += 4 + length + (-(4 + length) % 8)
        arrays, packed = {}, header.get("packed", {})
        for name, count in header["arrays"]:
            arrays[name], at = unpack(data, at, count, packed.get(name))
        out.append((header, arrays))
    return out
