/**
 * The review (`%review`, a snapshot) and view (`%view`, live) of one or
 * more runs: a grid of plotly plots, one per group, with a rule control,
 * and, when comparing, the params that differ. What it draws comes from
 * an `IPlotsData` (the server's reduced series, or a live view's rows).
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { IRunwatchAPI } from '../../client';
import { IWatchSource } from '../../runs';
import { LiveData } from '../data/liveData';
import { IPlotsData, IPlotView } from '../data/plotsData';
import { IReviewSources, ReviewData } from '../data/reviewData';
import { SteerLog } from '../data/steerLog';
import { plotDefaults } from './plotDefaults';
import { defaultRule, runsSpanS } from '../series/defaultRule';
import { GridSpans } from '../series/gridSpan';
import { DEFAULT_PLOT_RULE, PlotRule } from '../series/series';
import { CAUGHT_UP_NOTE_MS } from './backlog';
import { DrawScheduler, IDrawPass } from './drawScheduler';
import { IdleQueue } from './idleQueue';
import { drawGridPass, IGridPassState } from './gridPass';
import { PlotCell } from './plotCell';
import { PlotChoices } from './plotChoices';
import { PlotGrid } from './plotGrid';
import { IPlotly, loadPlotly } from './plotly';
import { PlotsHead } from './plotsHead';
import { tiledPng } from './png';
import { documentVariables, IPlotTheme, plotTheme } from './theme';
import { plotThemeChanged } from './themeEvents';

/** Options for a `PlotsWidget`. */
export interface IPlotsWidgetOptions {
  /** The runs, already resolved (oldest first, as the kernel sends them). */
  runs: readonly string[];
  /** Follow the runs live (`%view`) or draw them once (`%review`). */
  live: boolean;
  /** What the user asked for, shown in the header. */
  query?: string;
  api: IRunwatchAPI;
  /** The page's shared watch socket (live views). */
  socket: IWatchSource;
  translator?: ITranslator;
  /** A review of something else than `runs` themselves: groups of runs. */
  sources?: IReviewSources;
  /** The header's title, when not the runs' own. */
  title?: string;
  /** The channel x starts on (a step or counter); none: time. */
  x?: string;
}

export class PlotsWidget extends Widget {
  constructor(options: IPlotsWidgetOptions) {
    super();
    this.addClass('jp-runwatch-plots');
    this.live = options.live;
    this.runs = [...options.runs];
    this._trans = (options.translator ?? nullTranslator).load('runwatch');
    this._data = options.live
      ? new LiveData(this.runs, options.api, options.socket)
      : new ReviewData(
          this.runs,
          options.api,
          this._rule,
          () => this._grid.bins(),
          options.sources,
          options.x
        );
    this._data.changed.connect((_, groups) => this._onChanged(groups), this);
    // A group's label is no run: grouped plots carry no marks.
    this._steer = new SteerLog(options.sources ? [] : this.runs, this.live);
    this._steer.changed.connect(() => this._renderAllSoon(), this);
    this._head = new PlotsHead({
      data: this._data,
      choices: this._choices,
      runs: this.runs,
      title: options.title,
      query: options.query,
      live: this.live,
      rule: this._rule,
      onRule: rule => (this.rule = rule),
      onPause: () => (this.paused = !this.paused),
      x: this.x,
      // A live view draws against time only (it resolves rows in the page).
      xAsked: options.live ? options.x : undefined,
      onX: x => (this.x = x),
      trans: this._trans
    });
    this._choices.changed.connect(() => this._renderAllSoon(), this);
    this.node.append(...this._head.nodes, this._grid.node);
    this._theme = plotTheme(documentVariables());
    plotThemeChanged.connect(this._onThemeChanged, this);
    this.ready = this._start();
  }

  readonly live: boolean;
  readonly runs: readonly string[];

  /** Settles after the first complete render (a review: every run read). */
  readonly ready: Promise<void>;

  /** Every run failed to load (missing or unreadable). */
  get failed(): boolean {
    return this._data.sources.every(s => s.failed);
  }

  /** The plots by group (for tests and the bench). */
  get cells(): ReadonlyMap<string, PlotCell> {
    return this._grid.cells;
  }

  get rule(): PlotRule {
    return this._rule;
  }

  set rule(rule: PlotRule) {
    if (rule !== this._rule) {
      this._rule = rule;
      this._spans.clear();
      this._head.rule = rule;
      const zoomed = [...this.cells.values()].filter(c => c.xRange);
      this._data.setRule(
        rule,
        zoomed.map(cell => this._view(cell))
      );
      this._renderAllSoon();
    }
  }

  /** The channel x is (a step or counter); `undefined`: time. */
  get x(): string | undefined {
    return this._data instanceof ReviewData ? this._data.x : undefined;
  }

  /**
   * Draw against channel `x` (`undefined`: time): every series is read
   * again, zooms reset (their ranges were in the old x's units), and the
   * grid's span recomputed (it never mixes seconds and steps).
   */
  set x(x: string | undefined) {
    if (!(this._data instanceof ReviewData) || x === this.x) {
      return;
    }
    this._spans.clear();
    for (const cell of this.cells.values()) {
      if (cell.xRange) {
        void cell.resetZoom();
      }
    }
    this._data.setX(x);
    this._head.markDirty();
    this._renderAllSoon();
  }

  /**
   * Settles when nothing is left to draw: every series asked for has
   * arrived and has been drawn. A live view settles between updates (or
   * at once while paused).
   */
  async settled(): Promise<void> {
    for (;;) {
      await this._data.idle();
      await this._draws.lastPass;
      if (!this._data.busy && this._draws.idle(this.paused)) {
        return;
      }
      await new Promise(resolve => requestAnimationFrame(resolve));
    }
  }

  get paused(): boolean {
    return this._head.paused;
  }

  set paused(paused: boolean) {
    const resumed = this.paused && !paused;
    this._head.paused = paused;
    if (resumed) {
      setTimeout(() => this._touchHead(), CAUGHT_UP_NOTE_MS);
    }
    this._draws.schedule();
  }

  /** The drawn plots as one PNG (base64): what a saved notebook keeps. */
  async snapshotPng(): Promise<string | undefined> {
    await this._plotlyLater.drained();
    const areas = [...this.cells.values()].filter(c => c.plot).map(c => c.area);
    return this._plotly
      ? tiledPng(
          this._plotly,
          areas,
          this._theme.background,
          () => this.isDisposed
        )
      : undefined;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._draws.dispose();
    this._plotlyLater.dispose();
    plotThemeChanged.disconnect(this._onThemeChanged, this);
    this._data.dispose();
    this._steer.dispose();
    this._grid.dispose();
    super.dispose();
  }

  /**
   * For the bench, in ms from the start: the first plot drawn, every series
   * in (`loadMs`), and the rest of the drawing after that (`renderMs`).
   */
  readonly timings = { firstPlotMs: NaN, loadMs: NaN, renderMs: NaN };

  private async _start(): Promise<void> {
    this._head.setStatus(this._trans.__('loading…'));
    const started = (this._started = performance.now());
    const [plotly] = await Promise.all([loadPlotly(), this._data.ready]);
    if (this.isDisposed) {
      return;
    }
    // A short run opens at a rule that gives it several buckets (unless
    // the user picked one while it loaded).
    if (this._rule === DEFAULT_PLOT_RULE) {
      this.rule = defaultRule(runsSpanS(this._data.sources));
    }
    // A review's plots are drawn as their groups' series arrive.
    this._plotly = plotly;
    this._grid.observeWidth(() => this._renderAllSoon());
    this._draws.start();
    this._draws.markAll();
    if (this.live) {
      // Live: the first draw of what the runs hold now.
      this.timings.loadMs = performance.now() - started;
      await this._draws.flush();
      this.timings.renderMs = performance.now() - started - this.timings.loadMs;
      return;
    }
    this._draws.schedule();
    await this._data.idle();
    this.timings.loadMs = performance.now() - started;
    await this.settled();
    this.timings.renderMs = performance.now() - started - this.timings.loadMs;
  }

  private _onChanged(groups: readonly string[]): void {
    this._draws.mark(groups);
    this._touchHead();
  }

  /** A plot as the data needs it: its group, zoomed range and pixels. */
  private _view(cell: PlotCell): IPlotView {
    return {
      group: cell.group,
      range: cell.xRange,
      bins: this._grid.bins(cell.node.clientWidth)
    };
  }

  private _onThemeChanged(): void {
    // Let the new theme's CSS apply before reading its variables.
    setTimeout(() => {
      this._theme = plotTheme(documentVariables());
      this._renderAllSoon();
    }, 50);
  }

  private _onZoom(cell: PlotCell): void {
    this._data.zoom(this._view(cell), this._rule);
    this._draws.mark([cell.group]);
    this._draws.schedule();
  }

  /** A plot widened, narrowed or set to log: draw it again. */
  private _onCellResized(cell: PlotCell): void {
    this._draws.mark([cell.group]);
    this._draws.schedule();
  }

  private _touchHead(): void {
    this._head.markDirty();
    this._draws.schedule();
  }

  private _renderAllSoon(): void {
    this._draws.markAll();
    this._draws.schedule();
  }

  /** One pass: the header, then the plots due, top first. */
  private async _draw(pass: IDrawPass): Promise<void> {
    const rule = this._rule;
    const x = this.x;
    this._renderHead();
    const stale = await drawGridPass(
      this._passState(),
      { grid: this._grid, spans: this._spans, dashes: this._head.dashes },
      pass
    );
    // What the plots show now (tests and benches wait for it after a
    // rule change; a change during this pass leaves it to the next).
    if (rule === this._rule && x === this.x) {
      this.node.dataset.drawnRule = String(rule);
      this.node.dataset.drawnX = x ?? 'time';
    }
    if (stale.length > 0) {
      this._draws.mark(stale);
      this._draws.schedule();
    }
  }

  private _passState(): IGridPassState {
    const plotly = this._plotly!;
    return {
      data: this._data,
      runs: this.runs,
      live: this.live,
      rule: this._rule,
      x: this.x,
      channelFilter: this._choices.channelFilter,
      smoothing: this._choices.smoothing,
      hidden: this._choices.hidden,
      sharedLegend: this._head.sharedLegend,
      theme: this._theme,
      trans: this._trans,
      marks: xChannel => this._steer.marks(this._data.sources, xChannel),
      createCell: group =>
        new PlotCell(
          group,
          plotly,
          c => this._onZoom(c),
          c => this._onCellResized(c),
          key => this._choices.toggle(key),
          // A review's plots are sketched first (a live view's draw often).
          this.live
            ? undefined
            : cell => this._plotlyLater.add(() => cell.interactive())
        ),
      disposed: () => this.isDisposed,
      drawn: () => {
        if (Number.isNaN(this.timings.firstPlotMs)) {
          this.timings.firstPlotMs = performance.now() - this._started;
        }
      }
    };
  }

  /** The head, when it changed (and at every pass while no plot is in). */
  private _renderHead(): void {
    this._head.render(this.x, this._grid.cells.size === 0);
  }

  private readonly _trans: TranslationBundle;
  private readonly _data: IPlotsData;
  private readonly _steer: SteerLog;
  private readonly _head: PlotsHead;
  private readonly _grid = new PlotGrid();
  private readonly _spans = new GridSpans();
  /** plotly builds of sketched plots, when the page is idle. */
  private readonly _plotlyLater = new IdleQueue();
  private readonly _draws = new DrawScheduler({
    draw: pass => this._draw(pass),
    // A failed draw is said in the status, never left as a silent freeze;
    // the next change draws again.
    failed: error => {
      console.error('runwatch: drawing the plots failed', error);
      this._head.setStatus(
        this._trans.__('drawing failed: %1', (error as Error).message)
      );
    },
    // A paused view draws no new rows, but says how much is waiting.
    held: () => this.paused && this._grid.cells.size > 0,
    onHeld: () => this._renderHead()
  });
  private _plotly: IPlotly | undefined = undefined;
  private _theme: IPlotTheme;
  private _rule: PlotRule = DEFAULT_PLOT_RULE;
  private readonly _choices = new PlotChoices(plotDefaults.smoothing);
  private _started = 0;
}
