/**
 * A plot painted on a canvas from the layout and traces plotly is about to
 * get, before plotly has built it: the title, the legend, the grid, the
 * tick labels and the lines, where plotly will put them.
 *
 * #### Notes
 * plotly costs 20-35 ms a plot in JupyterLab's page (its layout, not its
 * lines, which are on a canvas already: `canvasTraces`). A review of 20
 * plots spent 0.6 s of its 0.85 s there. The sketch costs 1-3 ms; plotly
 * then builds each plot when the page is idle, or at once when the pointer
 * reaches it, and draws over the sketch at the same pixels.
 *
 * Only plots whose layout is fixed by what is given are sketched: one
 * linear y axis, ticks given, no shapes or annotations, every trace drawn
 * on the canvas, and a legend on one row. The positions below are plotly's
 * (plotly.js 2-3, measured): the title at 1 % of the width and 2 % of the
 * height, the legend right-aligned above the plot area, tick labels 3 px
 * from the axis.
 */
import { readsAsMarkup } from '../series/plotlyText';
import { drawCanvasTraces, IDrawnStyle, lineSample } from './canvasTraces';

/** The layout keys the sketch reads (as `PlotCell` gives them to plotly). */
export interface ISketchLayout {
  readonly width: number;
  readonly height: number;
  readonly margin: {
    readonly l: number;
    readonly r: number;
    readonly t: number;
    readonly b: number;
  };
  readonly paper_bgcolor?: string;
  readonly font?: { readonly family?: string; readonly color?: string };
  readonly title?: {
    readonly text?: string;
    readonly font?: { readonly size?: number; readonly color?: string };
  };
  readonly showlegend?: boolean;
  readonly legend?: { readonly font?: { readonly color?: string } };
  readonly xaxis: ISketchAxis;
  readonly yaxis: ISketchAxis;
  readonly shapes?: readonly unknown[];
  readonly annotations?: readonly unknown[];
  readonly yaxis2?: unknown;
}

interface ISketchAxis {
  readonly type?: string;
  readonly range?: readonly number[];
  readonly autorange?: boolean;
  readonly tickvals?: readonly number[];
  readonly ticktext?: readonly string[];
  readonly gridcolor?: string;
  readonly linecolor?: string;
  readonly tickfont?: { readonly color?: string; readonly size?: number };
}

type Trace = Record<string, unknown>;

/** plotly's horizontal legend: its row, and each item's sample and gaps. */
export const LEGEND_GEOMETRY = {
  /** Height of one row; the plot area's top margin grows to hold it. */
  height: 29,
  /** Above the legend, to the top of the plot. */
  above: 12,
  /** An item: the line sample and gap before its text, then after it. */
  textAt: 40,
  after: 5,
  fontSize: 10
};

/** The top margin of a plot whose legend shows (plotly pushes it there). */
export const LEGEND_TOP = LEGEND_GEOMETRY.above + LEGEND_GEOMETRY.height;

const TICK_SIZE = 10;
const TITLE_SIZE = 12;

/** A text's width in pixels at the font set on the context. */
export type TextWidth = (text: string) => number;

/** A legend item: its trace's name and line, and whether it is hidden. */
export interface ILegendEntry {
  readonly name: string;
  readonly drawn: IDrawnStyle;
  readonly hidden: boolean;
  readonly group: unknown;
}

/** The legend's items: the traces that show in it, in order. */
export function legendEntries(traces: readonly Trace[]): ILegendEntry[] {
  const entries = [];
  for (const trace of traces) {
    const drawn = (trace.meta as { drawn?: IDrawnStyle } | undefined)?.drawn;
    if (trace.showlegend === false || trace.visible === false || !drawn) {
      continue;
    }
    entries.push({
      group: trace.legendgroup,
      name: String(trace.name ?? ''),
      drawn,
      hidden: trace.visible === 'legendonly'
    });
  }
  return entries;
}

/** Where each legend item starts, and the legend's width. */
export function legendPlaces(
  names: readonly string[],
  textWidth: TextWidth
): { lefts: number[]; width: number } {
  const lefts: number[] = [];
  let x = 0;
  for (const name of names) {
    lefts.push(x);
    x += LEGEND_GEOMETRY.textAt + textWidth(name) + LEGEND_GEOMETRY.after;
  }
  return { lefts, width: x };
}

/**
 * Whether plotly would lay `layout` out exactly as the sketch does (see
 * the notes above); `textWidth` measures at the legend's font.
 */
export function sketchable(
  layout: ISketchLayout,
  traces: readonly Trace[],
  textWidth: TextWidth
): boolean {
  const { xaxis, yaxis } = layout;
  if (
    layout.yaxis2 !== undefined ||
    layout.shapes?.length ||
    layout.annotations?.length ||
    (yaxis.type && yaxis.type !== 'linear') ||
    !xaxis.range ||
    !xaxis.tickvals ||
    !yaxis.tickvals
  ) {
    return false;
  }
  if (traces.some(t => !(t.meta as { drawn?: unknown } | undefined)?.drawn)) {
    return false;
  }
  if (!yRange(layout, traces) || readsAsMarkup(layout.title?.text)) {
    return false;
  }
  if (!layout.showlegend) {
    return true;
  }
  const plotWidth = layout.width - layout.margin.l - layout.margin.r;
  const entries = legendEntries(traces);
  if (entries.some(e => readsAsMarkup(e.name))) {
    return false;
  }
  // Measured with one item a legend group: plotly spaces groups apart.
  const groups = new Set(entries.map(e => e.group));
  const names = entries.map(e => e.name);
  return (
    groups.size === entries.length &&
    layout.margin.t === LEGEND_TOP &&
    legendPlaces(names, textWidth).width <= plotWidth
  );
}

/**
 * The y range plotly draws: the one given, or its autorange of the shown
 * traces (lines padded by 5 % of the axis length at each end).
 */
export function yRange(
  layout: ISketchLayout,
  traces: readonly Trace[]
): [number, number] | undefined {
  const { range, autorange } = layout.yaxis;
  if (autorange === false && range && range.length === 2) {
    return [range[0], range[1]];
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const trace of traces) {
    if (trace.visible === false || trace.visible === 'legendonly') {
      continue;
    }
    const ys = trace.y as ArrayLike<number>;
    for (let i = 0; i < ys.length; i++) {
      const y = ys[i];
      if (y < lo) {
        lo = y;
      }
      if (y > hi) {
        hi = y;
      }
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo === hi) {
    return undefined;
  }
  const pad = ((hi - lo) * 0.05) / 0.9;
  return [lo - pad, hi + pad];
}

/** The drawing calls the sketch makes (a `CanvasRenderingContext2D`). */
export type SketchContext = Parameters<typeof drawCanvasTraces>[0] &
  Pick<CanvasRenderingContext2D, 'fillRect' | 'fillText' | 'measureText'> & {
    font: string;
    textAlign: CanvasTextAlign;
    textBaseline: CanvasTextBaseline;
  };

/** Paint the plot; `sketchable(layout, traces)` must hold. */
export function drawSketch(
  context: SketchContext,
  layout: ISketchLayout,
  traces: readonly Trace[]
): void {
  const { width, height, margin } = layout;
  const box = {
    left: margin.l,
    top: margin.t,
    width: width - margin.l - margin.r,
    height: height - margin.t - margin.b
  };
  const [x0, x1] = layout.xaxis.range as number[];
  const [y0, y1] = yRange(layout, traces)!;
  const x = (v: number) => box.left + ((v - x0) / (x1 - x0)) * box.width;
  const y = (v: number) =>
    box.top + box.height - ((v - y0) / (y1 - y0)) * box.height;
  const family = layout.font?.family ?? 'sans-serif';
  const textColour = layout.font?.color ?? '#444';
  context.fillStyle = layout.paper_bgcolor ?? '#fff';
  context.fillRect(0, 0, width, height);
  // Grid lines and tick labels: only the ticks inside the range, as plotly.
  const xTicks = ticksIn(layout.xaxis, x0, x1);
  const yTicks = ticksIn(layout.yaxis, y0, y1);
  const bottom = box.top + box.height;
  context.lineWidth = 1;
  context.setLineDash([]);
  context.strokeStyle = layout.yaxis.gridcolor ?? '#eee';
  context.beginPath();
  for (const tick of yTicks) {
    const py = crisp(y(tick.value));
    // plotly leaves out a grid line on the axis line.
    if (Math.abs(py - (bottom + 0.5)) >= 1) {
      context.moveTo(box.left, py);
      context.lineTo(box.left + box.width, py);
    }
  }
  for (const tick of xTicks) {
    const px = crisp(x(tick.value));
    if (Math.abs(px - (box.left - 0.5)) >= 1) {
      context.moveTo(px, box.top);
      context.lineTo(px, bottom);
    }
  }
  context.stroke();
  // The axis lines, left and bottom.
  context.strokeStyle =
    layout.xaxis.linecolor ?? layout.yaxis.gridcolor ?? '#eee';
  context.beginPath();
  context.moveTo(box.left - 1, bottom + 0.5);
  context.lineTo(box.left + box.width, bottom + 0.5);
  context.moveTo(box.left - 0.5, box.top);
  context.lineTo(box.left - 0.5, bottom);
  context.stroke();
  context.font = `${layout.yaxis.tickfont?.size ?? TICK_SIZE}px ${family}`;
  context.fillStyle = layout.yaxis.tickfont?.color ?? textColour;
  context.textBaseline = 'alphabetic';
  context.textAlign = 'right';
  for (const tick of yTicks) {
    context.fillText(tick.text, box.left - 3, y(tick.value) + 3.5);
  }
  context.textAlign = 'center';
  for (const tick of xTicks) {
    context.fillText(tick.text, x(tick.value), height - margin.b + 13);
  }
  drawCanvasTraces(context, traces, () => ({ x, y, box }));
  const title = layout.title;
  if (title?.text) {
    const size = title.font?.size ?? TITLE_SIZE;
    context.font = `${size}px ${family}`;
    context.fillStyle = title.font?.color ?? textColour;
    context.textAlign = 'left';
    context.fillText(title.text, 0.01 * width, 0.02 * height + 0.7 * size);
  }
  if (layout.showlegend) {
    drawLegend(context, layout, traces, box, family, textColour);
  }
}

function drawLegend(
  context: SketchContext,
  layout: ISketchLayout,
  traces: readonly Trace[],
  box: { left: number; top: number; width: number },
  family: string,
  textColour: string
): void {
  context.font = `${LEGEND_GEOMETRY.fontSize}px ${family}`;
  const entries = legendEntries(traces);
  const { lefts, width } = legendPlaces(
    entries.map(e => e.name),
    text => context.measureText(text).width
  );
  const left = box.left + box.width - width;
  const middle = box.top - LEGEND_GEOMETRY.height + 14.5;
  context.textAlign = 'left';
  entries.forEach((entry, i) => {
    const at = left + lefts[i];
    const sample = lineSample(entry.drawn);
    // plotly dims a hidden entry to half.
    const dim = entry.hidden ? 0.5 : 1;
    context.globalAlpha = dim * sample.opacity;
    context.strokeStyle = sample.colour;
    context.lineWidth = sample.width;
    context.setLineDash(sample.dash);
    context.beginPath();
    context.moveTo(at + sample.from, middle);
    context.lineTo(at + sample.from + sample.length, middle);
    context.stroke();
    context.globalAlpha = dim;
    context.fillStyle = layout.legend?.font?.color ?? textColour;
    context.fillText(entry.name, at + LEGEND_GEOMETRY.textAt, middle + 3.9);
  });
  context.globalAlpha = 1;
  context.setLineDash([]);
}

/** A 1 px line's centre on the pixel plotly's crisp edges put it on. */
function crisp(at: number): number {
  return Math.floor(at) + 0.5;
}

/** The axis's given ticks that fall inside [lo, hi]. */
function ticksIn(
  axis: ISketchAxis,
  lo: number,
  hi: number
): { value: number; text: string }[] {
  const [min, max] = lo < hi ? [lo, hi] : [hi, lo];
  const slack = (max - min) * 1e-9;
  const values = axis.tickvals ?? [];
  return values
    .map((value, i) => ({ value, text: String(axis.ticktext?.[i] ?? value) }))
    .filter(t => t.value >= min - slack && t.value <= max + slack);
}
