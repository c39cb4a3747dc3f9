"""The runs query language: a small, safe filter over run rows (never `eval`); see docs/queries.md.

    >>> f = parse_filter('lr < 1e-3 and status == "finished" and loss.val.last < 0.3')
    >>> f.matches({"params.lr": 1e-4, "status": "finished", "loss.val.last": 0.2})
    True

src/query/ is the TypeScript twin; test/vectors/query.json holds both to one definition.
"""

from __future__ import annotations

from collections.abc import Mapping

from .detect import is_filter
from .errors import MAX_DEPTH, MAX_LENGTH, QueryError
from .evaluate import MISSING, compile_node, lookup
from .parser import parse

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MISSING",
    "Filter",
    "QueryError",
    "is_filter",
    "lookup",
    "parse_filter",
]


class Filter:
    """A compiled filter: `matches(row)` is cheap; `names` is every identifier it references, as written."""

    __slots__ = ("_predicate", "names", "text")

    def __init__(self, text: str, names: frozenset[str], predicate):
        self.text = text
        self.names = names
        self._predicate = predicate

    def matches(self, row: Mapping[str, object]) -> bool:
        return bool(self._predicate(row))

    def __repr__(self) -> str:
        return f"Filter({self.text!r})"


def parse_filter(text: str) -> Filter:
    """Parse and compile a filter expression; raises QueryError naming the column."""
    if not isinstance(text, str):
        raise TypeError(f"a query is a str, not {type(text).__name__}")
    tree = parse(text)
    return Filter(text, frozenset(_names(tree)), compile_node(tree))


def _names(node: tuple):
    tag = node[0]
    if tag in ("or", "and"):
        for child in node[1]:
            yield from _names(child)
    elif tag == "not":
        yield from _names(node[1])
    elif tag == "truthy":
        yield node[1]
    else:
        for operand in node[1:3] if tag == "in" else node[2:4]:
            if isinstance(operand, tuple) and operand[0] == "name":
                yield operand[1]
