import { LEGEND_TOP } from './plotSketch';
import { buildUnderPointer, SketchCanvas } from './sketchCanvas';
import { SketchWorkerClient } from './sketchWorker/client';

const LAYOUT = {
  width: 400,
  height: 250,
  margin: { l: 46, r: 12, t: LEGEND_TOP, b: 26 },
  showlegend: true,
  xaxis: { range: [0, 40], tickvals: [0, 20], ticktext: ['0', '20'] },
  yaxis: { autorange: true, tickvals: [1, 2], ticktext: ['1', '2'] }
};
const TRACES = [
  {
    name: 'a',
    legendgroup: 'a',
    showlegend: true,
    x: [0, 10, 20],
    y: [1, 2, 1],
    meta: { drawn: { mode: 'lines', line: { color: '#123456', width: 1 } } }
  }
];

describe('SketchCanvas with the sketch worker', () => {
  const getContext = HTMLCanvasElement.prototype.getContext;
  let answers: ((ok: boolean) => void)[];
  let client: {
    adopt: jest.Mock;
    paint: jest.Mock;
    drop: jest.Mock;
  };

  beforeEach(() => {
    // A context to measure the legend's text with (jsdom has none).
    HTMLCanvasElement.prototype.getContext = (() => ({
      measureText: (text: string) => ({ width: 6 * text.length })
    })) as unknown as typeof getContext;
    answers = [];
    client = {
      adopt: jest.fn(() => 5),
      paint: jest.fn((...args: unknown[]) =>
        answers.push(args[4] as (ok: boolean) => void)
      ),
      drop: jest.fn()
    };
  });

  afterEach(() => {
    HTMLCanvasElement.prototype.getContext = getContext;
  });

  const sketchIn = (area: HTMLElement) =>
    new SketchCanvas(area, () => client as unknown as SketchWorkerClient);

  it('is painted once the worker has painted it, on one canvas handed over once', () => {
    const area = document.createElement('div');
    const sketch = sketchIn(area);
    const painted = jest.fn();
    expect(sketch.draw(LAYOUT, TRACES, painted)).toBe(true);
    expect(sketch.draw(LAYOUT, TRACES, painted)).toBe(true);
    expect(client.adopt).toHaveBeenCalledTimes(1);
    expect(client.paint.mock.calls.map(c => c[0])).toEqual([5, 5]);
    expect(area.querySelectorAll('canvas')).toHaveLength(1);
    expect(painted).not.toHaveBeenCalled();
    answers[0](true);
    expect(painted).toHaveBeenCalledTimes(1);
  });

  it('goes, and lets the worker drop its canvas, when a paint fails', () => {
    const area = document.createElement('div');
    const painted = jest.fn();
    sketchIn(area).draw(LAYOUT, TRACES, painted);
    answers[0](false);
    expect(painted).not.toHaveBeenCalled();
    expect(area.querySelector('canvas')).toBe(null);
    expect(client.drop).toHaveBeenCalledWith(5);
  });

  it('is left to plotly when its worker has broken since', () => {
    const area = document.createElement('div');
    const sketch = sketchIn(area);
    const painted = jest.fn();
    expect(sketch.draw(LAYOUT, TRACES, painted)).toBe(true);
    answers[0](true);
    // The worker died: a paint fails at once.
    client.paint.mockImplementation((...args: unknown[]) =>
      (args[4] as (ok: boolean) => void)(false)
    );
    expect(sketch.draw(LAYOUT, TRACES, painted)).toBe(false);
    expect(area.querySelector('canvas')).toBe(null);
    expect(client.drop).toHaveBeenCalledWith(5);
    expect(painted).toHaveBeenCalledTimes(1);
  });

  it('never says a removed sketch was painted', () => {
    const area = document.createElement('div');
    const sketch = sketchIn(area);
    const painted = jest.fn();
    sketch.draw(LAYOUT, TRACES, painted);
    sketch.remove(); // plotly drew the plot first
    answers[0](true);
    expect(painted).not.toHaveBeenCalled();
    expect(client.drop).toHaveBeenCalledWith(5);
  });
});

/** A pointer event at (x, y) (jsdom has no PointerEvent). */
function pointer(type: string, x: number, y: number): Event {
  return new MouseEvent(type, { clientX: x, clientY: y });
}

describe('buildUnderPointer', () => {
  let moves: { x: number; y: number }[];
  let area: HTMLElement;
  let finish: (built: boolean) => void;

  beforeEach(() => {
    moves = [];
    area = document.createElement('div');
    document.body.append(area);
    area.addEventListener('mousemove', e =>
      moves.push({ x: e.clientX, y: e.clientY })
    );
    // jsdom lays nothing out: the plot is under every point.
    document.elementFromPoint = () => area;
    buildUnderPointer(
      area,
      () => new Promise<boolean>(resolve => (finish = resolve))
    );
  });

  afterEach(() => area.remove());

  it('hovers where the pointer is once plotly has built the plot', async () => {
    area.dispatchEvent(pointer('pointerenter', 10, 20));
    area.dispatchEvent(pointer('pointermove', 30, 40));
    finish(true);
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(moves).toEqual([{ x: 30, y: 40 }]);
  });

  it('does not hover a plot the pointer has left, or one it did not build', async () => {
    area.dispatchEvent(pointer('pointerenter', 10, 20));
    area.dispatchEvent(pointer('pointerleave', 0, 0));
    finish(true);
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(moves).toEqual([]);
    area.dispatchEvent(pointer('pointerenter', 10, 20));
    finish(false); // built already: plotly hovers by itself
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(moves).toEqual([]);
  });
});
