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

/**
 * plotly as `load` gives it, loaded only when first used: a review's plots
 * are sketched without it, so its parse and start-up (0.2-0.3 s of the
 * page's thread) come after they are painted, not while their series
 * arrive. Every call waits for the load.
 */
export function lazyPlotly(load: () => Promise<IPlotly>): IPlotly {
  let loaded: IPlotly | undefined;
  let asked = false;
  const get = () => {
    asked = true;
    return load().then(plotly => {
      loaded = plotly;
      return plotly;
    });
  };
  return {
    newPlot: (...a) => get().then(p => p.newPlot(...a)),
    react: (...a) => get().then(p => p.react(...a)),
    relayout: (...a) => get().then(p => p.relayout(...a)),
    extendTraces: (...a) => get().then(p => p.extendTraces(...a)),
    toImage: (...a) => get().then(p => p.toImage(...a)),
    downloadImage: (...a) => get().then(p => p.downloadImage(...a)),
    // A draw asked for before the load ends is purged after it.
    purge: root =>
      loaded
        ? loaded.purge(root)
        : asked && void get().then(p => p.purge(root)),
    Plots: { resize: root => get().then(p => p.Plots.resize(root)) }
  };
}
