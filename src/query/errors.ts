/**
 * QueryError and the limits a query must keep; `runwatch/query/errors.py`
 * words every message the same (test/vectors/query.json holds both to it).
 */

/** Characters (code points); a query also arrives in HTTP requests. */
export const MAX_LENGTH = 10000;
/** Nested `(` and `not`: the parser recurses, so bound it. */
export const MAX_DEPTH = 100;
/** Characters of the query repeated after a message. */
const ECHO_LENGTH = 200;

/**
 * Characters that would break a one-line message or hide: controls, line
 * separators, lone surrogates.
 */
export function isUnprintable(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0xd800 && code <= 0xdfff)
  );
}

/** `text` with each unprintable character replaced by one space, so columns still line up. */
export function oneLine(text: string): string {
  let line = '';
  for (const c of text) {
    line += isUnprintable(c.codePointAt(0)!) ? ' ' : c;
  }
  return line;
}

export function describeChar(c: string): string {
  const code = c.codePointAt(0)!;
  return isUnprintable(code)
    ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
    : `'${c}'`;
}

/** Source text quoted for a message, cut at 30 characters. */
export function describeText(text: string): string {
  const chars = Array.from(text);
  return chars.length > 30 ? `'${chars.slice(0, 30).join('')}…'` : `'${text}'`;
}

/**
 * A query that is not a valid filter. The message is one line:
 * `query: <reason> at column <n>: <the query>`; `column` is 1-based and
 * counts characters (code points), `null` when the whole query is at fault.
 */
export class QueryError extends Error {
  constructor(
    readonly reason: string,
    readonly column: number | null = null,
    readonly text = ''
  ) {
    super(oneLine(message(reason, column, text)));
    this.name = 'QueryError';
  }
}

function message(reason: string, column: number | null, text: string) {
  if (column === null) {
    return `query: ${reason}`;
  }
  const chars = Array.from(text);
  const echo =
    chars.length <= ECHO_LENGTH
      ? text
      : chars.slice(0, ECHO_LENGTH).join('') + '…';
  return `query: ${reason} at column ${column}: ${echo}`;
}
