"""The shared query-language cases (test/vectors/query.json), checked against runwatch.query;
src/query/vectors.spec.ts checks the same cases against the TypeScript twin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runwatch.query import QueryError, is_filter, parse_filter

VECTORS = json.loads(
    (Path(__file__).resolve().parents[2] / "test" / "vectors" / "query.json").read_text()
)


def _decode(value):
    """{"$number": "NaN"} is NaN: JSON has no NaN."""
    if isinstance(value, dict) and set(value) == {"$number"}:
        return float(value["$number"])
    return value


ROWS = [{key: _decode(value) for key, value in row.items()} for row in VECTORS["rows"]]
CASES = VECTORS["cases"]


def _query(case) -> str:
    return case["query"] * case.get("repeat", 1) + case.get("then", "")


def _id(case) -> str:
    return f"{case['why']}: {_query(case)[:40]!r}"


@pytest.mark.parametrize("case", [c for c in CASES if "matches" in c], ids=_id)
def test_matches(case):
    query = parse_filter(_query(case))
    assert [i for i, row in enumerate(ROWS) if query.matches(row)] == case["matches"]


@pytest.mark.parametrize("case", [c for c in CASES if "error" in c], ids=_id)
def test_error(case):
    with pytest.raises(QueryError) as caught:
        parse_filter(_query(case))
    message = str(caught.value)
    assert case["error"] in message
    assert "\n" not in message


@pytest.mark.parametrize("case", [c for c in CASES if "is_filter" in c], ids=_id)
def test_is_filter(case):
    assert is_filter(_query(case)) is case["is_filter"]


def test_every_kind_of_case_is_there():
    kinds = [next(k for k in ("matches", "error", "is_filter") if k in case) for case in CASES]
    assert {kind: kinds.count(kind) >= 15 for kind in set(kinds)} == dict.fromkeys(
        ("matches", "error", "is_filter"), True
    )
