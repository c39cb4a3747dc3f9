/**
 * The hover of a plot with many lines (a sweep of 20 runs): plotly's own
 * unified tooltip lives inside the plot's 250 px and cuts such a list off,
 * so the values under the cursor are listed in a box of the page's own,
 * highest first, beside the cursor.
 */
import { formatSI } from '../series/ticks';

/** With more lines than this, a plot hovers through a `HoverList`. */
export const UNIFIED_HOVER_MAX_LINES = 8;

/** Rows shown at most; the rest are counted. */
const MAX_ROWS = 40;

/** One line's value under the cursor. */
export interface IHoverRow {
  readonly name: string;
  readonly value: number;
  readonly colour: string;
  readonly percent: boolean;
}

/** What plotly's `plotly_hover` event gives for one point. */
export interface IHoverPoint {
  readonly curveNumber: number;
  readonly x: number;
  readonly y: number;
  readonly data: {
    readonly name?: string;
    readonly line?: { readonly color?: string };
    readonly meta?: { readonly channel?: string; readonly percent?: boolean };
  };
}

/**
 * The rows for a hover: one per line (its nearest point), named run · label
 * (or the label alone), highest value first, values that aren't numbers last.
 */
export function hoverRows(points: readonly IHoverPoint[]): IHoverRow[] {
  const seen = new Set<number>();
  const rows: IHoverRow[] = [];
  for (const point of points) {
    if (seen.has(point.curveNumber)) {
      continue;
    }
    seen.add(point.curveNumber);
    const channel = point.data.meta?.channel ?? '';
    const dot = channel.indexOf('.');
    const label = dot < 0 ? channel : channel.slice(dot + 1);
    const name = point.data.name ?? '';
    rows.push({
      name:
        name && label && name !== label ? `${name} · ${label}` : name || label,
      value: Number(point.y),
      colour: point.data.line?.color ?? '',
      percent: !!point.data.meta?.percent
    });
  }
  const rank = (v: number) => (Number.isFinite(v) ? v : -Infinity);
  return rows.sort((a, b) => rank(b.value) - rank(a.value));
}

/** A value as the list shows it. */
export function hoverValue(row: IHoverRow): string {
  if (!Number.isFinite(row.value)) {
    return String(row.value);
  }
  return row.percent
    ? `${(row.value * 100).toPrecision(4)}%`
    : String(Number(row.value.toPrecision(8)));
}

export class HoverList {
  constructor() {
    this.node = document.createElement('div');
    this.node.className = 'jp-runwatch-hover';
    this.node.hidden = true;
    document.body.appendChild(this.node);
  }

  readonly node: HTMLDivElement;

  /**
   * List `rows` at time `xS` (or at `xS` of channel `xChannel`, a step or
   * counter), beside the cursor at (`clientX`, `clientY`).
   */
  show(
    rows: readonly IHoverRow[],
    xS: number,
    clientX: number,
    clientY: number,
    xChannel?: string
  ): void {
    this.node.textContent = '';
    const head = document.createElement('div');
    head.className = 'jp-runwatch-hover-head';
    head.textContent =
      xChannel === undefined
        ? `t = ${xS.toFixed(1)} s`
        : // Three significant figures: `step 12.3k`, `step 39`.
          `${xChannel} ${formatSI(xS, 10 ** (Math.floor(Math.log10(Math.abs(xS) || 1)) - 2))}`;
    this.node.appendChild(head);
    for (const row of rows.slice(0, MAX_ROWS)) {
      const line = document.createElement('div');
      line.className = 'jp-runwatch-hover-row';
      const swatch = document.createElement('span');
      swatch.className = 'jp-runwatch-swatch';
      swatch.style.background = row.colour;
      const name = document.createElement('span');
      name.textContent = row.name;
      const value = document.createElement('span');
      value.className = 'jp-runwatch-hover-value';
      value.textContent = hoverValue(row);
      line.append(swatch, name, value);
      this.node.appendChild(line);
    }
    if (rows.length > MAX_ROWS) {
      const more = document.createElement('div');
      more.className = 'jp-runwatch-hover-head';
      more.textContent = `+${rows.length - MAX_ROWS}`;
      this.node.appendChild(more);
    }
    this.node.hidden = false;
    // Beside the cursor, kept inside the window.
    const { innerWidth, innerHeight } = window;
    const box = this.node.getBoundingClientRect();
    const left =
      clientX + 16 + box.width > innerWidth
        ? clientX - 16 - box.width
        : clientX + 16;
    const top = Math.max(
      4,
      Math.min(clientY - box.height / 2, innerHeight - box.height - 4)
    );
    this.node.style.left = `${Math.max(4, left)}px`;
    this.node.style.top = `${top}px`;
  }

  hide(): void {
    this.node.hidden = true;
  }

  dispose(): void {
    this.node.remove();
  }
}
