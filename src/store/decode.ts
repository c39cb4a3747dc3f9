/**
 * Decoding of `.npr` records into one `Float64Array` per field.
 *
 * Records are interleaved fixed-width rows, so a field can't be a zero-copy
 * view; instead each field is copied out in one strided pass over an aligned
 * typed-array view of the bytes (the fast path), or over a `DataView` when
 * the record layout isn't aligned for that field.
 */
import { INpyField, INpyHeader, parseNprHeader } from './npyHeader';
import { NS_PER_UNIT } from './dtype';
import { secondsFromNs } from './time';

/** Columns of equal length, one `Float64Array` per field. */
export interface IColumnSet {
  /** Number of rows. */
  readonly length: number;
  /**
   * One column per field. `datetime64` fields hold seconds since the
   * origin passed to the decoder; integers and bools are converted to
   * doubles (bools as 0/1).
   */
  readonly columns: Record<string, Float64Array>;
}

const IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const TWO_32 = 4294967296;

/**
 * The number of complete records in `byteLength` bytes of row data; a
 * partial last record is ignored until it completes.
 */
export function rowCount(header: INpyHeader, byteLength: number): number {
  return Math.max(0, Math.floor(byteLength / header.itemsize));
}

/**
 * Decode a whole `.npr` file: parse its header (which must have a `_time`
 * datetime field), then decode its rows.
 *
 * @param bytes - the file's bytes from offset 0.
 * @param file - named in any error.
 * @param originNs - the time origin (normally the run's `_created`) in ns
 *   since the Unix epoch; `datetime64` fields become seconds since it.
 */
export function decodeNpr(
  bytes: Uint8Array,
  file: string,
  originNs: bigint
): { header: INpyHeader; data: IColumnSet } {
  const header = parseNprHeader(bytes, file);
  const data = decodeRows(
    header,
    bytes.subarray(header.headerLength),
    originNs
  );
  return { header, data };
}

/**
 * Decode the complete records in `rows` (which starts at a record boundary)
 * into one `Float64Array` per field.
 *
 * @param originNs - ns since the epoch that `datetime64` fields are measured
 *   from. The subtraction is exact (done on 32-bit halves), so ns precision
 *   survives whenever the difference is below 2^53 ns (104 days).
 *
 * #### Notes
 * Seconds are `secondsFromNs(ns difference)`, the same double pandas'
 * `Timedelta.total_seconds()` gives. `NaT` decodes as `NaN`.
 */
export function decodeRows(
  header: INpyHeader,
  rows: Uint8Array,
  originNs: bigint
): IColumnSet {
  const { length, bytes } = completeRecords(header, rows);
  const columns: Record<string, Float64Array> = {};
  for (const field of header.fields) {
    const out = new Float64Array(length);
    decodeField(field, header.itemsize, bytes, length, originNs, out);
    columns[field.name] = out;
  }
  return { length, columns };
}

/**
 * Decode the complete records in `rows` into existing columns (one per
 * field, as `decodeRows` names them) from row `at` on, so a caller that
 * knows the file's size fills its columns without a copy per chunk.
 *
 * @returns the number of rows decoded.
 * @throws RangeError if a column is missing or too short.
 */
export function decodeRowsInto(
  header: INpyHeader,
  rows: Uint8Array,
  originNs: bigint,
  columns: Record<string, Float64Array>,
  at: number
): number {
  const { length, bytes } = completeRecords(header, rows);
  for (const field of header.fields) {
    const column = columns[field.name];
    if (!column || column.length < at + length) {
      throw new RangeError(`no room for ${length} rows of ${field.name}`);
    }
    decodeField(
      field,
      header.itemsize,
      bytes,
      length,
      originNs,
      column.subarray(at, at + length)
    );
  }
  return length;
}

/** The complete records of `rows`, 8-byte aligned for the fast path. */
function completeRecords(
  header: INpyHeader,
  rows: Uint8Array
): { length: number; bytes: Uint8Array } {
  const length = rowCount(header, rows.byteLength);
  let bytes = rows.subarray(0, length * header.itemsize);
  // A misaligned start (e.g. a pooled Node Buffer) would push every field
  // off the fast path; one memcpy is much cheaper than that.
  if (bytes.byteOffset % 8 !== 0 && header.itemsize % 4 === 0) {
    bytes = copyBytes(bytes);
  }
  return { length, bytes };
}

/**
 * A copy of `bytes` in a fresh, 8-byte-aligned buffer.
 *
 * #### Notes
 * Not `bytes.slice()`: on a Node `Buffer` that is a view, not a copy.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

function decodeField(
  field: INpyField,
  itemsize: number,
  bytes: Uint8Array,
  length: number,
  originNs: bigint,
  out: Float64Array
): void {
  const { size, offset, kind } = field;
  if (size === 8 && kind !== 'float') {
    decodeInt64(field, itemsize, bytes, length, originNs, out);
    return;
  }
  const aligned =
    IS_LITTLE_ENDIAN &&
    (bytes.byteOffset + offset) % size === 0 &&
    itemsize % size === 0;
  if (aligned) {
    const View = typedArrayFor(field);
    const view = new View(
      // A SharedArrayBuffer works too; the union of constructors can't say so.
      bytes.buffer as ArrayBuffer,
      bytes.byteOffset,
      (length * itemsize) / size
    );
    const stride = itemsize / size;
    let j = offset / size;
    if (kind === 'bool') {
      for (let i = 0; i < length; i++, j += stride) {
        out[i] = view[j] === 0 ? 0 : 1;
      }
    } else if (kind === 'float' && size === 2) {
      for (let i = 0; i < length; i++, j += stride) {
        out[i] = halfToDouble(view[j]);
      }
    } else {
      for (let i = 0; i < length; i++, j += stride) {
        out[i] = view[j];
      }
    }
    return;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = dataViewReader(field, dv);
  for (let i = 0, p = offset; i < length; i++, p += itemsize) {
    out[i] = read(p);
  }
}

type NumericArrayConstructor =
  | Float64ArrayConstructor
  | Float32ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int8ArrayConstructor
  | Uint8ArrayConstructor;

function typedArrayFor(field: INpyField): NumericArrayConstructor {
  const { kind, size } = field;
  if (kind === 'float') {
    // float16 is read as its bits and converted by `halfToDouble`.
    return size === 8 ? Float64Array : size === 4 ? Float32Array : Uint16Array;
  }
  if (kind === 'int') {
    return size === 4 ? Int32Array : size === 2 ? Int16Array : Int8Array;
  }
  return size === 4 ? Uint32Array : size === 2 ? Uint16Array : Uint8Array;
}

function dataViewReader(
  field: INpyField,
  dv: DataView
): (position: number) => number {
  const { kind, size } = field;
  if (kind === 'float') {
    return size === 8
      ? p => dv.getFloat64(p, true)
      : size === 4
        ? p => dv.getFloat32(p, true)
        : p => halfToDouble(dv.getUint16(p, true));
  }
  if (kind === 'bool') {
    return p => (dv.getUint8(p) === 0 ? 0 : 1);
  }
  if (kind === 'int') {
    return size === 4
      ? p => dv.getInt32(p, true)
      : size === 2
        ? p => dv.getInt16(p, true)
        : p => dv.getInt8(p);
  }
  return size === 4
    ? p => dv.getUint32(p, true)
    : size === 2
      ? p => dv.getUint16(p, true)
      : p => dv.getUint8(p);
}

/** The value of IEEE 754 half-precision bits (NumPy's `<f2`). */
export function halfToDouble(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) {
    return sign * fraction * 2 ** -24;
  }
  if (exponent === 0x1f) {
    return fraction ? NaN : sign * Infinity;
  }
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * 64-bit integers and datetimes, read as two 32-bit halves so no BigInt is
 * made per row: `hi * 2^32 + lo` is one correctly rounded addition.
 */
function decodeInt64(
  field: INpyField,
  itemsize: number,
  bytes: Uint8Array,
  length: number,
  originNs: bigint,
  out: Float64Array
): void {
  const signed = field.kind !== 'uint';
  const aligned =
    IS_LITTLE_ENDIAN &&
    (bytes.byteOffset + field.offset) % 4 === 0 &&
    itemsize % 4 === 0;
  let readLo: (i: number) => number;
  let readHi: (i: number) => number;
  if (aligned) {
    const words = (length * itemsize) / 4;
    const lo32 = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    const hi32 = signed
      ? new Int32Array(bytes.buffer, bytes.byteOffset, words)
      : lo32;
    const stride = itemsize / 4;
    const base = field.offset / 4;
    readLo = i => lo32[base + i * stride];
    readHi = i => hi32[base + i * stride + 1];
  } else {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    readLo = i => dv.getUint32(i * itemsize + field.offset, true);
    readHi = signed
      ? i => dv.getInt32(i * itemsize + field.offset + 4, true)
      : i => dv.getUint32(i * itemsize + field.offset + 4, true);
  }

  if (field.kind !== 'datetime') {
    for (let i = 0; i < length; i++) {
      out[i] = readHi(i) * TWO_32 + readLo(i);
    }
    return;
  }

  const unitNs = NS_PER_UNIT[field.unit ?? 'ns'];
  const origin = splitOrigin(originNs, unitNs);
  if (aligned) {
    // Inlined copy of the loop below: this is the hot path for `_time`.
    const words = (length * itemsize) / 4;
    const lo32 = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    const hi32 = new Int32Array(bytes.buffer, bytes.byteOffset, words);
    const stride = itemsize / 4;
    for (let i = 0, j = field.offset / 4; i < length; i++, j += stride) {
      const hi = hi32[j + 1];
      const lo = lo32[j];
      out[i] =
        hi === -2147483648 && lo === 0
          ? NaN
          : secondsFromNs(
              ((hi - origin.hi) * TWO_32 + (lo - origin.lo)) * unitNs -
                origin.remainderNs
            );
    }
    return;
  }
  for (let i = 0; i < length; i++) {
    const hi = readHi(i);
    const lo = readLo(i);
    out[i] =
      hi === -2147483648 && lo === 0
        ? NaN
        : secondsFromNs(
            ((hi - origin.hi) * TWO_32 + (lo - origin.lo)) * unitNs -
              origin.remainderNs
          );
  }
}

/**
 * Split an origin in ns into whole units (as signed hi and unsigned lo 32-bit
 * halves) and the ns left over, so that
 * `t_ns - origin = (t_units - originUnits) * unitNs - remainderNs` exactly.
 */
function splitOrigin(
  originNs: bigint,
  unitNs: number
): { hi: number; lo: number; remainderNs: number } {
  const unit = BigInt(unitNs);
  let units = originNs / unit;
  if (units * unit > originNs) {
    units -= 1n; // floor, not truncate, for origins before 1970
  }
  const remainderNs = Number(originNs - units * unit);
  return {
    hi: Number(BigInt.asIntN(32, units >> 32n)),
    lo: Number(BigInt.asUintN(32, units)),
    remainderNs
  };
}
