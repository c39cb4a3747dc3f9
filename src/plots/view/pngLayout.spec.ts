import {
  flowLegend,
  legendItems,
  LEGEND,
  tableSize,
  TABLE,
  tileGrid
} from './pngLayout';

/** Six pixels a character, like a small monospace font. */
const measure = (text: string) => text.length * 6;

/** Nine runs' traces, a band behind each, as a 3 lr × 3 seed sweep draws. */
const sweep = Array.from({ length: 9 }, (_, i) => [
  {
    name: `lr-sweep lr=${[0.1, 0.01, 0.001][i % 3]} seed=${Math.floor(i / 3)}`,
    fill: 'toself',
    showlegend: false,
    line: { color: `#00000${i}` }
  },
  {
    name: `lr-sweep lr=${[0.1, 0.01, 0.001][i % 3]} seed=${Math.floor(i / 3)}`,
    showlegend: true,
    line: { color: `#00000${i}`, dash: 'solid' },
    meta: { channel: 'loss.train' }
  }
]).flat();

describe('legendItems', () => {
  it('lists every run once, bands left out', () => {
    const items = legendItems(sweep, '#444');
    expect(items.length).toBe(9);
    expect(items[8]).toEqual({
      text: 'lr-sweep lr=0.001 seed=2',
      colour: '#000008',
      dash: 'solid'
    });
  });

  it('explains the dashes that tell labels apart when comparing', () => {
    const traces = ['a', 'b'].flatMap((run, r) =>
      ['train', 'val'].map((label, l) => ({
        name: run,
        showlegend: l === 0,
        line: { color: `#${r}${r}${r}`, dash: ['solid', 'dash'][l] },
        meta: { channel: `loss.${label}` }
      }))
    );
    expect(legendItems(traces, '#444').map(i => [i.text, i.dash])).toEqual([
      ['a', 'solid'],
      ['b', 'solid'],
      ['train', 'solid'],
      ['val', 'dash']
    ]);
  });
});

describe('flowLegend', () => {
  it('places all nine runs of a sweep inside a 420 px tile', () => {
    const items = legendItems(sweep, '#444');
    const { placed, height } = flowLegend(items, 420, measure);
    expect(placed.length).toBe(9);
    for (const { item, x } of placed) {
      const right = x + LEGEND.sample + LEGEND.gap + measure(item.text);
      expect(right).toBeLessThanOrEqual(420 - LEGEND.pad);
    }
    const rows = new Set(placed.map(p => p.y)).size;
    expect(rows).toBeGreaterThan(1);
    expect(height).toBe(LEGEND.pad + rows * LEGEND.row + LEGEND.pad);
  });

  it('takes no room without entries', () => {
    expect(flowLegend([], 420, measure)).toEqual({ placed: [], height: 0 });
  });
});

describe('tableSize', () => {
  it('fits each column to its widest cell, the swatch in the first', () => {
    const size = tableSize(
      {
        head: ['run', 'lr'],
        rows: [
          { colour: 'red', cells: ['neat-river', '0.1'] },
          { colour: 'blue', cells: ['calm', '0.001'] }
        ]
      },
      measure
    );
    const first = 60 + TABLE.swatch + TABLE.cellPad / 2 + 2 * TABLE.cellPad;
    expect(size.widths).toEqual([first, 30 + 2 * TABLE.cellPad]);
    expect(size.height).toBe(3 * TABLE.row + 2 * TABLE.pad);
  });

  it('is nothing when no table is shown', () => {
    expect(tableSize(undefined, measure).height).toBe(0);
  });
});

describe('tileGrid', () => {
  it('tiles rows of three below the table, each row as tall as its tallest', () => {
    const sizes = [100, 130, 100, 120].map(height => ({ width: 420, height }));
    const grid = tileGrid(sizes, 3, 40);
    expect(grid.corners).toEqual([
      { x: 0, y: 40 },
      { x: 420, y: 40 },
      { x: 840, y: 40 },
      { x: 0, y: 170 }
    ]);
    expect([grid.width, grid.height]).toEqual([1260, 290]);
  });
});
