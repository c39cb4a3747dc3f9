/**
 * Where a run's params were changed while it trained (steering): a
 * vertical line on every plot of the run at the change, with its label.
 */
import { plotlyText } from './plotlyText';
import type { ISteerLogEntry } from '../../steering/steerState';
import { shortRunName } from './grid';

/** One applied change, on the plots' x. */
export interface IPlotMark {
  readonly x: number;
  readonly text: string;
}

/** The server's times (`2026-11-28 14:46:34.606130+00:00`) in ms. */
export function entryMs(time: string): number {
  return Date.parse(time.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1'));
}

/**
 * The marks of a run's applied changes: at seconds since `createdMs`, or at
 * the answer's step when x is a step channel (a change without a step is
 * left out there). Several runs: each label names its run.
 */
export function steerMarks(
  run: string,
  entries: readonly ISteerLogEntry[],
  createdMs: number | undefined,
  xChannel: string | undefined,
  nameRuns: boolean
): IPlotMark[] {
  const marks: IPlotMark[] = [];
  for (const entry of entries) {
    if (entry.status !== 'applied') {
      continue;
    }
    let x: number | undefined;
    if (xChannel) {
      x =
        xChannel === 'step' && typeof entry.step === 'number'
          ? entry.step
          : undefined;
    } else if (createdMs !== undefined) {
      x = (entryMs(entry.time) - createdMs) / 1000;
    }
    if (x === undefined || !Number.isFinite(x)) {
      continue;
    }
    const what = entry.stop ? 'stop' : `${entry.key}=${formatValue(entry.new)}`;
    marks.push({ x, text: nameRuns ? `${shortRunName(run)}: ${what}` : what });
  }
  return marks;
}

/** plotly shapes and annotations for `marks` inside [x0, x1]. */
export function markLayout(
  marks: readonly IPlotMark[],
  x0: number,
  x1: number,
  colour: string
): {
  shapes: Record<string, unknown>[];
  annotations: Record<string, unknown>[];
} {
  const shown = marks.filter(m => m.x >= x0 && m.x <= x1);
  return {
    shapes: shown.map(m => ({
      type: 'line',
      xref: 'x',
      yref: 'paper',
      x0: m.x,
      x1: m.x,
      y0: 0,
      y1: 1,
      line: { color: colour, width: 1, dash: 'dot' }
    })),
    annotations: shown.map(m => ({
      text: plotlyText(m.text),
      xref: 'x',
      yref: 'paper',
      x: m.x,
      y: 1,
      xanchor: 'left',
      yanchor: 'top',
      showarrow: false,
      font: { size: 9, color: colour }
    }))
  };
}

function formatValue(value: unknown): string {
  return typeof value === 'number'
    ? String(Number(value.toPrecision(4)))
    : JSON.stringify(value);
}
