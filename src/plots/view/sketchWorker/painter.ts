/**
 * The worker's side of sketch painting: the canvases it holds and what each
 * request does to them. Apart from the worker's global scope, for tests.
 */
import { drawSketch, SketchContext } from '../plotSketch';
import { SketchReply, SketchRequest, unpackTraces } from './protocol';

/** The calls the painter makes of a page's canvas (an `OffscreenCanvas`). */
export interface IPaintedCanvas {
  width: number;
  height: number;
  getContext(kind: 'bitmaprenderer'): {
    transferFromImageBitmap(bitmap: unknown): void;
  } | null;
}

/** The calls it makes of the canvas it paints on first. */
export interface IScratchCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): unknown;
  /** The painted pixels (rasterised now), leaving the canvas blank. */
  transferToImageBitmap(): unknown;
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

/**
 * Paints sketches on the canvases it holds.
 *
 * #### Notes
 * A sketch is painted on a scratch canvas, whose pixels are then handed to
 * the page's canvas as a bitmap: taking the bitmap rasterises the paint
 * there and then, so a paint's answer means its pixels are on the page.
 * Painted straight on the page's canvas, the paint only recorded the calls
 * (1-4 ms) and the rasterising came later, at the worker's next frames: 60-
 * 100 ms a plot of a 20-run glob, after the page had been told it was done.
 */
export class SketchPainter {
  constructor(
    private readonly _draw: typeof drawSketch = drawSketch,
    private readonly _scratch: (
      width: number,
      height: number
    ) => IScratchCanvas = (width, height) =>
      new OffscreenCanvas(width, height) as unknown as IScratchCanvas
  ) {}

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
      const scratch = this._scratchOf(width, height);
      const context = scratch.getContext('2d') as PaintContext | null;
      const shown = canvas.getContext('bitmaprenderer');
      if (!context || !shown) {
        const missing = context ? 'bitmaprenderer' : '2d';
        return {
          type: 'painted',
          paint,
          ok: false,
          error: `no ${missing} context`
        };
      }
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.clearRect(0, 0, width, height);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      this._draw(context, layout, unpackTraces(request.traces));
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      shown.transferFromImageBitmap(scratch.transferToImageBitmap());
      return { type: 'painted', paint, ok: true };
    } catch (error) {
      return { type: 'painted', paint, ok: false, error: String(error) };
    }
  }

  /** A scratch canvas of the size (kept: plots mostly share one size). */
  private _scratchOf(width: number, height: number): IScratchCanvas {
    const key = `${width}x${height}`;
    let scratch = this._scratches.get(key);
    if (!scratch) {
      scratch = this._scratch(width, height);
      this._scratches.set(key, scratch);
      // A few sizes at most (a grid's plots, a resize): the oldest goes.
      if (this._scratches.size > 4) {
        this._scratches.delete(this._scratches.keys().next().value!);
      }
    }
    return scratch;
  }

  private readonly _canvases = new Map<number, IPaintedCanvas>();
  private readonly _scratches = new Map<string, IScratchCanvas>();
}
