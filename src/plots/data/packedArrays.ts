/**
 * A series frame's arrays narrower than float64 (docs/server-api.md,
 * "Series"): the header's `packed` names each, and each still decodes to
 * the very float64 values the server had.
 */
import { PackedArray } from '../protocol';

type Narrow =
  Float32ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor;

const TYPES: Record<string, Narrow> = {
  f4: Float32Array,
  u2: Uint16Array,
  u4: Uint32Array
};

/**
 * The packing `packed` names, checked; undefined for float64.
 *
 * @throws an Error naming the array when the packing is unknown or broken.
 */
export function checkedPacking(
  name: string,
  packed: unknown
): PackedArray | undefined {
  if (packed === undefined) {
    return undefined;
  }
  const entry = Array.isArray(packed) ? packed : [];
  const [type, from, step] = entry;
  const fine =
    type === 'f4'
      ? entry.length === 1
      : (type === 'u2' || type === 'u4') &&
        entry.length === 3 &&
        Number.isFinite(from) &&
        Number.isFinite(step);
  if (!fine) {
    throw new Error(
      `series frame array ${name} has an unknown packing ${JSON.stringify(packed)}`
    );
  }
  return entry as unknown as PackedArray;
}

/** The bytes an array of `length` values takes, padded to a multiple of 8. */
export function packedBytes(length: number, packed?: PackedArray): number {
  const size = packed ? TYPES[packed[0]].BYTES_PER_ELEMENT : 8;
  return (length * size + 7) & ~7;
}

/**
 * The `length` values at `at` in `buffer` as float64. A float64 array is a
 * view of `buffer` when `mayView` and it is aligned, else a copy.
 */
export function readPacked(
  buffer: Uint8Array,
  at: number,
  length: number,
  packed: PackedArray | undefined,
  mayView: boolean
): Float64Array {
  const Type = packed ? TYPES[packed[0]] : Float64Array;
  const size = length * Type.BYTES_PER_ELEMENT;
  const aligned = (buffer.byteOffset + at) % Type.BYTES_PER_ELEMENT === 0;
  // A copy starts a fresh buffer, so it is always aligned.
  const source =
    aligned && (mayView || packed) ? buffer : buffer.slice(at, at + size);
  const offset = source === buffer ? buffer.byteOffset + at : 0;
  const narrow = new Type(source.buffer as ArrayBuffer, offset, length);
  if (!packed) {
    return narrow as Float64Array;
  }
  const values = new Float64Array(length);
  if (packed[0] === 'f4') {
    values.set(narrow);
  } else {
    const [, from, step] = packed;
    for (let i = 0; i < length; i++) {
      values[i] = from + narrow[i] * step;
    }
  }
  return values;
}

/** `values`' bytes as `packed` says, padded to a multiple of 8 (for tests and fakes). */
export function writePacked(
  values: ArrayLike<number>,
  packed?: PackedArray
): Uint8Array {
  const bytes = new Uint8Array(packedBytes(values.length, packed));
  if (!packed) {
    new Float64Array(bytes.buffer).set(Array.from(values));
  } else if (packed[0] === 'f4') {
    new Float32Array(bytes.buffer, 0, values.length).set(Array.from(values));
  } else {
    const [type, from, step] = packed;
    const steps = Array.from(values, v => Math.round((v - from) / step));
    new TYPES[type](bytes.buffer, 0, values.length).set(steps);
  }
  return bytes;
}
