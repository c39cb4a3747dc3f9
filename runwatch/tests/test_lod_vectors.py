"""The server's numpy kinds and M4 (runwatch/server/lod/) against the shared vectors:
expected.json (the pandas reference, read from the committed store's files) and
series.json (TypeScript's channelSeries and reduceSeries), both at 1e-9."""

from __future__ import annotations

import json

import numpy as np
import pytest

from runwatch.server.lod import kinds, m4, rows
from runwatch.server.paths import StorePaths
from runwatch.tests.make_vectors import VECTORS

EXPECTED = json.loads((VECTORS / "expected.json").read_text())["cases"]
SERIES = json.loads((VECTORS / "series.json").read_text())


def from_json(values: list) -> np.ndarray:
    special = {None: np.nan, "Infinity": np.inf, "-Infinity": -np.inf}
    return np.array(
        [special.get(v, v) if not isinstance(v, (int, float)) else v for v in values], float
    )


def assert_close(actual: np.ndarray, expected: list, what: str) -> None:
    """Equal to 1e-9, relative or absolute, whichever is larger; NaN equals NaN."""
    want = from_json(expected)
    actual = np.asarray(actual, float)
    assert actual.shape == want.shape, what
    finite = np.isfinite(want)
    error = np.abs(actual[finite] - want[finite])
    assert np.all(error <= 1e-9 * np.maximum(1, np.abs(want[finite]))), what
    assert np.array_equal(actual[~finite], want[~finite], equal_nan=True), what


@pytest.mark.parametrize(
    "case", EXPECTED, ids=[f"{c['channel']}-{c['kind']}-{c['rule_s']}" for c in EXPECTED]
)
def test_pandas_reference(case):
    paths = StorePaths(VECTORS / "store")
    run = rows.run_channels(paths, case["run"])
    spec = run.channels[case["channel"]]
    assert spec.kind == case["kind"]
    fields = rows.read_channel(paths, run, spec)
    for name, values in case["raw"].items():
        assert_close(fields["_time" if name == "t" else name], values, name)
    series = kinds.channel_series(case["kind"], fields, case["rule_s"], case["channel"])
    assert_close(series.x, case["index"], "index")
    assert sorted(series.columns) == sorted(case["columns"])
    for name, values in case["columns"].items():
        assert_close(series.columns[name], values, name)


SERIES_CASES = [(c, out) for c in SERIES["series"] for out in c["rules"]]


@pytest.mark.parametrize(
    "case, output", SERIES_CASES, ids=[f"{c['name']} at {o['rule']}" for c, o in SERIES_CASES]
)
def test_typescript_series(case, output):
    fields = {name: from_json(values) for name, values in case["fields"].items()}
    series = kinds.channel_series(case["kind"], fields, output["rule"], case["name"])
    assert_close(series.x, output["x"], "x")
    assert list(series.columns) == list(output["columns"])  # the wire lists them in this order
    for name, values in output["columns"].items():
        assert_close(series.columns[name], values, name)
    assert (series.band is None) == (output["band"] is None)
    if series.band is not None:
        assert_close(series.band[0], output["band"]["lo"], "band.lo")
        assert_close(series.band[1], output["band"]["hi"], "band.hi")


@pytest.mark.parametrize("case", SERIES["reduce"]["cases"], ids=lambda c: c["name"])
def test_typescript_reduce(case):
    x = from_json(SERIES["reduce"]["x"])
    columns = [from_json(SERIES["reduce"]["columns"][name]) for name in case["columns"]]
    result = m4.reduce_series(x, columns, case["x0"], case["x1"], case["bins"])
    kept = list(range(len(x))) if result.rows is None else result.rows.tolist()
    assert kept == case["rows"]
    assert result.reduced == case["reduced"]


def test_vectors_cover_every_kind_and_a_reduction():
    assert {c["kind"] for c in SERIES["series"]} == set(kinds.kind_table.BY_NAME)
    assert any(c["reduced"] for c in SERIES["reduce"]["cases"])
