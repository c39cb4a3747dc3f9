"""The series frames' encoding (runwatch/server/lod/wire.py) against the shared
vectors in test/vectors/frames.json, which the browser's decoder reads too."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from runwatch.server.lod import wire
from runwatch.tests.make_frame_vectors import cases, vectors
from runwatch.tests.make_vectors import VECTORS

SHARED = json.loads((VECTORS / "frames.json").read_text())["frames"]


def _floats(values: list) -> np.ndarray:
    return np.array([math.nan if v is None else v for v in values], dtype=float)


def test_the_shared_vectors_are_what_the_encoder_writes():
    assert vectors()["frames"] == SHARED


@pytest.mark.parametrize("case", SHARED, ids=[c["about"][:40] for c in SHARED])
def test_every_vector_reads_back_bit_for_bit(case):
    [(header, arrays)] = wire.parse_frames(bytes.fromhex(case["bytes"]))
    assert header.get("packed", {}) == case["packed"]
    for name, values in case["arrays"].items():
        expected = _floats(values)
        assert arrays[name].dtype == np.float64
        assert arrays[name].view("<u8").tolist() == expected.view("<u8").tolist(), name


def test_packed_frames_are_smaller_and_padded_to_8_bytes():
    for about, arrays in cases():
        data = wire.frame("c", "mean", 1, True, 0, 1, list(arrays.items()))
        (length,) = wire.LENGTH.unpack_from(data)
        header = json.loads(data[4 : 4 + length])
        start = 4 + length + (-(4 + length) % 8)
        sizes = {"f8": 8, "f4": 4, "u2": 2, "u4": 4}
        packed = header.get("packed", {})
        body = sum(
            -(-n * sizes[packed.get(name, ["f8"])[0]] // 8) * 8 for name, n in header["arrays"]
        )
        assert len(data) == start + body, about
        assert len(data) % 8 == 0


def test_x_on_a_grid_of_60_s_buckets_takes_a_quarter_of_the_bytes():
    x = np.arange(0, 1440, dtype=float)[np.arange(1440) % 3 != 1] * 60
    packed, data = wire.pack("x", x)
    assert packed == ["u2", 0.0, 60.0] and len(data) == -(-len(x) * 2 // 8) * 8


@pytest.mark.parametrize(
    "x",
    [
        np.array([0, 60, 120, 180, 240, 300, 360, math.nan]),  # a NaN
        np.array([0, 60, 120, 180, 240, 300, 360, math.inf]),  # no grid reaches inf
        np.array([math.nan, 60, 120, 180, 240, 300, 360, 420]),
        np.array([420, 360, 300, 240, 180, 120, 60, 0], dtype=float),  # decreasing
        np.array([0, 60, 120, 180, 240, 300, 360, 5e9 * 60]),  # past 4-byte steps
        np.array([0, 60, 120, 180, 240, 300, 360, 395], dtype=float),  # off the grid
    ],
)
def test_x_off_any_grid_stays_float64(x):
    packed, data = wire.pack("x", x)
    assert packed is None and data == x.tobytes()


def test_a_value_float32_would_round_stays_float64():
    values = np.float32(np.arange(8)).astype(float)
    values[3] = 0.1
    packed, _ = wire.pack("value", values)
    assert packed is None
    values[3] = float(np.float32(0.1))
    assert wire.pack("value", values)[0] == ["f4"]


def test_values_beyond_float32_stay_float64_without_a_warning(recwarn):
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 1e300])
    packed, data = wire.pack("value", values)
    assert packed is None and data == values.tobytes()
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
