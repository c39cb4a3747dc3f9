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
      traces: IPackedTraces;
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

/**
 * A plot's traces as they travel to the worker: every `Float64Array` x and
 * y copied into one buffer (`values`, transferred), the traces naming
 * where theirs are (`[start, length]` in place of the array).
 *
 * #### Notes
 * Each typed array in a message is allocated again on both sides: a glob's
 * 60 plots of 40 traces cost the page ~0.2 s of `postMessage` as 4,800
 * arrays, and a few ms as 60 buffers.
 */
export interface IPackedTraces {
  readonly traces: SketchTrace[];
  readonly packed: Record<number, { x?: number[]; y?: number[] }>;
  readonly values: Float64Array;
}

const PACKED_KEYS = ['x', 'y'] as const;

/** `key` is one `sketchTraces` packs (what it counts is what it copies). */
function isPacked(key: string): key is (typeof PACKED_KEYS)[number] {
  return (PACKED_KEYS as readonly string[]).includes(key);
}

/** The traces as the worker gets them: only what the sketch reads, packed. */
export function sketchTraces(
  traces: readonly Record<string, unknown>[]
): IPackedTraces {
  let total = 0;
  for (const trace of traces) {
    for (const key of PACKED_KEYS) {
      const values = trace[key];
      if (values instanceof Float64Array) {
        total += values.length;
      }
    }
  }
  const values = new Float64Array(total);
  const packed: IPackedTraces['packed'] = {};
  let at = 0;
  const kept = traces.map((trace, index) => {
    const kept: SketchTrace = {};
    for (const key of SKETCH_KEYS) {
      const value = trace[key];
      if (isPacked(key) && value instanceof Float64Array) {
        values.set(value, at);
        (packed[index] ??= {})[key] = [at, value.length];
        at += value.length;
      } else if (value !== undefined) {
        kept[key] = value;
      }
    }
    const drawn = (trace.meta as { drawn?: unknown } | undefined)?.drawn;
    if (drawn !== undefined) {
      kept.meta = { drawn };
    }
    return kept;
  });
  return { traces: kept, packed, values };
}

/** The traces `sketchTraces` packed, their arrays views of its buffer. */
export function unpackTraces(packed: IPackedTraces): SketchTrace[] {
  return packed.traces.map((trace, index) => {
    const places = packed.packed[index];
    if (!places) {
      return trace;
    }
    const out: SketchTrace = { ...trace };
    for (const key of PACKED_KEYS) {
      const place = places[key];
      if (place) {
        out[key] = packed.values.subarray(place[0], place[0] + place[1]);
      }
    }
    return out;
  });
}
