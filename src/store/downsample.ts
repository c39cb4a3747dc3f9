/**
 * Pixel-resolution downsampling that never hides a spike: per pixel column
 * it keeps the first, lowest, highest and last points.
 */
import { lowerBound } from './buckets';

/** A downsampled series. */
export interface IDownsampled {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Each kept point's index in the input. */
  readonly index: Int32Array;
}

/**
 * Reduce a series to what `width` pixel columns over `[x0, x1]` can show.
 *
 * Per pixel column it keeps the first, min, max and last non-NaN points (in
 * x order), so every extreme survives. A column containing NaN samples also
 * keeps its first NaN, so the plotted line still breaks there (plotly breaks
 * lines at NaN). The series' first and last points, and the nearest point
 * just outside each side of the range (so lines run to the plot's edges),
 * are always kept.
 *
 * @param x - sorted, no NaN.
 * @param y - same length as `x`; NaN marks a gap.
 * @returns at most `4 * width + 4` points, plus one per column that holds a
 *   NaN; x non-decreasing.
 */
export function downsampleMinMax(
  x: Float64Array,
  y: Float64Array,
  x0: number,
  x1: number,
  width: number
): IDownsampled {
  const n = Math.min(x.length, y.length);
  const columns = Math.max(1, Math.floor(width));
  if (n === 0) {
    return {
      x: new Float64Array(0),
      y: new Float64Array(0),
      index: new Int32Array(0)
    };
  }
  const begin = lowerBound(x, x0);
  let end = begin;
  while (end < n && x[end] <= x1) {
    end++;
  }
  const kept = new Int32Array(Math.min(n, 5 * columns + 4));
  let count = 0;
  const keep = (i: number): void => {
    if (count === 0 || kept[count - 1] < i) {
      kept[count++] = i;
    }
  };

  keep(0);
  if (begin > 0) {
    keep(begin - 1);
  }
  const scale = x1 > x0 ? columns / (x1 - x0) : 0;
  const picks = new Int32Array(5);
  let i = begin;
  while (i < end) {
    const column = Math.min(columns - 1, Math.floor((x[i] - x0) * scale));
    let first = -1;
    let last = -1;
    let lo = -1;
    let hi = -1;
    let gap = -1;
    for (
      ;
      i < end &&
      Math.min(columns - 1, Math.floor((x[i] - x0) * scale)) === column;
      i++
    ) {
      const v = y[i];
      if (v !== v) {
        if (gap < 0) {
          gap = i;
        }
        continue;
      }
      if (first < 0) {
        first = lo = hi = i;
      }
      last = i;
      if (v < y[lo]) {
        lo = i;
      }
      if (v > y[hi]) {
        hi = i;
      }
    }
    // The column's picks in row order (an insertion sort of at most 5).
    let m = 0;
    for (let k = 0; k < 5; k++) {
      const p =
        k === 0 ? first : k === 1 ? lo : k === 2 ? hi : k === 3 ? last : gap;
      if (p < 0) {
        continue;
      }
      let at = m++;
      while (at > 0 && picks[at - 1] > p) {
        picks[at] = picks[at - 1];
        at--;
      }
      picks[at] = p;
    }
    for (let k = 0; k < m; k++) {
      keep(picks[k]);
    }
  }
  if (end < n) {
    keep(end);
  }
  keep(n - 1);

  return picked(x, y, kept.slice(0, count));
}

/**
 * One edge of a band at pixel resolution: the rows (ascending) of, per
 * pixel column over `[x0, x1]`, the lowest (`'min'`) or highest (`'max'`)
 * non-NaN point, each at its own x.
 *
 * A filled band needs no more: between its low and high edges a column is
 * filled from the lowest low to the highest high whichever points it keeps,
 * so this draws the band `downsampleMinMax` would, with a quarter of the
 * points (plotly's cost grows with them). Like `downsampleMinMax`, it keeps
 * the series' first and last points and the nearest point outside each
 * side of the range. Rows, not points: the caller outlines the band from
 * them without a copy (`bandOutline`).
 */
export function extremeRows(
  x: Float64Array,
  y: Float64Array,
  x0: number,
  x1: number,
  width: number,
  side: 'min' | 'max'
): Int32Array {
  const n = Math.min(x.length, y.length);
  const columns = Math.max(1, Math.floor(width));
  // At most one a column, the first and last points and one either side.
  const kept = new Int32Array(Math.min(n, columns + 4));
  let count = 0;
  const keep = (i: number): void => {
    if (count === 0 || kept[count - 1] < i) {
      kept[count++] = i;
    }
  };
  const sign = side === 'min' ? 1 : -1; // lower is better for 'min'
  if (n > 0) {
    const begin = lowerBound(x, x0);
    keep(0);
    if (begin > 0) {
      keep(begin - 1);
    }
    const scale = x1 > x0 ? columns / (x1 - x0) : 0;
    let i = begin;
    while (i < n && x[i] <= x1) {
      const column = Math.min(columns - 1, Math.floor((x[i] - x0) * scale));
      let best = -1;
      for (
        ;
        i < n &&
        x[i] <= x1 &&
        Math.min(columns - 1, Math.floor((x[i] - x0) * scale)) === column;
        i++
      ) {
        const v = y[i];
        if (v === v && (best < 0 || sign * (v - y[best]) < 0)) {
          best = i;
        }
      }
      if (best >= 0) {
        keep(best);
      }
    }
    if (i < n) {
      keep(i);
    }
    keep(n - 1);
  }
  return kept.subarray(0, count);
}

/** The points at `index` (ascending). */
function picked(
  x: Float64Array,
  y: Float64Array,
  index: Int32Array
): IDownsampled {
  const outX = new Float64Array(index.length);
  const outY = new Float64Array(index.length);
  for (let k = 0; k < index.length; k++) {
    outX[k] = x[index[k]];
    outY[k] = y[index[k]];
  }
  return { x: outX, y: outY, index };
}
