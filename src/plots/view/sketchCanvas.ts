/**
 * The canvas a plot's sketch (`plotSketch.ts`) is painted on, in plotly's
 * div until plotly has drawn the plot over it.
 */
import {
  drawSketch,
  ISketchLayout,
  LEGEND_GEOMETRY,
  sketchable
} from './plotSketch';
import { sharedSketchWorker, SketchWorkerClient } from './sketchWorker/client';

export class SketchCanvas {
  /**
   * `worker` paints the sketches off the page's thread (none: the page
   * paints them, as where there is no `OffscreenCanvas`).
   */
  constructor(
    private readonly _area: HTMLElement,
    private readonly _worker: () =>
      SketchWorkerClient | undefined = sharedSketchWorker
  ) {}

  /**
   * Paint the sketch, calling `painted` once it is on the canvas (at once in
   * the page, later from the worker); false (nothing painted, `painted`
   * never called) if plotly must draw it.
   */
  draw(
    layout: Record<string, unknown>,
    traces: readonly Record<string, unknown>[],
    painted: () => void = () => undefined
  ): boolean {
    const sketch = layout as unknown as ISketchLayout;
    const measure = measuringContext();
    if (!measure) {
      return false;
    }
    const family = sketch.font?.family ?? 'sans-serif';
    measure.font = `${LEGEND_GEOMETRY.fontSize}px ${family}`;
    if (!sketchable(sketch, traces, text => measure.measureText(text).width)) {
      this.remove();
      return false;
    }
    const worker = this._canvas ? this._paintedBy : this._worker();
    const canvas = this._canvas ?? document.createElement('canvas');
    canvas.className = 'jp-runwatch-plot-sketch';
    canvas.style.width = `${sketch.width}px`;
    canvas.style.height = `${sketch.height}px`;
    const ratio = window.devicePixelRatio || 1;
    if (!this._canvas) {
      this._canvas = canvas;
      this._paintedBy = worker;
      this._area.prepend(canvas);
    }
    // The plot's place, until plotly's own drawing holds it.
    this._area.style.minHeight = `${sketch.height}px`;
    if (worker) {
      this._id ||= worker.adopt(canvas);
      worker.paint(this._id, ratio, sketch, traces, ok => {
        if (canvas !== this._canvas) {
          return; // removed since (plotly drew it, or a newer canvas)
        }
        if (ok) {
          painted();
        } else {
          this.remove(); // plotly draws it when the page is idle
        }
      });
      // A worker that broke fails at once: then plotly draws it.
      return canvas === this._canvas;
    }
    const context = canvas.getContext('2d');
    if (!context) {
      this.remove();
      return false;
    }
    // Setting the size clears the canvas (and its transform).
    canvas.width = Math.round(sketch.width * ratio);
    canvas.height = Math.round(sketch.height * ratio);
    context.scale(ratio, ratio);
    drawSketch(context, sketch, traces);
    painted();
    return true;
  }

  /** plotly has drawn the plot: the sketch goes. */
  remove(): void {
    if (this._paintedBy && this._id) {
      this._paintedBy.drop(this._id);
    }
    this._canvas?.remove();
    this._canvas = undefined;
    this._paintedBy = undefined;
    this._id = 0;
    this._area.style.minHeight = '';
  }

  private _canvas: HTMLCanvasElement | undefined = undefined;
  /** Who paints `_canvas`: the worker it was handed to, or the page. */
  private _paintedBy: SketchWorkerClient | undefined = undefined;
  private _id = 0;
}

let measuring: CanvasRenderingContext2D | null | undefined;

/** A context to measure text with (a canvas handed to the worker has none). */
function measuringContext(): CanvasRenderingContext2D | null {
  if (measuring === undefined) {
    measuring = document.createElement('canvas').getContext('2d');
  }
  return measuring;
}

/**
 * When the pointer enters `area`, `build` plotly's plot (it resolves true if
 * it built one); then move the mouse again where the pointer is by then, if
 * it is still over the plot: plotly's hover starts at a mouse move.
 */
export function buildUnderPointer(
  area: HTMLElement,
  build: () => Promise<boolean>
): void {
  let pointer: PointerEvent | undefined;
  area.addEventListener('pointerenter', event => {
    pointer = event;
    void build().then(built => {
      if (built && pointer) {
        const { clientX, clientY } = pointer;
        document
          .elementFromPoint(clientX, clientY)
          ?.dispatchEvent(
            new MouseEvent('mousemove', { clientX, clientY, bubbles: true })
          );
      }
    });
  });
  area.addEventListener('pointermove', event => (pointer = event));
  area.addEventListener('pointerleave', () => (pointer = undefined));
}
