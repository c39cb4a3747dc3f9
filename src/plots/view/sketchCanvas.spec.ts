import { buildUnderPointer } from './sketchCanvas';

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
