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

export class SketchCanvas {
  constructor(private readonly _area: HTMLElement) {}

  /** Paint the sketch; false (nothing painted) if plotly must draw it. */
  draw(
    layout: Record<string, unknown>,
    traces: readonly Record<string, unknown>[]
  ): boolean {
    const sketch = layout as unknown as ISketchLayout;
    const canvas = this._canvas ?? document.createElement('canvas');
    const context = canvas.getContext('2d');
    if (!context) {
      return false;
    }
    const family = sketch.font?.family ?? 'sans-serif';
    context.font = `${LEGEND_GEOMETRY.fontSize}px ${family}`;
    if (!sketchable(sketch, traces, text => context.measureText(text).width)) {
      this.remove();
      return false;
    }
    const ratio = window.devicePixelRatio || 1;
    canvas.className = 'jp-runwatch-plot-sketch';
    canvas.style.width = `${sketch.width}px`;
    canvas.style.height = `${sketch.height}px`;
    // Setting the size clears the canvas (and its transform).
    canvas.width = Math.round(sketch.width * ratio);
    canvas.height = Math.round(sketch.height * ratio);
    context.scale(ratio, ratio);
    drawSketch(context, sketch, traces);
    if (!this._canvas) {
      this._canvas = canvas;
      this._area.prepend(canvas);
    }
    // The plot's place, until plotly's own drawing holds it.
    this._area.style.minHeight = `${sketch.height}px`;
    return true;
  }

  /** plotly has drawn the plot: the sketch goes. */
  remove(): void {
    this._canvas?.remove();
    this._canvas = undefined;
    this._area.style.minHeight = '';
  }

  private _canvas: HTMLCanvasElement | undefined = undefined;
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
