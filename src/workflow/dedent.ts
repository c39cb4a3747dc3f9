/**
 * Dedent-on-paste: the pure text transform behind the paste handler.
 *
 * Code copied from inside a function carries the function's indentation.
 * Pasted into a cell it would be an `IndentationError`, so we strip the
 * indentation all pasted lines share and keep everything relative to it.
 */

/**
 * Normalise line endings to LF (CRLF and lone CR both occur on clipboards).
 */
export function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * The leading run of spaces and tabs of a line.
 */
export function leadingWhitespace(line: string): string {
  const match = /^[ \t]*/.exec(line);
  return match ? match[0] : '';
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/**
 * The longest whitespace prefix shared by every non-blank line.
 *
 * #### Notes
 * This is a character-exact prefix: a tab and four spaces are different, so
 * lines indented with a tab and lines indented with spaces share nothing.
 */
export function commonIndent(lines: readonly string[]): string {
  let prefix: string | null = null;
  for (const line of lines) {
    if (isBlank(line)) {
      continue;
    }
    const indent = leadingWhitespace(line);
    if (prefix === null) {
      prefix = indent;
      continue;
    }
    let i = 0;
    while (i < prefix.length && i < indent.length && prefix[i] === indent[i]) {
      i++;
    }
    prefix = prefix.slice(0, i);
    if (prefix === '') {
      break;
    }
  }
  return prefix ?? '';
}

/**
 * Strip the common leading whitespace of `text`.
 *
 * Whitespace-only lines don't count towards the prefix; they lose the prefix
 * if they have it and become empty otherwise.
 */
export function dedent(text: string): string {
  const lines = normaliseNewlines(text).split('\n');
  const prefix = commonIndent(lines);
  return lines
    .map(line => {
      if (line.startsWith(prefix)) {
        return line.slice(prefix.length);
      }
      return isBlank(line) ? '' : line;
    })
    .join('\n');
}

/**
 * The text to insert for a paste, given what precedes the cursor on its line.
 *
 * - A one-line paste into the middle of a line is left as is (only line
 *   endings are normalised), since its leading spaces may be intended.
 * - Otherwise the common indentation is stripped. When the cursor sits in
 *   the indentation of a line (only whitespace before it), the lines after
 *   the first are re-indented to that level, so a block pasted inside an
 *   indented suite stays inside it.
 */
export function dedentPaste(text: string, before = ''): string {
  const normalised = normaliseNewlines(text);
  const isOneLine = !normalised.replace(/\n$/, '').includes('\n');
  const midLine = !isBlank(before);
  if (isOneLine && midLine) {
    return normalised;
  }
  const dedented = dedent(normalised);
  if (midLine || before === '') {
    return dedented;
  }
  return dedented
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : before + line))
    .join('\n');
}
