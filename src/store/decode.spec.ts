/// <reference types="node" />
import * as fs from 'fs';
import * as path from 'path';
import {
  copyBytes,
  decodeNpr,
  decodeRows,
  halfToDouble,
  rowCount
} from './decode';
import { parseNpyHeader } from './npyHeader';

interface IExpectedFile {
  rows: number;
  /** Numbers, or 'inf' / '-inf' / 'nan' as Python prints them. */
  columns: Record<string, Array<number | string>>;
}

const FIXTURES = path.join(__dirname, '__fixtures__');
const expected = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')
) as Record<string, IExpectedFile> & { _origin_ns: string };
const ORIGIN_NS = BigInt(expected._origin_ns);

function fixture(name: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
}

function expectColumns(
  columns: Record<string, Float64Array>,
  want: Record<string, Array<number | string>>
): void {
  expect(Object.keys(columns)).toEqual(Object.keys(want));
  for (const [name, values] of Object.entries(want)) {
    // Exact: times are computed in integer ns on both sides.
    expect(Array.from(columns[name])).toEqual(
      values.map(v =>
        typeof v === 'number'
          ? v
          : v === 'nan'
            ? NaN
            : v === 'inf'
              ? Infinity
              : -Infinity
      )
    );
  }
}

describe('decodeNpr', () => {
  it.each([
    'basic.npr',
    'quantiles.npr',
    'mixed.npr',
    'plain_v1.npr',
    'seconds_v1.npr'
  ])('decodes %s exactly as NumPy does', name => {
    const bytes = fixture(name);
    const header = parseNpyHeader(bytes, name);
    const data = decodeRows(
      header,
      bytes.subarray(header.headerLength),
      ORIGIN_NS
    );
    expect(data.length).toBe(expected[name].rows);
    expectColumns(data.columns, expected[name].columns);
  });

  it('decodes the same at any byte offset (aligned or not)', () => {
    for (const name of ['basic.npr', 'mixed.npr']) {
      const file = fixture(name);
      for (let shift = 0; shift < 8; shift++) {
        const buffer = new Uint8Array(file.length + shift);
        buffer.set(file, shift);
        const { data } = decodeNpr(buffer.subarray(shift), name, ORIGIN_NS);
        expectColumns(data.columns, expected[name].columns);
      }
    }
  });

  it('ignores a partial last row', () => {
    // basic.npr ends with 3 stray bytes, as after a kill -9 mid-write.
    const file = fixture('basic.npr');
    const header = parseNpyHeader(file, 'basic.npr');
    expect((file.length - header.headerLength) % header.itemsize).toBe(3);
    expect(rowCount(header, file.length - header.headerLength)).toBe(40);
  });

  it('decodes a header-only file as zero rows', () => {
    const file = fixture('basic.npr');
    const header = parseNpyHeader(file, 'basic.npr');
    const { data } = decodeNpr(file.subarray(0, header.headerLength), 'x', 0n);
    expect(data.length).toBe(0);
    expect(Object.keys(data.columns)).toEqual(['_time', 'total', 'count']);
  });

  it('keeps ns precision for times far from the epoch', () => {
    const header = parseNpyHeader(fixture('basic.npr'), 'b');
    const origin = 1_700_000_000_123_456_789n;
    const times = [
      origin,
      origin + 1n,
      origin - 1n,
      origin + 86_400_000_000_001n,
      -(2n ** 63n)
    ];
    const rows = new BigInt64Array(times.length * 3);
    times.forEach((t, i) => (rows[3 * i] = t));
    const data = decodeRows(header, new Uint8Array(rows.buffer), origin);
    // pandas' Timedelta(ns).total_seconds() for each.
    expect(Array.from(data.columns._time)).toEqual([
      0,
      1e-9,
      -9.999999717180685e-10,
      86400.000000001,
      NaN
    ]);
  });

  it('measures coarse units from an origin that is not a whole unit', () => {
    const { data } = decodeNpr(fixture('seconds_v1.npr'), 's', ORIGIN_NS);
    // Rows are whole seconds; the origin has a .789012345 s fraction.
    expect(data.columns._time[2]).toBe(-0.789012345);
  });
});

describe('decodeNpr', () => {
  it('requires a _time datetime field', () => {
    expect(() => decodeNpr(fixture('plain_v1.npr'), 'p.npr', 0n)).toThrow(
      "p.npr: records have no '_time' field"
    );
  });
});

describe('halfToDouble', () => {
  it('decodes float16 bits', () => {
    const cases: Array<[number, number]> = [
      [0x0000, 0],
      [0x3c00, 1],
      [0xc000, -2],
      [0x7bff, 65504],
      [0x0001, 2 ** -24],
      [0x7c00, Infinity],
      [0xfc00, -Infinity]
    ];
    for (const [bits, value] of cases) {
      expect(halfToDouble(bits)).toBe(value);
    }
    expect(halfToDouble(0x7e00)).toBeNaN();
  });
});

describe('copyBytes', () => {
  it('copies rather than views, even for a Node Buffer', () => {
    const buffer = Buffer.from([1, 2, 3]);
    const copy = copyBytes(buffer);
    buffer[0] = 9;
    expect(Array.from(copy)).toEqual([1, 2, 3]);
    expect(copy.byteOffset).toBe(0);
  });
});
