/**
 * One screen copy per painted region instead of one per cell.
 *
 * Lumino's DataGrid (2.5) paints each cell into an off-screen buffer and
 * copies that cell to the screen with its own `drawImage`. On a canvas
 * without a GPU, every copy from a buffer drawn into since the last copy
 * snapshots the whole buffer: a few ms per cell, so a full repaint of the
 * runs table (~600 visible cells) spent 2 s in `drawImage` (profiled by
 * bench/table_browser_bench.js). `_drawCells` clears and paints every cell of
 * its region before the grid lines are drawn, so copying the rectangle the
 * cells cover once, when it returns, puts the same pixels on the screen.
 *
 * These are DataGrid's private methods: if a version lacks them, the grid
 * is left as it is (correct, only slower).
 */

/** A rectangle in viewport pixels, as `_blitContent` takes it. */
export interface IBlitRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The private part of DataGrid this patch wraps. */
interface ICellPainter {
  _buffer: unknown;
  _drawCells(region: unknown): void;
  _blitContent(
    source: unknown,
    x: number,
    y: number,
    w: number,
    h: number,
    dx: number,
    dy: number
  ): void;
}

function isCellPainter(grid: object): grid is ICellPainter {
  const painter = grid as Partial<ICellPainter>;
  return (
    typeof painter._drawCells === 'function' &&
    typeof painter._blitContent === 'function'
  );
}

/** The smallest rectangle holding both. */
export function unionRect(a: IBlitRect | null, b: IBlitRect): IBlitRect {
  if (!a) {
    return { ...b };
  }
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y
  };
}

/**
 * Make `grid` copy the cells of each `_drawCells` pass to the screen in one
 * `drawImage`. Returns whether the grid had the methods to patch.
 */
export function batchCellBlits(grid: object): boolean {
  if (!isCellPainter(grid)) {
    return false;
  }
  const drawCells = grid._drawCells;
  const blit = grid._blitContent;
  let pending: IBlitRect | null = null;
  let batching = false;

  grid._blitContent = function (source, x, y, w, h, dx, dy) {
    const inPlace = x === dx && y === dy;
    if (batching && source === grid._buffer && inPlace) {
      pending = unionRect(pending, { x, y, width: w, height: h });
      return;
    }
    blit.call(grid, source, x, y, w, h, dx, dy);
  };

  grid._drawCells = function (region) {
    batching = true;
    pending = null;
    try {
      drawCells.call(grid, region);
    } finally {
      batching = false;
      const rect = pending as IBlitRect | null;
      pending = null;
      if (rect && rect.width > 0 && rect.height > 0) {
        blit.call(
          grid,
          grid._buffer,
          rect.x,
          rect.y,
          rect.width,
          rect.height,
          rect.x,
          rect.y
        );
      }
    }
  };
  return true;
}
