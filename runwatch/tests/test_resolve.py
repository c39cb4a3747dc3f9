"""Resolving run queries: integer index, exact name, glob, and the errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import runwatch
from runwatch.store.errors import AmbiguousRun, RunNotFound


def make_run(store: Path, name: str, created: str | None) -> str:
    (store / name).mkdir(parents=True)
    if created is not None:
        (store / name / "_info.json").write_text(json.dumps({"_created": created, "_files": {}}))
    return name


@pytest.fixture
def named(store: Path) -> list[str]:
    return [
        make_run(store, "2024-01-01 00-00-00 a-one", "2024-01-01 00:00:00.1+00:00"),
        # two in one second: `_created` breaks the tie, not the name
        make_run(store, "2024-01-02 00-00-00 z-two", "2024-01-02 00:00:00.1+00:00"),
        make_run(store, "2024-01-02 00-00-00 b-three", "2024-01-02 00:00:00.9+00:00"),
        make_run(store, "2024-01-03 00-00-00 c-four lr-sweep", "2024-01-03 00:00:00+00:00"),
        make_run(store, "2024-01-04 00-00-00 d-five lr-sweep", "2024-01-04 00:00:00+00:00"),
    ]


def test_integer_index_orders_by_created(named):
    assert runwatch.runs() == named
    assert [runwatch.resolve(i) for i in range(5)] == named
    assert [runwatch.resolve(i) for i in range(-1, -6, -1)] == named[::-1]
    assert runwatch.resolve("-2") == named[3]  # digits in a string index too


def test_index_skips_runs_without_readable_created(store, named):
    make_run(store, "2024-01-05 00-00-00 e-broken", None)
    make_run(store, "2024-01-06 00-00-00 f-halfway", None)
    (store / "2024-01-06 00-00-00 f-halfway" / "_info.json").write_text('{"_created": "2024-')
    assert runwatch.resolve(-1) == named[-1]
    assert runwatch.resolve(0) == named[0]


def test_unstamped_names_are_placed_by_created(store, named):
    make_run(store, "handmade", "2024-01-02 12:00:00+00:00")
    assert runwatch.resolve(3) == "handmade"


def test_index_out_of_range_lists_candidates(named):
    with pytest.raises(RunNotFound) as caught:
        runwatch.resolve(5)
    assert "out of range" in str(caught.value) and named[-1] in str(caught.value)
    with pytest.raises(RunNotFound):
        runwatch.resolve(-6)


def test_exact_name_beats_glob(store, named):
    tricky = make_run(store, "2024-01-05 00-00-00 g-six [x]*", "2024-01-05 00:00:00+00:00")
    assert runwatch.resolve(tricky) == tricky
    assert runwatch.resolve(named[1]) == named[1]


def test_glob(named):
    assert runwatch.resolve("*one") == named[0]
    assert runwatch.resolve_many("*lr-sweep") == named[3:]
    assert runwatch.resolve_many(["*five*", "*one"]) == [named[0], named[4]]


def test_no_match_names_candidates(named):
    with pytest.raises(RunNotFound) as caught:
        runwatch.resolve("*nothing*")
    message = str(caught.value)
    assert "*nothing*" in message and "5 runs" in message and named[-1] in message
    assert isinstance(caught.value, LookupError)


def test_ambiguous_names_matches(store, named):
    for i in range(12):
        make_run(
            store,
            f"2024-02-{i + 1:02d} 00-00-00 x-{i} lr-sweep",
            f"2024-02-{i + 1:02d} 00:00:00+00:00",
        )
    with pytest.raises(AmbiguousRun) as caught:
        runwatch.resolve("*lr-sweep")
    message = str(caught.value)
    assert "matches 14 runs" in message and "(and 4 more)" in message
    assert "x-11" in message  # newest first
    assert len(caught.value.matches) == 14 and isinstance(caught.value, ValueError)


def test_empty_store(store):
    assert runwatch.runs() == []
    with pytest.raises(RunNotFound, match="0 runs"):
        runwatch.resolve(-1)


def test_bad_query_type(named):
    with pytest.raises(TypeError):
        runwatch.resolve(True)
    with pytest.raises(TypeError):
        runwatch.resolve(1.5)


def test_a_query_longer_than_any_file_name_matches_nothing(store, named):
    # The kernel once raised OSError (ENAMETOOLONG) probing it as a folder.
    for query in ["x" * 300, "2024-01-01 00-00-00 " + "x" * 300]:
        with pytest.raises(RunNotFound, match="No run matches"):
            runwatch.resolve(query, store)
