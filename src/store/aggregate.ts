/**
 * Bucket aggregation of a channel's rows for every stat kind, reproducing
 * pavlov's pandas `resample` maths (`pavlov/stats/timeseries/kinds.py`).
 */
import { IBuckets, makeBuckets } from './buckets';
import { IColumnSet } from './decode';
import { AggregateError } from './errors';
import { IStatKind, quantileColumnNames, statKind } from './kinds';
import {
  bucketLast,
  bucketMax,
  bucketMean,
  bucketStd,
  bucketSum,
  forwardFill,
  nanCumsum
} from './reductions';
import { nsFromSeconds, secondsFromNs } from './time';

/** A channel aggregated into time buckets. */
export interface IAggregate {
  /** Bucket labels (left edges), seconds since the run was created. */
  readonly index: Float64Array;
  /** Output columns by name (`value`; `mu sigma lo hi`; `0 25 50 75 100`). */
  readonly columns: Record<string, Float64Array>;
  /**
   * Buckets at this index and after are still filling: their end is past
   * `nowS`. pavlov shows only the buckets before it.
   */
  readonly partialFrom: number;
  /** The buckets, for `minMaxPerBucket` over the same rows. */
  readonly buckets: IBuckets;
}

/** Options for `aggregate`. */
export interface IAggregateOptions {
  /** Bucket width in seconds; pavlov's default is 60. */
  ruleS?: number;
  /**
   * The current time in seconds since the run was created; buckets ending
   * after it are partial. Defaults to the latest row's time.
   */
  nowS?: number;
  /** The channel or file, named in any error. */
  file?: string;
  /** The time column; default `_time`. */
  timeField?: string;
}

/**
 * Aggregate a channel's merged rows into `rule`-wide time buckets, as its
 * kind does in pavlov.
 *
 * @param kind - the stat kind's name, from `_files[...].kind`.
 * @param data - rows sorted by time (see `mergeByTime`), times in seconds
 *   since the run was created.
 *
 * #### Notes
 * Like pavlov, a NaN row at t = 0 takes part: it anchors the first bucket at
 * 0 and makes `rate`'s data span run from 0. An argument with a default
 * (`count=1`) that has no column is read as that default. A dict-valued
 * argument (fields `x.a`, `x.b.c`) gives one column per sub-field (`a`,
 * `b.c`) instead of `value`.
 */
export function aggregate(
  kind: string,
  data: IColumnSet,
  options: IAggregateOptions = {}
): IAggregate {
  const file = options.file ?? kind;
  const spec = statKind(kind);
  if (!spec) {
    throw new AggregateError(file, `unknown stat kind '${kind}'`);
  }
  const time = data.columns[options.timeField ?? '_time'];
  if (!time) {
    throw new AggregateError(file, 'rows have no time column');
  }
  const ruleS = options.ruleS ?? 60;
  const buckets = makeBuckets(time.subarray(0, data.length), ruleS, file);
  const columns = aggregateNested(spec, data, time, buckets, file);

  const nowS = options.nowS ?? (data.length > 0 ? time[data.length - 1] : 0);
  const { labels, ruleNs, startNs } = buckets;
  const end = (k: number): number => secondsFromNs(startNs + (k + 1) * ruleNs);
  let partialFrom = labels.length;
  while (partialFrom > 0 && end(partialFrom - 1) > nowS) {
    partialFrom--;
  }
  return { index: labels, columns, partialFrom, buckets };
}

/**
 * Aggregate, once per sub-field when an argument was a dict (`x.a`,
 * `x.b.c` → columns `a`, `b.c`), as pandas does for a column group.
 */
function aggregateNested(
  spec: IStatKind,
  data: IColumnSet,
  time: Float64Array,
  buckets: IBuckets,
  file: string
): Record<string, Float64Array> {
  const scalar = (name: string): Float64Array =>
    argColumn(spec, data, name, file);
  const nested = new Map<string, string[]>();
  if (spec.columns_from === null) {
    for (const { name } of spec.args) {
      const prefix = `${name}.`;
      const subFields = Object.keys(data.columns)
        .filter(f => f.startsWith(prefix))
        .map(f => f.slice(prefix.length));
      if (!data.columns[name] && subFields.length > 0) {
        nested.set(name, subFields);
      }
    }
  }
  if (nested.size === 0) {
    return aggregateColumns(spec, data, time, buckets, scalar, file);
  }
  if (spec.columns?.length !== 1) {
    throw new AggregateError(
      file,
      `a '${spec.name}' channel can't have dict-valued arguments (${[...nested.keys()].join(', ')})`
    );
  }
  const columns: Record<string, Float64Array> = {};
  const [suffixes] = nested.values();
  for (const suffix of suffixes) {
    const arg = (name: string): Float64Array =>
      nested.has(name)
        ? (data.columns[`${name}.${suffix}`] ??
          new Float64Array(data.length).fill(NaN))
        : scalar(name);
    const result = aggregateColumns(spec, data, time, buckets, arg, file);
    columns[suffix] = result[spec.columns[0]];
  }
  return columns;
}

function aggregateColumns(
  spec: IStatKind,
  data: IColumnSet,
  time: Float64Array,
  buckets: IBuckets,
  arg: (name: string) => Float64Array,
  file: string
): Record<string, Float64Array> {
  const ruleSeconds = secondsFromNs(buckets.ruleNs);
  switch (spec.name) {
    case 'last':
    case 'silent':
      return { value: forwardFill(bucketLast(arg('x'), buckets)) };
    case 'max':
    case 'max_percent':
      return { value: bucketMax(arg('x'), buckets) };
    case 'mean':
    case 'mean_percent':
      return {
        value: divide(
          bucketMean(arg('total'), buckets),
          bucketMean(arg('count'), buckets)
        )
      };
    case 'std':
      return { value: bucketStd(arg('x'), buckets) };
    case 'cumsum':
      return { value: nanCumsum(bucketSum(arg('total'), buckets)) };
    case 'timeaverage':
      return { value: timeAverage(time, arg('x'), data.length, buckets) };
    case 'duty': {
      // pavlov divides by the diff of the bucket labels: NaN for the first.
      const value = bucketSum(arg('duration'), buckets);
      for (let k = 0; k < value.length; k++) {
        value[k] = k === 0 ? NaN : value[k] / ruleSeconds;
      }
      return { value };
    }
    case 'maxrate':
      return {
        value: divide(
          bucketMean(arg('count'), buckets),
          bucketMean(arg('duration'), buckets)
        )
      };
    case 'rate':
    case 'period': {
      const counts = bucketSum(arg('count'), buckets);
      // The span runs from the NaN row at 0 to the last row, as in pavlov.
      const span = data.length > 0 ? time[data.length - 1] : 0;
      const dt = span < ruleSeconds ? span : ruleSeconds;
      for (let k = 0; k < counts.length; k++) {
        counts[k] = spec.name === 'rate' ? counts[k] / dt : dt / counts[k];
      }
      return { value: counts };
    }
    case 'mean_std':
      return meanStd(arg('μ'), arg('σ'), data.length, buckets);
    case 'quantiles':
      return quantiles(spec, data, buckets, file);
  }
  throw new AggregateError(file, `no aggregation for kind '${spec.name}'`);
}

function argColumn(
  spec: IStatKind,
  data: IColumnSet,
  name: string,
  file: string
): Float64Array {
  const column = data.columns[name];
  if (column) {
    return column;
  }
  const fallback = spec.args.find(a => a.name === name)?.default;
  if (fallback === undefined) {
    throw new AggregateError(
      file,
      `a '${spec.name}' channel needs a '${name}' field; it has ${fieldList(data)}`
    );
  }
  return new Float64Array(data.length).fill(fallback);
}

function fieldList(data: IColumnSet): string {
  const names = Object.keys(data.columns);
  return names.length ? names.map(n => `'${n}'`).join(', ') : 'none';
}

function divide(
  numerator: Float64Array,
  denominator: Float64Array
): Float64Array {
  for (let k = 0; k < numerator.length; k++) {
    numerator[k] /= denominator[k];
  }
  return numerator;
}

/**
 * pavlov's `timeaverage`: `mean(x * dt) / mean(dt)` per bucket, where `dt`
 * is each row's gap to the previous one in the series that includes the NaN
 * row at 0 (so the first row's gap is measured from 0).
 */
function timeAverage(
  time: Float64Array,
  x: Float64Array,
  length: number,
  buckets: IBuckets
): Float64Array {
  // Rebuild the series with the NaN row in place: after rows before 0,
  // before rows at 0 (pandas' stable sort of the NaN row concatenated first).
  let nanAt = 0;
  while (nanAt < length && time[nanAt] < 0) {
    nanAt++;
  }
  const withNan = new Float64Array(length + 1);
  const weighted = new Float64Array(length + 1);
  const gaps = new Float64Array(length + 1);
  let previousNs = NaN;
  for (let j = 0; j <= length; j++) {
    const i = j < nanAt ? j : j - 1;
    const isNanRow = j === nanAt;
    const t = isNanRow ? 0 : time[i];
    // Gaps are taken in integer ns, then in seconds, as pandas'
    // `diff().dt.total_seconds()` does.
    const ns = nsFromSeconds(t);
    const gap = secondsFromNs(ns - previousNs);
    previousNs = ns;
    withNan[j] = t;
    gaps[j] = gap;
    weighted[j] = isNanRow ? NaN : x[i] * gap;
  }
  // Every bucket left of 0 keeps its rows; every later one starts one row
  // on, so the bucket holding 0 gains the NaN row.
  const { labels } = buckets;
  const shifted: IBuckets = {
    ...buckets,
    rowStart: buckets.rowStart.map((r, k) =>
      k === labels.length || labels[k] > 0 ? r + 1 : r
    )
  };
  return divide(bucketMean(weighted, shifted), bucketMean(gaps, shifted));
}

function meanStd(
  mu: Float64Array,
  sigma: Float64Array,
  length: number,
  buckets: IBuckets
): Record<string, Float64Array> {
  const precision = new Float64Array(length);
  const weighted = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const variance = sigma[i] * sigma[i];
    precision[i] = 1 / variance;
    weighted[i] = mu[i] / variance;
  }
  const meanPrecision = bucketMean(precision, buckets);
  const mean = divide(bucketMean(weighted, buckets), meanPrecision);
  const count = mean.length;
  const sd = new Float64Array(count);
  const lo = new Float64Array(count);
  const hi = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    sd[k] = 1 / Math.sqrt(meanPrecision[k]);
    lo[k] = mean[k] - 2 * sd[k];
    hi[k] = mean[k] + 2 * sd[k];
  }
  return { mu: mean, sigma: sd, lo, hi };
}

function quantiles(
  spec: IStatKind,
  data: IColumnSet,
  buckets: IBuckets,
  file: string
): Record<string, Float64Array> {
  const prefix = `${spec.columns_from}.`;
  const fields = Object.keys(data.columns).filter(n => n.startsWith(prefix));
  if (fields.length === 0) {
    throw new AggregateError(
      file,
      `a '${spec.name}' channel needs '${prefix}N' fields; it has ${fieldList(data)}`
    );
  }
  const names = quantileColumnNames(fields.length);
  const columns: Record<string, Float64Array> = {};
  fields.forEach((field, i) => {
    columns[names[i]] = bucketMean(data.columns[field], buckets);
  });
  return columns;
}
