"""The shared run-matching cases (test/vectors/matching.json), checked against
`runwatch.resolve` and `runwatch.resolve_many`; test/matching.spec.ts checks the
same cases against the TypeScript resolver and the runs panel's filter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import runwatch
from runwatch.store.errors import AmbiguousRun, RunNotFound

VECTORS = Path(__file__).resolve().parents[2] / "test" / "vectors" / "matching.json"
MATCHING = json.loads(VECTORS.read_text())


@pytest.fixture
def vector_store(store: Path) -> Path:
    for run in MATCHING["runs"]:
        (store / run["name"]).mkdir(parents=True)
        if run["created"] is not None:
            info = {"_created": run["created"], "_files": {}}
            (store / run["name"] / "_info.json").write_text(json.dumps(info))
    return store


@pytest.mark.parametrize("case", MATCHING["cases"], ids=[c["why"] for c in MATCHING["cases"]])
def test_matching_vector(case, vector_store):
    query = case["query"]
    if case["many"] == "not found":
        with pytest.raises(RunNotFound):
            runwatch.resolve_many(query)
    else:
        assert runwatch.resolve_many(query) == case["many"]
    if case["one"] in ("not found", "ambiguous"):
        expected = RunNotFound if case["one"] == "not found" else AmbiguousRun
        with pytest.raises(expected) as caught:
            runwatch.resolve(query)
        for name in case["message_names"]:
            assert repr(name) in str(caught.value)
    else:
        assert runwatch.resolve(query) == case["one"]
