/**
 * Split a query into tokens, each with its 1-based column in characters
 * (code points, as Python counts them, so columns agree).
 */
import { describeChar, QueryError } from './errors';

export type TokenKind =
  'name' | 'number' | 'string' | 'op' | 'word' | 'punct' | 'end';

export interface IToken {
  kind: TokenKind;
  /** As written. */
  text: string;
  /** The name, number or string it stands for. */
  value: string | number | null;
  column: number;
}

const WHITESPACE = new Set(' \t\n\r\f\v');
const NAME_START = new Set(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_'
);
const NAME_CHARS = new Set([...NAME_START, ...'0123456789-']);
const DIGITS = new Set('0123456789');
// What a number token may swallow before it is checked, so `1e-3x` is one
// bad number, not two tokens.
const NUMBER_CHARS = new Set([...NAME_CHARS, '.']);
const NUMBER = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '~']; // two-character ones first
export const WORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'true',
  'false',
  'null'
]);
const ESCAPES: Record<string, string> = {
  '\\': '\\',
  '"': '"',
  "'": "'",
  n: '\n',
  t: '\t',
  r: '\r'
};
const HINTS: Record<string, string> = {
  '=': "did you mean '=='?",
  '!': "use '!=' or 'not'",
  '&': "use 'and'",
  '|': "use 'or'"
};

export function tokenize(text: string): IToken[] {
  const chars = Array.from(text);
  const n = chars.length;
  const slice = (from: number, to: number) => chars.slice(from, to).join('');
  const fail = (reason: string, at: number): never => {
    throw new QueryError(reason, at + 1, text);
  };
  const tokens: IToken[] = [];
  let i = 0;
  while (i < n) {
    const c = chars[i];
    if (WHITESPACE.has(c)) {
      i++;
      continue;
    }
    const start = i;
    if (NAME_START.has(c)) {
      i = scanName(chars, i, fail);
      const word = slice(start, i);
      tokens.push({
        kind: WORDS.has(word) ? 'word' : 'name',
        text: word,
        value: word,
        column: start + 1
      });
    } else if (DIGITS.has(c) || numberFollows(chars, i)) {
      i = scanNumber(chars, i);
      const number = slice(start, i);
      if (!NUMBER.test(number)) {
        fail(`bad number '${number}'`, start);
      }
      tokens.push({
        kind: 'number',
        text: number,
        value: Number(number),
        column: start + 1
      });
    } else if (c === '"' || c === "'") {
      const [end, value] = scanString(chars, i, fail);
      i = end;
      tokens.push({
        kind: 'string',
        text: slice(start, i),
        value,
        column: start + 1
      });
    } else if (c === '`') {
      const end = chars.indexOf('`', i + 1);
      if (end < 0) {
        fail("unclosed '`'", start);
      }
      if (end === i + 1) {
        fail('empty name in backticks', start);
      }
      i = end + 1;
      tokens.push({
        kind: 'name',
        text: slice(start, i),
        value: slice(start + 1, end),
        column: start + 1
      });
    } else if ('()[],'.includes(c)) {
      i++;
      tokens.push({ kind: 'punct', text: c, value: c, column: start + 1 });
    } else {
      const op = OPERATORS.find(op => slice(i, i + op.length) === op);
      if (op === undefined) {
        const hint = HINTS[c];
        fail(
          `unexpected character ${describeChar(c)}` +
            (hint ? ` (${hint})` : ''),
          start
        );
      } else {
        i += op.length;
        tokens.push({ kind: 'op', text: op, value: op, column: start + 1 });
      }
    }
  }
  tokens.push({ kind: 'end', text: '', value: null, column: n + 1 });
  return tokens;
}

/** Whether a number starts at `i` with '-' or '.': `-1`, `.5`, `-.5`. */
function numberFollows(chars: string[], i: number): boolean {
  let j = i;
  if (chars[j] === '-') {
    j++;
  }
  if (chars[j] === '.') {
    j++;
  }
  return j > i && DIGITS.has(chars[j]);
}

/**
 * Parts of letters, digits, `_` and `-`, joined by `.`; the first starts
 * with a letter or `_`.
 */
function scanName(
  chars: string[],
  i: number,
  fail: (reason: string, at: number) => never
): number {
  let j = i + 1;
  for (;;) {
    while (j < chars.length && NAME_CHARS.has(chars[j])) {
      j++;
    }
    if (chars[j] !== '.') {
      return j;
    }
    if (!NAME_CHARS.has(chars[j + 1])) {
      fail("expected a name part after '.'", j + 1);
    }
    j++;
  }
}

function scanNumber(chars: string[], i: number): number {
  let j = i + 1;
  const afterExponent = () => chars[j - 1] === 'e' || chars[j - 1] === 'E';
  while (
    j < chars.length &&
    (NUMBER_CHARS.has(chars[j]) || (chars[j] === '+' && afterExponent()))
  ) {
    if (chars[j] === '-' && !afterExponent()) {
      break; // `1-2` is two numbers (and then an error), not one bad one
    }
    j++;
  }
  return j;
}

function scanString(
  chars: string[],
  i: number,
  fail: (reason: string, at: number) => never
): [number, string] {
  const quote = chars[i];
  let value = '';
  let j = i + 1;
  while (j < chars.length) {
    const c = chars[j];
    if (c === quote) {
      return [j + 1, value];
    }
    if (c === '\\') {
      if (j + 1 >= chars.length) {
        break;
      }
      const escaped = ESCAPES[chars[j + 1]];
      if (escaped === undefined) {
        fail(
          `unknown escape '\\${chars[j + 1]}' in a string (use \\\\ for a backslash)`,
          j
        );
      }
      value += escaped;
      j += 2;
    } else {
      value += c;
      j++;
    }
  }
  return fail('unclosed string', i);
}
