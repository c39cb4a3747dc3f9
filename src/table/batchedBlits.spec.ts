import { DataGrid } from '@lumino/datagrid';
import { batchCellBlits, unionRect } from './batchedBlits';

type Blit = [unknown, number, number, number, number, number, number];

/** DataGrid's private painting steps, as a recorder. */
class FakePainter {
  readonly _buffer = 'buffer';
  readonly blits: Blit[] = [];
  /** Each cell of a 2 × 3 region of 10 × 5 px cells, as DataGrid does it. */
  _drawCells(): void {
    for (let column = 0; column < 2; column++) {
      for (let row = 0; row < 3; row++) {
        const x = 100 + column * 10;
        const y = 50 + row * 5;
        this._blitContent(this._buffer, x, y, 10, 5, x, y);
      }
    }
  }
  _blitContent(...args: Blit): void {
    this.blits.push(args);
  }
}

describe('unionRect', () => {
  it('covers both rectangles', () => {
    const a = { x: 0, y: 10, width: 5, height: 5 };
    const b = { x: 20, y: 0, width: 10, height: 4 };
    expect(unionRect(null, a)).toEqual(a);
    expect(unionRect(a, b)).toEqual({ x: 0, y: 0, width: 30, height: 15 });
  });
});

describe('batchCellBlits', () => {
  it("copies a region's cells to the screen once, covering them all", () => {
    const painter = new FakePainter();
    expect(batchCellBlits(painter)).toBe(true);
    painter._drawCells();
    expect(painter.blits).toEqual([['buffer', 100, 50, 20, 15, 100, 50]]);
  });

  it('leaves copies outside a cell pass alone (scrolling)', () => {
    const painter = new FakePainter();
    batchCellBlits(painter);
    painter._blitContent('canvas', 0, 10, 50, 40, 0, 0);
    painter._blitContent('buffer', 0, 0, 5, 5, 0, 0);
    expect(painter.blits).toEqual([
      ['canvas', 0, 10, 50, 40, 0, 0],
      ['buffer', 0, 0, 5, 5, 0, 0]
    ]);
  });

  it('still copies what was painted when a cell throws', () => {
    const painter = new FakePainter();
    painter._drawCells = function () {
      this._blitContent(this._buffer, 0, 0, 10, 5, 0, 0);
      throw new Error('renderer failed');
    };
    batchCellBlits(painter);
    expect(() => painter._drawCells()).toThrow('renderer failed');
    expect(painter.blits).toEqual([['buffer', 0, 0, 10, 5, 0, 0]]);
  });

  it('finds the private methods on the DataGrid this build ships', () => {
    jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    try {
      expect(batchCellBlits(new DataGrid())).toBe(true);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('leaves an object without them unpatched', () => {
    expect(batchCellBlits({})).toBe(false);
  });
});
