/**
 * A parser for the small subset of Python literals that NumPy writes into
 * `.npy` headers: dicts, lists, tuples, strings, ints, floats, True, False
 * and None.
 *
 * NumPy writes the header with `repr()`, so field names arrive quoted with
 * `'` or `"` and escaped like Python strings; parsing them properly (rather
 * than with regexes over the whole header) is what lets names such as
 * `"it's"` or `'μ'` round-trip.
 */
import { HeaderError } from './errors';

/** A parsed Python literal. Lists, tuples and dicts are tagged. */
export type PyValue =
  string | number | boolean | null | IPyList | IPyTuple | IPyDict;

/** A Python list. */
export interface IPyList {
  readonly type: 'list';
  readonly items: PyValue[];
}

/** A Python tuple. */
export interface IPyTuple {
  readonly type: 'tuple';
  readonly items: PyValue[];
}

/** A Python dict, entries in source order. */
export interface IPyDict {
  readonly type: 'dict';
  readonly entries: Array<[PyValue, PyValue]>;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': ''
};

/**
 * Parse one Python literal from `text`; trailing whitespace is allowed,
 * anything else after the literal is an error.
 *
 * @param text - the literal, e.g. `{'descr': '<f8', 'shape': (0,), }`.
 * @param file - named in the `HeaderError` if the text is not a literal.
 */
export function parsePyLiteral(text: string, file: string): PyValue {
  const parser = new PyLiteralParser(text, file);
  const value = parser.value();
  parser.end();
  return value;
}

/** Look up a string key in a parsed dict. */
export function pyDictGet(dict: IPyDict, key: string): PyValue | undefined {
  for (const [k, v] of dict.entries) {
    if (k === key) {
      return v;
    }
  }
  return undefined;
}

class PyLiteralParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly file: string
  ) {}

  value(): PyValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === undefined) {
      this.fail('unexpected end of header');
    }
    if (c === '{') {
      return this.dict();
    }
    if (c === '[') {
      return { type: 'list', items: this.sequence('[', ']').items };
    }
    if (c === '(') {
      const { items, trailingComma } = this.sequence('(', ')');
      // `(x)` is just x; `(x,)` and `()` are tuples.
      return items.length === 1 && !trailingComma
        ? items[0]
        : { type: 'tuple', items };
    }
    if (c === "'" || c === '"') {
      return this.string();
    }
    if (/[bBuUrR]/.test(c) && /['"]/.test(this.text[this.pos + 1] ?? '')) {
      if (/[rR]/.test(c)) {
        this.fail('raw strings are not supported');
      }
      this.pos++;
      return this.string();
    }
    if (/[-+0-9.]/.test(c)) {
      return this.number();
    }
    const word = /^[A-Za-z_]\w*/.exec(this.text.slice(this.pos, this.pos + 16));
    if (word) {
      this.pos += word[0].length;
      switch (word[0]) {
        case 'True':
          return true;
        case 'False':
          return false;
        case 'None':
          return null;
      }
      this.fail(`unexpected name ${JSON.stringify(word[0])}`);
    }
    this.fail(`unexpected character ${JSON.stringify(c)}`);
  }

  end(): void {
    this.skipSpace();
    if (this.pos < this.text.length) {
      this.fail('unexpected text after the literal');
    }
  }

  private dict(): IPyDict {
    this.pos++; // '{'
    const entries: Array<[PyValue, PyValue]> = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return { type: 'dict', entries };
      }
      const key = this.value();
      this.skipSpace();
      this.expect(':');
      const value = this.value();
      entries.push([key, value]);
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos++;
      } else if (this.text[this.pos] !== '}') {
        this.failUnlessEnd("expected ',' or '}' in dict");
      }
    }
  }

  private sequence(
    open: string,
    close: string
  ): { items: PyValue[]; trailingComma: boolean } {
    this.pos++; // open
    const items: PyValue[] = [];
    let trailingComma = false;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) {
        this.pos++;
        return { items, trailingComma };
      }
      items.push(this.value());
      trailingComma = false;
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        trailingComma = true;
      } else if (this.text[this.pos] !== close) {
        this.failUnlessEnd(`expected ',' or '${close}' after ${open}...`);
      }
    }
  }

  private string(): string {
    const quote = this.text[this.pos++];
    let out = '';
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined || c === '\n') {
        this.fail('unterminated string');
      }
      if (c === quote) {
        return out;
      }
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      if (e === undefined) {
        this.fail('unterminated string');
      }
      if (e in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[e];
      } else if (e === 'x' || e === 'u' || e === 'U') {
        const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = this.text.slice(this.pos, this.pos + width);
        if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) {
          this.fail(`bad \\${e} escape`);
        }
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) {
          this.fail(`bad \\${e} escape`);
        }
        out += String.fromCodePoint(code);
        this.pos += width;
      } else if (/[0-7]/.test(e)) {
        const octal = /^[0-7]{1,3}/.exec(this.text.slice(this.pos - 1))![0];
        out += String.fromCodePoint(parseInt(octal, 8));
        this.pos += octal.length - 1;
      } else {
        // Python keeps unknown escapes verbatim.
        out += '\\' + e;
      }
    }
  }

  private number(): number {
    const match = /^[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?[lL]?/.exec(
      this.text.slice(this.pos)
    );
    const literal = match?.[0] ?? '';
    if (!/\d/.test(literal)) {
      this.fail('bad number');
    }
    this.pos += literal.length;
    return Number(literal.replace(/[_lL]/g, ''));
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) {
      this.pos++;
    }
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) {
      this.fail(`expected '${c}'`);
    }
    this.pos++;
  }

  private failUnlessEnd(reason: string): never {
    this.fail(
      this.pos >= this.text.length ? 'unexpected end of header' : reason
    );
  }

  private fail(reason: string): never {
    throw new HeaderError(
      this.file,
      `header is not a Python literal: ${reason} at character ${this.pos}`
    );
  }
}
