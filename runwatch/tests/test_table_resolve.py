"""Filter expressions wherever a run query goes: resolve_many, and so %runs, %review, %view."""

from __future__ import annotations

import pytest

import runwatch
from runwatch.store.resolve import BadQuery
from runwatch.tests.test_table_rows import write_run


@pytest.fixture
def sweep(store):
    return {
        lr: write_run(f"lr-{lr}", params={"lr": lr}, losses=(1.0, lr * 100))
        for lr in (1e-2, 1e-3, 1e-4)
    }


def test_resolve_many_keeps_the_runs_a_filter_matches_oldest_first(sweep):
    assert runwatch.resolve_many("lr<1e-2") == [sweep[1e-3], sweep[1e-4]]
    assert runwatch.resolve_many("loss.val.last >= 0.1") == [sweep[1e-2], sweep[1e-3]]
    assert runwatch.resolve_many(["lr == 1e-4", "-3"]) == [sweep[1e-2], sweep[1e-4]]


def test_no_match_names_the_filter_and_the_candidates(sweep):
    with pytest.raises(runwatch.RunNotFound) as caught:
        runwatch.resolve_many("lr > 1")
    message = str(caught.value)
    assert message.startswith("No run's table row matches the filter 'lr > 1' in ")
    assert sweep[1e-4] in message


def test_a_bad_expression_says_where(sweep):
    with pytest.raises(BadQuery) as caught:
        runwatch.resolve_many("lr < and loss.val.last")
    assert (
        str(caught.value) == "query: expected a value after '<' at column 6: lr < and loss.val.last"
    )
    assert isinstance(caught.value, runwatch.StoreError)


def test_runs_magic_lists_a_filters_runs(shell, sweep, published, capsys):
    shell.run_line_magic("runs", "lr<1e-3")
    lines = published[-1]["text/plain"].splitlines()
    assert len(lines) == 2 and lines[1].startswith(sweep[1e-4])
    shell.run_line_magic("runs", "lr < 1e-9")
    assert "No runs matching 'lr < 1e-9'" in published[-1]["text/plain"]
    shown = len(published)
    shell.run_line_magic("runs", 'status == "finished" and lr <')  # says why, no traceback
    assert capsys.readouterr().err.startswith("runwatch: %runs: query: expected a value")
    assert len(published) == shown


def test_an_exact_name_that_looks_like_a_filter_is_still_a_name(store, sweep):
    odd = store / "2024-01-01 00-00-00 a<b"
    odd.mkdir()
    (odd / "_info.json").write_text('{"_created": "2024-01-01 00:00:00+00:00"}')
    assert runwatch.resolve_many("2024-01-01 00-00-00 a<b") == [odd.name]
