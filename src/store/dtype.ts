/**
 * NumPy dtype strings (`<f8`, `|b1`, `<M8[ns]`, …) that `.npr` fields may
 * have, and what runwatch makes of them.
 */
import { DtypeError } from './errors';

/** How a field's bytes are interpreted. */
export type NpyFieldKind = 'float' | 'int' | 'uint' | 'bool' | 'datetime';

/** The units a `datetime64` field may have. */
export type TimeUnit = 's' | 'ms' | 'us' | 'ns';

/** Nanoseconds per `TimeUnit`. */
export const NS_PER_UNIT: Record<TimeUnit, number> = {
  s: 1e9,
  ms: 1e6,
  us: 1e3,
  ns: 1
};

/** A parsed dtype string; `void` is padding. */
export interface IParsedDtype {
  kind: NpyFieldKind | 'void';
  size: number;
  unit?: TimeUnit;
}

const TYPE_CODES: Record<string, { kind: NpyFieldKind; sizes: number[] }> = {
  f: { kind: 'float', sizes: [2, 4, 8] },
  i: { kind: 'int', sizes: [1, 2, 4, 8] },
  u: { kind: 'uint', sizes: [1, 2, 4, 8] },
  b: { kind: 'bool', sizes: [1] },
  M: { kind: 'datetime', sizes: [8] }
};

const UNSUPPORTED_CODES: Record<string, string> = {
  O: 'object (pickled) fields',
  U: 'unicode string fields',
  S: 'byte string fields',
  a: 'byte string fields',
  m: 'timedelta64 fields',
  c: 'complex fields'
};

/**
 * Parse one field's dtype string, e.g. `<f8`, `|b1`, `?`, `<M8[us]`.
 *
 * @throws DtypeError for anything runwatch can't decode.
 */
export function parseDtype(
  dtype: string,
  file: string,
  fieldName: string
): IParsedDtype {
  const what = fieldName ? `field '${fieldName}'` : 'the array';
  if (dtype === '?' || dtype === '|?' || dtype === '=?') {
    return { kind: 'bool', size: 1 };
  }
  const match = /^([<>|=]?)([A-Za-z])(\d*)(?:\[(\w+)\])?$/.exec(dtype);
  if (!match) {
    throw new DtypeError(file, `${what} has unsupported dtype ${dtype}`);
  }
  const [, order, code, sizeText, unit] = match;
  const size = Number(sizeText);
  if (code in UNSUPPORTED_CODES) {
    throw new DtypeError(
      file,
      `${what} has dtype ${dtype}: ${UNSUPPORTED_CODES[code]} are not supported`
    );
  }
  if (code === 'V') {
    return { kind: 'void', size };
  }
  const type = TYPE_CODES[code];
  if (!type || !type.sizes.includes(size)) {
    throw new DtypeError(file, `${what} has unsupported dtype ${dtype}`);
  }
  if (size > 1 && order === '>') {
    throw new DtypeError(
      file,
      `${what} has big-endian dtype ${dtype}, which is not supported`
    );
  }
  if (size > 1 && order !== '<') {
    throw new DtypeError(
      file,
      `${what} has dtype ${dtype} with no explicit byte order; expected '<'`
    );
  }
  if (type.kind === 'datetime') {
    if (unit !== 's' && unit !== 'ms' && unit !== 'us' && unit !== 'ns') {
      throw new DtypeError(
        file,
        `${what} has datetime unit ${unit ?? '(none)'}; expected s, ms, us or ns`
      );
    }
    return { kind: 'datetime', size, unit };
  }
  if (unit !== undefined) {
    throw new DtypeError(file, `${what} has unsupported dtype ${dtype}`);
  }
  return { kind: type.kind, size };
}
