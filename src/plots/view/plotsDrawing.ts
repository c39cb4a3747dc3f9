/**
 * How a plots widget gets drawn: a pass fills the head, then draws the
 * grid's plots that are due (`drawGridPass`), at most one pass a frame
 * (`DrawScheduler`), whenever the data, the user's choices, the steer marks,
 * the theme or the grid's width change. A review's plots are sketched
 * first and built by plotly when the page is idle.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { PromiseDelegate } from '@lumino/coreutils';
import { Signal } from '@lumino/signaling';
import { IPlotsData } from '../data/plotsData';
import { SteerLog } from '../data/steerLog';
import { PlotRule } from '../series/series';
import { DrawScheduler, IDrawPass } from './drawScheduler';
import { drawGridPass, IGridPassState } from './gridPass';
import { IdleQueue } from './idleQueue';
import { sharedSketchWorker, sketchWorkerSettled } from './sketchWorker/client';
import { PageTheme } from './pageTheme';
import { PlotCell } from './plotCell';
import { PlotChoices } from './plotChoices';
import { PlotGrid } from './plotGrid';
import { IPlotly } from './plotly';
import { PlotsHead } from './plotsHead';
import { tiledPng } from './png';
import { whenIdle } from './yieldToBrowser';

export interface IPlotsDrawingOptions {
  /** What the plots are drawn from: a change in any draws them again. */
  readonly data: IPlotsData;
  readonly choices: PlotChoices;
  readonly steer: SteerLog;
  readonly runs: readonly string[];
  readonly live: boolean;
  /** Filled before each pass; says a failed one. */
  readonly head: PlotsHead;
  /** The plots' grid, which the widget shows and disposes. */
  readonly grid: PlotGrid;
  readonly trans: TranslationBundle;
  /** The rule and x the widget draws at now. */
  rule(): PlotRule;
  x(): string | undefined;
  /** Where the rule and x last drawn in full are noted. */
  readonly node: HTMLElement;
  /** A plot was drawn. */
  drawn(): void;
}

export class PlotsDrawing {
  constructor(options: IPlotsDrawingOptions) {
    this._options = options;
    this._grid = options.grid;
    options.data.changed.connect((_, groups) => {
      options.head.markDirty();
      this._drawSoon(groups);
    }, this);
    options.choices.changed.connect(this.drawAll, this);
    options.steer.changed.connect(this.drawAll, this);
    if (!options.live) {
      // Started with the review, so the worker's two chunks load before its
      // series requests take the browser's six connections: asked for at the
      // first sketch, they waited about 1 s behind a glob's 80 requests.
      sharedSketchWorker();
    }
  }

  /** Begin drawing with `plotly`: every plot, and again as the width changes. */
  start(plotly: IPlotly): void {
    this._plotly = plotly;
    this._grid.observeWidth(() => this.drawAll());
    this._draws.start();
    this._draws.markAll();
  }

  /** Draw what is due now (see `DrawScheduler.flush`). */
  flush(): Promise<void> {
    return this._draws.flush();
  }

  /** Ask for a pass on the next frame. */
  schedule(): void {
    this._draws.schedule();
  }

  /** Draw every plot again, on the next frame. */
  drawAll(): void {
    this._draws.markAll();
    this._draws.schedule();
  }

  /** Nothing is being or waiting to be drawn (see `DrawScheduler.idle`). */
  idle(holding: boolean): boolean {
    return this._draws.idle(holding);
  }

  /** Settles when the pass under way (or the last one) has ended. */
  get lastPass(): Promise<void> {
    return this._draws.lastPass;
  }

  /**
   * Settles once a pass has filled the head (or on disposal): where the
   * grid starts is known from then.
   */
  get headRendered(): Promise<void> {
    return this._headRendered.promise;
  }

  /** The drawn plots as one PNG (base64), once plotly has built them. */
  async png(disposed: () => boolean): Promise<string | undefined> {
    await this._plotlyLater.drained();
    const areas = [...this._grid.cells.values()]
      .filter(c => c.plot)
      .map(c => c.area);
    return this._plotly
      ? tiledPng(this._plotly, areas, this._theme.current.background, disposed)
      : undefined;
  }

  dispose(): void {
    this._disposed = true;
    this._headRendered.resolve();
    this._draws.dispose();
    this._plotlyLater.dispose();
    this._theme.dispose();
    Signal.clearData(this);
  }

  /** Draw `groups` again, on the next frame. */
  private _drawSoon(groups: Iterable<string>): void {
    this._draws.mark(groups);
    this._draws.schedule();
  }

  private _onZoom(cell: PlotCell): void {
    this._options.data.zoom(this._grid.view(cell), this._options.rule());
    this._drawSoon([cell.group]);
  }

  /** The head, when it changed (and at every pass while no plot is in). */
  private _renderHead(): void {
    this._options.head.render(this._options.x(), this._grid.cells.size === 0);
  }

  /** One pass: the head, then the plots due, top first. */
  private async _draw(pass: IDrawPass): Promise<void> {
    const rule = this._options.rule();
    const x = this._options.x();
    this._renderHead();
    this._headRendered.resolve();
    const stale = await drawGridPass(
      this._passState(),
      { grid: this._grid, dashes: this._options.head.dashes },
      pass
    );
    // What the plots show now (tests and benches wait for it after a
    // rule change; a change during this pass leaves it to the next).
    if (rule === this._options.rule() && x === this._options.x()) {
      this._options.node.dataset.drawnRule = String(rule);
      this._options.node.dataset.drawnX = x ?? 'time';
    }
    if (stale.length > 0) {
      this._drawSoon(stale);
    }
  }

  private _passState(): IGridPassState {
    const { data, live, choices } = this._options;
    const plotly = this._plotly!;
    return {
      data,
      runs: this._options.runs,
      live,
      rule: this._options.rule(),
      x: this._options.x(),
      channelFilter: choices.channelFilter,
      smoothing: choices.smoothing,
      hidden: choices.hidden,
      sharedLegend: this._options.head.sharedLegend,
      theme: this._theme.current,
      trans: this._options.trans,
      marks: xChannel => this._options.steer.marks(data.sources, xChannel),
      createCell: group =>
        new PlotCell(
          group,
          plotly,
          c => this._onZoom(c),
          // Widened, narrowed or set to log.
          c => this._drawSoon([c.group]),
          key => choices.toggle(key),
          // A review's plots are sketched first (a live view's draw often).
          live
            ? undefined
            : cell => this._plotlyLater.add(() => cell.interactive())
        ),
      disposed: () => this._disposed,
      drawn: () => this._options.drawn()
    };
  }

  private readonly _options: IPlotsDrawingOptions;
  private readonly _grid: PlotGrid;
  /**
   * plotly builds of sketched plots, once every series asked for is in, the
   * sketch worker has painted what it was given, and the page is idle: a
   * build (tens of ms) would hold up reading the rest, and the sketches.
   */
  private readonly _plotlyLater = new IdleQueue(() =>
    this._options.data
      .idle()
      .then(() => sketchWorkerSettled())
      .then(() => whenIdle())
  );
  private readonly _draws = new DrawScheduler({
    draw: pass => this._draw(pass),
    // A failed draw is said in the status, never left as a silent freeze;
    // the next change draws again.
    failed: error => {
      console.error('runwatch: drawing the plots failed', error);
      this._options.head.setStatus(
        this._options.trans.__('drawing failed: %1', (error as Error).message)
      );
    },
    // A paused view draws no new rows, but says how much is waiting.
    held: () => this._options.head.paused && this._grid.cells.size > 0,
    onHeld: () => this._renderHead()
  });
  private readonly _theme = new PageTheme(() => this.drawAll());
  private _plotly: IPlotly | undefined = undefined;
  private _disposed = false;
  private readonly _headRendered = new PromiseDelegate<void>();
}
