/**
 * Where things go in an exported PNG, as plain arithmetic over sizes: the
 * legend's entries flowed into rows, the params table's columns, and the
 * tiles of a grid. `png.ts` draws what these place.
 */

/** A legend entry as drawn: a line sample in the trace's colour and dash. */
export interface ILegendItem {
  readonly text: string;
  readonly colour: string;
  readonly dash: string;
}

/** The params table as the review shows it: a swatch per run row. */
export interface ITableData {
  readonly head: readonly string[];
  readonly rows: readonly { colour: string; cells: readonly string[] }[];
}

/** Measures a text's width in CSS pixels (a canvas's `measureText`). */
export type Measure = (text: string) => number;

export const LEGEND = {
  sample: 22,
  gap: 5,
  itemGap: 14,
  row: 16,
  pad: 6,
  font: 11
};
export const TABLE = { row: 18, cellPad: 8, swatch: 10, pad: 6, font: 11 };

/** A trace as plotly holds it: the fields the legend reads. */
type Trace = Record<string, any>;

/**
 * Every entry of a plot's legend, from its traces: each named trace shown
 * in the legend (a run or a label), once. When compared runs tell labels
 * apart by dash, each dash's label follows, in a neutral colour.
 *
 * #### Notes
 * plotly drops entries a small plot's legend can't fit (8 of 9 runs); the
 * export draws its own legend, with every entry, below the plot.
 */
export function legendItems(
  traces: readonly Trace[],
  neutral: string
): ILegendItem[] {
  const items: ILegendItem[] = [];
  const seen = new Set<string>();
  const add = (item: ILegendItem) => {
    const key = JSON.stringify([item.text, item.colour, item.dash]);
    if (!seen.has(key)) {
      seen.add(key);
      items.push(item);
    }
  };
  const lines = traces.filter(t => t.name && t.fill !== 'toself');
  for (const trace of lines) {
    if (trace.showlegend !== false) {
      add({
        text: String(trace.name),
        colour: trace.line?.color ?? neutral,
        dash: trace.line?.dash ?? 'solid'
      });
    }
  }
  const labelByDash = new Map<string, string>();
  for (const trace of lines) {
    const dash = trace.line?.dash ?? 'solid';
    const channel = String(trace.meta?.channel ?? '');
    const label = channel.includes('.')
      ? channel.split('.').slice(1).join('.')
      : channel;
    if (!labelByDash.has(dash)) {
      labelByDash.set(dash, label);
    }
  }
  if (labelByDash.size > 1) {
    for (const [dash, label] of labelByDash) {
      add({ text: label, colour: neutral, dash });
    }
  }
  return items;
}

/** An item and where it goes (its top-left corner). */
export interface IPlaced<T> {
  readonly item: T;
  readonly x: number;
  readonly y: number;
}

/**
 * The legend's entries flowed left to right into rows of `width`; an
 * entry wider than a row gets a row of its own. `height` is 0 for none.
 */
export function flowLegend(
  items: readonly ILegendItem[],
  width: number,
  measure: Measure
): { placed: IPlaced<ILegendItem>[]; height: number } {
  const placed: IPlaced<ILegendItem>[] = [];
  let x = LEGEND.pad;
  let y = LEGEND.pad;
  for (const item of items) {
    const w = LEGEND.sample + LEGEND.gap + measure(item.text);
    if (x > LEGEND.pad && x + w > width - LEGEND.pad) {
      x = LEGEND.pad;
      y += LEGEND.row;
    }
    placed.push({ item, x, y });
    x += w + LEGEND.itemGap;
  }
  return {
    placed,
    height: items.length === 0 ? 0 : y + LEGEND.row + LEGEND.pad
  };
}

/**
 * The table's column widths (the first holds the swatch) and its height;
 * 0 × 0 for no table.
 */
export function tableSize(
  table: ITableData | undefined,
  measure: Measure
): { widths: number[]; width: number; height: number } {
  if (!table || table.rows.length === 0) {
    return { widths: [], width: 0, height: 0 };
  }
  const widths = table.head.map((text, i) => {
    const cells = table.rows.map(r => measure(r.cells[i] ?? ''));
    const swatch = i === 0 ? TABLE.swatch + TABLE.cellPad / 2 : 0;
    return Math.ceil(
      Math.max(measure(text), ...cells.map(w => w + swatch)) + 2 * TABLE.cellPad
    );
  });
  return {
    widths,
    width: widths.reduce((a, b) => a + b, 0) + 2 * TABLE.pad,
    height: (table.rows.length + 1) * TABLE.row + 2 * TABLE.pad
  };
}

/**
 * Tiles of `sizes` in rows of `columns`, each row as tall as its tallest
 * tile, below a `top` band (the params table): their corners, and the
 * whole image's size.
 */
export function tileGrid(
  sizes: readonly { width: number; height: number }[],
  columns: number,
  top = 0
): { corners: { x: number; y: number }[]; width: number; height: number } {
  const corners: { x: number; y: number }[] = [];
  let y = top;
  let width = 0;
  for (let start = 0; start < sizes.length; start += columns) {
    const row = sizes.slice(start, start + columns);
    let x = 0;
    for (const size of row) {
      corners.push({ x, y });
      x += size.width;
    }
    width = Math.max(width, x);
    y += Math.max(...row.map(s => s.height));
  }
  return { corners, width, height: y };
}
