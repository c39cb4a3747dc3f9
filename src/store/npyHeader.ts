/**
 * Parsing of NumPy `.npy` headers, as used by pavlov's `.npr` files: a
 * version 1, 2 or 3 header with `shape (0,)`, followed by fixed-width records
 * appended forever.
 *
 * Ref: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
import { DtypeError, HeaderError } from './errors';
import { NpyFieldKind, parseDtype, TimeUnit } from './dtype';
import { IPyDict, parsePyLiteral, pyDictGet, PyValue } from './pyLiteral';

/** The 6 magic bytes that open every `.npy` file: `\x93NUMPY`. */
export const NPY_MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59);

/** One field of a record, all little-endian. */
export interface INpyField {
  /** The field name, e.g. `_time`, `total`, `qs.0`; `''` for a plain descr. */
  readonly name: string;
  /** The dtype as written in the header, e.g. `<f8`, `<M8[ns]`, `|b1`. */
  readonly dtype: string;
  readonly kind: NpyFieldKind;
  /** Size in bytes. */
  readonly size: number;
  /** Byte offset within the record. */
  readonly offset: number;
  /** The unit of a `datetime` field. */
  readonly unit?: TimeUnit;
}

/** A parsed `.npy` header. */
export interface INpyHeader {
  /** The major format version: 1, 2 or 3. */
  readonly version: 1 | 2 | 3;
  /** Bytes before the first record, including magic, length and padding. */
  readonly headerLength: number;
  /** The fields in record order; padding (`|V`) fields are left out. */
  readonly fields: INpyField[];
  /** Bytes per record. */
  readonly itemsize: number;
}

/**
 * The total header length, once enough bytes have arrived to know it.
 *
 * @returns the header length in bytes (incl. magic, length and padding), or
 *   `undefined` if `bytes` is too short to tell yet.
 * @throws HeaderError if the bytes so far can't be the start of a header.
 *
 * #### Notes
 * Wrong magic is reported as soon as the first differing byte arrives, so an
 * incremental reader fed a garbage file fails on its first chunk.
 */
export function npyHeaderLength(
  bytes: Uint8Array,
  file: string
): number | undefined {
  const known = Math.min(bytes.length, NPY_MAGIC.length);
  for (let i = 0; i < known; i++) {
    if (bytes[i] !== NPY_MAGIC[i]) {
      throw new HeaderError(file, 'not a NumPy file (wrong magic bytes)');
    }
  }
  if (bytes.length < 8) {
    return undefined;
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (!((major === 1 || major === 2 || major === 3) && minor === 0)) {
    throw new HeaderError(
      file,
      `unsupported .npy format version ${major}.${minor}`
    );
  }
  const preamble = major === 1 ? 10 : 12;
  if (bytes.length < preamble) {
    return undefined;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, preamble);
  const length =
    major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  return preamble + length;
}

/**
 * Parse the header at the start of a `.npy`/`.npr` file.
 *
 * @param bytes - the file, or at least its first `headerLength` bytes.
 * @param file - named in any error.
 * @throws HeaderError for a truncated or garbled header; DtypeError for a
 *   well-formed header runwatch can't decode (big-endian, object, unicode,
 *   nested or sub-array fields, or a shape other than `(0,)`).
 */
export function parseNpyHeader(bytes: Uint8Array, file: string): INpyHeader {
  const headerLength = npyHeaderLength(bytes, file);
  if (headerLength === undefined) {
    throw new HeaderError(
      file,
      bytes.length === 0 ? 'file is empty' : 'header is truncated'
    );
  }
  if (bytes.length < headerLength) {
    throw new HeaderError(
      file,
      `header is truncated (${bytes.length} of ${headerLength} bytes)`
    );
  }
  const version = bytes[6] as 1 | 2 | 3;
  const preamble = version === 1 ? 10 : 12;
  const textBytes = bytes.subarray(preamble, headerLength);
  let text: string;
  if (version === 3) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(textBytes);
    } catch {
      throw new HeaderError(file, 'header is not valid UTF-8');
    }
  } else {
    // True latin-1 (byte = code point); TextDecoder's 'latin1' is cp1252.
    text = '';
    for (let i = 0; i < textBytes.length; i += 4096) {
      text += String.fromCharCode(...textBytes.subarray(i, i + 4096));
    }
  }
  const literal = parsePyLiteral(text, file);
  if (typeof literal !== 'object' || literal?.type !== 'dict') {
    throw new HeaderError(file, 'header is not a dict');
  }
  checkShape(literal, file);
  const descr = pyDictGet(literal, 'descr');
  if (descr === undefined) {
    throw new HeaderError(file, "header has no 'descr'");
  }
  const { fields, itemsize } = parseDescr(descr, file);
  return { version, headerLength, fields, itemsize };
}

/** The field every `.npr` record must have: the row's time. */
export const TIME_FIELD = '_time';

/**
 * Parse the header of a `.npr` file: an NPY header (see `parseNpyHeader`)
 * whose records have a `_time` datetime64 field.
 *
 * @throws HeaderError or DtypeError as `parseNpyHeader`, and DtypeError if
 *   there is no `_time` datetime field.
 */
export function parseNprHeader(bytes: Uint8Array, file: string): INpyHeader {
  const header = parseNpyHeader(bytes, file);
  const time = header.fields.find(f => f.name === TIME_FIELD);
  if (!time) {
    throw new DtypeError(file, `records have no '${TIME_FIELD}' field`);
  }
  if (time.kind !== 'datetime') {
    throw new DtypeError(
      file,
      `'${TIME_FIELD}' has dtype ${time.dtype}; expected datetime64 (<M8[ns], <M8[us], …)`
    );
  }
  return header;
}

function checkShape(header: IPyDict, file: string): void {
  const shape = pyDictGet(header, 'shape');
  if (shape === undefined) {
    throw new HeaderError(file, "header has no 'shape'");
  }
  const isZeroShape =
    typeof shape === 'object' &&
    shape?.type === 'tuple' &&
    shape.items.length === 1 &&
    shape.items[0] === 0;
  if (!isZeroShape) {
    throw new DtypeError(
      file,
      `shape must be (0,) for an appendable .npr file, got ${formatPy(shape)}`
    );
  }
  const fortran = pyDictGet(header, 'fortran_order');
  if (fortran !== undefined && typeof fortran !== 'boolean') {
    throw new HeaderError(file, "'fortran_order' is not a bool");
  }
}

function parseDescr(
  descr: PyValue,
  file: string
): { fields: INpyField[]; itemsize: number } {
  if (typeof descr === 'string') {
    const dtype = parseDtype(descr, file, '');
    if (dtype.kind === 'void') {
      throw new DtypeError(file, `unsupported dtype ${descr}`);
    }
    return {
      fields: [{ name: '', dtype: descr, offset: 0, ...dtype }] as INpyField[],
      itemsize: dtype.size
    };
  }
  if (typeof descr !== 'object' || descr?.type !== 'list') {
    throw new HeaderError(file, "'descr' is neither a string nor a list");
  }
  const fields: INpyField[] = [];
  const names = new Set<string>();
  let offset = 0;
  for (const entry of descr.items) {
    if (typeof entry !== 'object' || entry?.type !== 'tuple') {
      throw new HeaderError(
        file,
        `descr entry ${formatPy(entry)} is not a tuple`
      );
    }
    const [rawName, rawDtype, subShape] = entry.items;
    // A (title, name) pair names the field by its second element.
    const name =
      typeof rawName === 'object' && rawName?.type === 'tuple'
        ? rawName.items[1]
        : rawName;
    if (typeof name !== 'string') {
      throw new HeaderError(file, `descr entry ${formatPy(entry)} has no name`);
    }
    if (typeof rawDtype === 'object' && rawDtype?.type === 'list') {
      throw new DtypeError(
        file,
        `field '${name}' is a nested structured dtype, which is not supported`
      );
    }
    if (typeof rawDtype !== 'string') {
      throw new HeaderError(file, `field '${name}' has no dtype string`);
    }
    if (subShape !== undefined || entry.items.length > 3) {
      throw new DtypeError(
        file,
        `field '${name}' is a sub-array ${formatPy(subShape ?? null)}, which is not supported`
      );
    }
    const dtype = parseDtype(rawDtype, file, name);
    if (dtype.kind !== 'void') {
      if (names.has(name)) {
        throw new HeaderError(file, `field '${name}' appears twice`);
      }
      names.add(name);
      fields.push({ name, dtype: rawDtype, offset, ...dtype } as INpyField);
    }
    offset += dtype.size;
  }
  if (fields.length === 0) {
    throw new DtypeError(file, 'the record has no fields');
  }
  return { fields, itemsize: offset };
}

function formatPy(value: PyValue): string {
  if (value === null) {
    return 'None';
  }
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  if (typeof value === 'number') {
    return String(value);
  }
  if (value.type === 'dict') {
    return '{...}';
  }
  const inner = value.items.map(formatPy).join(', ');
  return value.type === 'list'
    ? `[${inner}]`
    : `(${inner}${value.items.length === 1 ? ',' : ''})`;
}
