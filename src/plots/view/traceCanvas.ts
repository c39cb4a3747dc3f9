/**
 * The canvas inside a plotly div that its lines and bands are drawn on
 * (`canvasTraces`): above plotly's grid and axes, under its legend, hover
 * and annotations, passing every pointer event through to plotly.
 */
import {
  drawCanvasTraces,
  IDrawnStyle,
  ITraceAxes,
  lineSample
} from './canvasTraces';
import { IPlotlyDiv } from './plotly';

/** What plotly keeps of an axis after drawing (`_fullLayout.xaxis`…). */
interface IFullAxis {
  readonly _offset: number;
  readonly _length: number;
  c2p(value: number): number;
}

const SVG = 'http://www.w3.org/2000/svg';

export class TraceCanvas {
  constructor(private readonly _area: IPlotlyDiv) {}

  /** Draw the plot's canvas traces again, as plotly has laid it out now. */
  draw(): void {
    const layout = (this._area as unknown as { _fullLayout?: any })._fullLayout;
    const container = this._area.querySelector('.svg-container');
    const first = container?.querySelector(':scope > svg.main-svg');
    if (!layout || !container || !first) {
      return;
    }
    let canvas = this._canvas;
    if (!canvas || canvas.parentElement !== container) {
      canvas = document.createElement('canvas');
      canvas.className = 'jp-runwatch-plot-lines';
      first.after(canvas);
      this._canvas = canvas;
    }
    const width = Number(layout.width);
    const height = Number(layout.height);
    const ratio = window.devicePixelRatio || 1;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    // Setting the size clears the canvas (and its transform).
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const context = canvas.getContext('2d');
    if (!context) {
      return;
    }
    context.scale(ratio, ratio);
    drawCanvasTraces(context, this._area.data ?? [], trace =>
      traceAxes(layout, trace)
    );
  }

  /** The canvas, once drawn (for tests). */
  get canvas(): HTMLCanvasElement | undefined {
    return this._canvas;
  }

  private _canvas: HTMLCanvasElement | undefined = undefined;
}

/** A trace's pixel mappers, from the axes plotly laid out. */
function traceAxes(
  layout: Record<string, unknown>,
  trace: Record<string, unknown>
): ITraceAxes | undefined {
  const xa = layout[axisKey('x', trace.xaxis)] as IFullAxis | undefined;
  const ya = layout[axisKey('y', trace.yaxis)] as IFullAxis | undefined;
  if (!xa?.c2p || !ya?.c2p) {
    return undefined;
  }
  return {
    x: v => xa._offset + xa.c2p(v),
    y: v => ya._offset + ya.c2p(v),
    box: {
      left: xa._offset,
      top: ya._offset,
      width: xa._length,
      height: ya._length
    }
  };
}

/** `x2` → `xaxis2`; none → `xaxis`. */
function axisKey(letter: 'x' | 'y', id: unknown): string {
  const suffix = typeof id === 'string' ? id.slice(1) : '';
  return `${letter}axis${suffix}`;
}

/**
 * Give each legend entry (plotly's legend, or its unified hover's list)
 * of a canvas-drawn line the line sample plotly leaves out in mode `none`.
 */
export function addLineSamples(root: Element): void {
  for (const item of Array.from(root.querySelectorAll('g.traces'))) {
    const bound = (item as unknown as { __data__?: unknown }).__data__;
    const trace = Array.isArray(bound)
      ? (bound[0] as { trace?: { meta?: { drawn?: IDrawnStyle } } })?.trace
      : undefined;
    const drawn = trace?.meta?.drawn;
    const lines = item.querySelector('g.legendlines');
    if (!drawn || drawn.fill || !lines || lines.querySelector('path')) {
      continue;
    }
    const look = lineSample(drawn);
    const sample = document.createElementNS(SVG, 'path');
    sample.setAttribute('class', 'js-line jp-runwatch-line-sample');
    sample.setAttribute('d', `M${look.from},0h${look.length}`);
    sample.style.fill = 'none';
    sample.style.stroke = look.colour;
    sample.style.strokeWidth = `${look.width}px`;
    sample.style.strokeOpacity = String(look.opacity);
    if (look.dash.length > 0) {
      sample.style.strokeDasharray = look.dash.map(d => `${d}px`).join(',');
    }
    lines.appendChild(sample);
  }
}
