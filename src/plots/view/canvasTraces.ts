/**
 * A plot's lines and bands drawn on a canvas of our own, under plotly's
 * axes, legend and hover.
 *
 * #### Notes
 * plotly draws a line as an SVG path of every point: about 2.5 µs a point
 * here, so a plot of 80 lines of 1,100 points took 270 ms, and 20 such
 * plots a comparison's whole budget. Given the same traces in mode `none`,
 * plotly still computes them (hover, ranges, the legend) but draws no path:
 * 60 ms; the canvas draws the points in 7-20 ms. A trace keeps its drawn
 * style in `meta.drawn`, so `svgTraces` gives plotly's own drawing back
 * (the PNG export renders those).
 */
import { Trace } from '../series/series';

/** How a trace is drawn on the canvas (its plotly style before `none`). */
export interface IDrawnStyle {
  readonly mode?: string;
  readonly fill?: string;
  readonly line?: {
    readonly color?: string;
    readonly width?: number;
    readonly dash?: string;
  };
  readonly fillcolor?: string;
  readonly opacity?: number;
}

/** Where a trace's points land: pixel mappers and its sub-plot's box. */
export interface ITraceAxes {
  x(value: number): number;
  y(value: number): number;
  readonly box: {
    readonly left: number;
    readonly top: number;
    readonly width: number;
    readonly height: number;
  };
}

/** The drawing calls the canvas needs (a `CanvasRenderingContext2D`). */
export type TraceContext = Pick<
  CanvasRenderingContext2D,
  | 'save'
  | 'restore'
  | 'beginPath'
  | 'rect'
  | 'clip'
  | 'moveTo'
  | 'lineTo'
  | 'closePath'
  | 'stroke'
  | 'fill'
  | 'setLineDash'
> & {
  strokeStyle: CanvasRenderingContext2D['strokeStyle'];
  fillStyle: CanvasRenderingContext2D['fillStyle'];
  lineWidth: number;
  lineJoin: CanvasLineJoin;
  globalAlpha: number;
};

/**
 * The traces as plotly gets them: plain lines and bands in mode `none`
 * (their style kept in `meta.drawn`), anything with markers as it is.
 */
export function toCanvasTraces(traces: readonly Trace[]): Trace[] {
  return traces.map(trace => {
    const drawn = drawnStyleOf(trace);
    if (!drawn) {
      return trace;
    }
    const meta = (trace.meta as Record<string, unknown> | undefined) ?? {};
    return {
      ...trace,
      mode: 'none',
      ...(drawn.fill ? { fill: 'none' } : {}),
      meta: { ...meta, drawn }
    };
  });
}

/** The traces as plotly would draw them itself (`toCanvasTraces` undone). */
export function svgTraces(
  traces: readonly Record<string, unknown>[]
): Record<string, unknown>[] {
  return traces.map(trace => {
    const meta = trace.meta as { drawn?: IDrawnStyle } | undefined;
    if (!meta?.drawn) {
      return trace;
    }
    const { drawn, ...rest } = meta;
    return {
      ...trace,
      mode: drawn.mode,
      ...(drawn.fill ? { fill: drawn.fill } : {}),
      meta: rest
    };
  });
}

/** A trace's canvas style, or `undefined` when plotly should draw it. */
function drawnStyleOf(trace: Trace): IDrawnStyle | undefined {
  const line = trace.line as IDrawnStyle['line'];
  if (trace.fill === 'toself' && trace.mode === 'lines') {
    return {
      mode: 'lines',
      fill: 'toself',
      line,
      fillcolor: trace.fillcolor as string | undefined,
      opacity: trace.opacity as number | undefined
    };
  }
  if (trace.mode === 'lines' && trace.fill === undefined) {
    return {
      mode: 'lines',
      line,
      opacity: trace.opacity as number | undefined
    };
  }
  return undefined;
}

/**
 * Draw every visible canvas trace of `traces` (as plotly holds them, in
 * order), each clipped to its sub-plot; NaN (or an unplaceable value, such
 * as 0 on a log axis) breaks a line, and separates a band's pieces.
 */
export function drawCanvasTraces(
  context: TraceContext,
  traces: readonly Record<string, unknown>[],
  axesOf: (trace: Record<string, unknown>) => ITraceAxes | undefined
): void {
  for (const trace of traces) {
    const drawn = (trace.meta as { drawn?: IDrawnStyle } | undefined)?.drawn;
    if (!drawn || trace.visible === false || trace.visible === 'legendonly') {
      continue;
    }
    const axes = axesOf(trace);
    if (!axes) {
      continue;
    }
    // Placed once: a line is traced up to three times (`hairlineOffsets`).
    const at = placed(
      trace.x as ArrayLike<number>,
      trace.y as ArrayLike<number>,
      axes
    );
    context.save();
    context.beginPath();
    const { left, top, width, height } = axes.box;
    context.rect(left, top, width, height);
    context.clip();
    context.globalAlpha = drawn.opacity ?? 1;
    const closed = drawn.fill === 'toself';
    if (closed) {
      context.beginPath();
      tracePath(context, at, true);
      context.fillStyle = drawn.fillcolor ?? 'rgba(0,0,0,0.2)';
      context.fill();
    }
    const lineWidth = drawn.line?.width ?? 2;
    if (lineWidth > 0) {
      context.strokeStyle = drawn.line?.color ?? '#444';
      context.lineJoin = 'round';
      context.setLineDash(plotlyDash(drawn.line?.dash, lineWidth));
      const offsets = hairlineOffsets(
        lineWidth,
        drawn.opacity ?? 1,
        drawn.line?.color
      );
      context.lineWidth = offsets ? 1 : lineWidth;
      for (const [dx, dy] of offsets ?? [[0, 0]]) {
        context.beginPath();
        tracePath(context, at, closed, dx, dy);
        context.stroke();
      }
    }
    context.restore();
  }
}

/**
 * Where to stroke a line `width` px wide as three one-pixel lines instead,
 * or `undefined` to stroke it as it is: an opaque line from 1 to 2 px wide.
 *
 * #### Notes
 * Without a GPU (a remote desktop, a headless browser), Chromium rasterises
 * a canvas on the CPU, where a wide line of many points with round joins
 * costs 5-10× a one-pixel one: 60 lines of 1,460 points took 155 ms at
 * 1.75 px and 40 ms as three hairlines, which look the same (shifted by
 * half the extra width along each axis and one diagonal; the lines' dashes
 * stay in phase). A translucent line (its opacity, or a colour with an
 * alpha) would darken where they overlap, and a wider one would show gaps.
 */
export function hairlineOffsets(
  width: number,
  opacity: number,
  colour = ''
): (readonly [number, number])[] | undefined {
  const alpha = /^(rgba|hsla)\(|^#([0-9a-f]{4}|[0-9a-f]{8})$/i.test(colour);
  if (width <= 1 || width > 2 || opacity < 1 || alpha) {
    return undefined;
  }
  const d = (width - 1) / 2;
  return [
    [-d, -d],
    [d, d],
    [d, -d]
  ];
}

/** The points' pixels; an unplaceable point (NaN, 0 on a log axis) is NaN. */
function placed(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  axes: ITraceAxes
): { px: Float64Array; py: Float64Array } {
  const n = Math.min(xs.length, ys.length);
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = axes.x(xs[i]);
    const y = axes.y(ys[i]);
    const ok = Number.isFinite(x) && Number.isFinite(y);
    px[i] = ok ? x : NaN;
    py[i] = ok ? y : NaN;
  }
  return { px, py };
}

/** Moves and lines through the placed points, a new piece after a gap. */
function tracePath(
  context: TraceContext,
  { px, py }: { px: Float64Array; py: Float64Array },
  closed: boolean,
  dx = 0,
  dy = 0
): void {
  let open = false;
  for (let i = 0; i < px.length; i++) {
    if (Number.isNaN(px[i])) {
      if (open && closed) {
        context.closePath();
      }
      open = false;
      continue;
    }
    if (open) {
      context.lineTo(px[i] + dx, py[i] + dy);
    } else {
      context.moveTo(px[i] + dx, py[i] + dy);
      open = true;
    }
  }
  if (open && closed) {
    context.closePath();
  }
}

/**
 * A legend's line sample for a canvas-drawn trace, as plotly draws one: 30
 * px long from 5 px into the item, no wider than 5 px, in the line's style.
 */
export function lineSample(drawn: IDrawnStyle): {
  readonly from: number;
  readonly length: number;
  readonly width: number;
  readonly colour: string;
  readonly opacity: number;
  readonly dash: number[];
} {
  const width = Math.min(drawn.line?.width ?? 2, 5);
  return {
    from: 5,
    length: 30,
    width,
    colour: drawn.line?.color ?? '#444',
    opacity: drawn.opacity ?? 1,
    dash: plotlyDash(drawn.line?.dash, width)
  };
}

/** plotly's dash patterns (`Drawing.dashStyle`), in pixels. */
export function plotlyDash(dash: string | undefined, width: number): number[] {
  const w = Math.max(width, 3);
  switch (dash) {
    case 'dot':
      return [w, w];
    case 'dash':
      return [3 * w, 3 * w];
    case 'longdash':
      return [5 * w, 5 * w];
    case 'dashdot':
      return [3 * w, w, w, w];
    case 'longdashdot':
      return [5 * w, 2 * w, w, 2 * w];
    default:
      return [];
  }
}
