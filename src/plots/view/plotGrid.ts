/**
 * The grid of plots: its node, its plots by group in plan order (a new plot
 * goes before the next one already drawn, dropped ones are disposed), how
 * many device pixels one plot spans, the x span its plots share, and the
 * plots the user zoomed.
 */
import { IPlotView } from '../data/plotsData';
import { GridSpans } from '../series/gridSpan';
import { PlotCell } from './plotCell';
import { PLOT_HEIGHT } from './plotLayout';

/** The grid's least plot width and gap (style/plots.css). */
const MIN_PLOT = 340;
const GRID_GAP = 6;
/** A plot's width before the grid is laid out. */
const FALLBACK_PLOT_WIDTH = 1000;
/** Width changes of this many CSS px or fewer don't redraw. */
const RESIZE_SLACK = 8;

/** How many plots a row of a grid `width` CSS px wide holds. */
export function gridColumns(width: number): number {
  return Math.max(1, Math.floor((width + GRID_GAP) / (MIN_PLOT + GRID_GAP)));
}

/**
 * The plots in whole rows from a grid's `top` down to the window's
 * `bottom` (a row partly in counts), at least one row.
 */
export function plotsInView(
  top: number,
  bottom: number,
  columns: number
): number {
  const rows = Math.ceil((bottom - top) / (PLOT_HEIGHT + GRID_GAP));
  return columns * Math.max(1, rows);
}

/** How `PlotGrid.layout` treats each planned group. */
export interface ILayoutOptions<M> {
  /** The group can be drawn now (else it waits, with no plot yet). */
  drawable(members: M): boolean;
  /** A plot already in the grid must be drawn again. */
  redraw(group: string): boolean;
  /** A new plot for `group`. */
  create(group: string): PlotCell;
}

export class PlotGrid {
  constructor() {
    this.node = document.createElement('div');
    this.node.className = 'jp-runwatch-plots-grid';
  }

  readonly node: HTMLDivElement;

  /** The x span the plots are drawn with (see `GridSpans`). */
  readonly spans = new GridSpans();

  /** The plots by group. */
  get cells(): ReadonlyMap<string, PlotCell> {
    return this._cells;
  }

  /**
   * Lay the grid out to `plan` (members by group, in grid order): dispose
   * the plots of groups no longer planned, add a plot for each group that
   * has become drawable, and return the plots to draw, in plan order: the
   * new ones and those `redraw` names.
   */
  layout<M>(
    plan: ReadonlyMap<string, M>,
    options: ILayoutOptions<M>
  ): [PlotCell, M][] {
    for (const [group, cell] of this._cells) {
      if (!plan.has(group)) {
        cell.dispose();
        this._cells.delete(group);
      }
    }
    const due: [PlotCell, M][] = [];
    for (const [group, members] of plan) {
      if (!options.drawable(members)) {
        continue;
      }
      let cell = this._cells.get(group);
      if (!cell) {
        cell = options.create(group);
        this._insert(cell, [...plan.keys()]);
      } else if (!options.redraw(group)) {
        continue;
      }
      due.push([cell, members]);
    }
    return due;
  }

  /** `cell` is still the grid's plot of its group (not dropped since). */
  holds(cell: PlotCell): boolean {
    return this._cells.get(cell.group) === cell;
  }

  /**
   * Device pixels across one plot (or `width` CSS px): what a reduced
   * series needs to draw exactly.
   */
  bins(width?: number): number {
    const grid = this.node.clientWidth;
    const css =
      width || (grid ? grid / gridColumns(grid) : FALLBACK_PLOT_WIDTH);
    const pixels = Math.ceil(css * (window.devicePixelRatio || 1));
    return Math.min(4096, Math.max(100, pixels));
  }

  /**
   * How many of the grid's first plots are in the window now (whole rows,
   * at least one); every plot while the grid is not laid out.
   */
  plotsInView(): number {
    const { top, width } = this.node.getBoundingClientRect();
    if (width === 0) {
      return Infinity;
    }
    return plotsInView(top, window.innerHeight, gridColumns(width));
  }

  /** A plot as the data needs it: its group, zoomed range and pixels. */
  view(cell: PlotCell): IPlotView {
    return {
      group: cell.group,
      range: cell.xRange,
      bins: this.bins(cell.node.clientWidth)
    };
  }

  /** The plots the user zoomed, as the data needs them. */
  zoomedViews(): IPlotView[] {
    const zoomed = [...this._cells.values()].filter(c => c.xRange);
    return zoomed.map(cell => this.view(cell));
  }

  /** Zoom every zoomed plot out again. */
  resetZooms(): void {
    for (const cell of this._cells.values()) {
      if (cell.xRange) {
        void cell.resetZoom();
      }
    }
  }

  /** Call `resized` when the grid's width changes by more than a little. */
  observeWidth(resized: () => void): void {
    this._observer?.disconnect();
    this._observer = new ResizeObserver(() => {
      const width = this.node.clientWidth;
      if (Math.abs(width - this._width) > RESIZE_SLACK) {
        this._width = width;
        resized();
      }
    });
    this._observer.observe(this.node);
  }

  dispose(): void {
    this._observer?.disconnect();
    this._cells.forEach(cell => cell.dispose());
    this._cells.clear();
  }

  /**
   * Put a new plot in its place in `order` (the plan's groups): before the
   * next group's plot already in the grid, else last.
   */
  private _insert(cell: PlotCell, order: readonly string[]): void {
    this._cells.set(cell.group, cell);
    const index = order.indexOf(cell.group);
    const next = order
      .slice(index + 1)
      .map(g => this._cells.get(g)?.node)
      .find(node => node?.parentNode === this.node);
    this.node.insertBefore(cell.node, next ?? null);
  }

  private readonly _cells = new Map<string, PlotCell>();
  private _observer: ResizeObserver | undefined = undefined;
  private _width = 0;
}
