/**
 * Time buckets with pandas' `resample(rule)` bin edges on a timedelta index,
 * as pavlov uses them.
 */
import { AggregateError } from './errors';
import { nsFromSeconds, secondsFromNs } from './time';

/** The time buckets of one series, and which rows fall in each. */
export interface IBuckets {
  /** The rule (bucket width) in ns. */
  readonly ruleNs: number;
  /** The first bucket's left edge in ns since the origin: `min(0, t[0])`. */
  readonly startNs: number;
  /** Bucket labels (left edges) in seconds since the origin. */
  readonly labels: Float64Array;
  /**
   * Row ranges: bucket `k` holds rows `rowStart[k]` to `rowStart[k + 1]`
   * (exclusive). Length is `labels.length + 1`.
   */
  readonly rowStart: Int32Array;
}

/** More buckets than this is surely a mistaken rule (e.g. ms over days). */
export const MAX_BUCKETS = 50_000_000;

/**
 * Cut a sorted time series into `rule`-wide buckets, exactly as pavlov's
 * `resample(rule)` does after prepending its NaN row at t = 0.
 *
 * @param time - seconds since the run was created, sorted, no NaN.
 * @param ruleS - the bucket width in seconds (pavlov's default is 60).
 * @param file - named in any error.
 *
 * #### Notes
 * pandas (`_get_time_delta_bins`) starts the bins at the index minimum, not
 * at a multiple of the rule. pavlov's NaN row at t = 0 makes that minimum 0,
 * unless a row predates the run's `_created`; then the bins start at that
 * row. Bins are closed and labelled on the left, and the last one holds the
 * index maximum, so there is always at least one bucket.
 *
 * Edges are computed in integer ns and converted with `secondsFromNs`, as
 * the rows' times were; that is monotonic, so comparing seconds matches
 * pandas' ns comparisons exactly while distinct ns map to distinct doubles
 * (spans up to about 50 days).
 */
export function makeBuckets(
  time: Float64Array,
  ruleS: number,
  file = 'buckets'
): IBuckets {
  const ruleNs = Math.round(ruleS * 1e9);
  if (!(ruleNs > 0) || !Number.isSafeInteger(ruleNs)) {
    throw new AggregateError(file, `invalid bucket rule ${ruleS} s`);
  }
  const n = time.length;
  const first = n > 0 ? time[0] : 0;
  const last = n > 0 ? time[n - 1] : 0;
  const startNs = Math.min(0, nsFromSeconds(first));
  const endS = Math.max(0, last);
  const edge = (k: number): number => secondsFromNs(startNs + k * ruleNs);

  let count = Math.floor((nsFromSeconds(endS) - startNs) / ruleNs) + 1;
  while (edge(count) <= endS) {
    count++;
  }
  while (count > 1 && edge(count - 1) > endS) {
    count--;
  }
  if (!(count <= MAX_BUCKETS)) {
    throw new AggregateError(
      file,
      `a ${ruleS} s rule over ${endS - startNs / 1e9} s makes too many buckets`
    );
  }

  const labels = new Float64Array(count);
  const rowStart = new Int32Array(count + 1);
  let row = 0;
  for (let k = 0; k < count; k++) {
    labels[k] = edge(k);
    row = lowerBound(time, edge(k + 1), row);
    rowStart[k + 1] = row;
  }
  rowStart[count] = n;
  return { ruleNs, startNs, labels, rowStart };
}

/**
 * The index of the first `time[i] >= value` with `i >= from`, or
 * `time.length`.
 */
export function lowerBound(
  time: Float64Array,
  value: number,
  from = 0
): number {
  let lo = from;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid] < value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/**
 * The per-bucket minimum and maximum of a raw field, NaN where a bucket has
 * no non-NaN value.
 *
 * Plots draw these as a faint band behind a bucketed line, so a short spike
 * that a 60 s mean averages away still shows.
 */
export function minMaxPerBucket(
  values: Float64Array,
  buckets: IBuckets
): { min: Float64Array; max: Float64Array } {
  const count = buckets.labels.length;
  const min = new Float64Array(count);
  const max = new Float64Array(count);
  const { rowStart } = buckets;
  for (let k = 0; k < count; k++) {
    let lo = Infinity;
    let hi = -Infinity;
    let seen = false;
    for (let i = rowStart[k], end = rowStart[k + 1]; i < end; i++) {
      const v = values[i];
      if (v === v) {
        seen = true;
        if (v < lo) {
          lo = v;
        }
        if (v > hi) {
          hi = v;
        }
      }
    }
    min[k] = seen ? lo : NaN;
    max[k] = seen ? hi : NaN;
  }
  return { min, max };
}
