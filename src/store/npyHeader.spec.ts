/// <reference types="node" />
import * as fs from 'fs';
import * as path from 'path';
import { DtypeError, HeaderError, StoreError } from './errors';
import { npyHeaderLength, parseNpyHeader, parseNprHeader } from './npyHeader';

function fixture(name: string): Uint8Array {
  return new Uint8Array(
    fs.readFileSync(path.join(__dirname, '__fixtures__', name))
  );
}

/** A header as NumPy lays it out: magic, version, length, dict, padding. */
function makeHeader(dict: string, major = 1): Uint8Array {
  const preamble = major === 1 ? 10 : 12;
  const text = new TextEncoder().encode(dict);
  const total = Math.ceil((preamble + text.length + 1) / 64) * 64;
  const out = new Uint8Array(total).fill(0x20);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) {
    view.setUint16(8, total - preamble, true);
  } else {
    view.setUint32(8, total - preamble, true);
  }
  out.set(text, preamble);
  out[total - 1] = 0x0a;
  return out;
}

const header = (descr: string, shape = '(0,)', major = 1) =>
  makeHeader(
    `{'descr': ${descr}, 'fortran_order': False, 'shape': ${shape}, }`,
    major
  );

describe('parseNpyHeader', () => {
  it('parses a pavlov v3 header written by NumPy', () => {
    const h = parseNpyHeader(fixture('basic.npr'), 'basic.npr');
    expect(h.version).toBe(3);
    expect(h.headerLength % 64).toBe(0);
    expect(h.itemsize).toBe(24);
    expect(h.fields).toEqual([
      {
        name: '_time',
        dtype: '<M8[ns]',
        kind: 'datetime',
        size: 8,
        offset: 0,
        unit: 'ns'
      },
      { name: 'total', dtype: '<f8', kind: 'float', size: 8, offset: 8 },
      { name: 'count', dtype: '<f8', kind: 'float', size: 8, offset: 16 }
    ]);
  });

  it('parses v1 and v2 headers, unicode and quoted names', () => {
    expect(parseNpyHeader(fixture('plain_v1.npr'), 'p').version).toBe(1);
    const q = parseNpyHeader(fixture('quantiles.npr'), 'q');
    expect(q.version).toBe(2);
    expect(q.fields.map(f => f.name)).toEqual([
      '_time',
      'qs.0',
      'qs.1',
      'qs.2',
      'qs.3',
      'qs.4'
    ]);
    const m = parseNpyHeader(fixture('mixed.npr'), 'm');
    expect(m.fields.map(f => f.name)).toContain("it's");
    expect(m.fields.map(f => f.name)).toContain('μ');
    expect(m.itemsize).toBe(53);
    expect(m.fields.find(f => f.name === 'μ')?.offset).toBe(43);
  });

  it('reads a plain descr as one unnamed field', () => {
    const h = parseNpyHeader(fixture('plain_v1.npr'), 'p');
    expect(h.fields).toEqual([
      { name: '', dtype: '<f8', kind: 'float', size: 8, offset: 0 }
    ]);
    expect(h.itemsize).toBe(8);
  });

  it('accepts every supported dtype', () => {
    const dtypes = [
      '<f2',
      '<f8',
      '<f4',
      '<i8',
      '<i4',
      '<i2',
      '|i1',
      '<u8',
      '<u4',
      '<u2',
      '|u1',
      '|b1',
      '?',
      '=u1',
      '<M8[ns]',
      '<M8[us]',
      '<M8[ms]',
      '<M8[s]'
    ];
    const descr = `[${dtypes.map((d, i) => `('f${i}', '${d}')`).join(', ')}]`;
    const h = parseNpyHeader(header(descr), 'all');
    expect(h.fields.map(f => f.dtype)).toEqual(dtypes);
    expect(h.itemsize).toBe(
      2 + 8 + 4 + 8 + 4 + 2 + 1 + 8 + 4 + 2 + 1 + 1 + 1 + 1 + 32
    );
  });

  it('skips void padding fields but keeps offsets', () => {
    const h = parseNpyHeader(
      header("[('a', '|u1'), ('', '|V7'), ('b', '<f8')]"),
      'pad'
    );
    expect(h.fields.map(f => [f.name, f.offset])).toEqual([
      ['a', 0],
      ['b', 8]
    ]);
    expect(h.itemsize).toBe(16);
  });

  it('names a field by the second part of a (title, name) pair', () => {
    const h = parseNpyHeader(header("[(('Title', 'x'), '<f8')]"), 't');
    expect(h.fields[0].name).toBe('x');
  });

  it.each([
    ['an empty file', new Uint8Array(0), HeaderError, 'file is empty'],
    [
      'garbage',
      new TextEncoder().encode('hello, world, not numpy'),
      HeaderError,
      'wrong magic'
    ],
    [
      'wrong magic',
      Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x5a, 1, 0, 0, 0),
      HeaderError,
      'wrong magic'
    ],
    [
      'a truncated preamble',
      Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1),
      HeaderError,
      'truncated'
    ],
    [
      'a truncated header',
      header("'<f8'").subarray(0, 40),
      HeaderError,
      'truncated (40 of 128 bytes)'
    ],
    [
      'version 4',
      Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 4, 0, 0, 0),
      HeaderError,
      'version 4.0'
    ],
    ['a non-dict header', makeHeader('[1, 2]'), HeaderError, 'not a dict'],
    [
      'a garbled dict',
      makeHeader("{'descr': '<f8', 'shape': (0,"),
      HeaderError,
      'not a Python literal'
    ],
    ['no descr', makeHeader("{'shape': (0,)}"), HeaderError, "no 'descr'"],
    ['no shape', makeHeader("{'descr': '<f8'}"), HeaderError, "no 'shape'"],
    ['shape (3,)', header("'<f8'", '(3,)'), DtypeError, 'shape must be (0,)'],
    ['shape (0, 2)', header("'<f8'", '(0, 2)'), DtypeError, 'got (0, 2)'],
    ['an object field', header("[('x', '|O')]"), DtypeError, 'object'],
    ['a plain object descr', header("'|O'"), DtypeError, 'object'],
    ['a big-endian field', header("[('x', '>f8')]"), DtypeError, 'big-endian'],
    ['a unicode field', header("[('s', '<U10')]"), DtypeError, 'unicode'],
    [
      'a byte-string field',
      header("[('s', '|S4')]"),
      DtypeError,
      'byte string'
    ],
    ['a nested dtype', header("[('n', [('a', '<f8')])]"), DtypeError, 'nested'],
    [
      'a sub-array field',
      header("[('a', '<f8', (3,))]"),
      DtypeError,
      'sub-array'
    ],
    [
      'a timedelta field',
      header("[('d', '<m8[ns]')]"),
      DtypeError,
      'timedelta'
    ],
    [
      'a day-unit datetime',
      header("[('t', '<M8[D]')]"),
      DtypeError,
      'datetime unit D'
    ],
    [
      'a float128',
      header("[('h', '<f16')]"),
      DtypeError,
      'unsupported dtype <f16'
    ],
    [
      'an ambiguous byte order',
      header("[('x', '=f8')]"),
      DtypeError,
      'no explicit byte order'
    ],
    [
      'duplicate names',
      header("[('x', '<f8'), ('x', '<f4')]"),
      HeaderError,
      'twice'
    ],
    ['no fields', header('[]'), DtypeError, 'no fields'],
    [
      'bad utf-8 in a v3 header',
      (() => {
        const h = header("'<f8'", '(0,)', 3);
        h[20] = 0xff;
        return h;
      })(),
      HeaderError,
      'UTF-8'
    ]
  ])('rejects %s with a typed error', (_, bytes, type, reason) => {
    let error: unknown;
    try {
      parseNpyHeader(bytes, 'stats.x.0.npr');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(StoreError);
    const storeError = error as StoreError;
    expect(storeError.file).toBe('stats.x.0.npr');
    expect(storeError.reason).toContain(reason);
    expect(storeError.message).toBe(`stats.x.0.npr: ${storeError.reason}`);
  });
});

describe('parseNprHeader', () => {
  it('accepts a record with a _time datetime', () => {
    expect(parseNprHeader(fixture('basic.npr'), 'b').fields[0].name).toBe(
      '_time'
    );
  });

  it.each([
    ["'<f8'", "no '_time' field"],
    ["[('x', '<f8')]", "no '_time' field"],
    ["[('_time', '<f8')]", "'_time' has dtype <f8; expected datetime64"]
  ])('rejects %s', (descr, reason) => {
    expect(() => parseNprHeader(header(descr), 'x.npr')).toThrow(DtypeError);
    expect(() => parseNprHeader(header(descr), 'x.npr')).toThrow(reason);
  });
});

describe('latin-1 headers', () => {
  it('maps every byte to the same code point, as Python does', () => {
    const bytes = header("[('a?b', '<f8')]");
    // The raw byte 0x80 is U+0080 in latin-1 (cp1252 would make it '€').
    bytes[bytes.indexOf(0x3f)] = 0x80;
    expect(parseNpyHeader(bytes, 'l').fields[0].name).toBe('a\u0080b');
  });
});

describe('npyHeaderLength', () => {
  it('waits for enough bytes, then knows the length', () => {
    const bytes = fixture('basic.npr');
    const full = parseNpyHeader(bytes, 'b').headerLength;
    for (let n = 0; n < 12; n++) {
      expect(npyHeaderLength(bytes.subarray(0, n), 'b')).toBeUndefined();
    }
    expect(npyHeaderLength(bytes.subarray(0, 12), 'b')).toBe(full);
  });

  it('fails on the first wrong magic byte', () => {
    expect(() => npyHeaderLength(Uint8Array.of(0x93, 0x4f), 'x')).toThrow(
      HeaderError
    );
  });
});
