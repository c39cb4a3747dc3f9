"""Write test/vectors/frames.json: `python -m runwatch.tests.make_frame_vectors`.

Series frames as the server's encoder (runwatch/server/lod/wire.py) writes them,
with the values they must decode to. runwatch/tests/test_wire.py checks the
encoder still writes these bytes and reads them back; src/plots/data/
seriesFrames.spec.ts checks the browser decodes them to the same values.
"""

from __future__ import annotations

import json
import math

import numpy as np

from runwatch.server.lod import wire
from runwatch.tests.make_vectors import VECTORS

HEADER = {"kind": "mean", "rows": 1000, "reduced": True, "x0": 0.0, "x1": 86400.0}
RNG = np.random.default_rng(10)
BUCKETS = np.array([0, 1, 2, 5, 9, 10, 11, 400, 1439], dtype=float)
# A value float32 holds exactly, with a NaN, -0.0 and a subnormal of float32.
FLOAT32_EXACT = np.float32([0.5, -0.0, math.nan, 3.0, 1e-45, 0.1, 2.0**100, -7.25, 1.0])


def cases() -> list[tuple[str, dict[str, np.ndarray]]]:
    n = len(BUCKETS)
    return [
        (
            "60 s buckets: x as 2-byte steps of 60 from 0; means stay float64",
            {
                "x": BUCKETS * 60,
                "value": RNG.random(n),
                "band.lo": RNG.random(n) - 1,
                "band.hi": RNG.random(n) + 1,
            },
        ),
        (
            "1 s buckets of a long run: 4-byte steps (past 65,535)",
            {
                "x": np.array([0, 1, 2, 3, 4, 5, 6, 70000, 90000], dtype=float),
                "value": RNG.random(n),
            },
        ),
        (
            "a grid off zero with a step that is no integer: 1.5 + k * 0.25",
            {"x": 1.5 + BUCKETS * 0.25, "value": RNG.random(n)},
        ),
        (
            "1.5 + k * 0.1: its gaps are not all the same float64, so x stays float64",
            {"x": 1.5 + np.arange(n) * 0.1, "value": RNG.random(n)},
        ),
        (
            "raw rows' times, no grid: x float64; values float32 holds exactly go as float32",
            {"x": np.sort(RNG.random(n) * 100), "value": FLOAT32_EXACT.astype(np.float64)},
        ),
        (
            "fewer than 8 values: every array float64",
            {"x": np.array([0.0, 60.0, 120.0]), "value": np.array([0.5, 1.0, 2.0])},
        ),
        (
            "x that repeats a time (M4 of rows with one time): float64",
            {"x": np.array([0, 1, 1, 2, 3, 4, 5, 6, 7], dtype=float) * 60, "value": RNG.random(n)},
        ),
    ]


def _json(values: np.ndarray) -> list:
    """NaN as null; -0.0 stays -0.0 in JSON."""
    return [None if math.isnan(v) else v for v in values.tolist()]


def vectors() -> dict:
    out = []
    for about, arrays in cases():
        header = {**HEADER, "channel": "loss"}
        data = wire.frame(
            header["channel"],
            header["kind"],
            header["rows"],
            header["reduced"],
            header["x0"],
            header["x1"],
            list(arrays.items()),
        )
        (length,) = wire.LENGTH.unpack_from(data)
        packed = json.loads(data[4 : 4 + length]).get("packed", {})
        out.append(
            {
                "about": about,
                "arrays": {name: _json(values) for name, values in arrays.items()},
                "packed": packed,
                "bytes": data.hex(),
            }
        )
    return {
        "about": __doc__.split("\n\n", 1)[1].replace("\n", " ").strip(),
        "frames": out,
    }


if __name__ == "__main__":
    text = json.dumps(vectors(), indent=1) + "\n"
    (VECTORS / "frames.json").write_text(text)
