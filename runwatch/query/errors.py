"""QueryError and the limits a query must keep; src/query/errors.ts words every message the same."""

from __future__ import annotations

MAX_LENGTH = 10_000  # characters (code points); a query also arrives in HTTP requests
MAX_DEPTH = 100  # nested '(' and 'not': the parser recurses, so bound it
ECHO_LENGTH = 200  # characters of the query repeated after a message


def is_unprintable(code: int) -> bool:
    """Characters that would break a one-line message or hide: controls, line separators, surrogates."""
    return (
        code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029) or 0xD800 <= code <= 0xDFFF
    )


def one_line(text: str) -> str:
    """`text` with each unprintable character replaced by one space, so columns still line up."""
    return "".join(" " if is_unprintable(ord(c)) else c for c in text)


def describe_char(char: str) -> str:
    code = ord(char)
    return f"U+{code:04X}" if is_unprintable(code) else f"'{char}'"


def describe_text(text: str) -> str:
    """Source text quoted for a message, cut at 30 characters."""
    return f"'{text[:30]}…'" if len(text) > 30 else f"'{text}'"


class QueryError(ValueError):
    """A query that is not a valid filter. str() is one line:
    `query: <reason> at column <n>: <the query>`; `column` is 1-based (None for the whole query)."""

    def __init__(self, reason: str, column: int | None = None, text: str = ""):
        self.reason = reason
        self.column = column
        self.text = text
        if column is None:
            message = f"query: {reason}"
        else:
            echo = text if len(text) <= ECHO_LENGTH else text[:ECHO_LENGTH] + "…"
            message = f"query: {reason} at column {column}: {echo}"
        super().__init__(one_line(message))
