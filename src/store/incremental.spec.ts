/// <reference types="node" />
import * as fs from 'fs';
import * as path from 'path';
import { decodeNpr, IColumnSet } from './decode';
import { DtypeError, HeaderError } from './errors';
import { IncrementalNprDecoder } from './incremental';

const FIXTURES = path.join(__dirname, '__fixtures__');
const ORIGIN_NS = 1614602096789012345n;

function fixture(name: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
}

/** Concatenate the column sets a decoder returned, as a consumer would. */
function collect(
  parts: IColumnSet[],
  names: string[]
): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const name of names) {
    out[name] = parts.flatMap(p => Array.from(p.columns[name] ?? []));
  }
  return out;
}

function feed(
  bytes: Uint8Array,
  cuts: number[]
): { parts: IColumnSet[]; decoder: IncrementalNprDecoder } {
  const decoder = new IncrementalNprDecoder('stats.x.0.npr', ORIGIN_NS);
  const parts: IColumnSet[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    // Reuse one scratch buffer per push, as a network reader might.
    const chunk = new Uint8Array(bytes.subarray(at, cut));
    parts.push(decoder.push(chunk));
    chunk.fill(0xee);
    at = cut;
  }
  return { parts, decoder };
}

describe('IncrementalNprDecoder', () => {
  it.each(['basic.npr', 'mixed.npr', 'quantiles.npr'])(
    'matches a one-shot decode of %s split at every byte of the header and of a row',
    name => {
      const bytes = fixture(name);
      const whole = decodeNpr(bytes, name, ORIGIN_NS);
      const names = Object.keys(whole.data.columns);
      const want = collect([whole.data], names);
      const { headerLength, itemsize } = whole.header;
      // Every cut inside the header, and every cut across rows 2 to 4.
      const cuts = [];
      for (let c = 0; c <= headerLength + 3 * itemsize; c++) {
        cuts.push(c);
      }
      for (const cut of cuts) {
        const { parts, decoder } = feed(bytes, [cut]);
        expect(collect(parts, names)).toEqual(want);
        expect(decoder.rowsDecoded).toBe(whole.data.length);
        expect(decoder.bytesReceived).toBe(bytes.length);
      }
      // Two cuts: one in the header, one in a row.
      for (let a = 1; a < headerLength; a += 7) {
        for (
          let b = headerLength + 1;
          b < headerLength + 2 * itemsize;
          b += 5
        ) {
          expect(collect(feed(bytes, [a, b]).parts, names)).toEqual(want);
        }
      }
    }
  );

  it('decodes byte by byte', () => {
    const bytes = fixture('mixed.npr');
    const whole = decodeNpr(bytes, 'm', ORIGIN_NS);
    const names = Object.keys(whole.data.columns);
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    const { parts } = feed(bytes, cuts);
    expect(collect(parts, names)).toEqual(collect([whole.data], names));
    // A row is returned by the push that completes it, no sooner.
    expect(parts.filter(p => p.length > 0).every(p => p.length === 1)).toBe(
      true
    );
  });

  it('returns nothing until the header is complete, and exposes it after', () => {
    const bytes = fixture('basic.npr');
    const { headerLength } = decodeNpr(bytes, 'b', ORIGIN_NS).header;
    const decoder = new IncrementalNprDecoder('b', ORIGIN_NS);
    expect(decoder.push(bytes.subarray(0, 50)).length).toBe(0);
    expect(decoder.header).toBeUndefined();
    expect(decoder.push(bytes.subarray(50, headerLength)).length).toBe(0);
    expect(decoder.header?.itemsize).toBe(24);
    const rows = decoder.push(bytes.subarray(headerLength, headerLength + 30));
    expect(rows.length).toBe(1);
    expect(Object.keys(rows.columns)).toEqual(['_time', 'total', 'count']);
  });

  it('fails on garbage at the first chunk, and stays failed', () => {
    const decoder = new IncrementalNprDecoder('stats.bad.0.npr', 0n);
    expect(() => decoder.push(new TextEncoder().encode('PK'))).toThrow(
      HeaderError
    );
    expect(() => decoder.push(new Uint8Array(10))).toThrow(
      'stats.bad.0.npr: not a NumPy file'
    );
  });

  it('fails on a bad dtype once a split header completes', () => {
    const text =
      "{'descr': [('x', '>f8')], 'fortran_order': False, 'shape': (0,), }";
    const body = new TextEncoder().encode(text.padEnd(117) + '\n');
    const bytes = new Uint8Array(10 + body.length);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, body.length, 0]);
    bytes.set(body, 10);
    const decoder = new IncrementalNprDecoder('stats.be.0.npr', 0n);
    expect(decoder.push(bytes.subarray(0, 60)).length).toBe(0);
    expect(() => decoder.push(bytes.subarray(60))).toThrow(DtypeError);
  });
});
