/**
 * What the monitor shows for a channel: its last complete bucket and the
 * still-filling one at a rule, or its last row (`raw`), and their text.
 * Pure functions; runwatch/store/latest.py is the Python twin, held to it by
 * test/vectors/latest.json (docs/run-store.md, "The monitor's latest values").
 */
import {
  aggregate,
  bucketSum,
  IAggregate,
  IColumnSet,
  quantileColumnNames,
  statKind
} from '../store';
import { BucketRow, formatValue } from '../store/format';

export type { BucketRow } from '../store/format';

/** A bucket width in seconds, or `'raw'` for each channel's last row. */
export type BucketRule = number | 'raw';

/** A channel's latest values at a rule. */
export interface ILatestValues {
  /** The last bucket that has ended (at `raw`, the last row), if any. */
  readonly complete?: BucketRow;
  /** The bucket containing now, while it fills, if it has rows. */
  readonly partial?: BucketRow;
}

/** The same, as the monitor prints them; `''` where there is no value. */
export interface ILatestText {
  readonly complete: string;
  readonly partial: string;
}

/**
 * A channel's latest values at `rule`, formatted by its kind: what the
 * monitor's stats tree shows.
 *
 * @param data - the channel's rows sorted by time (s since `_created`).
 * @param nowS - now, in s since `_created`.
 * @returns `undefined` for a kind hidden from the monitor (`silent`).
 */
export function latestText(
  kind: string,
  data: IColumnSet,
  rule: BucketRule,
  nowS: number
): ILatestText | undefined {
  const spec = statKind(kind);
  if (spec?.silent) {
    return undefined;
  }
  const values = latestValues(kind, data, rule, nowS);
  const format = spec?.format ?? 'simple';
  const text = (row?: BucketRow): string =>
    row ? (formatValue(format, row) ?? '') : '';
  return { complete: text(values.complete), partial: text(values.partial) };
}

/** A channel's latest values at `rule` (see `latestBuckets`, `latestRaw`). */
export function latestValues(
  kind: string,
  data: IColumnSet,
  rule: BucketRule,
  nowS: number
): ILatestValues {
  return rule === 'raw'
    ? { complete: latestRaw(kind, data) }
    : latestBuckets(kind, data, rule, nowS);
}

/**
 * Kinds whose bucket value is a sum over the bucket's seconds: the summed
 * field, and whether the value is its inverse.
 */
const PER_SECOND: Record<string, { field: string; inverse: boolean }> = {
  duty: { field: 'duration', inverse: false },
  rate: { field: 'count', inverse: false },
  period: { field: 'count', inverse: true }
};

/**
 * The last complete bucket and the partial one of a channel, as
 * `aggregate` computes them over all its rows, except that `duty`, `rate`
 * and `period` divide by `min(rule, span)` when complete (pavlov's first
 * duty bucket is NaN) and by the seconds the partial bucket has covered
 * (`min(rule, max(now, last row) − its start)`), so a value in the first
 * minute is never NaN and a filling bucket doesn't understate.
 *
 * #### Notes
 * Only the last buckets matter, so for runs longer than a few buckets the
 * rows are cut to the last two (and, for `timeaverage`, the row before
 * them) and shifted to start at 0, which keeps bucket edges and every shown
 * value equal to a full aggregate while costing O(rows in those buckets).
 * `cumsum` needs the running total, and rows before `_created` move the
 * edges, and a now before the last rows (clock skew) shows older buckets,
 * so those aggregate everything; `last` looks further back only when its
 * buckets hold no value.
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
  // The earliest bucket shown starts here, unless now is before it.
  let cut = (Math.floor(lastT / ruleS) - 1) * ruleS;
  if (kind === 'timeaverage') {
    // A row is weighted by its gap to the row before it: keep that row.
    const before = lowerBound(time, data.length, cut) - 1;
    if (before >= 0) {
      cut = Math.min(cut, Math.floor(time[before] / ruleS) * ruleS);
    }
  }
  const whole =
    kind === 'cumsum' || !(cut > 0) || time[0] < 0 || nowS < cut + ruleS;
  const shift = whole ? 0 : cut;
  const from = shift > 0 ? lowerBound(time, data.length, shift) : 0;
  const window = shift > 0 ? shifted(data, from, shift) : data;
  const result = aggregate(kind, window, { ruleS, nowS: nowS - shift });
  const { partialFrom } = result;
  const values: { complete?: BucketRow; partial?: BucketRow } = {
    complete: row(result, partialFrom - 1),
    partial: row(result, partialFrom)
  };
  const perSecond = PER_SECOND[kind];
  if (perSecond) {
    const { field, inverse } = perSecond;
    // One sum per output column: `value`, or each sub-field of a dict.
    const sums: Record<string, Float64Array> = {};
    for (const name of Object.keys(result.columns)) {
      const column =
        window.columns[name === 'value' ? field : `${field}.${name}`] ??
        new Float64Array(window.length).fill(name === 'value' ? 1 : NaN);
      sums[name] = bucketSum(column, result.buckets);
    }
    const divide = (k: number, seconds: number): BucketRow => {
      const out: BucketRow = {};
      for (const [name, sum] of Object.entries(sums)) {
        out[name] = inverse ? seconds / sum[k] : sum[k] / seconds;
      }
      return out;
    };
    if (values.complete) {
      values.complete = divide(partialFrom - 1, Math.min(ruleS, lastT));
    }
    if (values.partial) {
      const startS = result.index[partialFrom] + shift;
      const covered = Math.max(nowS, lastT) - startS;
      values.partial = divide(partialFrom, Math.min(ruleS, covered));
    }
  }
  if ((kind === 'last' || kind === 'silent') && from > 0) {
    fillFromBefore(values.complete, data, from);
    fillFromBefore(values.partial, data, from);
  }
  return values;
}

function row(result: IAggregate, k: number): BucketRow | undefined {
  if (k < 0 || k >= result.index.length) {
    return undefined;
  }
  const out: BucketRow = {};
  for (const [name, column] of Object.entries(result.columns)) {
    out[name] = column[k];
  }
  return out;
}

/** Rows `from` on, their times moved back by `shift` seconds. */
function shifted(data: IColumnSet, from: number, shift: number): IColumnSet {
  const columns: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(data.columns)) {
    columns[name] = column.slice(from, data.length);
  }
  const time = columns._time;
  for (let i = 0; i < time.length; i++) {
    time[i] -= shift;
  }
  return { length: data.length - from, columns };
}

/**
 * `last` forward-fills: a column the window left NaN takes the last value
 * before the window, however old.
 */
function fillFromBefore(
  values: BucketRow | undefined,
  data: IColumnSet,
  from: number
): void {
  for (const name of Object.keys(values ?? {})) {
    if (!Number.isNaN(values![name])) {
      continue;
    }
    const x = data.columns[name === 'value' ? 'x' : `x.${name}`];
    for (let i = from - 1; x && i >= 0; i--) {
      if (!Number.isNaN(x[i])) {
        values![name] = x[i];
        break;
      }
    }
  }
}

/**
 * The value of a channel's last row on its own, per kind: what "raw" shows.
 *
 * `mean` is `total / count`, `maxrate` `count / duration`, `cumsum` the
 * running total, `rate` the row's count over the gap since the previous
 * row (`period` its inverse, `duty` its duration over the gap); the other
 * kinds show their argument.
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
    case 'mean_std': {
      const mu = at('μ');
      const sigma = at('σ');
      return { mu, sigma, lo: mu - 2 * sigma, hi: mu + 2 * sigma };
    }
    case 'quantiles': {
      const fields = Object.keys(c).filter(f => f.startsWith('qs.'));
      const names = quantileColumnNames(fields.length);
      const out: BucketRow = {};
      fields.forEach((field, i) => (out[names[i]] = at(field)));
      return out;
    }
  }
  const perSecond = PER_SECOND[kind];
  if (perSecond) {
    const time = c._time;
    const gap = time[n - 1] - (n > 1 ? time[n - 2] : 0);
    const amount = at(perSecond.field, perSecond.field === 'count' ? 1 : NaN);
    return { value: perSecond.inverse ? gap / amount : amount / gap };
  }
  const arg = statKind(kind)?.args[0]?.name ?? 'x';
  if (c[arg]) {
    return { value: at(arg) };
  }
  // A dict-valued argument: one value per sub-field.
  const out: BucketRow = {};
  for (const field of Object.keys(c)) {
    if (field.startsWith(`${arg}.`)) {
      out[field.slice(arg.length + 1)] = at(field);
    }
  }
  return out;
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
