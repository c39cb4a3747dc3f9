"""runwatch.query's Python API beyond the shared vectors: names, lookup, error fields, numpy values."""

from __future__ import annotations

import numpy as np
import pytest

from runwatch.query import MISSING, QueryError, is_filter, lookup, parse_filter


def test_names_are_every_identifier_as_written():
    query = parse_filter('lr < 1e-3 and status == "finished" and loss.val.last < 0.3')
    assert query.names == frozenset({"lr", "status", "loss.val.last"})
    query = parse_filter("debug or `weird name.last` in [1] or not params.seed != other")
    assert query.names == frozenset({"debug", "weird name.last", "params.seed", "other"})


def test_names_leave_out_keywords_and_values():
    assert parse_filter('x == null and y not in [true, "z"]').names == frozenset({"x", "y"})


def test_lookup_prefers_the_field_then_the_param():
    row = {
        "lr": 0.5,
        "params.lr": 0.1,
        "params.optim.beta1": 0.9,
        "loss.val.last": 0.2,
        "gone": None,
    }
    assert lookup(row, "lr") == 0.5
    assert lookup(row, "params.lr") == 0.1
    assert lookup(row, "optim.beta1") == 0.9
    assert lookup(row, "loss.val.last") == 0.2
    assert lookup(row, "gone") is None
    assert lookup(row, "nothing") is MISSING


def test_a_null_field_hides_the_param_of_the_same_name():
    query = parse_filter("lr == 0.1")
    assert not query.matches({"lr": None, "params.lr": 0.1})
    assert query.matches({"params.lr": 0.1})


def test_query_error_is_a_value_error_with_the_column():
    with pytest.raises(ValueError) as caught:
        parse_filter("lr < and x")
    error = caught.value
    assert isinstance(error, QueryError)
    assert (error.column, error.reason) == (6, "expected a value after '<'")
    assert str(error) == "query: expected a value after '<' at column 6: lr < and x"


def test_a_multiline_query_gives_a_one_line_message():
    with pytest.raises(QueryError) as caught:
        parse_filter("lr < 1\nand\n")
    assert str(caught.value) == "query: expected a condition after 'and' at column 12: lr < 1 and "


def test_a_query_must_be_a_string():
    with pytest.raises(TypeError):
        parse_filter(3)


def test_is_filter_takes_any_query_a_resolver_sees():
    assert not is_filter(-1)
    assert not is_filter(None)
    assert is_filter("seed in [1]")


def test_numpy_values_compare_as_numbers_and_booleans():
    row = {"params.lr": np.float32(0.5), "params.seed": np.int64(3), "params.debug": np.bool_(True)}
    assert parse_filter("lr > 0.25 and seed == 3 and debug").matches(row)
    assert parse_filter("debug == true").matches(row)
    assert not parse_filter("debug == 1").matches(row)
    assert not parse_filter("seed == true").matches(row)
    assert parse_filter("not (lr > 1)").matches({"params.lr": np.float64("nan")})
    assert not parse_filter("lr != 1").matches({"params.lr": np.float64("nan")})


def test_nesting_at_the_limit_stays_inside_the_recursion_limit():
    query = parse_filter("not (" * 50 + "x" + ")" * 50)
    assert query.matches({"x": 1})
    assert not query.matches({})


def test_a_filter_is_reused_across_rows():
    query = parse_filter('name ~ "*sweep*" and seed in [1, 2]')
    rows = [{"name": f"run {i} lr-sweep", "params.seed": i % 4} for i in range(8)]
    assert [row["name"] for row in rows if query.matches(row)] == [
        "run 1 lr-sweep",
        "run 2 lr-sweep",
        "run 5 lr-sweep",
        "run 6 lr-sweep",
    ]
