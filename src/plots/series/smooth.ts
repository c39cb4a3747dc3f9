/**
 * Smoothing as TensorBoard does it: an exponential moving average,
 * debiased so that its first points are not pulled toward zero.
 */

/** The largest weight the control offers (1 would never move). */
export const MAX_SMOOTHING = 0.999;

/** `weight` clamped to [0, MAX_SMOOTHING]; anything not a number is 0. */
export function smoothingWeight(weight: unknown): number {
  const w = Number(weight);
  return Number.isFinite(w) ? Math.min(MAX_SMOOTHING, Math.max(0, w)) : 0;
}

/**
 * The debiased EMA of `y` with `weight` (0: the values as they are).
 * Non-finite values stay as they are and don't enter the average; a series
 * that never changes stays exactly constant.
 */
export function emaSmooth(y: ArrayLike<number>, weight: number): Float64Array {
  const w = smoothingWeight(weight);
  const out = Float64Array.from(y);
  if (w === 0) {
    return out;
  }
  let last = 0;
  let count = 0;
  let first = NaN;
  let constant = true;
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    if (!Number.isFinite(v)) {
      continue;
    }
    if (count === 0) {
      first = v;
    } else if (v !== first) {
      constant = false;
    }
    last = last * w + (1 - w) * v;
    count++;
    // Rounding in the debiased sum would wobble a flat line by an ulp.
    out[i] = constant ? v : last / (1 - Math.pow(w, count));
  }
  return out;
}
