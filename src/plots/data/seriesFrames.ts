/**
 * Decoding the server's series frames (`GET runs/<run>/series`, see
 * docs/server-api.md): per channel, a `uint32` header length, the JSON
 * header, padding to 8 bytes, then the arrays in the order the header
 * lists them, each padded to 8 bytes: little-endian float64, or narrower
 * where the header's `packed` says so (packedArrays.ts).
 */
import { ISeriesFrame, ISeriesFrameHeader, PackedArray } from '../protocol';
import {
  checkedPacking,
  packedBytes,
  readPacked,
  writePacked
} from './packedArrays';

/** Frames larger than this are refused (a broken or hostile reply). */
export const MAX_FRAME_BYTES = 512 * 1024 * 1024;

/**
 * Splits a byte stream into frames as the bytes arrive: `push` returns the
 * frames completed by the new bytes, and keeps the rest for the next call.
 *
 * @throws an Error naming what is wrong with a malformed frame.
 */
export class SeriesFrameDecoder {
  /**
   * The frames `bytes` complete. A frame wholly in `bytes` may keep views
   * of them: they must not change after (a fetch stream's chunks don't).
   */
  push(bytes: Uint8Array): ISeriesFrame[] {
    const frames: ISeriesFrame[] = [];
    let at = 0;
    // A frame begun in an earlier chunk: only the bytes it still needs are
    // copied to it (copying every chunk first cost a glob's review ~0.1 s).
    while (this.pending > 0 && at < bytes.length) {
      const held = this.pending;
      const wanted = measure(this._buffer, this._start, held).size;
      const take = Math.min(bytes.length - at, Math.max(0, wanted - held));
      this._append(bytes.subarray(at, at + take));
      at += take;
      const found = frameAt(this._buffer, this._start, this.pending, false);
      if (found) {
        frames.push(found.frame);
        this._start += found.size;
      } else if (take === 0) {
        break; // cannot happen: a frame of its wanted size is whole
      }
    }
    if (this.pending === 0) {
      this._start = this._length = 0;
    }
    // The rest is read where it arrived; a partial frame at its end is kept.
    for (;;) {
      const found = frameAt(bytes, at, bytes.length - at, true);
      if (!found) {
        break;
      }
      frames.push(found.frame);
      at += found.size;
    }
    if (at < bytes.length) {
      this._append(bytes.subarray(at));
    }
    return frames;
  }

  /** Bytes held that don't make a whole frame yet. */
  get pending(): number {
    return this._length - this._start;
  }

  private _append(bytes: Uint8Array): void {
    const held = this._length - this._start;
    if (this._start > 0 && held + bytes.length > this._buffer.length) {
      this._buffer.copyWithin(0, this._start, this._length);
      this._start = 0;
      this._length = held;
    }
    if (this._length + bytes.length > this._buffer.length) {
      const grown = new Uint8Array(
        Math.max(this._buffer.length * 2, this._length + bytes.length)
      );
      grown.set(this._buffer.subarray(0, this._length));
      this._buffer = grown;
    }
    this._buffer.set(bytes, this._length);
    this._length += bytes.length;
  }

  private _buffer = new Uint8Array(64 * 1024);
  private _start = 0;
  private _length = 0;
}

/**
 * The frame at `start` as far as `available` bytes tell: its size is 4
 * before its header's length is there, the header's end before the header
 * is, then the whole frame's, with the header and where its arrays start.
 *
 * @throws an Error naming what is wrong with a malformed frame.
 */
function measure(
  buffer: Uint8Array,
  start: number,
  available: number
): { size: number; header?: ISeriesFrameHeader; arraysAt?: number } {
  if (available < 4) {
    return { size: 4 };
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset + start, 4);
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > MAX_FRAME_BYTES) {
    throw new Error(`a series frame header of ${headerLength} bytes`);
  }
  if (available < 4 + headerLength) {
    return { size: 4 + headerLength };
  }
  const text = new TextDecoder().decode(
    buffer.subarray(start + 4, start + 4 + headerLength)
  );
  let header: ISeriesFrameHeader;
  try {
    header = JSON.parse(text);
  } catch {
    throw new Error('a series frame with an invalid JSON header');
  }
  const arrays = Array.isArray(header.arrays) ? header.arrays : [];
  const packed: Record<string, PackedArray> = {};
  const arraysAt = align8(4 + headerLength);
  let size = arraysAt;
  for (const [name, length] of arrays) {
    if (!Number.isInteger(length) || length < 0) {
      throw new Error(`series frame array ${name} has length ${length}`);
    }
    const packing = checkedPacking(name, header.packed?.[name]);
    if (packing) {
      packed[name] = packing;
    }
    size += packedBytes(length, packing);
  }
  if (size > MAX_FRAME_BYTES) {
    throw new Error(`a series frame of ${size} bytes`);
  }
  const checked = { ...header, arrays };
  if (header.packed !== undefined) {
    Object.assign(checked, { packed });
  }
  return { size, header: checked, arraysAt };
}

/**
 * The whole frame at `start`, and its size; undefined if it isn't whole.
 * Its arrays view `buffer` where they are aligned and `mayView`, else are a
 * copy (the decoder's own buffer is written over later).
 */
function frameAt(
  buffer: Uint8Array,
  start: number,
  available: number,
  mayView: boolean
): { frame: ISeriesFrame; size: number } | undefined {
  const { size, header, arraysAt } = measure(buffer, start, available);
  if (!header || arraysAt === undefined || available < size) {
    return undefined;
  }
  // Views where they can be: a copy writes fresh memory, and the first touch
  // of a page is what costs (a glob's 28 MB took the page 40-200 ms).
  const out: Record<string, Float64Array> = {};
  let at = start + arraysAt;
  for (const [name, length] of header.arrays) {
    const packing = header.packed?.[name];
    out[name] = readPacked(buffer, at, length, packing, mayView);
    at += packedBytes(length, packing);
  }
  return { frame: { header, arrays: out }, size };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** The bytes of a frame, as the server writes it (for tests and fakes). */
export function encodeSeriesFrame(
  header: Omit<ISeriesFrameHeader, 'arrays'>,
  arrays: Record<string, ArrayLike<number>>
): Uint8Array {
  const list = Object.entries(arrays).map(
    ([name, values]) => [name, values.length] as const
  );
  const json = new TextEncoder().encode(
    JSON.stringify({ ...header, arrays: list })
  );
  const bodies = Object.entries(arrays).map(([name, values]) =>
    writePacked(values, header.packed?.[name])
  );
  const dataStart = align8(4 + json.length);
  const total = dataStart + bodies.reduce((n, body) => n + body.length, 0);
  const bytes = new Uint8Array(total);
  new DataView(bytes.buffer).setUint32(0, json.length, true);
  bytes.set(json, 4);
  let at = dataStart;
  for (const body of bodies) {
    bytes.set(body, at);
    at += body.length;
  }
  return bytes;
}
