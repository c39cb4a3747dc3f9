import { PlotCell } from './plotCell';
import { gridColumns, PlotGrid, plotsInView } from './plotGrid';

/** A stand-in plot: its group, node and zoom, and whether it was reset. */
function fakeCell(group: string, xRange?: [number, number]) {
  const cell = {
    group,
    node: document.createElement('div'),
    xRange,
    resetZoom: jest.fn(async () => undefined),
    dispose: jest.fn()
  };
  return cell as typeof cell & PlotCell;
}

/** A grid laid out to `groups`, each plot zoomed to `ranges[group]`. */
function grid(
  groups: string[],
  ranges: Record<string, [number, number]> = {}
): PlotGrid {
  const made = new PlotGrid();
  made.layout(new Map(groups.map(g => [g, g])), {
    drawable: () => true,
    redraw: () => false,
    create: group => fakeCell(group, ranges[group])
  });
  return made;
}

describe('PlotGrid', () => {
  it('lays the plots out in plan order, a later one before those drawn', () => {
    const made = grid(['a', 'c']);
    made.layout(new Map(['a', 'b', 'c'].map(g => [g, g])), {
      drawable: () => true,
      redraw: () => false,
      create: group => fakeCell(group)
    });
    const order = Array.from(made.node.children, n => {
      return [...made.cells.values()].find(c => c.node === n)?.group;
    });
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('gives the zoomed plots as the data needs them', () => {
    const made = grid(['a', 'b', 'c'], { b: [1, 2] });
    expect(made.zoomedViews()).toEqual([
      { group: 'b', range: [1, 2], bins: made.bins() }
    ]);
    expect(made.view(made.cells.get('a')!)).toEqual({
      group: 'a',
      range: undefined,
      bins: made.bins()
    });
  });

  it('zooms out only the plots that are zoomed', () => {
    const made = grid(['a', 'b'], { b: [1, 2] });
    made.resetZooms();
    const reset = (group: string) =>
      (made.cells.get(group)!.resetZoom as jest.Mock).mock.calls.length;
    expect(reset('a')).toBe(0);
    expect(reset('b')).toBe(1);
  });
});

describe('plots in view', () => {
  it('fits as many plots in a row as the least plot width allows', () => {
    expect(gridColumns(300)).toBe(1);
    expect(gridColumns(1000)).toBe(2);
    expect(gridColumns(1040)).toBe(3);
  });

  it('counts whole rows from the grid down to the bottom, a partial one too', () => {
    // Rows of 256 px (a 250 px plot and the gap): 384 px show 1.5 rows.
    expect(plotsInView(616, 1000, 3)).toBe(6);
    expect(plotsInView(0, 1000, 3)).toBe(12);
  });

  it('counts the first row even when the grid starts below the window', () => {
    expect(plotsInView(1200, 1000, 3)).toBe(3);
  });

  it('counts every plot while the grid is not laid out', () => {
    expect(new PlotGrid().plotsInView()).toBe(Infinity);
  });
});
