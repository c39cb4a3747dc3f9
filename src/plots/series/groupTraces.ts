/**
 * What a group's line adds to its plot: n in the hover, a marker where n
 * drops (runs of different lengths), and its runs drawn faintly.
 */
import { downsampleMinMax } from '../../store';
import { IChannelSeries, Trace } from './series';

/** How faint a group's own runs show behind its line. */
export const MEMBER_OPACITY = 0.25;

/** Index of `value` in sorted `x` (the downsampled points are x's own). */
function indexOf(x: Float64Array, value: number): number {
  let lo = 0;
  let hi = x.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] < value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** n at each of `xs` (points of `series.x`), for the hover's customdata. */
export function nAt(series: IChannelSeries, xs: Float64Array): Float64Array {
  const out = new Float64Array(xs.length);
  const { x, n } = series;
  if (!n) {
    return out;
  }
  for (let i = 0; i < xs.length; i++) {
    out[i] = n[indexOf(x, xs[i])];
  }
  return out;
}

/**
 * The points inside [x0, x1] where n falls below the point before (a run
 * ended there): where the line starts to stand for fewer runs.
 */
export function nDrops(
  series: IChannelSeries,
  y: Float64Array,
  x0: number,
  x1: number
): { x: number[]; y: number[]; n: number[] } {
  const out = { x: [] as number[], y: [] as number[], n: [] as number[] };
  const { x, n } = series;
  if (!n) {
    return out;
  }
  for (let i = 1; i < n.length; i++) {
    if (n[i] < n[i - 1] && n[i] > 0 && x[i] >= x0 && x[i] <= x1) {
      out.x.push(x[i]);
      out.y.push(y[i]);
      out.n.push(n[i]);
    }
  }
  return out;
}

/** A marker trace at each drop of n, saying how many runs remain. */
export function nDropTrace(
  series: IChannelSeries,
  column: string,
  x0: number,
  x1: number,
  base: Trace,
  colour: string,
  name: string
): Trace | undefined {
  const drops = nDrops(series, series.columns[column], x0, x1);
  if (drops.x.length === 0) {
    return undefined;
  }
  return {
    ...base,
    mode: 'markers',
    x: drops.x,
    y: drops.y,
    customdata: drops.n,
    marker: { symbol: 'triangle-down', size: 9, color: colour },
    showlegend: false,
    cliponaxis: false,
    hovertemplate: `${name}: n drops to %{customdata}<extra></extra>`
  };
}

/** Each of the group's runs as a faint line in its colour. */
export function memberTraces(
  series: IChannelSeries,
  x0: number,
  x1: number,
  columns: number,
  base: Trace,
  colour: string
): Trace[] {
  return (series.members ?? []).map(y => {
    const d = downsampleMinMax(series.x, y, x0, x1, columns);
    return {
      ...base,
      x: d.x,
      y: d.y,
      line: { width: 1, color: colour },
      opacity: MEMBER_OPACITY,
      showlegend: false,
      hoverinfo: 'skip'
    };
  });
}
