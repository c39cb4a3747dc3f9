"""The shared vectors in test/vectors/ stay fresh, and the reference matches pavlov."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from runwatch.store import kinds, layout
from runwatch.store.reading import read_channel
from runwatch.tests import make_vectors, reference

VECTORS = make_vectors.VECTORS


def same(a, b, path="") -> None:
    """Equal JSON, floats to 1e-12 relative."""
    if isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15), path
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), path
        for key in a:
            same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    else:
        assert a == b, path


@pytest.fixture(scope="module")
def committed() -> dict:
    return json.loads((VECTORS / "expected.json").read_text())


def test_regenerating_gives_the_committed_vectors(tmp_path: Path, committed):
    make_vectors.generate(tmp_path)
    same(json.loads((tmp_path / "expected.json").read_text()), committed)
    assert (tmp_path / "kinds.json").read_text() == (VECTORS / "kinds.json").read_text()


def test_committed_store_gives_the_committed_expectations(committed):
    cases = [tuple(c) for c in json.loads((VECTORS / "cases.json").read_text())]
    same(make_vectors.expected(VECTORS / "store", cases), committed)


def test_kinds_json_is_the_table():
    assert json.loads((VECTORS / "kinds.json").read_text()) == kinds.kinds_json()
    assert [k["name"] for k in kinds.kinds_json()["kinds"]] == [k.name for k in kinds.KINDS]


def test_vectors_cover_the_spec(committed):
    cases = committed["cases"]
    assert {c["kind"] for c in cases} == set(kinds.BY_NAME)
    assert {c["rule_s"] for c in cases} == {1, 10, 60}
    assert any(len(c["files"]) == 2 for c in cases)
    size = sum(p.stat().st_size for p in VECTORS.rglob("*") if p.is_file())
    assert size < 1_000_000


def test_stdlib_reader_agrees_with_the_vectors(committed):
    root = VECTORS / "store"
    for case in committed["cases"]:
        columns = read_channel(case["run"], case["channel"], root=root)
        created = int(case["created_ns"])
        assert [(t - created) / 1e9 for t in columns.pop("_time")] == case["raw"]["t"]
        raw = {k: v for k, v in case["raw"].items() if k != "t"}
        assert list(columns) == list(raw)
        for field, values in columns.items():
            assert [None if isinstance(v, float) and math.isnan(v) else v for v in values] == raw[
                field
            ]


def buckets(kind: str, rows: list[tuple], rule_s: float = 60) -> pd.DataFrame:
    """Run the reference on rows of (t seconds, field values...)."""
    names = [name for name, _ in kinds.BY_NAME[kind].args]
    index = pd.to_timedelta([t for t, *_ in rows], unit="s")
    raw = pd.DataFrame(
        [values for _, *values in rows], index=index, columns=names[: len(rows[0]) - 1], dtype=float
    )
    if kind in ("mean", "mean_percent", "maxrate") and "count" not in raw:
        raw["count"] = 1.0
    return reference.bucket(kind, raw, rule_s)


def test_pavlovs_test_mean():
    # pavlov: mean('test', 4, 2) at t=0, mean('test', 8, 2) at t=1 -> final 3
    out = buckets("mean", [(0, 4, 2), (1, 8, 2)])
    assert list(out["value"]) == [3.0]


def test_bins_are_left_closed_and_labelled_left():
    out = buckets("cumsum", [(59.999, 1), (60, 2), (185, 4)])
    assert list(out.index.total_seconds()) == [0, 60, 120, 180]
    assert list(out["value"]) == [1, 3, 3, 7]  # empty bucket sums to 0, so the cumsum holds


def test_bins_start_at_the_earliest_row_when_it_precedes_created():
    out = buckets("max", [(-7, 1), (65, 2)])
    assert list(out.index.total_seconds()) == [-7, 53]


def test_empty_buckets():
    rows = [(1, 1.0), (130, 2.0)]
    assert np.isnan(buckets("mean", rows)["value"].iloc[1])
    assert np.isnan(buckets("max", rows)["value"].iloc[1])
    assert list(buckets("last", rows)["value"]) == [1, 1, 2]  # forward-filled
    assert list(buckets("rate", rows)["value"])[1] == 0


def test_rate_and_period_use_the_data_span_from_zero():
    # span = last row - the t=0 NaN row = 20 s, shorter than the 60 s rule
    assert list(buckets("rate", [(10, 1), (20, 1)])["value"]) == [2 / 20]
    assert list(buckets("period", [(10, 1), (20, 1)])["value"]) == [20 / 2]
    assert list(buckets("rate", [(10, 3), (70, 3)])["value"]) == [3 / 60, 3 / 60]


def test_duty_divides_by_label_gaps_so_the_first_bucket_is_nan():
    out = buckets("duty", [(1, 6.0), (61, 30.0)])
    assert np.isnan(out["value"].iloc[0]) and out["value"].iloc[1] == 0.5


def test_timeaverage_weights_by_gap_to_previous_row():
    out = buckets("timeaverage", [(10, 1.0), (40, 4.0)])
    # dt from the t=0 NaN row: 10, then 30; mean(x*dt) = 65, mean(dt) = 20
    assert out["value"].iloc[0] == 65 / 20


def test_mean_std_and_quantile_columns():
    out = buckets("mean_std", [(1, 1.0, 1.0), (2, 3.0, 1.0)])
    assert list(out.columns) == ["mu", "sigma", "lo", "hi"]
    assert list(out.iloc[0]) == [2.0, 1.0, 0.0, 4.0]
    index = pd.to_timedelta([1], unit="s")
    raw = pd.DataFrame(
        [[1.0, 2.0, 3.0, 4.0, 5.0]], index=index, columns=[f"qs.{i}" for i in range(5)]
    )
    assert list(reference.bucket("quantiles", raw, 60).columns) == ["0", "25", "50", "75", "100"]


def test_created_str_matches_pandas():
    for ns in (0, 1_700_000_000_123_456_000, 1_700_000_000 * 10**9):
        assert layout.format_created(ns) == str(pd.Timestamp(ns, unit="ns", tz="UTC"))
