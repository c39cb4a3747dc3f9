"""Parse tokens into a small tree. Grammar (docs/queries.md):

    query      := or EOF
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | "(" or ")" | clause
    clause     := operand (OP operand | ["not"] "in" list)?      a lone operand must be a name
    operand    := name | value
    list       := "[" (value ("," value)*)? "]"

Nodes are tuples: ("or", [nodes]), ("and", [nodes]), ("not", node), ("truthy", name),
("compare", op, left, right), ("in", left, [values], negated); an operand is ("name", str)
or ("value", v). Nesting of '(' and 'not' is capped at MAX_DEPTH, so recursion stays shallow.
"""

from __future__ import annotations

from .errors import MAX_DEPTH, MAX_LENGTH, QueryError, describe_text
from .lexer import Token, tokenize

VALUE_WORDS = {"true": True, "false": False, "null": None}


def parse(text: str) -> tuple:
    if len(text) > MAX_LENGTH:
        raise QueryError(f"the query is longer than {MAX_LENGTH} characters")
    tokens = tokenize(text)
    if tokens[0].kind == "end":
        raise QueryError("the query is empty")
    return _Parser(text, tokens).query()


class _Parser:
    def __init__(self, text: str, tokens: list[Token]):
        self.text = text
        self.tokens = tokens
        self.at = 0
        self.depth = 0

    def fail(self, reason: str, token: Token):
        raise QueryError(reason, token.column, self.text)

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def is_word(self, token: Token, word: str) -> bool:
        return token.kind == "word" and token.text == word

    def query(self) -> tuple:
        node = self.either(None)
        if self.peek().kind != "end":
            self.fail("expected 'and', 'or' or the end", self.peek())
        return node

    def either(self, after: Token | None) -> tuple:
        nodes = [self.both(after)]
        while self.is_word(self.peek(), "or"):
            nodes.append(self.both(self.take()))
        return nodes[0] if len(nodes) == 1 else ("or", nodes)

    def both(self, after: Token | None) -> tuple:
        nodes = [self.negation(after)]
        while self.is_word(self.peek(), "and"):
            nodes.append(self.negation(self.take()))
        return nodes[0] if len(nodes) == 1 else ("and", nodes)

    def negation(self, after: Token | None) -> tuple:
        token = self.peek()
        if self.is_word(token, "not") or (token.kind == "punct" and token.text == "("):
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                self.fail(f"nested deeper than {MAX_DEPTH} levels", token)
            if token.text == "not":
                node = ("not", self.negation(token))
            else:
                node = self.either(token)
                closing = self.peek()
                if closing.kind == "end":
                    self.fail("unclosed '('", token)
                if closing.text != ")" or closing.kind != "punct":
                    self.fail("expected 'and', 'or' or ')'", closing)
                self.take()
            self.depth -= 1
            return node
        return self.clause(after)

    def clause(self, after: Token | None) -> tuple:
        first = self.peek()
        left = self.operand(first)
        if left is None:
            self.fail(
                "expected a condition" + (f" after {describe_text(after.text)}" if after else ""),
                first,
            )
        self.take()
        token = self.peek()
        if token.kind == "op":
            self.take()
            right_token = self.peek()
            right = self.operand(right_token)
            if right is None:
                self.fail(f"expected a value after '{token.text}'", right_token)
            self.take()
            self.check_compare(token, first, left, right_token, right)
            return ("compare", token.text, left, right)
        negated = self.is_word(token, "not")
        if negated:
            if not self.is_word(self.peek(1), "in"):
                self.fail("expected 'in' after 'not'", self.peek(1))
            self.take()
        if self.is_word(self.peek(), "in"):
            return ("in", left, self.values(self.take()), negated)
        if left[0] != "name":
            self.fail(f"expected an operator after {describe_text(first.text)}", token)
        return ("truthy", left[1])

    def operand(self, token: Token) -> tuple | None:
        if token.kind == "name":
            return ("name", token.value)
        if token.kind in ("number", "string"):
            return ("value", token.value)
        if token.kind == "word" and token.text in VALUE_WORDS:
            return ("value", VALUE_WORDS[token.text])
        return None

    def check_compare(self, op: Token, left_token, left, right_token, right) -> None:
        if op.text == "~" and right[0] == "value" and not isinstance(right[1], str):
            self.fail("expected a string pattern after '~'", right_token)
        if op.text not in ("==", "!="):
            for token, operand in ((left_token, left), (right_token, right)):
                if operand == ("value", None):
                    self.fail("null can only be compared with '==' or '!='", token)

    def values(self, in_token: Token) -> list:
        opening = self.peek()
        if opening.kind != "punct" or opening.text != "[":
            self.fail("expected '[' after 'in'", opening)
        self.take()
        values: list = []
        if self.peek().text == "]" and self.peek().kind == "punct":
            self.take()
            return values
        while True:
            token = self.peek()
            value = self.operand(token)
            if value is None or value[0] != "value":
                if token.kind == "end":
                    self.fail("unclosed '['", opening)
                self.fail("expected a value in the list", token)
            self.take()
            values.append(value[1])
            token = self.take()
            if token.kind == "punct" and token.text == "]":
                return values
            if token.kind == "end":
                self.fail("unclosed '['", opening)
            if token.kind != "punct" or token.text != ",":
                self.fail("expected ',' or ']'", token)
