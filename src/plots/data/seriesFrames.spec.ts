/// <reference types="node" />
import * as fs from 'fs';
import * as path from 'path';

import { encodeSeriesFrame, SeriesFrameDecoder } from './seriesFrames';

/** test/vectors/frames.json: frames as the server's encoder writes them. */
const SHARED = (
  JSON.parse(
    fs.readFileSync(
      path.join(__dirname, '../../../test/vectors/frames.json'),
      'utf-8'
    )
  ) as {
    frames: {
      about: string;
      arrays: Record<string, (number | null)[]>;
      packed: Record<string, unknown>;
      bytes: string;
    }[];
  }
).frames;

/** The bytes of a hex string. */
function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!, pair => parseInt(pair, 16));
}

/** Each float64's bits, so that NaN and -0.0 compare too. */
function bits(values: ArrayLike<number | null>): string[] {
  const floats = Float64Array.from(values, v => (v === null ? NaN : v));
  return Array.from(new BigUint64Array(floats.buffer), b => b.toString(16));
}

const header = (channel: string, error: string | null = null) => ({
  channel,
  kind: 'last',
  rows: 3,
  reduced: false,
  x0: 0,
  x1: 2,
  error
});

describe('SeriesFrameDecoder', () => {
  it('decodes frames split anywhere across chunks', () => {
    const bytes = new Uint8Array([
      ...encodeSeriesFrame(header('a.x'), {
        x: [0, 1, 2],
        value: [5, NaN, 1e4]
      }),
      ...encodeSeriesFrame(
        header('a.bad', 'stats.a.bad.0.npr: not an npy header'),
        {}
      ),
      ...encodeSeriesFrame(header('a.y'), {
        x: [0.5],
        value: [-1],
        'band.lo': [-2],
        'band.hi': [3]
      })
    ]);
    for (const step of [1, 3, 7, 64, bytes.length]) {
      const decoder = new SeriesFrameDecoder();
      const frames = [];
      for (let at = 0; at < bytes.length; at += step) {
        frames.push(...decoder.push(bytes.subarray(at, at + step)));
      }
      expect(frames.map(f => f.header.channel)).toEqual([
        'a.x',
        'a.bad',
        'a.y'
      ]);
      expect(Array.from(frames[0].arrays.value)).toEqual([5, NaN, 1e4]);
      expect(Array.from(frames[0].arrays.x)).toEqual([0, 1, 2]);
      expect(frames[1].header.error).toMatch(/not an npy header/);
      expect(frames[1].arrays).toEqual({});
      expect(Array.from(frames[2].arrays['band.hi'])).toEqual([3]);
      expect(decoder.pending).toBe(0);
    }
  });

  it('views a whole frame where it arrived, aligned, and copies the rest', () => {
    const one = encodeSeriesFrame(header('a.x'), { x: [0, 1], value: [7, 8] });
    // Aligned in its chunk: a view of the chunk, no copy.
    const chunk = new Uint8Array(one);
    const [viewed] = new SeriesFrameDecoder().push(chunk);
    expect(viewed.arrays.value.buffer).toBe(chunk.buffer);
    // One byte off: a copy, with the same values.
    const shifted = new Uint8Array(one.length + 1);
    shifted.set(one, 1);
    const [copied] = new SeriesFrameDecoder().push(shifted.subarray(1));
    expect(copied.arrays.value.buffer).not.toBe(shifted.buffer);
    expect(Array.from(copied.arrays.value)).toEqual([7, 8]);
    // Split across chunks: a copy, which the decoder's next frames leave as
    // it was.
    const decoder = new SeriesFrameDecoder();
    const half = one.length >> 1;
    expect(decoder.push(one.slice(0, half))).toEqual([]);
    const [joined] = decoder.push(one.slice(half));
    const other = encodeSeriesFrame(header('a.y'), { x: [3], value: [-1] });
    decoder.push(other.slice(0, 20));
    decoder.push(other.slice(20));
    expect(Array.from(joined.arrays.value)).toEqual([7, 8]);
    expect(Array.from(joined.arrays.x)).toEqual([0, 1]);
  });

  it('names what is wrong with a malformed frame', () => {
    const bad = new Uint8Array([3, 0, 0, 0, 0x7b, 0x7b, 0x7b, 0]);
    expect(() => new SeriesFrameDecoder().push(bad)).toThrow(/invalid JSON/);
  });

  it.each(SHARED.map(c => [c.about, c] as const))(
    "decodes the server's frame bit for bit: %s",
    (_, shared) => {
      const bytes = fromHex(shared.bytes);
      // Whole and aligned, one byte off (copies), and byte by byte.
      const shifted = new Uint8Array(bytes.length + 1);
      shifted.set(bytes, 1);
      const byByte = new SeriesFrameDecoder();
      const ways = [
        new SeriesFrameDecoder().push(bytes),
        new SeriesFrameDecoder().push(shifted.subarray(1)),
        Array.from(bytes).flatMap(b => byByte.push(new Uint8Array([b])))
      ];
      for (const [frame] of ways) {
        expect(frame.header.packed ?? {}).toEqual(shared.packed);
        for (const [name, values] of Object.entries(shared.arrays)) {
          expect(frame.arrays[name]).toBeInstanceOf(Float64Array);
          expect(bits(frame.arrays[name])).toEqual(bits(values));
        }
      }
      // The test fakes' encoder packs the same way (its JSON differs).
      const { header, arrays } = ways[0][0];
      const [again] = new SeriesFrameDecoder().push(
        encodeSeriesFrame(header, arrays)
      );
      expect(again.header.packed).toEqual(header.packed);
      for (const name of Object.keys(arrays)) {
        expect(bits(again.arrays[name])).toEqual(bits(arrays[name]));
      }
    }
  );

  it('names an array whose packing it does not know', () => {
    const frame = encodeSeriesFrame(
      { ...header('a.x'), packed: { x: ['f4'] } },
      { x: [0, 1] }
    );
    const text = new TextDecoder().decode(frame);
    const broken = new TextEncoder().encode(text.replace('"f4"', '"f2"'));
    expect(() => new SeriesFrameDecoder().push(broken)).toThrow(
      /array x has an unknown packing \["f2"\]/
    );
  });
});
