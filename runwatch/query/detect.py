"""Tell a filter expression from a run index, name, glob or bare word (docs/queries.md, "Filter or run?")."""

from __future__ import annotations

OPERATOR_CHARS = frozenset("<>~")
WHITESPACE = frozenset(" \t\n\r\f\v")
BEFORE_IN = WHITESPACE | frozenset("\"'`)")


def is_filter(text: object) -> bool:
    """Whether `text` has, outside quotes, a comparison (`== != < <= > >= ~`) or `in [` / `not in [`.

    Run names may hold any of these characters (only '/', '\\' and NUL are refused), so a run
    whose name has one is addressed by its index or by a glob with `?` in that place.
    """
    if not isinstance(text, str):
        return False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'`":
            i = _after_quoted(text, i)
            continue
        if c in OPERATOR_CHARS or (c in "=!" and text.startswith("=", i + 1)):
            return True
        if c == "i" and _is_in_operator(text, i):
            return True
        i += 1
    return False


def _after_quoted(text: str, i: int) -> int:
    """The index after the quoted text starting at `i`; the end if it never closes."""
    quote, n = text[i], len(text)
    i += 1
    while i < n:
        if text[i] == "\\" and quote != "`":
            i += 2
        elif text[i] == quote:
            return i + 1
        else:
            i += 1
    return n


def _is_in_operator(text: str, i: int) -> bool:
    """`in` as a word after a space, a closing quote or ')', and then '[' (spaces between allowed)."""
    if i == 0 or text[i - 1] not in BEFORE_IN or not text.startswith("in", i):
        return False
    j, n = i + 2, len(text)
    while j < n and text[j] in WHITESPACE:
        j += 1
    return j < n and text[j] == "["
