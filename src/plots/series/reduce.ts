/**
 * A bounded stand-in for a channel's series: what the review worker sends
 * the page instead of every row. Per bin it keeps each column's first,
 * lowest, highest and last points, so re-downsampling it to any plot width
 * up to `bins` pixels still shows every spike.
 */
import { IReducedSeries } from '../protocol';
import { downsampleMinMax, lowerBound } from '../../store';
import { IChannelSeries } from './series';

/**
 * Bins of a reduced series: enough for a plot 2048 pixels wide. A
 * narrower plot downsamples it again (`buildPlot`), keeping the extremes.
 */
export const RESOLVE_BINS = 2048;

/** x from `min(0, first x)` to the last x: the span a plot shows unzoomed. */
export function seriesExtent(x: Float64Array): [number, number] {
  if (x.length === 0) {
    return [0, 1];
  }
  const lo = Math.min(0, x[0]);
  const hi = x[x.length - 1];
  return [lo, hi > lo ? hi : lo + 1];
}

/**
 * Keep at most about `4 × bins` points per column over `[x0, x1]`: the
 * union, over every column and band edge, of `downsampleMinMax`'s picks
 * (first, min, max and last per bin, a NaN per bin that has one, the
 * series' first and last points and the nearest point outside each side).
 * All columns are sampled at the same kept rows, so they share one `x`.
 */
export function reduceSeries(
  series: IChannelSeries,
  x0: number,
  x1: number,
  bins: number = RESOLVE_BINS
): IReducedSeries {
  const { x } = series;
  const n = x.length;
  const begin = lowerBound(x, x0);
  let end = lowerBound(x, x1);
  while (end < n && x[end] <= x1) {
    end++;
  }
  const inRange = end - begin;
  if (inRange <= 4 * bins) {
    // Few enough to keep every row in range (and one either side).
    const from = Math.max(0, begin - 1);
    const to = Math.min(n, end + 1);
    if (from === 0 && to === n) {
      return { series, reduced: false };
    }
    return { series: gather(series, range(from, to, n)), reduced: false };
  }
  const columns = [
    ...Object.values(series.columns),
    ...(series.band ? [series.band.lo, series.band.hi] : [])
  ];
  let kept: Int32Array = new Int32Array(0);
  for (const column of columns) {
    kept = unionSorted(kept, downsampleMinMax(x, column, x0, x1, bins).index);
  }
  const keptInRange = countBelow(kept, end) - countBelow(kept, begin);
  return {
    series: gather(series, kept),
    reduced: keptInRange < inRange
  };
}

/** How many of the sorted `rows` are below `value`. */
function countBelow(rows: Int32Array, value: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid] < value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Rows `[from, to)` plus the first and last row, as indices. */
function range(from: number, to: number, n: number): Int32Array {
  const rows: number[] = [];
  if (from > 0) {
    rows.push(0);
  }
  for (let i = from; i < to; i++) {
    rows.push(i);
  }
  if (to < n) {
    rows.push(n - 1);
  }
  return Int32Array.from(rows);
}

/** The sorted union of two sorted index arrays. */
export function unionSorted(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    const next =
      j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (k === 0 || out[k - 1] !== next) {
      out[k++] = next;
    }
  }
  return out.slice(0, k);
}

/** The series sampled at `rows`. */
function gather(series: IChannelSeries, rows: Int32Array): IChannelSeries {
  const pick = (column: Float64Array): Float64Array => {
    const out = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) {
      out[k] = column[rows[k]];
    }
    return out;
  };
  const columns: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(series.columns)) {
    columns[name] = pick(column);
  }
  return {
    x: pick(series.x),
    columns,
    band: series.band && {
      lo: pick(series.band.lo),
      hi: pick(series.band.hi)
    },
    ...(series.groupBand ? { groupBand: true } : {}),
    style: series.style
  };
}
