/**
 * Tell a filter expression from a run index, name, glob or bare word
 * (docs/queries.md, "Filter or run?"); `runwatch/query/detect.py` is the twin.
 */

const WHITESPACE = ' \t\n\r\f\v';
const BEFORE_IN = WHITESPACE + '"\'`)';

/**
 * Whether `text` has, outside quotes, a comparison (`== != < <= > >= ~`) or
 * `in [` / `not in [`.
 *
 * #### Notes
 * Run names may hold any of these characters (only `/`, `\` and NUL are
 * refused), so a run whose name has one is addressed by its index or by a
 * glob with `?` in that place.
 */
export function isFilter(text: unknown): boolean {
  if (typeof text !== 'string') {
    return false;
  }
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i = afterQuoted(text, i);
      continue;
    }
    if (
      c === '<' ||
      c === '>' ||
      c === '~' ||
      ((c === '=' || c === '!') && text[i + 1] === '=')
    ) {
      return true;
    }
    if (c === 'i' && isInOperator(text, i)) {
      return true;
    }
    i++;
  }
  return false;
}

/** The index after the quoted text starting at `i`; the end if it never closes. */
function afterQuoted(text: string, i: number): number {
  const quote = text[i];
  let j = i + 1;
  while (j < text.length) {
    if (text[j] === '\\' && quote !== '`') {
      j += 2;
    } else if (text[j] === quote) {
      return j + 1;
    } else {
      j++;
    }
  }
  return text.length;
}

/** `in` as a word after a space, a closing quote or ')', and then '[' (spaces between allowed). */
function isInOperator(text: string, i: number): boolean {
  if (i === 0 || !BEFORE_IN.includes(text[i - 1]) || text[i + 1] !== 'n') {
    return false;
  }
  let j = i + 2;
  while (j < text.length && WHITESPACE.includes(text[j])) {
    j++;
  }
  return text[j] === '[';
}
