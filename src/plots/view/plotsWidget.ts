/**
 * The review (`%review`, a snapshot) and view (`%view`, live) of one or
 * more runs: a grid of plotly plots, one per group, with a rule control,
 * and, when comparing, the params that differ. What it draws comes from
 * an `IPlotsData` (the server's reduced series, or a live view's rows).
 * Its parts: the head above the grid (`PlotsHead`), the user's choices
 * (`PlotChoices`), the grid (`PlotGrid`), and `PlotsDrawing`, which draws
 * the head and the grid as they change.
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
import { IPlotsData } from '../data/plotsData';
import { IReviewSources, ReviewData } from '../data/reviewData';
import { ISnapshotSource } from '../data/sources';
import { SteerLog } from '../data/steerLog';
import { plotDefaults } from './plotDefaults';
import { defaultRule, runsSpanS } from '../series/defaultRule';
import { DEFAULT_PLOT_RULE, PlotRule } from '../series/series';
import { CAUGHT_UP_NOTE_MS } from './backlog';
import { PlotCell } from './plotCell';
import { PlotChoices } from './plotChoices';
import { PlotGrid } from './plotGrid';
import { lazyPlotly, loadPlotly } from './plotly';
import { PlotsDrawing } from './plotsDrawing';
import { PlotsHead } from './plotsHead';

/**
 * How long a review waits for its head to be laid out before it judges
 * which plots are in view (a pass renders it within a frame or two).
 */
const HEAD_WAIT_MS = 250;

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
  /**
   * The runs' listings, loaded already (a grouped review's, shown
   * ungrouped): read instead of listing the runs again; they stay the
   * caller's.
   */
  listed?: readonly ISnapshotSource[];
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
          options.sources ??
            (options.listed && { sources: options.listed, borrowed: true }),
          options.x,
          {
            plots: async () => {
              // A hidden page renders no head: the grid's top is then a guess.
              await Promise.race([
                this._drawing.headRendered,
                new Promise(resolve => setTimeout(resolve, HEAD_WAIT_MS))
              ]);
              return this._grid.plotsInView();
            }
          }
        );
    // A group's label is no run: grouped plots carry no marks.
    // Marks come after the plots' own data, which the page waits for.
    const data = this._data;
    this._steer = new SteerLog(
      options.sources ? [] : this.runs,
      this.live,
      undefined,
      data.ready.then(() => data.idle()),
      run => data.sources.find(s => s.run === run)?.steering !== false
    );
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
    this._drawing = new PlotsDrawing({
      data: this._data,
      runs: this.runs,
      live: this.live,
      head: this._head,
      grid: this._grid,
      choices: this._choices,
      steer: this._steer,
      trans: this._trans,
      rule: () => this._rule,
      x: () => this.x,
      node: this.node,
      drawn: () => {
        if (Number.isNaN(this.timings.firstPlotMs)) {
          this.timings.firstPlotMs = performance.now() - this._started;
        }
      }
    });
    // A hidden run leaves the band its plots' runs share: the server's fold
    // of their bands holds its extremes, so each run's own band is needed.
    this._choices.changed.connect((_, choice) => {
      if (choice === 'hidden') {
        this._data.setShareBands?.(
          this._choices.hidden.size === 0,
          this._grid.zoomedViews()
        );
      }
    }, this);
    this.node.append(...this._head.nodes, this._grid.node);
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
      this._grid.spans.clear();
      this._head.rule = rule;
      this._data.setRule(rule, this._grid.zoomedViews());
      this._drawing.drawAll();
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
    this._grid.spans.clear();
    this._grid.resetZooms();
    this._data.setX(x);
    this._head.markDirty();
    this._drawing.drawAll();
  }

  /**
   * Settles when nothing is left to draw: every series asked for has
   * arrived and has been drawn. A live view settles between updates (or
   * at once while paused).
   */
  async settled(): Promise<void> {
    for (;;) {
      await this._data.idle();
      await this._drawing.lastPass;
      if (!this._data.busy && this._drawing.idle(this.paused)) {
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
      // The head's "caught up" note goes once it has been shown a while.
      setTimeout(() => {
        this._head.markDirty();
        this._drawing.schedule();
      }, CAUGHT_UP_NOTE_MS);
    }
    this._drawing.schedule();
  }

  /** The drawn plots as one PNG (base64): what a saved notebook keeps. */
  snapshotPng(): Promise<string | undefined> {
    return this._drawing.png(() => this.isDisposed);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._drawing.dispose();
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
    if (this.live) {
      void loadPlotly(); // a live view's plots are plotly's from the first
    }
    await this._data.ready;
    if (this.isDisposed) {
      return;
    }
    // A short run opens at a rule that gives it several buckets (unless
    // the user picked one while it loaded).
    if (this._rule === DEFAULT_PLOT_RULE) {
      this.rule = defaultRule(runsSpanS(this._data.sources));
    }
    // A review's plots are drawn as their groups' series arrive.
    this._drawing.start(lazyPlotly(loadPlotly));
    if (this.live) {
      // Live: the first draw of what the runs hold now.
      this.timings.loadMs = performance.now() - started;
      await this._drawing.flush();
      this.timings.renderMs = performance.now() - started - this.timings.loadMs;
      return;
    }
    this._drawing.schedule();
    await this._data.idle();
    this.timings.loadMs = performance.now() - started;
    await this.settled();
    this.timings.renderMs = performance.now() - started - this.timings.loadMs;
  }

  private readonly _trans: TranslationBundle;
  private readonly _data: IPlotsData;
  private readonly _steer: SteerLog;
  private readonly _choices = new PlotChoices(plotDefaults.smoothing);
  private readonly _head: PlotsHead;
  private readonly _grid = new PlotGrid();
  private readonly _drawing: PlotsDrawing;
  private _rule: PlotRule = DEFAULT_PLOT_RULE;
  private _started = 0;
}
