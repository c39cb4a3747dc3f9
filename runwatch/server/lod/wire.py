"""The series endpoint's binary frames (docs/server-api.md, "Series"):

FRAME = uint32 LE header length + UTF-8 JSON header + zero padding to a multiple
of 8 bytes (from the frame's start) + the arrays, little-endian float64, in the
order the header lists them.
"""

from __future__ import annotations

import json
import math
import struct
from typing import NamedTuple

import numpy as np

LENGTH = struct.Struct("<I")


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
    header = {
        "channel": channel,
        "kind": kind,
        "rows": int(rows),
        "reduced": bool(reduced),
        "x0": _number(float(x0)),
        "x1": _number(float(x1)),
        "arrays": [[name, len(array)] for name, array in arrays],
        "error": error,
        **(extra or {}),
    }
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    start = LENGTH.size + len(text)
    padding = -start % 8
    body = b"".join(np.ascontiguousarray(a, dtype="<f8").tobytes() for _, a in arrays)
    return LENGTH.pack(len(text)) + text + b"\0" * padding + body


def error_frame(channel: str, kind: str, error: str, extra: dict | None = None) -> bytes:
    """A channel that can't be drawn: no arrays, and why ("<file name>: <reason>")."""
    return frame(channel, kind, 0, False, 0.0, 0.0, [], error, extra)


def parse_frames(data: bytes) -> list[tuple[dict, dict[str, np.ndarray]]]:
    """Frames back into (header, arrays); for tests and the bench."""
    out, at = [], 0
    while at < len(data):
        (length,) = LENGTH.unpack_from(data, at)
        header = json.loads(data[at + 4 : at + 4 + length].decode("utf-8"))
        at += 4 + length + (-(4 + length) % 8)
        arrays = {}
        for name, count in header["arrays"]:
            arrays[name] = np.frombuffer(data, "<f8", count, at)
            at += 8 * count
        out.append((header, arrays))
    return out
