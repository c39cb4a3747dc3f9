/**
 * Parse a query into a small tree; `runwatch/query/parser.py` is the same
 * parser in Python. Grammar (docs/queries.md):
 *
 *     query      := or EOF
 *     or         := and ("or" and)*
 *     and        := not ("and" not)*
 *     not        := "not" not | "(" or ")" | clause
 *     clause     := operand (OP operand | ["not"] "in" list)?   a lone operand must be a name
 *     operand    := name | value
 *     list       := "[" (value ("," value)*)? "]"
 *
 * #### Notes
 * Nesting of `(` and `not` is capped at MAX_DEPTH, so recursion stays shallow
 * whatever a request sends; `and`/`or` chains are loops.
 */
import { describeText, MAX_DEPTH, MAX_LENGTH, QueryError } from './errors';
import { IToken, tokenize } from './lexer';

export type Value = null | boolean | number | string;

export type Operand =
  { kind: 'name'; name: string } | { kind: 'value'; value: Value };

export type QueryNode =
  | { tag: 'or' | 'and'; nodes: QueryNode[] }
  | { tag: 'not'; node: QueryNode }
  | { tag: 'truthy'; name: string }
  | { tag: 'compare'; op: string; left: Operand; right: Operand }
  | { tag: 'in'; left: Operand; values: Value[]; negated: boolean };

const VALUE_WORDS: Record<string, Value> = {
  true: true,
  false: false,
  null: null
};

export function parse(text: string): QueryNode {
  if (text.length > MAX_LENGTH && codePoints(text) > MAX_LENGTH) {
    throw new QueryError(`the query is longer than ${MAX_LENGTH} characters`);
  }
  const tokens = tokenize(text);
  if (tokens[0].kind === 'end') {
    throw new QueryError('the query is empty');
  }
  return new Parser(text, tokens).query();
}

function codePoints(text: string): number {
  // Past 2 * MAX_LENGTH units it is too long whatever the surrogates: don't copy a huge text.
  return text.length > 2 * MAX_LENGTH ? text.length : Array.from(text).length;
}

class Parser {
  constructor(
    private readonly text: string,
    private readonly tokens: IToken[]
  ) {}

  query(): QueryNode {
    const node = this.either(null);
    if (this.peek().kind !== 'end') {
      this.fail("expected 'and', 'or' or the end", this.peek());
    }
    return node;
  }

  private at = 0;
  private depth = 0;

  private fail(reason: string, token: IToken): never {
    throw new QueryError(reason, token.column, this.text);
  }

  private peek(ahead = 0): IToken {
    return this.tokens[Math.min(this.at + ahead, this.tokens.length - 1)];
  }

  private take(): IToken {
    return this.tokens[Math.min(this.at++, this.tokens.length - 1)];
  }

  private either(after: IToken | null): QueryNode {
    const nodes = [this.both(after)];
    while (isWord(this.peek(), 'or')) {
      nodes.push(this.both(this.take()));
    }
    return nodes.length === 1 ? nodes[0] : { tag: 'or', nodes };
  }

  private both(after: IToken | null): QueryNode {
    const nodes = [this.negation(after)];
    while (isWord(this.peek(), 'and')) {
      nodes.push(this.negation(this.take()));
    }
    return nodes.length === 1 ? nodes[0] : { tag: 'and', nodes };
  }

  private negation(after: IToken | null): QueryNode {
    const token = this.peek();
    const isNot = isWord(token, 'not');
    if (!isNot && !isPunct(token, '(')) {
      return this.clause(after);
    }
    this.take();
    if (++this.depth > MAX_DEPTH) {
      this.fail(`nested deeper than ${MAX_DEPTH} levels`, token);
    }
    let node: QueryNode;
    if (isNot) {
      node = { tag: 'not', node: this.negation(token) };
    } else {
      node = this.either(token);
      const closing = this.peek();
      if (closing.kind === 'end') {
        this.fail("unclosed '('", token);
      }
      if (!isPunct(closing, ')')) {
        this.fail("expected 'and', 'or' or ')'", closing);
      }
      this.take();
    }
    this.depth--;
    return node;
  }

  private clause(after: IToken | null): QueryNode {
    const first = this.peek();
    const left = operand(first);
    if (left === null) {
      return this.fail(
        'expected a condition' +
          (after ? ` after ${describeText(after.text)}` : ''),
        first
      );
    }
    this.take();
    const token = this.peek();
    if (token.kind === 'op') {
      this.take();
      const rightToken = this.peek();
      const right = operand(rightToken);
      if (right === null) {
        return this.fail(`expected a value after '${token.text}'`, rightToken);
      }
      this.take();
      this.checkCompare(token, first, left, rightToken, right);
      return { tag: 'compare', op: token.text, left, right };
    }
    const negated = isWord(token, 'not');
    if (negated) {
      if (!isWord(this.peek(1), 'in')) {
        this.fail("expected 'in' after 'not'", this.peek(1));
      }
      this.take();
    }
    if (isWord(this.peek(), 'in')) {
      this.take();
      return { tag: 'in', left, values: this.values(), negated };
    }
    if (left.kind !== 'name') {
      return this.fail(
        `expected an operator after ${describeText(first.text)}`,
        token
      );
    }
    return { tag: 'truthy', name: left.name };
  }

  private checkCompare(
    op: IToken,
    leftToken: IToken,
    left: Operand,
    rightToken: IToken,
    right: Operand
  ): void {
    if (
      op.text === '~' &&
      right.kind === 'value' &&
      typeof right.value !== 'string'
    ) {
      this.fail("expected a string pattern after '~'", rightToken);
    }
    if (op.text !== '==' && op.text !== '!=') {
      for (const [token, side] of [
        [leftToken, left],
        [rightToken, right]
      ] as const) {
        if (side.kind === 'value' && side.value === null) {
          this.fail("null can only be compared with '==' or '!='", token);
        }
      }
    }
  }

  private values(): Value[] {
    const opening = this.peek();
    if (!isPunct(opening, '[')) {
      this.fail("expected '[' after 'in'", opening);
    }
    this.take();
    const values: Value[] = [];
    if (isPunct(this.peek(), ']')) {
      this.take();
      return values;
    }
    for (;;) {
      const token = this.peek();
      const value = operand(token);
      if (value === null || value.kind !== 'value') {
        if (token.kind === 'end') {
          this.fail("unclosed '['", opening);
        }
        return this.fail('expected a value in the list', token);
      }
      this.take();
      values.push(value.value);
      const next = this.take();
      if (isPunct(next, ']')) {
        return values;
      }
      if (next.kind === 'end') {
        this.fail("unclosed '['", opening);
      }
      if (!isPunct(next, ',')) {
        this.fail("expected ',' or ']'", next);
      }
    }
  }
}

function operand(token: IToken): Operand | null {
  if (token.kind === 'name') {
    return { kind: 'name', name: token.value as string };
  }
  if (token.kind === 'number' || token.kind === 'string') {
    return { kind: 'value', value: token.value };
  }
  if (token.kind === 'word' && token.text in VALUE_WORDS) {
    return { kind: 'value', value: VALUE_WORDS[token.text] };
  }
  return null;
}

function isWord(token: IToken, word: string): boolean {
  return token.kind === 'word' && token.text === word;
}

function isPunct(token: IToken, punct: string): boolean {
  return token.kind === 'punct' && token.text === punct;
}
