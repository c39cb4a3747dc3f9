/**
 * plotly.js, loaded on first use: its basic bundle is ~1.2 MB, so it
 * never joins JupyterLab's start-up chunk.
 *
 * #### Notes
 * plotly.js 4 ships its own (strict) types; runwatch talks to it through
 * the small interface below, over plain data objects.
 */

/** A plot's div, with what plotly attaches to it. */
export interface IPlotlyDiv extends HTMLDivElement {
  data: Record<string, unknown>[];
  layout: Record<string, any>;
  /** A handler may return `false` to stop plotly's own reaction. */
  on(event: string, handler: (event: any) => unknown): void;
}

/** Options of `toImage` and `downloadImage`. */
export interface IImageOptions {
  format: 'png' | 'svg' | 'jpeg' | 'webp';
  width?: number;
  height?: number;
  scale?: number;
  filename?: string;
}

type Data = Record<string, unknown>[];
type Layout = Record<string, unknown>;

/** The part of plotly.js runwatch uses. */
export interface IPlotly {
  newPlot(
    root: HTMLElement,
    data: Data,
    layout?: Layout,
    config?: Layout
  ): Promise<IPlotlyDiv>;
  react(
    root: HTMLElement,
    data: Data,
    layout?: Layout,
    config?: Layout
  ): Promise<IPlotlyDiv>;
  relayout(root: HTMLElement, update: Layout): Promise<IPlotlyDiv>;
  extendTraces(
    root: HTMLElement,
    update: { x: ArrayLike<number>[]; y: ArrayLike<number>[] },
    indices: number[]
  ): Promise<IPlotlyDiv>;
  purge(root: HTMLElement): void;
  toImage(root: HTMLElement, options: IImageOptions): Promise<string>;
  downloadImage(root: HTMLElement, options: IImageOptions): Promise<string>;
  Plots: { resize(root: HTMLElement): Promise<void> | void };
}

let loading: Promise<IPlotly> | undefined;

/** The plotly.js module, imported once (its own chunk). */
export function loadPlotly(): Promise<IPlotly> {
  if (!loading) {
    loading = import('plotly.js-basic-dist-min').then(
      module => ((module as any).default ?? module) as unknown as IPlotly
    );
  }
  return loading;
}
