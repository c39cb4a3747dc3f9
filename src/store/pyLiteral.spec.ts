import { HeaderError } from './errors';
import { parsePyLiteral, pyDictGet } from './pyLiteral';

const parse = (text: string) => parsePyLiteral(text, 'test.npr');

describe('parsePyLiteral', () => {
  it('parses a NumPy header dict', () => {
    const value = parse(
      "{'descr': [('_time', '<M8[ns]'), ('total', '<f8'), ('qs.0', '<f8')], 'fortran_order': False, 'shape': (0,), }"
    );
    expect(value).toEqual({
      type: 'dict',
      entries: [
        [
          'descr',
          {
            type: 'list',
            items: [
              { type: 'tuple', items: ['_time', '<M8[ns]'] },
              { type: 'tuple', items: ['total', '<f8'] },
              { type: 'tuple', items: ['qs.0', '<f8'] }
            ]
          }
        ],
        ['fortran_order', false],
        ['shape', { type: 'tuple', items: [0] }]
      ]
    });
  });

  it('tells tuples from parenthesised values', () => {
    expect(parse('(0,)')).toEqual({ type: 'tuple', items: [0] });
    expect(parse('(0)')).toBe(0);
    expect(parse('()')).toEqual({ type: 'tuple', items: [] });
    expect(parse('(1, 2)')).toEqual({ type: 'tuple', items: [1, 2] });
  });

  it('parses both quote styles and Python escapes', () => {
    expect(parse(`"it's"`)).toBe("it's");
    expect(parse(`'say \\'hi\\''`)).toBe("say 'hi'");
    expect(parse(`'a\\\\b'`)).toBe('a\\b');
    expect(parse(`'\\x41\\u03bc\\U0001F600\\n\\101'`)).toBe('Aμ😀\nA');
    expect(parse(`'μ'`)).toBe('μ');
    expect(parse(`u'x'`)).toBe('x');
    expect(parse(`'\\q'`)).toBe('\\q');
  });

  it('parses numbers and constants', () => {
    expect(parse('-12')).toBe(-12);
    expect(parse('1.5e3')).toBe(1500);
    expect(parse('10L')).toBe(10);
    expect(parse('True')).toBe(true);
    expect(parse('False')).toBe(false);
    expect(parse('None')).toBeNull();
    expect(parse('[1, [2, (3,)], {}]')).toEqual({
      type: 'list',
      items: [
        1,
        { type: 'list', items: [2, { type: 'tuple', items: [3] }] },
        { type: 'dict', entries: [] }
      ]
    });
  });

  it('looks up dict keys', () => {
    const dict = parse("{'a': 1, 'b': 2}");
    if (typeof dict !== 'object' || dict?.type !== 'dict') {
      throw new Error('not a dict');
    }
    expect(pyDictGet(dict, 'b')).toBe(2);
    expect(pyDictGet(dict, 'c')).toBeUndefined();
  });

  it.each([
    ['', 'unexpected end'],
    ["{'a' 1}", "expected ':'"],
    ["{'a': 1", 'unexpected end'],
    ["'abc", 'unterminated string'],
    ['[1 2]', "expected ','"],
    ['foo', 'unexpected name'],
    ['{} x', 'after the literal'],
    ["'\\x4'", 'bad \\x escape'],
    ["r'x'", 'raw strings'],
    ['@', 'unexpected character'],
    ['-', 'bad number']
  ])('rejects %j with a HeaderError (%s)', (text, reason) => {
    expect(() => parse(text)).toThrow(HeaderError);
    expect(() => parse(text)).toThrow(reason);
    expect(() => parse(text)).toThrow(/^test\.npr: /);
  });
});
