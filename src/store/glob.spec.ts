import { fnmatch, globToRegExp, isGlob, nameMatcher } from './glob';

const NAMES = [
  '',
  'a',
  'b',
  'd',
  'x',
  'ax',
  'cx',
  'dx',
  ']',
  '[',
  '[a',
  'a[',
  '-',
  '^',
  '\\',
  'lr',
  'x-lr-0.1',
  '2024-01-02 03-04-05 neat-funds',
  'stats.x.0.npr',
  'abc',
  'aXbYc',
  'acb',
  '(x)',
  '$',
  'μx',
  'μ',
  '!',
  'a.b',
  'aXb',
  '[!]',
  'c',
  'A',
  'line\nbreak'
];

// Generated with Python: [n for n in NAMES if fnmatch.fnmatchcase(n, pattern)].
const PYTHON: Array<[string, string[]]> = [
  [
    '*',
    [
      '',
      'a',
      'b',
      'd',
      'x',
      'ax',
      'cx',
      'dx',
      ']',
      '[',
      '[a',
      'a[',
      '-',
      '^',
      '\\',
      'lr',
      'x-lr-0.1',
      '2024-01-02 03-04-05 neat-funds',
      'stats.x.0.npr',
      'abc',
      'aXbYc',
      'acb',
      '(x)',
      '$',
      'μx',
      'μ',
      '!',
      'a.b',
      'aXb',
      '[!]',
      'c',
      'A',
      'line\nbreak'
    ]
  ],
  ['*lr*', ['lr', 'x-lr-0.1']],
  ['2024-*', ['2024-01-02 03-04-05 neat-funds']],
  [
    '?',
    ['a', 'b', 'd', 'x', ']', '[', '-', '^', '\\', '$', 'μ', '!', 'c', 'A']
  ],
  ['??', ['ax', 'cx', 'dx', '[a', 'a[', 'lr', 'μx']],
  ['[abc]', ['a', 'b', 'c']],
  ['[!abc]', ['d', 'x', ']', '[', '-', '^', '\\', '$', 'μ', '!', 'A']],
  ['[a-c]x', ['ax', 'cx']],
  ['[z-a]', []],
  [
    '[!z-a]',
    ['a', 'b', 'd', 'x', ']', '[', '-', '^', '\\', '$', 'μ', '!', 'c', 'A']
  ],
  ['[]]', [']']],
  ['[!]]', ['a', 'b', 'd', 'x', '[', '-', '^', '\\', '$', 'μ', '!', 'c', 'A']],
  ['[', ['[']],
  ['[a', ['[a']],
  ['a[', ['a[']],
  ['[-a]', ['a', '-']],
  ['[a-]', ['a', '-']],
  ['[--a]', ['a', ']', '[', '-', '^', '\\', 'A']],
  ['a-b', []],
  ['[a-b-d]', ['a', 'b', 'd', '-']],
  ['\\', ['\\']],
  ['[\\]', ['\\']],
  ['*.npr', ['stats.x.0.npr']],
  ['a*b*c', ['abc', 'aXbYc']],
  [
    '**',
    [
      '',
      'a',
      'b',
      'd',
      'x',
      'ax',
      'cx',
      'dx',
      ']',
      '[',
      '[a',
      'a[',
      '-',
      '^',
      '\\',
      'lr',
      'x-lr-0.1',
      '2024-01-02 03-04-05 neat-funds',
      'stats.x.0.npr',
      'abc',
      'aXbYc',
      'acb',
      '(x)',
      '$',
      'μx',
      'μ',
      '!',
      'a.b',
      'aXb',
      '[!]',
      'c',
      'A',
      'line\nbreak'
    ]
  ],
  ['[^a]', ['a', '^']],
  ['(x)', ['(x)']],
  ['$', ['$']],
  ['μ?', ['μx']],
  ['[!]', ['[!]']],
  ['a.b', ['a.b']],
  ['*break', ['line\nbreak']],
  ['line?break', ['line\nbreak']],
  ['a', ['a']]
];

describe('globToRegExp', () => {
  it.each(PYTHON)(
    'matches what Python fnmatchcase matches for %j',
    (pattern, expected) => {
      const glob = globToRegExp(pattern);
      expect(NAMES.filter(n => glob.test(n))).toEqual(expected);
    }
  );

  it('is case-sensitive', () => {
    expect(fnmatch('A', 'a')).toBe(false);
    expect(fnmatch('Neat', 'N*')).toBe(true);
  });
});

describe('nameMatcher', () => {
  const names = ['2024-01-02 03-04-05 neat-funds lr-sweep', 'lr', 'a]b'];

  it('takes text with * ? or [ as a glob over the whole name', () => {
    expect(isGlob('*x')).toBe(true);
    expect(isGlob('a?')).toBe(true);
    expect(isGlob('[ab]')).toBe(true);
    expect(isGlob('a]b')).toBe(false);
    expect(names.filter(nameMatcher('lr*'))).toEqual(['lr']);
    expect(names.filter(nameMatcher('*lr*'))).toEqual([names[0], 'lr']);
  });

  it('takes any other text as a case-sensitive substring', () => {
    expect(names.filter(nameMatcher('lr'))).toEqual([names[0], 'lr']);
    expect(names.filter(nameMatcher('funds lr'))).toEqual([names[0]]);
    expect(names.filter(nameMatcher(']'))).toEqual(['a]b']);
    expect(names.filter(nameMatcher('LR'))).toEqual([]);
  });

  it('matches nothing for blank text', () => {
    expect(names.filter(nameMatcher(''))).toEqual([]);
    expect(names.filter(nameMatcher('  '))).toEqual([]);
  });
});
