"""Split a query into tokens, each with its 1-based column (in characters)."""

from __future__ import annotations

import re
from typing import NamedTuple

from .errors import QueryError, describe_char

WHITESPACE = frozenset(" \t\n\r\f\v")
NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
NAME_CHARS = NAME_START | frozenset("0123456789-")
DIGITS = frozenset("0123456789")
# What a number token may swallow before it is checked, so `1e-3x` is one bad number, not two tokens.
NUMBER_CHARS = NAME_CHARS | frozenset(".")
NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
OPERATORS = ("==", "!=", "<=", ">=", "<", ">", "~")  # two-character ones first
WORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})
ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t", "r": "\r"}
HINTS = {"=": "did you mean '=='?", "!": "use '!=' or 'not'", "&": "use 'and'", "|": "use 'or'"}


class Token(NamedTuple):
    kind: str  # name | number | string | op | word | punct | end
    text: str  # as written
    value: object  # the name, number or string it stands for
    column: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in WHITESPACE:
            i += 1
            continue
        start = i
        if c in NAME_START:
            i = _scan_name(text, i)
            word = text[start:i]
            kind = "word" if word in WORDS else "name"
            tokens.append(Token(kind, word, word, start + 1))
        elif c in DIGITS or _number_follows(text, i):
            i = _scan_number(text, i)
            number = text[start:i]
            if not NUMBER.fullmatch(number):
                raise QueryError(f"bad number '{number}'", start + 1, text)
            tokens.append(Token("number", number, float(number), start + 1))
        elif c in "\"'":
            i, value = _scan_string(text, i)
            tokens.append(Token("string", text[start:i], value, start + 1))
        elif c == "`":
            end = text.find("`", i + 1)
            if end < 0:
                raise QueryError("unclosed '`'", start + 1, text)
            if end == i + 1:
                raise QueryError("empty name in backticks", start + 1, text)
            i = end + 1
            tokens.append(Token("name", text[start:i], text[start + 1 : end], start + 1))
        elif c in "()[],":
            i += 1
            tokens.append(Token("punct", c, c, start + 1))
        else:
            op = next((op for op in OPERATORS if text.startswith(op, i)), None)
            if op is None:
                hint = HINTS.get(c)
                reason = f"unexpected character {describe_char(c)}" + (f" ({hint})" if hint else "")
                raise QueryError(reason, start + 1, text)
            i += len(op)
            tokens.append(Token("op", op, op, start + 1))
    tokens.append(Token("end", "", None, n + 1))
    return tokens


def _number_follows(text: str, i: int) -> bool:
    """Whether a number starts at `i` with '-' or '.': `-1`, `.5`, `-.5`."""
    if text[i] == "-":
        i += 1
    if text.startswith(".", i):
        i += 1
    return i > 0 and i < len(text) and text[i] in DIGITS and text[i - 1] in "-."


def _scan_name(text: str, i: int) -> int:
    """Parts of letters, digits, '_' and '-', joined by '.'; the first starts with a letter or '_'."""
    n = len(text)
    i += 1
    while True:
        while i < n and text[i] in NAME_CHARS:
            i += 1
        if i < n and text[i] == ".":
            if i + 1 >= n or text[i + 1] not in NAME_CHARS:
                raise QueryError("expected a name part after '.'", i + 2, text)
            i += 1
        else:
            return i


def _scan_number(text: str, i: int) -> int:
    n = len(text)
    i += 1
    while i < n and (text[i] in NUMBER_CHARS or (text[i] == "+" and text[i - 1] in "eE")):
        if text[i] == "-" and text[i - 1] not in "eE":
            break  # `1-2` is two numbers (and then an error), not one bad one
        i += 1
    return i


def _scan_string(text: str, i: int) -> tuple[int, str]:
    quote, start, n = text[i], i, len(text)
    i += 1
    parts: list[str] = []
    while i < n:
        c = text[i]
        if c == quote:
            return i + 1, "".join(parts)
        if c == "\\":
            if i + 1 >= n:
                break
            escaped = ESCAPES.get(text[i + 1])
            if escaped is None:
                raise QueryError(
                    f"unknown escape '\\{text[i + 1]}' in a string (use \\\\ for a backslash)",
                    i + 1,
                    text,
                )
            parts.append(escaped)
            i += 2
        else:
            parts.append(c)
            i += 1
    raise QueryError("unclosed string", start + 1, text)
