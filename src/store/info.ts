/**
 * Reading a run's `_info.json`.
 */
import { InfoError } from './errors';

/** A run's `_info.json`, with secrets removed and `_created` parsed. */
export interface IRunInfo {
  /** Every field of the file except `_env`. */
  readonly fields: Record<string, unknown>;
  /** `_created` in ns since the epoch, exact. */
  readonly createdNs: bigint;
  /** `_created` in ms since the epoch (floored). */
  readonly createdMs: number;
}

/** Fields never passed on: pavlov stored the whole environment in `_env`. */
export const SECRET_INFO_FIELDS: readonly string[] = ['_env'];

/**
 * Parse the text of an `_info.json`.
 *
 * @param text - the file's contents.
 * @param file - named in any error.
 * @throws InfoError if it isn't a JSON object with a parseable `_created`.
 */
export function parseInfo(text: string, file: string): IRunInfo {
  if (text.trim() === '') {
    throw new InfoError(file, 'empty file (half-written?)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InfoError(
      file,
      `invalid JSON (half-written?): ${(error as Error).message}`
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InfoError(
      file,
      `expected a JSON object, got ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed}`
    );
  }
  const fields: Record<string, unknown> = {
    ...(parsed as Record<string, unknown>)
  };
  for (const key of SECRET_INFO_FIELDS) {
    delete fields[key];
  }
  if (!('_created' in fields)) {
    throw new InfoError(file, 'missing _created');
  }
  const created = fields._created;
  if (typeof created !== 'string') {
    throw new InfoError(
      file,
      `bad _created: not a string: ${JSON.stringify(created)}`
    );
  }
  const createdNs = parseCreated(created, file);
  const msNs = 1_000_000n;
  const floorMs =
    createdNs >= 0n ? createdNs / msNs : -((-createdNs + msNs - 1n) / msNs);
  return { fields, createdNs, createdMs: Number(floorMs) };
}

const CREATED =
  /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/;

/**
 * Parse an ISO 8601 time as pavlov and runwatch write `_created`
 * (`str(pd.Timestamp)`, e.g. `2021-03-01 12:34:56.789012+00:00`) to exact ns
 * since the epoch. No offset means UTC.
 *
 * @throws InfoError naming `file` if the text isn't such a time.
 */
export function parseCreated(text: string, file: string): bigint {
  const match = CREATED.exec(text.trim());
  if (!match) {
    throw new InfoError(
      file,
      `bad _created: not an ISO 8601 time: ${JSON.stringify(text)}`
    );
  }
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const days = daysFromCivil(Number(y), Number(mo), Number(d));
  const seconds = days * 86400 + Number(h) * 3600 + Number(mi) * 60 + Number(s);
  let ns =
    BigInt(seconds) * 1_000_000_000n + BigInt((fraction ?? '').padEnd(9, '0'));
  if (offset && offset !== 'Z') {
    const sign = offset[0] === '-' ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    const offsetS =
      Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60;
    ns -= BigInt(sign * offsetS) * 1_000_000_000n;
  }
  return ns;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date, rolling over
 * out-of-range days and months as Python's `calendar.timegm` does.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  // Normalise the month into 1..12 first, as timegm's arithmetic does.
  year += Math.floor((month - 1) / 12);
  month = ((((month - 1) % 12) + 12) % 12) + 1;
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
