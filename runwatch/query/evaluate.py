"""Compile a parsed query into a predicate over rows, once; `matches` then only calls closures.

Semantics (docs/queries.md, "What a comparison means"): a missing field or null makes every
comparison false except `== null` / `!= null`; numbers compare numerically (bool is not a number),
strings by code point; mixed types are unequal and unordered; NaN compares false everywhere.
"""

from __future__ import annotations

import math
import numbers
import operator
import re
from collections.abc import Callable, Mapping
from fnmatch import translate

Row = Mapping[str, object]
Predicate = Callable[[Row], bool]


class _Missing:
    """The value of a field a row doesn't have (distinct from null only in `lookup`'s answer)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()

NULL, BOOL, NUMBER, STRING, OTHER = range(5)


def lookup(row: Row, name: str) -> object:
    """`row[name]`, else `row["params." + name]`, else MISSING: `lr` finds the flattened param `params.lr`."""
    value = row.get(name, MISSING)
    return row.get("params." + name, MISSING) if value is MISSING else value


def kind_of(value: object) -> int:
    if value is None or value is MISSING:
        return NULL
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, str):
        return STRING
    if isinstance(value, numbers.Real):  # numpy's ints and floats too
        return NUMBER
    if getattr(getattr(value, "dtype", None), "kind", None) == "b":  # numpy.bool_
        return BOOL
    return OTHER


def is_truthy(value: object) -> bool:
    kind = kind_of(value)
    if kind == NULL:
        return False
    if kind == NUMBER:
        return value != 0 and not _is_nan(value)
    if kind == OTHER:
        try:
            return len(value) > 0  # lists and objects: non-empty, as in TypeScript
        except TypeError:
            return True
    return bool(value)


def _is_nan(value: object) -> bool:
    return (
        kind_of(value) == NUMBER and not isinstance(value, numbers.Integral) and math.isnan(value)
    )


def _equal(a: object, b: object) -> bool:
    kind = kind_of(a)
    return kind in (BOOL, NUMBER, STRING) and kind == kind_of(b) and bool(a == b)


def _not_equal(a: object, b: object) -> bool:
    kind_a, kind_b = kind_of(a), kind_of(b)
    if NULL in (kind_a, kind_b) or _is_nan(a) or _is_nan(b):
        return False
    return kind_a != kind_b or kind_a == OTHER or bool(a != b)


def _ordered(compare: Callable[[object, object], bool]) -> Callable[[object, object], bool]:
    def ordered(a: object, b: object) -> bool:
        kind = kind_of(a)
        return kind in (NUMBER, STRING) and kind == kind_of(b) and bool(compare(a, b))

    return ordered


COMPARISONS: dict[str, Callable[[object, object], bool]] = {
    "==": _equal,
    "!=": _not_equal,
    "<": _ordered(lambda a, b: a < b),
    "<=": _ordered(lambda a, b: a <= b),
    ">": _ordered(lambda a, b: a > b),
    ">=": _ordered(lambda a, b: a >= b),
}


def _glob(text: object, pattern: object) -> bool:
    if not isinstance(text, str) or not isinstance(pattern, str):
        return False
    return _compiled_glob(pattern).match(text) is not None


_GLOBS: dict[str, re.Pattern] = {}


def _compiled_glob(pattern: str) -> re.Pattern:
    compiled = _GLOBS.get(pattern)
    if compiled is None:
        if len(_GLOBS) > 1000:  # patterns read from rows: keep the cache bounded
            _GLOBS.clear()
        compiled = _GLOBS[pattern] = re.compile(translate(pattern))
    return compiled


def compile_node(node: tuple) -> Predicate:
    tag = node[0]
    if tag == "or":
        parts = [compile_node(child) for child in node[1]]

        def either(row: Row) -> bool:
            for part in parts:
                if part(row):
                    return True
            return False

        return either
    if tag == "and":
        parts = [compile_node(child) for child in node[1]]

        def both(row: Row) -> bool:
            for part in parts:
                if not part(row):
                    return False
            return True

        return both
    if tag == "not":
        inner = compile_node(node[1])
        return lambda row: not inner(row)
    if tag == "truthy":
        get = _operand(("name", node[1]))
        return lambda row: is_truthy(get(row))
    if tag == "in":
        return _membership(_operand(node[1]), node[2], node[3])
    _, op, left, right = node
    return _comparison(op, left, right)


def _operand(operand: tuple) -> Callable[[Row], object]:
    if operand[0] == "value":
        value = operand[1]
        return lambda row: value
    name, alternative = operand[1], "params." + operand[1]

    def get(row: Row) -> object:
        value = row.get(name, MISSING)
        return row.get(alternative, MISSING) if value is MISSING else value

    return get


def _comparison(op: str, left: tuple, right: tuple) -> Predicate:
    get_left, get_right = _operand(left), _operand(right)
    if ("value", None) in (left, right):  # the null tests: `x == null`, `x != null`
        other = get_right if left == ("value", None) else get_left
        if op == "==":
            return lambda row: kind_of(other(row)) == NULL
        return lambda row: kind_of(other(row)) != NULL
    if op == "~":
        if right[0] == "value":
            glob = _compiled_glob(right[1])
            return lambda row: (
                isinstance(text := get_left(row), str) and glob.match(text) is not None
            )
        return lambda row: _glob(get_left(row), get_right(row))
    compare = COMPARISONS[op]
    if left[0] == "name" and right[0] == "value":
        return _against_literal(op, compare, get_left, right[1])
    return lambda row: compare(get_left(row), get_right(row))


FAST = {"==": operator.eq, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _against_literal(op: str, compare, get: Callable[[Row], object], literal: object) -> Predicate:
    """`name OP literal`, the common clause: plain floats, ints and strs skip the kind dispatch."""
    fast = FAST.get(op)
    if fast is None or isinstance(literal, bool):
        return lambda row: compare(get(row), literal)
    same = (float, int) if isinstance(literal, float) else (str,)

    def against(row: Row) -> bool:
        value = get(row)
        if (
            value.__class__ in same
        ):  # exact types: bool and str or float subclasses take the slow path
            return fast(value, literal)
        return compare(value, literal)

    return against


def _membership(get: Callable[[Row], object], values: list, negated: bool) -> Predicate:
    has_null = None in values
    present = [value for value in values if value is not None]

    def is_in(row: Row) -> bool:
        value = get(row)
        if kind_of(value) == NULL:
            return has_null
        return any(_equal(value, item) for item in present)

    def not_in(row: Row) -> bool:
        value = get(row)
        if kind_of(value) == NULL:
            return False  # as `x != 1`: a missing field compares false
        return all(_not_equal(value, item) for item in present)

    return not_in if negated else is_in
