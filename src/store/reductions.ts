/**
 * Per-bucket reductions that reproduce pandas' groupby kernels bit for bit
 * where it matters: NaN is skipped, sums and means use pandas' Kahan
 * summation, std uses its Welford update, and empty buckets give what
 * pandas gives (NaN, or 0 for a sum).
 */
import { IBuckets } from './buckets';

/** Mean of the non-NaN values per bucket (pandas `group_mean`); empty → NaN. */
export function bucketMean(
  values: Float64Array,
  buckets: IBuckets
): Float64Array {
  return kahanPerBucket(values, buckets, true);
}

/** Sum of the non-NaN values per bucket (pandas `group_sum`); empty → 0. */
export function bucketSum(
  values: Float64Array,
  buckets: IBuckets
): Float64Array {
  return kahanPerBucket(values, buckets, false);
}

function kahanPerBucket(
  values: Float64Array,
  buckets: IBuckets,
  divide: boolean
): Float64Array {
  const { rowStart } = buckets;
  const count = buckets.labels.length;
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    let sum = 0;
    let compensation = 0;
    let seen = 0;
    for (let i = rowStart[k], end = rowStart[k + 1]; i < end; i++) {
      const v = values[i];
      if (v === v) {
        seen++;
        const y = v - compensation;
        const t = sum + y;
        compensation = t - sum - y;
        if (compensation !== compensation) {
          // An infinity makes the compensation NaN; pandas resets it so the
          // result is the infinity, not NaN.
          compensation = 0;
        }
        sum = t;
      }
    }
    out[k] = divide ? (seen === 0 ? NaN : sum / seen) : sum;
  }
  return out;
}

/** Max of the non-NaN values per bucket; empty → NaN. */
export function bucketMax(
  values: Float64Array,
  buckets: IBuckets
): Float64Array {
  const { rowStart } = buckets;
  const count = buckets.labels.length;
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    let max = -Infinity;
    let seen = false;
    for (let i = rowStart[k], end = rowStart[k + 1]; i < end; i++) {
      const v = values[i];
      if (v === v) {
        seen = true;
        if (v > max) {
          max = v;
        }
      }
    }
    out[k] = seen ? max : NaN;
  }
  return out;
}

/** The last non-NaN value per bucket; empty → NaN. */
export function bucketLast(
  values: Float64Array,
  buckets: IBuckets
): Float64Array {
  const { rowStart } = buckets;
  const count = buckets.labels.length;
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    let last = NaN;
    for (let i = rowStart[k + 1] - 1, begin = rowStart[k]; i >= begin; i--) {
      if (values[i] === values[i]) {
        last = values[i];
        break;
      }
    }
    out[k] = last;
  }
  return out;
}

/**
 * Sample standard deviation (ddof = 1) of the non-NaN values per bucket,
 * with pandas' Welford update; fewer than two values → NaN.
 */
export function bucketStd(
  values: Float64Array,
  buckets: IBuckets
): Float64Array {
  const { rowStart } = buckets;
  const count = buckets.labels.length;
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    let seen = 0;
    let mean = 0;
    let m2 = 0;
    for (let i = rowStart[k], end = rowStart[k + 1]; i < end; i++) {
      const v = values[i];
      if (v === v) {
        seen++;
        const oldMean = mean;
        mean += (v - oldMean) / seen;
        m2 += (v - mean) * (v - oldMean);
      }
    }
    out[k] = seen <= 1 ? NaN : Math.sqrt(m2 / (seen - 1));
  }
  return out;
}

/** Replace each NaN with the last non-NaN before it (pandas `ffill`), in place. */
export function forwardFill(values: Float64Array): Float64Array {
  let last = NaN;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === values[i]) {
      last = values[i];
    } else {
      values[i] = last;
    }
  }
  return values;
}

/**
 * Cumulative sum skipping NaN, which stays NaN in place (pandas `cumsum`),
 * in place.
 */
export function nanCumsum(values: Float64Array): Float64Array {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === values[i]) {
      sum += values[i];
      values[i] = sum;
    }
  }
  return values;
}
