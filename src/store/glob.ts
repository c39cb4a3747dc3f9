/**
 * Shell-style globs with Python's `fnmatch.fnmatchcase` semantics, used to
 * select runs (`'*lr-sweep*'`) and channels, and the matching of run names
 * by a glob or a plain word that `runwatch/store/resolve.py` also uses.
 */

/**
 * Translate a glob to an anchored, case-sensitive RegExp, as Python's
 * `fnmatch.translate`: `*` is any run of characters, `?` one character,
 * `[seq]` one of seq (with `a-z` ranges), `[!seq]` one not in seq.
 *
 * #### Notes
 * As in Python, a `[` without a closing `]` is literal, `]` right after
 * `[` or `[!` is a member, `-` first or last in a set is literal, a reversed
 * range such as `[z-a]` matches nothing, and every other character
 * (including `\`) matches itself.
 */
export function globToRegExp(pattern: string): RegExp {
  const chars = Array.from(pattern);
  let source = '';
  let i = 0;
  while (i < chars.length) {
    const c = chars[i++];
    if (c === '*') {
      if (!source.endsWith('[^]*')) {
        source += '[^]*';
      }
    } else if (c === '?') {
      source += '[^]';
    } else if (c === '[') {
      let j = i;
      if (chars[j] === '!') {
        j++;
      }
      if (chars[j] === ']') {
        j++;
      }
      while (j < chars.length && chars[j] !== ']') {
        j++;
      }
      if (j >= chars.length) {
        source += escapeChar('[');
      } else {
        source += setToRegExp(chars.slice(i, j));
        i = j + 1;
      }
    } else {
      source += escapeChar(c);
    }
  }
  return new RegExp(`^(?:${source})$`, 'u');
}

/** Whether `name` matches the glob `pattern` (case-sensitive). */
export function fnmatch(name: string, pattern: string): boolean {
  return globToRegExp(pattern).test(name);
}

/** Whether `text` is a glob: it has a `*`, `?` or `[`. */
export function isGlob(text: string): boolean {
  return /[*?[]/.test(text);
}

/**
 * A test of run names for a query that is neither an exact name nor an
 * index (docs/run-store.md, "Resolving runs"): a glob must match the whole
 * name, any other non-blank text is a substring of it; both case-sensitive.
 */
export function nameMatcher(query: string): (name: string) => boolean {
  if (isGlob(query)) {
    const glob = globToRegExp(query);
    return name => glob.test(name);
  }
  return query.trim() ? name => name.includes(query) : () => false;
}

function setToRegExp(body: string[]): string {
  const negated = body[0] === '!';
  const members = negated ? body.slice(1) : body;
  let parts = '';
  let k = 0;
  while (k < members.length) {
    const c = members[k];
    if (members[k + 1] === '-' && k + 2 < members.length) {
      const end = members[k + 2];
      if (c.codePointAt(0)! <= end.codePointAt(0)!) {
        parts += `${escapeChar(c)}-${escapeChar(end)}`;
      }
      k += 3;
    } else {
      parts += escapeChar(c);
      k += 1;
    }
  }
  if (!parts) {
    return negated ? '[^]' : '(?!)';
  }
  return `[${negated ? '^' : ''}${parts}]`;
}

function escapeChar(c: string): string {
  return `\\u{${c.codePointAt(0)!.toString(16)}}`;
}
