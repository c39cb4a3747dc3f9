import { ISketchLayout } from '../plotSketch';
import { SketchPainter } from './painter';
import { sketchTraces, unpackTraces } from './protocol';

const layout = { width: 300, height: 200 } as unknown as ISketchLayout;

function fakeContext() {
  return { setTransform: jest.fn(), clearRect: jest.fn() };
}

/** A page's canvas: what it shows is the last bitmap handed to it. */
function fakeCanvas() {
  const canvas = {
    width: 0,
    height: 0,
    shown: undefined as unknown,
    getContext: jest.fn(() => ({
      transferFromImageBitmap: (bitmap: unknown) => (canvas.shown = bitmap)
    }))
  };
  return canvas;
}

/** The scratch canvas: its bitmap is what was painted on it since the last. */
function fakeScratch(context = fakeContext()) {
  let bitmaps = 0;
  return {
    width: 0,
    height: 0,
    context,
    getContext: () => context,
    transferToImageBitmap: () => `bitmap ${++bitmaps}`
  };
}

describe('SketchPainter', () => {
  it('paints on a scratch canvas, then shows its pixels on the page', () => {
    const draw = jest.fn();
    const scratches: ReturnType<typeof fakeScratch>[] = [];
    const painter = new SketchPainter(draw, (width, height) => {
      const scratch = { ...fakeScratch(), width, height };
      scratches.push(scratch);
      return scratch;
    });
    const canvas = fakeCanvas();
    painter.handle({
      type: 'adopt',
      id: 1,
      canvas: canvas as unknown as OffscreenCanvas
    });
    const x = new Float64Array([1, 2]);
    const traces = sketchTraces([{ x, y: new Float64Array([3, 4]) }]);
    const reply = painter.handle({
      type: 'paint',
      id: 1,
      paint: 7,
      ratio: 2,
      layout,
      traces
    });
    expect(reply).toEqual({ type: 'painted', paint: 7, ok: true });
    // Painted at device size on the scratch canvas, its bitmap now shown.
    expect(scratches.map(c => [c.width, c.height])).toEqual([[600, 400]]);
    const { context } = scratches[0];
    expect(context.setTransform).toHaveBeenLastCalledWith(2, 0, 0, 2, 0, 0);
    expect(context.clearRect).toHaveBeenCalledWith(0, 0, 600, 400);
    // The sketch gets the traces' arrays back from the packed buffer.
    expect(draw).toHaveBeenCalledWith(context, layout, [
      { x, y: new Float64Array([3, 4]) }
    ]);
    expect([canvas.width, canvas.height]).toEqual([600, 400]);
    expect(canvas.getContext).toHaveBeenCalledWith('bitmaprenderer');
    expect(canvas.shown).toBe('bitmap 1');
    // Painted again at the same size: the same scratch canvas, cleared.
    painter.handle({
      type: 'paint',
      id: 1,
      paint: 8,
      ratio: 2,
      layout,
      traces
    });
    expect(scratches).toHaveLength(1);
    expect(context.clearRect).toHaveBeenCalledTimes(2);
    expect(canvas.shown).toBe('bitmap 2');
  });

  it('answers a paint it cannot do, naming why', () => {
    const painter = new SketchPainter(
      () => {
        throw new Error('bad trace');
      },
      () => fakeScratch()
    );
    painter.handle({
      type: 'adopt',
      id: 1,
      canvas: fakeCanvas() as unknown as OffscreenCanvas
    });
    const paint = (id: number) =>
      painter.handle({
        type: 'paint',
        id,
        paint: id,
        ratio: 1,
        layout,
        traces: sketchTraces([])
      });
    expect(paint(1)).toEqual({
      type: 'painted',
      paint: 1,
      ok: false,
      error: 'Error: bad trace'
    });
    expect(paint(2)).toEqual({
      type: 'painted',
      paint: 2,
      ok: false,
      error: 'no such canvas'
    });
  });

  it('lets a dropped canvas go', () => {
    const painter = new SketchPainter(jest.fn(), () => fakeScratch());
    painter.handle({
      type: 'adopt',
      id: 3,
      canvas: fakeCanvas() as unknown as OffscreenCanvas
    });
    expect(painter.held).toBe(1);
    expect(painter.handle({ type: 'drop', id: 3 })).toBeUndefined();
    expect(painter.held).toBe(0);
  });
});

describe('sketchTraces', () => {
  it('keeps what the sketch reads and leaves hover data behind', () => {
    const x = new Float64Array([0, 1]);
    const [kept] = unpackTraces(
      sketchTraces([
        {
          x,
          y: x,
          name: 'run a',
          legendgroup: 'a',
          showlegend: false,
          customdata: [5, 6],
          hovertemplate: '%{y}',
          meta: { run: 'a', drawn: { mode: 'lines' } }
        }
      ])
    );
    expect(kept).toEqual({
      x,
      y: x,
      name: 'run a',
      legendgroup: 'a',
      showlegend: false,
      meta: { drawn: { mode: 'lines' } }
    });
  });
});

describe('unpackTraces', () => {
  it('gives every trace its own arrays back, from one buffer', () => {
    const a = {
      x: new Float64Array([0, 1, 2]),
      y: new Float64Array([5, 6, 7])
    };
    const b = { x: [10, 11], y: new Float64Array([NaN, -1]), name: 'b' };
    const c = { name: 'no points' };
    const packed = sketchTraces([a, b, c]);
    // One buffer for all the typed arrays; a plain array travels as it is.
    expect(packed.values.length).toBe(8);
    const [ua, ub, uc] = unpackTraces(packed);
    expect(ua).toEqual(a);
    expect(ub).toEqual(b);
    expect(uc).toEqual(c);
    expect((ub.y as Float64Array).buffer).toBe(packed.values.buffer);
  });
});
