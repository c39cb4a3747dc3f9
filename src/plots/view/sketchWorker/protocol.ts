/**
 * The messages between the page and the sketch worker, which paints plot
 * sketches (`../plotSketch.ts`) on canvases the page handed over.
 */
import { ISketchLayout } from '../plotSketch';

/** What a sketch needs of a trace (its drawn style is in `meta.drawn`). */
export type SketchTrace = Record<string, unknown>;

export type SketchRequest =
  /** A canvas of the page, now the worker's to paint (`transferControlToOffscreen`). */
  | { type: 'adopt'; id: number; canvas: OffscreenCanvas }
  /** The page removed that canvas: let it go. */
  | { type: 'drop'; id: number }
  | {
      type: 'paint';
      id: number;
      /** Which paint this is (the answer names it). */
      paint: number;
      /** Device pixels per CSS pixel. */
      ratio: number;
      layout: ISketchLayout;
      traces: SketchTrace[];
    };

/** A paint is done (`ok`), or could not be (no canvas, no context, a throw). */
export type SketchReply = {
  type: 'painted';
  paint: number;
  ok: boolean;
  error?: string;
};

/** The keys of a trace the sketch reads: not its hover text or custom data. */
const SKETCH_KEYS = [
  'x',
  'y',
  'name',
  'legendgroup',
  'showlegend',
  'visible',
  'xaxis',
  'yaxis'
];

/** The traces as the worker gets them: only what the sketch reads. */
export function sketchTraces(
  traces: readonly Record<string, unknown>[]
): SketchTrace[] {
  return traces.map(trace => {
    const kept: SketchTrace = {};
    for (const key of SKETCH_KEYS) {
      if (trace[key] !== undefined) {
        kept[key] = trace[key];
      }
    }
    const drawn = (trace.meta as { drawn?: unknown } | undefined)?.drawn;
    if (drawn !== undefined) {
      kept.meta = { drawn };
    }
    return kept;
  });
}
