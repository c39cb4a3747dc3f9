/**
 * Plotly traces for one plot (one group): kind-aware styles, downsampled to
 * pixel resolution with min/max envelopes so no spike is ever hidden.
 */
import { downsampleMinMax, extremeRows, PlotStyle } from '../../store';
import { IChannelSeries, Trace } from './series';
import { axisStyle, scaleGroups } from './scales';
import { memberTraces, nAt, nDropTrace } from './groupTraces';
import { IRunBand, MAX_RUN_BANDS, runsEnvelope } from './runsEnvelope';
import { emaSmooth, smoothingWeight } from './smooth';
import { ITicks, siTicks, xTicksFor } from './ticks';
import { xHoverTitle } from './xAxis';

/** One channel of one run in a plot. */
export interface IPlotEntry {
  readonly run: string;
  readonly channel: string;
  /** The channel's label (after the group): `''` for a bare group. */
  readonly label: string;
  readonly series: IChannelSeries;
  readonly colour: string;
  /** Line dash: tells labels apart when colour tells runs apart. */
  readonly dash?: string;
  /** The legend entry: a run or a label. */
  readonly legend: string;
  /** Show this entry in the legend (once per run when comparing). */
  readonly showLegend: boolean;
}

/** Inputs for `buildPlot`. */
export interface IBuildPlotOptions {
  readonly entries: readonly IPlotEntry[];
  /** The plot area's width in pixels: at most 4 points per pixel per trace. */
  readonly widthPx: number;
  /** The x range the user zoomed to, or `undefined` for everything. */
  readonly xRange?: readonly [number, number];
  /**
   * The x range every plot of the grid shares (the run's span, see
   * `gridSpan`) when not zoomed; without it, this plot's own data.
   */
  readonly xSpan?: readonly [number, number];
  /** The y range the user zoomed to, or `undefined` to fit. */
  readonly yRange?: readonly [number, number];
  /**
   * The EMA weight drawn over each line (`emaSmooth`; 0 or none: off). The
   * line as it is stays beneath, faint, so smoothing never hides a spike.
   */
  readonly smoothing?: number;
  /**
   * The channel x is (a step or counter): SI ticks and `step 12.3k` in the
   * hover; none for the time since the run started.
   */
  readonly xChannel?: string;
  /**
   * Legend entries hidden in every plot (the params table's runs): their
   * bands stay out of a band the runs share (`runsEnvelope`).
   */
  readonly hidden?: ReadonlySet<string>;
}

/** One y axis of a plot: `y`, `y2` or `y3` (see `scaleGroups`). */
export interface IPlotAxis {
  readonly style: PlotStyle;
  /** Its visible data's y extent (finite values only), if any. */
  readonly yExtent: [number, number] | undefined;
  readonly yTicks: ITicks;
  /** The range its ticks were made for: the extent padded, or the zoom. */
  readonly yTickRange: [number, number] | undefined;
  /** The labels of its channels (the channel when it has none), once each. */
  readonly labels: string[];
}

/** What `buildPlot` gives: the traces and the axes' facts. */
export interface IPlot {
  readonly traces: Trace[];
  /** The first y axis's style, extent and ticks, as `axes[0]` has them. */
  readonly style: PlotStyle;
  /** The x range shown: the zoom, the grid's span, or the data's extent. */
  readonly xExtent: [number, number];
  /** The visible data's y extent (finite values only), if any. */
  readonly yExtent: [number, number] | undefined;
  readonly xTicks: ITicks;
  readonly yTicks: ITicks;
  /** The unified hover's x (a plotly template) for a counter x; none: time. */
  readonly xHoverTitle?: string;
  /**
   * Every y axis, the first one first: one unless the channels' scales
   * differ (`scaleGroups`), when the traces say theirs with `yaxis`.
   */
  readonly axes: IPlotAxis[];
  /** The most points any one trace got. */
  readonly maxPoints: number;
}

/** How faint the line as it is shows beneath its smoothed line. */
const RAW_UNDER_SMOOTHED_OPACITY = 0.3;

/**
 * Above this many lines a plot draws them 1 px wide. Without a GPU a
 * canvas strokes a wider line 5-10x slower, so `canvasTraces` strokes a
 * 1-2 px line as three 1 px ones; at 1 px a 20-run glob's plot of 60 lines
 * strokes one each, a third of the work, and so many lines overlap anyway.
 */
export const DENSE_LINES = 12;

/** How many lines `buildPlot` draws for `entries` (one a column, or μ/median). */
export function lineCount(entries: readonly IPlotEntry[]): number {
  return entries.reduce(
    (n, { series }) =>
      n +
      (series.style === 'confidence' || series.style === 'quantiles'
        ? 1
        : Object.keys(series.columns).length),
    0
  );
}

/** Most points per trace: four per pixel (first, min, max, last). */
export function maxPointsFor(widthPx: number): number {
  return 4 * Math.max(1, Math.floor(widthPx));
}

/**
 * The traces of one plot.
 *
 * #### Notes
 * Lines are downsampled over the visible x range with `downsampleMinMax`
 * to at most `4 × widthPx` points (first, min, max and last per pixel, and
 * the series' first and last points), so a spike of one sample among
 * millions still reaches the screen. On zoom the caller rebuilds from the
 * same full-resolution columns for the new range. Bands (min–max, ±2σ,
 * quantile fans) are drawn first, faint, with the lines on top.
 */
export function buildPlot(options: IBuildPlotOptions): IPlot {
  const { entries } = options;
  const smoothing = smoothingWeight(options.smoothing);
  const axisOf = scaleGroups(entries);
  const axisCount = Math.max(1, ...axisOf.map(a => a + 1));
  const styles = Array.from({ length: axisCount }, (_, a) =>
    axisStyle(
      entries.filter((_e, i) => axisOf[i] === a).map(e => e.series.style)
    )
  );
  const { xRange, xSpan } = options;
  const xExtent: [number, number] = xRange
    ? [xRange[0], xRange[1]]
    : xSpan && xSpan[1] > xSpan[0]
      ? [xSpan[0], xSpan[1]]
      : dataExtent(entries);
  // downsampleMinMax keeps up to 4 per column plus 4 edge points.
  const columns = Math.max(1, Math.floor(options.widthPx) - 1);
  const [x0, x1] = xExtent;
  let maxPoints = 0;
  const extents = styles.map(() => ({ lo: Infinity, hi: -Infinity }));
  let extent = extents[0];

  /** The y extent takes in the finite points drawn inside the x range. */
  const widen = (x: Float64Array, y: Float64Array) => {
    for (let i = 0; i < x.length; i++) {
      const v = y[i];
      if (x[i] >= x0 && x[i] <= x1 && Number.isFinite(v)) {
        extent.lo = Math.min(extent.lo, v);
        extent.hi = Math.max(extent.hi, v);
      }
    }
  };
  const line = (x: Float64Array, y: Float64Array) => {
    // A line inside the range with no more points than M4 may keep (the
    // server's frames, reduced to the plot's width already) is drawn as it
    // is: M4 would draw the same pixels.
    const whole =
      x.length <= 4 * columns + 4 && x[0] >= x0 && x[x.length - 1] <= x1;
    const d = whole ? { x, y } : downsampleMinMax(x, y, x0, x1, columns);
    maxPoints = Math.max(maxPoints, d.x.length);
    widen(d.x, d.y);
    return { x: d.x, y: d.y };
  };

  const bands: Trace[] = [];
  const lines: Trace[] = [];
  const dense = lineCount(entries) > DENSE_LINES;
  const shared = sharedBands(entries, axisOf, options.hidden);
  entries.forEach((entry, index) => {
    const { series, colour } = entry;
    const name = entry.legend;
    const axis = axisOf[index];
    extent = extents[axis];
    const hover = valueHover(styles[axis]);
    const base = {
      type: 'scatter',
      mode: 'lines',
      legendgroup: name,
      // One axis: no `yaxis` key, so the traces are as they always were.
      ...(axisCount > 1 ? { yaxis: axisName(axis) } : {}),
      meta: {
        run: entry.run,
        channel: entry.channel,
        ...(styles[axis] === 'percent' ? { percent: true } : {})
      }
    };
    const band = (lo: Float64Array, hi: Float64Array, alpha: number) => {
      // One filled polygon (the lows, then the highs back): half the
      // traces of a lo/hi pair, and plotly's cost grows with traces.
      const { x } = series;
      const low = extremeRows(x, lo, x0, x1, columns, 'min');
      const high = extremeRows(x, hi, x0, x1, columns, 'max');
      maxPoints = Math.max(maxPoints, low.length, high.length);
      const outline = bandOutline(
        { x, y: lo, rows: low },
        { x, y: hi, rows: high }
      );
      widen(outline.x, outline.y);
      if (outline.x.length === 0) {
        return;
      }
      bands.push({
        ...base,
        ...outline,
        line: { width: 0, color: colour },
        fill: 'toself',
        fillcolor: withAlpha(colour, alpha),
        showlegend: false,
        hoverinfo: 'skip'
      });
    };
    const mainLine = (column: string, wide: number, legend: boolean) => {
      const width = dense ? 1 : wide;
      let points = line(series.x, series.columns[column]);
      if (smoothing > 0) {
        lines.push({
          ...base,
          ...points,
          line: { width: 1, color: colour, dash: entry.dash ?? 'solid' },
          opacity: RAW_UNDER_SMOOTHED_OPACITY,
          showlegend: false,
          hoverinfo: 'skip'
        });
        points = { x: points.x, y: emaSmooth(points.y, smoothing) };
      }
      const counted = series.n ? { customdata: nAt(series, points.x) } : {};
      lines.push({
        ...base,
        ...points,
        ...counted,
        ...isolatedMarkers(points, x0, x1, colour),
        // μ of mean_std is the channel's value: named like any other line.
        name:
          column === 'value' || column === 'mu' || !column
            ? name
            : `${name} ${column}`,
        line: { width, color: colour, dash: entry.dash ?? 'solid' },
        showlegend: legend && entry.showLegend,
        hovertemplate: `${hoverName(entry, column)}: ${hover}${
          series.n ? ' (n=%{customdata})' : ''
        }<extra></extra>`
      });
      const drops = nDropTrace(
        series,
        column,
        x0,
        x1,
        base,
        colour,
        hoverName(entry, column)
      );
      if (drops) {
        lines.push(drops);
      }
    };
    const sharing = mayShareBand(entry, options.hidden)
      ? shared.get(bandKey(axis, entry.channel))
      : undefined;
    if (sharing) {
      if (series.band) {
        sharing.bands.push({ x: series.x, ...series.band });
      } else if (
        series.sharedBand &&
        !sharing.bands.includes(series.sharedBand)
      ) {
        sharing.bands.push(series.sharedBand);
      }
    } else if (series.band) {
      band(series.band.lo, series.band.hi, 0.18);
    }
    bands.push(...memberTraces(series, x0, x1, columns, base, colour));
    if (series.style === 'confidence' && series.columns.mu) {
      band(series.columns.lo, series.columns.hi, 0.22);
      mainLine('mu', 1.75, true);
    } else if (series.style === 'quantiles') {
      const names = Object.keys(series.columns).sort(
        (a, b) => Number(a) - Number(b)
      );
      const n = names.length;
      for (let i = 0; i < Math.floor(n / 2); i++) {
        band(
          series.columns[names[i]],
          series.columns[names[n - 1 - i]],
          0.12 + (0.2 * (i + 1)) / Math.max(1, Math.floor(n / 2))
        );
      }
      const median = names.reduce(
        (best, q) =>
          Math.abs(Number(q) - 50) < Math.abs(Number(best) - 50) ? q : best,
        names[0]
      );
      if (median !== undefined) {
        mainLine(median, 2.5, true);
      }
    } else {
      Object.keys(series.columns).forEach((column, i) =>
        mainLine(column, 1.75, i === 0)
      );
    }
  });
  for (const [key, { bands: runBands, runs }] of shared) {
    const [axis, channel] = JSON.parse(key) as [number, string];
    const outline = runsEnvelope(runBands, x0, x1, columns);
    extent = extents[axis];
    widen(outline.x, outline.y);
    maxPoints = Math.max(maxPoints, Math.ceil(outline.x.length / 2));
    if (outline.x.length > 0) {
      bands.push({
        type: 'scatter',
        mode: 'lines',
        ...(axisCount > 1 ? { yaxis: axisName(axis) } : {}),
        ...outline,
        line: { width: 0, color: ENVELOPE_COLOUR },
        fill: 'toself',
        fillcolor: ENVELOPE_FILL,
        showlegend: false,
        hoverinfo: 'skip',
        meta: { channel, runs }
      });
    }
  }
  const axes = styles.map((style, a): IPlotAxis => {
    const { lo, hi } = extents[a];
    const yExtent: [number, number] | undefined =
      lo <= hi ? [lo, hi] : undefined;
    // The user's y zoom is the first axis's (`axisRange` reads `yaxis`).
    const range = (a === 0 ? options.yRange : undefined) ?? padded(yExtent);
    const labels = entries
      .filter((_e, i) => axisOf[i] === a)
      .map(e => e.label || e.channel);
    return {
      style,
      yExtent,
      yTicks: yTicksFor(style, range),
      yTickRange: range ? [range[0], range[1]] : undefined,
      labels: [...new Set(labels)]
    };
  });
  return {
    traces: [...mergeBands(bands), ...lines],
    style: axes[0].style,
    xExtent,
    yExtent: axes[0].yExtent,
    xTicks: xTicksFor(
      options.xChannel,
      x0,
      x1,
      Math.max(3, Math.floor(options.widthPx / 60))
    ),
    yTicks: axes[0].yTicks,
    ...(options.xChannel !== undefined
      ? { xHoverTitle: xHoverTitle(options.xChannel) }
      : {}),
    axes,
    maxPoints
  };
}

/** The fill of the min–max band a channel's runs share (`runsEnvelope`). */
export const ENVELOPE_FILL = 'rgba(128,128,128,0.3)';
const ENVELOPE_COLOUR = 'rgb(128,128,128)';

function bandKey(axis: number, channel: string): string {
  return JSON.stringify([axis, channel]);
}

/** The bands a channel's runs share, gathered, and how many runs they are. */
interface ISharing {
  readonly bands: IRunBand[];
  readonly runs: number;
}

/**
 * The channels (by axis) whose bucket min–max bands come from more than
 * `MAX_RUN_BANDS` shown runs, each with an empty list to gather them in:
 * those runs share one band (`runsEnvelope`). A group's band (its runs'
 * spread) is never shared, nor a hidden run's.
 */
function sharedBands(
  entries: readonly IPlotEntry[],
  axisOf: readonly number[],
  hidden?: ReadonlySet<string>
): Map<string, ISharing> {
  const counts = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (mayShareBand(entry, hidden)) {
      const key = bandKey(axisOf[i], entry.channel);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  });
  const shared = new Map<string, ISharing>();
  for (const [key, count] of counts) {
    if (count > MAX_RUN_BANDS) {
      shared.set(key, { bands: [], runs: count });
    }
  }
  return shared;
}

/**
 * A shown run's bucket min–max band (its own, or the server's fold of its
 * request's runs): one that more runs' may join.
 */
function mayShareBand(
  entry: IPlotEntry,
  hidden: ReadonlySet<string> | undefined
): boolean {
  const { band, sharedBand, groupBand } = entry.series;
  return (!!band || !!sharedBand) && !groupBand && !hidden?.has(entry.legend);
}

/** plotly's name of y axis `index` in a trace: `y`, `y2`, `y3`. */
export function axisName(index: number): string {
  return index === 0 ? 'y' : `y${index + 1}`;
}

/** A marker's diameter in pixels: a lone point, visible but no blob. */
const MARKER_SIZE = 6;

/**
 * Markers for the points a line can't be drawn through: finite ones with
 * no finite neighbour (a channel logged once, a bucket between empty
 * ones). `{}` when there are none, so a plain line stays `mode: 'lines'`.
 *
 * #### Notes
 * One trace either way (plotly's cost grows with traces): per-point sizes,
 * 0 for every point but the lone ones inside `[x0, x1]`. The markers are
 * not clipped at the axes, so a lone point on the span's edge shows whole;
 * points kept outside a zoomed range get size 0 for that reason.
 */
export function isolatedMarkers(
  points: { x: Float64Array; y: Float64Array },
  x0: number,
  x1: number,
  colour: string
): Trace {
  const { x, y } = points;
  const n = y.length;
  const finite = (i: number) => i >= 0 && i < n && Number.isFinite(y[i]);
  let size: Float64Array | undefined;
  for (let i = 0; i < n; i++) {
    if (finite(i) && !finite(i - 1) && !finite(i + 1)) {
      if (x[i] >= x0 && x[i] <= x1) {
        size ??= new Float64Array(n);
        size[i] = MARKER_SIZE;
      }
    }
  }
  if (!size) {
    return {};
  }
  return {
    mode: 'lines+markers',
    marker: { size, color: colour },
    cliponaxis: false
  };
}

/** One edge of a band: its points at `rows` (all of them without). */
export interface IBandEdge {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly rows?: Int32Array;
}

/**
 * A band's outline: the finite low points left to right, then the finite
 * high points right to left. Empty buckets (no min or max) are bridged,
 * as the lines bridge them.
 */
export function bandOutline(
  lo: IBandEdge,
  hi: IBandEdge
): { x: Float64Array; y: Float64Array } {
  const finite = (edge: IBandEdge) => {
    let count = 0;
    edgeRows(edge, row => {
      count += Number.isFinite(edge.y[row]) ? 1 : 0;
    });
    return count;
  };
  const length = finite(lo) + finite(hi);
  const x = new Float64Array(length);
  const y = new Float64Array(length);
  let at = 0;
  const add = (edge: IBandEdge) => (row: number) => {
    const v = edge.y[row];
    if (Number.isFinite(v)) {
      x[at] = edge.x[row];
      y[at++] = v;
    }
  };
  edgeRows(lo, add(lo));
  edgeRows(hi, add(hi), true);
  return { x, y };
}

/** Each of an edge's rows, in order (`backwards`: in reverse). */
function edgeRows(
  edge: IBandEdge,
  visit: (row: number) => void,
  backwards = false
): void {
  const n = edge.rows
    ? edge.rows.length
    : Math.min(edge.x.length, edge.y.length);
  for (let k = 0; k < n; k++) {
    const i = backwards ? n - 1 - k : k;
    visit(edge.rows ? edge.rows[i] : i);
  }
}

/**
 * Bands of one fill colour and legend entry (a run's labels when comparing
 * runs) as one trace: their outlines one after another, a NaN between
 * them, each filled on its own. plotly's cost grows with the traces.
 */
export function mergeBands(bands: readonly Trace[]): Trace[] {
  const byFill = new Map<string, Trace[]>();
  for (const band of bands) {
    const key = JSON.stringify([band.fillcolor, band.legendgroup, band.yaxis]);
    const same = byFill.get(key);
    if (same) {
      same.push(band);
    } else {
      byFill.set(key, [band]);
    }
  }
  return [...byFill.values()].map(group => {
    if (group.length === 1) {
      return group[0];
    }
    const parts = group.map(b => ({
      x: b.x as Float64Array,
      y: b.y as Float64Array
    }));
    const length = parts.reduce((n, p) => n + p.x.length + 1, -1);
    const x = new Float64Array(length).fill(NaN);
    const y = new Float64Array(length).fill(NaN);
    let at = 0;
    for (const part of parts) {
      x.set(part.x, at);
      y.set(part.y, at);
      at += part.x.length + 1;
    }
    const metas = group.map(b => b.meta as { run: string; channel: string });
    const meta = { run: metas[0].run, channels: metas.map(m => m.channel) };
    return { ...group[0], x, y, meta };
  });
}

/** Points to append to each trace: what `Plotly.extendTraces` takes. */
export interface IAppended {
  readonly x: Float64Array[];
  readonly y: Float64Array[];
  readonly indices: number[];
}

/**
 * How `after` extends `before`: for each trace whose points grew, the new
 * points after the old ones. `undefined` when anything else differs (a
 * trace added or restyled, an old point moved or dropped by downsampling,
 * a bucket's value revised): then the plot must be redrawn.
 */
export function appendedPoints(
  before: readonly Trace[],
  after: readonly Trace[]
): IAppended | undefined {
  if (before.length !== after.length) {
    return undefined;
  }
  const appended: IAppended = { x: [], y: [], indices: [] };
  for (let i = 0; i < after.length; i++) {
    const old = before[i];
    const next = after[i];
    if (styleOf(old) !== styleOf(next)) {
      return undefined;
    }
    const oldX = old.x as Float64Array;
    const oldY = old.y as Float64Array;
    const newX = next.x as Float64Array;
    const newY = next.y as Float64Array;
    const n = oldX.length;
    if (newX.length < n || newY.length !== newX.length) {
      return undefined;
    }
    for (let k = 0; k < n; k++) {
      const y0 = oldY[k];
      const y1 = newY[k];
      if (newX[k] !== oldX[k] || (y1 !== y0 && (y1 === y1 || y0 === y0))) {
        return undefined;
      }
    }
    if (newX.length > n) {
      appended.x.push(newX.slice(n));
      appended.y.push(newY.slice(n));
      appended.indices.push(i);
    }
  }
  return appended;
}

/** A trace without its points, to compare styles. */
function styleOf(trace: Trace): string {
  const { x, y, ...style } = trace;
  void x;
  void y;
  return JSON.stringify(style);
}

/** The x extent of every entry: from min(0, first t) to the last t. */
export function dataExtent(entries: readonly IPlotEntry[]): [number, number] {
  let lo = 0;
  let hi = -Infinity;
  for (const { series } of entries) {
    if (series.x.length > 0) {
      lo = Math.min(lo, series.x[0]);
      hi = Math.max(hi, series.x[series.x.length - 1]);
    }
  }
  return [lo, hi > lo ? hi : lo + 1];
}

/** Percent kinds: `0%`…`100%` in 25 % steps, finer when zoomed in. */
export function percentTicks(y0: number, y1: number): ITicks {
  const ticks = siTicks(y0 * 100, y1 * 100, 6);
  return {
    vals: ticks.vals.map(v => v / 100),
    text: ticks.text.map(t => `${t}%`)
  };
}

/** The y range a percent plot starts with: 0–100 %, wider if data is. */
export function percentRange(
  yExtent: [number, number] | undefined
): [number, number] {
  const lo = Math.min(0, yExtent?.[0] ?? 0);
  const hi = Math.max(1, yExtent?.[1] ?? 1);
  return [lo, hi];
}

function yTicksFor(
  style: PlotStyle,
  range: [number, number] | readonly [number, number] | undefined
): ITicks {
  if (style === 'percent') {
    const [lo, hi] = range ? [range[0], range[1]] : [0, 1];
    return percentTicks(Math.min(lo, 0), Math.max(hi, 1));
  }
  return range ? siTicks(range[0], range[1], 6) : { vals: [], text: [] };
}

/** Plotly's autorange pads lines by about 5 %; so do the ticks. */
function padded(
  extent: [number, number] | undefined
): [number, number] | undefined {
  if (!extent) {
    return undefined;
  }
  const pad = (extent[1] - extent[0]) * 0.06 || Math.abs(extent[0]) * 0.1 || 1;
  return [extent[0] - pad, extent[1] + pad];
}

/** The tooltip's value: exact, not SI-rounded. */
function valueHover(style: PlotStyle): string {
  return style === 'percent' ? '%{y:.4%}' : '%{y:.8~g}';
}

function hoverName(entry: IPlotEntry, column: string): string {
  const what = entry.label || entry.channel;
  const col = column === 'value' || column === 'mu' ? '' : ` ${column}`;
  // Comparing, the legend names the run: the hover must too.
  const run = entry.legend && entry.legend !== what ? `${entry.legend} · ` : '';
  return escapeHover(`${run}${what}${col}`);
}

function escapeHover(text: string): string {
  return text.replace(/[<>&%]/g, c => `&#${c.charCodeAt(0)};`);
}

/** `#1f77b4` at `alpha` as `rgba(...)`. */
export function withAlpha(colour: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!m) {
    return colour;
  }
  const [r, g, b] = m.slice(1).map(h => parseInt(h, 16));
  return `rgba(${r},${g},${b},${alpha})`;
}
