/**
 * The values the monitor shows for a channel: its last complete bucket and
 * the still-filling one, or its last raw row. Pure functions.
 */
import {
  aggregate,
  IColumnSet,
  quantileColumnNames,
  statKind
} from '../../store';

/** One bucket's output columns (`value`; `mu sigma lo hi`; `0 25 …`). */
export type BucketRow = Record<string, number>;

/** A channel's latest values at a rule. */
export interface ILatestValues {
  /** The last complete bucket, if any. */
  readonly complete?: BucketRow;
  /** The bucket containing now, while it fills, if it has rows. */
  readonly partial?: BucketRow;
}

/**
 * The last complete bucket and the partial one of a channel, as
 * `aggregate` computes them over all its rows.
 *
 * @param data - the channel's rows sorted by time (s since `_created`).
 * @param nowS - now, in s since `_created`.
 *
 * #### Notes
 * Only the last buckets matter, so for runs longer than a few buckets the
 * rows are cut to the last three buckets and shifted to start at 0, which
 * keeps bucket edges and every shown value equal to a full aggregate while
 * costing O(rows in those buckets). `cumsum` needs the running total, and
 * rows before `_created` move the edges, so those aggregate everything.
 */
export function latestBuckets(
  kind: string,
  data: IColumnSet,
  ruleS: number,
  nowS: number
): ILatestValues {
  const time = data.columns._time;
  if (!time || data.length === 0) {
    return {};
  }
  const lastT = time[data.length - 1];
  const shift = (Math.floor(lastT / ruleS) - 2) * ruleS;
  if (kind === 'last' || kind === 'silent') {
    return latestLast(data, time, ruleS, nowS);
  }
  if (kind === 'cumsum' || !(shift > 0) || time[0] < 0) {
    return pick(aggregate(kind, data, { ruleS, nowS }));
  }
  const from = lowerBound(time, data.length, shift);
  const columns: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(data.columns)) {
    columns[name] = column.slice(from, data.length);
  }
  const shifted = columns._time;
  for (let i = 0; i < shifted.length; i++) {
    shifted[i] -= shift;
  }
  const window = { length: data.length - from, columns };
  return pick(aggregate(kind, window, { ruleS, nowS: nowS - shift }));
}

function pick(result: ReturnType<typeof aggregate>): ILatestValues {
  const { index, columns, partialFrom } = result;
  const row = (k: number): BucketRow | undefined => {
    if (k < 0 || k >= index.length) {
      return undefined;
    }
    const out: BucketRow = {};
    for (const [name, column] of Object.entries(columns)) {
      out[name] = column[k];
    }
    return out;
  };
  return { complete: row(partialFrom - 1), partial: row(partialFrom) };
}

/**
 * `last` forward-fills, so its complete bucket is the last value before
 * the partial bucket's start, however old: found directly.
 */
function latestLast(
  data: IColumnSet,
  time: Float64Array,
  ruleS: number,
  nowS: number
): ILatestValues {
  const x = data.columns.x ?? data.columns.value;
  if (!x) {
    return pick(aggregate('last', data, { ruleS, nowS }));
  }
  const start = Math.min(0, time[0]);
  const partialStart = start + Math.floor((nowS - start) / ruleS) * ruleS;
  const split = lowerBound(time, data.length, partialStart);
  const lastValid = (from: number, to: number): number | undefined => {
    for (let i = to - 1; i >= from; i--) {
      if (!Number.isNaN(x[i])) {
        return x[i];
      }
    }
    return undefined;
  };
  const complete = lastValid(0, split);
  const partial = lastValid(split, data.length);
  return {
    complete: complete === undefined ? undefined : { value: complete },
    partial: partial === undefined ? undefined : { value: partial }
  };
}

/**
 * The value of a channel's last row on its own, per kind: what "raw" shows.
 *
 * `mean` is `total / count`, `maxrate` `count / duration`, `cumsum` the
 * running total, `rate` the row's count over the gap since the previous
 * row (`period` its inverse); the other kinds show their argument.
 */
export function latestRaw(
  kind: string,
  data: IColumnSet
): BucketRow | undefined {
  const n = data.length;
  if (n === 0) {
    return undefined;
  }
  const c = data.columns;
  const at = (name: string, fallback = NaN): number =>
    c[name] ? c[name][n - 1] : fallback;
  switch (kind) {
    case 'mean':
    case 'mean_percent':
      return { value: at('total') / at('count', 1) };
    case 'maxrate':
      return { value: at('count', 1) / at('duration') };
    case 'cumsum': {
      const total = c.total;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        sum += total ? (Number.isNaN(total[i]) ? 0 : total[i]) : 1;
      }
      return { value: sum };
    }
    case 'rate':
    case 'period': {
      const time = c._time;
      const gap = time[n - 1] - (n > 1 ? time[n - 2] : 0);
      const count = at('count', 1);
      return { value: kind === 'rate' ? count / gap : gap / count };
    }
    case 'duty':
      return { value: at('duration') };
    case 'mean_std': {
      const mu = at('μ');
      const sigma = at('σ');
      return { mu, sigma, lo: mu - 2 * sigma, hi: mu + 2 * sigma };
    }
    case 'quantiles': {
      const fields = Object.keys(c).filter(f => f.startsWith('qs.'));
      const names = quantileColumnNames(fields.length);
      const row: BucketRow = {};
      fields.forEach((field, i) => (row[names[i]] = at(field)));
      return row;
    }
  }
  const spec = statKind(kind);
  const arg = spec?.args[0]?.name ?? 'x';
  if (c[arg]) {
    return { value: at(arg) };
  }
  // A dict-valued argument: one value per sub-field.
  const row: BucketRow = {};
  for (const field of Object.keys(c)) {
    if (field.startsWith(`${arg}.`)) {
      row[field.slice(arg.length + 1)] = at(field);
    }
  }
  return row;
}

/** The first index in `time[0, length)` whose value is ≥ `t`. */
function lowerBound(time: Float64Array, length: number, t: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time[mid] < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}
