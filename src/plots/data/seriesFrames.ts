/**
 * Decoding the server's series frames (`GET runs/<run>/series`, see
 * docs/server-api.md): per channel, a `uint32` header length, the JSON
 * header, padding to 8 bytes, then little-endian float64 arrays in the
 * order the header lists them.
 */
import { ISeriesFrame, ISeriesFrameHeader } from '../protocol';

/** Frames larger than this are refused (a broken or hostile reply). */
export const MAX_FRAME_BYTES = 512 * 1024 * 1024;

/**
 * Splits a byte stream into frames as the bytes arrive: `push` returns the
 * frames completed by the new bytes, and keeps the rest for the next call.
 *
 * @throws an Error naming what is wrong with a malformed frame.
 */
export class SeriesFrameDecoder {
  push(bytes: Uint8Array): ISeriesFrame[] {
    this._append(bytes);
    const frames: ISeriesFrame[] = [];
    for (;;) {
      const frame = this._next();
      if (!frame) {
        return frames;
      }
      frames.push(frame);
    }
  }

  /** Bytes held that don't make a whole frame yet. */
  get pending(): number {
    return this._length - this._start;
  }

  private _next(): ISeriesFrame | undefined {
    const available = this._length - this._start;
    if (available < 4) {
      return undefined;
    }
    const view = new DataView(this._buffer.buffer, this._start, available);
    const headerLength = view.getUint32(0, true);
    if (4 + headerLength > MAX_FRAME_BYTES) {
      throw new Error(`a series frame header of ${headerLength} bytes`);
    }
    if (available < 4 + headerLength) {
      return undefined;
    }
    const text = new TextDecoder().decode(
      this._buffer.subarray(this._start + 4, this._start + 4 + headerLength)
    );
    let header: ISeriesFrameHeader;
    try {
      header = JSON.parse(text);
    } catch {
      throw new Error('a series frame with an invalid JSON header');
    }
    const arrays = Array.isArray(header.arrays) ? header.arrays : [];
    const dataStart = align8(4 + headerLength);
    let total = dataStart;
    for (const [name, length] of arrays) {
      if (!Number.isInteger(length) || length < 0) {
        throw new Error(`series frame array ${name} has length ${length}`);
      }
      total += length * 8;
    }
    if (total > MAX_FRAME_BYTES) {
      throw new Error(`a series frame of ${total} bytes`);
    }
    if (available < total) {
      return undefined;
    }
    const out: Record<string, Float64Array> = {};
    let at = this._start + dataStart;
    for (const [name, length] of arrays) {
      // A copy: the frame's arrays outlive the decoder's buffer.
      const array = new Float64Array(length);
      new Uint8Array(array.buffer).set(
        this._buffer.subarray(at, at + length * 8)
      );
      out[name] = array;
      at += length * 8;
    }
    this._start += total;
    return { header: { ...header, arrays }, arrays: out };
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
  const dataStart = align8(4 + json.length);
  const total = dataStart + list.reduce((n, [, length]) => n + length * 8, 0);
  const bytes = new Uint8Array(total);
  new DataView(bytes.buffer).setUint32(0, json.length, true);
  bytes.set(json, 4);
  let at = dataStart;
  for (const values of Object.values(arrays)) {
    const array = Float64Array.from(values);
    bytes.set(new Uint8Array(array.buffer), at);
    at += array.length * 8;
  }
  return bytes;
}
