import { commonIndent, dedent, dedentPaste } from './dedent';

describe('dedent', () => {
  const cases: [string, string, string][] = [
    [
      'strips a shared 8-space indent',
      '        a = 1\n        b = 2',
      'a = 1\nb = 2'
    ],
    [
      'keeps relative indentation',
      '        if x:\n            y()\n        z()',
      'if x:\n    y()\nz()'
    ],
    [
      'ignores whitespace-only lines when finding the prefix',
      '    a\n\n  \n    b',
      'a\n\n\nb'
    ],
    [
      'keeps whitespace beyond the prefix on blank lines',
      '    a\n        \n    b',
      'a\n    \nb'
    ],
    ['does not mix tabs and spaces', '\tfoo\n    bar', '\tfoo\n    bar'],
    ['strips a shared tab', '\tfoo\n\t\tbar', 'foo\n\tbar'],
    [
      'strips only the character-exact common prefix',
      '\t  a\n\t    b',
      'a\n  b'
    ],
    ['normalises CRLF', '    a\r\n    b\r\n', 'a\nb\n'],
    ['normalises lone CR', '  a\r  b', 'a\nb'],
    ['leaves unindented text alone', 'a\n  b', 'a\n  b'],
    ['handles an empty string', '', ''],
    ['handles a single indented line', '    x = 1', 'x = 1'],
    ['keeps a trailing newline', '  a\n  b\n', 'a\nb\n']
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    expect(dedent(input)).toBe(expected);
  });

  it('finds no prefix when one line is unindented', () => {
    expect(commonIndent(['  a', 'b'])).toBe('');
  });
});

describe('dedentPaste', () => {
  it('leaves a one-line paste into the middle of a line untouched', () => {
    expect(dedentPaste('    spaced', 'x = ')).toBe('    spaced');
  });

  it('normalises line endings of a mid-line paste', () => {
    expect(dedentPaste('  a\r\n', 'x = ')).toBe('  a\n');
  });

  it('dedents a multi-line paste even in mid-line', () => {
    expect(dedentPaste('    a\n    b', 'x = ')).toBe('a\nb');
  });

  it('dedents a one-line paste at the start of a line', () => {
    expect(dedentPaste('        x = 1', '')).toBe('x = 1');
  });

  it('re-indents following lines to the indentation at the cursor', () => {
    expect(
      dedentPaste('        a()\n            b()\n\n        c()', '    ')
    ).toBe('a()\n        b()\n\n    c()');
  });
});
