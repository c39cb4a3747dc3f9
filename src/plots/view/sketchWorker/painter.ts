/**
 * The worker's side of sketch painting: the canvases it holds and what each
 * request does to them. Apart from the worker's global scope, for tests.
 */
import { drawSketch, SketchContext } from '../plotSketch';
import { SketchReply, SketchRequest, unpackTraces } from './protocol';

/** The canvas calls the painter makes (an `OffscreenCanvas`). */
export interface IPaintedCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): unknown;
}

type PaintContext = SketchContext & {
  setTransform(
    a: number,
    b: number,
    c: number,
    d: number,
    e: number,
    f: number
  ): void;
  clearRect(x: number, y: number, width: number, height: number): void;
};

export class SketchPainter {
  constructor(private readonly _draw: typeof drawSketch = drawSketch) {}

  /** Handle one request; a paint's reply, or nothing. */
  handle(request: SketchRequest): SketchReply | undefined {
    switch (request.type) {
      case 'adopt':
        this._canvases.set(request.id, request.canvas as IPaintedCanvas);
        return undefined;
      case 'drop':
        this._canvases.delete(request.id);
        return undefined;
      case 'paint':
        return this._paint(request);
    }
  }

  /** How many canvases are held (for tests). */
  get held(): number {
    return this._canvases.size;
  }

  private _paint(
    request: Extract<SketchRequest, { type: 'paint' }>
  ): SketchReply {
    const { paint, layout, ratio } = request;
    const canvas = this._canvases.get(request.id);
    if (!canvas) {
      return { type: 'painted', paint, ok: false, error: 'no such canvas' };
    }
    try {
      const width = Math.round(layout.width * ratio);
      const height = Math.round(layout.height * ratio);
      // Resized only when the plot's size changed: a new size makes a new
      // surface, which the worker waits for while the page is busy.
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      const context = canvas.getContext('2d') as PaintContext | null;
      if (!context) {
        return { type: 'painted', paint, ok: false, error: 'no 2d context' };
      }
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.clearRect(0, 0, width, height);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      this._draw(context, layout, unpackTraces(request.traces));
      return { type: 'painted', paint, ok: true };
    } catch (error) {
      return { type: 'painted', paint, ok: false, error: String(error) };
    }
  }

  private readonly _canvases = new Map<number, IPaintedCanvas>();
}
