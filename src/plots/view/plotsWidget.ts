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
import { IWatchSource, summariseBadges } from '../../runs';
import { LiveData } from '../data/liveData';
import { IPlotsData, IPlotView } from '../data/plotsData';
import { ReviewData } from '../data/reviewData';
import { IGridMember, planGrid, shortRunName } from '../series/grid';
import { DEFAULT_PLOT_RULE, IChannelSeries, PlotRule } from '../series/series';
import { IPlotEntry } from '../series/traces';
import { Backlog, CAUGHT_UP_NOTE_MS } from './backlog';
import { renderParamsTable } from './paramsTable';
import { ICellContent, PlotCell } from './plotCell';
import { IPlotly, loadPlotly } from './plotly';
import { PlotsHeader } from './plotsHeader';
import { tiledPng } from './png';
import { documentVariables, IPlotTheme, plotTheme } from './theme';
import { plotThemeChanged } from './themeEvents';
import { yieldToBrowser } from './yieldToBrowser';

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
}

/** The grid's least plot width and gap (style/plots.css). */
const MIN_PLOT = 340;
const GRID_GAP = 6;
/** A plot's width before the grid is laid out. */
const FALLBACK_PLOT_WIDTH = 1000;

export class PlotsWidget extends Widget {
  constructor(options: IPlotsWidgetOptions) {
    super();
    this.addClass('jp-runwatch-plots');
    this.live = options.live;
    this.runs = [...options.runs];
    this._trans = (options.translator ?? nullTranslator).load('runwatch');
    this._data = options.live
      ? new LiveData(this.runs, options.api, options.socket)
      : new ReviewData(this.runs, options.api, this._rule, () =>
          this._plotBins()
        );
    this._data.changed.connect((_, groups) => this._onChanged(groups), this);
    this._header = new PlotsHeader({
      runs: this.runs,
      query: options.query,
      live: this.live,
      rule: this._rule,
      onRule: rule => (this.rule = rule),
      onPause: () => (this.paused = !this.paused),
      trans: this._trans
    });
    this._params.className = 'jp-runwatch-plots-params';
    this._params.hidden = true;
    this._grid.className = 'jp-runwatch-plots-grid';
    this.node.append(
      this._header.node,
      this._params,
      this._header.message,
      this._grid
    );
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
    return this._cells;
  }

  get rule(): PlotRule {
    return this._rule;
  }

  set rule(rule: PlotRule) {
    if (rule !== this._rule) {
      this._rule = rule;
      this._header.rule = rule;
      const zoomed = [...this._cells.values()].filter(c => c.xRange);
      this._data.setRule(
        rule,
        zoomed.map(cell => this._view(cell))
      );
      this._renderAllSoon();
    }
  }

  /**
   * Settles when nothing is left to draw: every series asked for has
   * arrived and has been drawn. A live view settles between updates (or
   * at once while paused).
   */
  async settled(): Promise<void> {
    for (;;) {
      await this._data.idle();
      await this._flushed;
      if (
        !this._frame &&
        !this._flushing &&
        !this._data.busy &&
        !this._dirtyAll &&
        (this._paused || this._dirtyGroups.size === 0)
      ) {
        return;
      }
      await new Promise(resolve => requestAnimationFrame(resolve));
    }
  }

  get paused(): boolean {
    return this._paused;
  }

  set paused(paused: boolean) {
    if (paused !== this._paused) {
      if (paused) {
        this._backlog.pause(this._data.rowsHeld());
      } else {
        this._backlog.resume(this._data.rowsHeld(), Date.now());
        setTimeout(() => this._touchHead(), CAUGHT_UP_NOTE_MS);
      }
    }
    this._paused = paused;
    this._header.paused = paused;
    this._touchHead();
  }

  /** The drawn plots as one PNG (base64): what a saved notebook keeps. */
  async snapshotPng(): Promise<string | undefined> {
    const areas = [...this._cells.values()]
      .filter(c => c.plot)
      .map(c => c.area);
    return this._plotly
      ? tiledPng(this._plotly, areas, this._theme.background)
      : undefined;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    cancelAnimationFrame(this._frame);
    this._resizeObserver?.disconnect();
    plotThemeChanged.disconnect(this._onThemeChanged, this);
    this._data.dispose();
    this._cells.forEach(cell => cell.dispose());
    this._cells.clear();
    super.dispose();
  }

  /**
   * For the bench, in ms from the start: the first plot drawn, every series
   * in (`loadMs`), and the rest of the drawing after that (`renderMs`).
   */
  readonly timings = { firstPlotMs: NaN, loadMs: NaN, renderMs: NaN };

  private async _start(): Promise<void> {
    this._header.setStatus(this._trans.__('loading…'));
    const started = (this._started = performance.now());
    const [plotly] = await Promise.all([loadPlotly(), this._data.ready]);
    if (this.isDisposed) {
      return;
    }
    // A review's plots are drawn as their groups' series arrive.
    this._plotly = plotly;
    this._resizeObserver = new ResizeObserver(() => this._onResize());
    this._resizeObserver.observe(this._grid);
    this._dirtyAll = true;
    if (this.live) {
      // Live: the first draw of what the runs hold now.
      this.timings.loadMs = performance.now() - started;
      await this._flush();
      this.timings.renderMs = performance.now() - started - this.timings.loadMs;
      return;
    }
    this._schedule();
    await this._data.idle();
    this.timings.loadMs = performance.now() - started;
    await this.settled();
    this.timings.renderMs = performance.now() - started - this.timings.loadMs;
  }

  private _onChanged(groups: readonly string[]): void {
    groups.forEach(group => this._dirtyGroups.add(group));
    this._touchHead();
  }

  /** A plot as the data needs it: its group, zoomed range and pixels. */
  private _view(cell: PlotCell): IPlotView {
    return {
      group: cell.group,
      range: cell.xRange,
      bins: this._plotBins(cell.node.clientWidth)
    };
  }

  /**
   * Device pixels across one plot (or `width` CSS px): what a reduced
   * series needs to draw exactly.
   */
  private _plotBins(width?: number): number {
    const grid = this._grid.clientWidth;
    const columns = Math.max(
      1,
      Math.floor((grid + GRID_GAP) / (MIN_PLOT + GRID_GAP))
    );
    const css = width || (grid ? grid / columns : FALLBACK_PLOT_WIDTH);
    const pixels = Math.ceil(css * (window.devicePixelRatio || 1));
    return Math.min(4096, Math.max(100, pixels));
  }

  private _onThemeChanged(): void {
    // Let the new theme's CSS apply before reading its variables.
    setTimeout(() => {
      this._theme = plotTheme(documentVariables());
      this._renderAllSoon();
    }, 50);
  }

  private _onResize(): void {
    const width = this._grid.clientWidth;
    if (Math.abs(width - this._width) > 8) {
      this._width = width;
      this._renderAllSoon();
    }
  }

  private _onZoom(cell: PlotCell): void {
    this._data.zoom(this._view(cell), this._rule);
    this._dirtyGroups.add(cell.group);
    this._schedule();
  }

  private _touchHead(): void {
    this._dirtyHead = true;
    this._schedule();
  }

  private _renderAllSoon(): void {
    this._dirtyAll = true;
    this._schedule();
  }

  private _schedule(): void {
    if (this._frame || this.isDisposed || !this._plotly) {
      return;
    }
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      void this._flush();
    });
  }

  /** Redraw what changed; one pass at a time, the next one queued. */
  private async _flush(): Promise<void> {
    if (this._paused && !this._dirtyAll && this._cells.size > 0) {
      this._renderHead(); // says how much is waiting
      return;
    }
    if (this._flushing) {
      this._again = true;
      return;
    }
    this._flushing = true;
    try {
      // A failed draw is said in the status, never left as a silent freeze;
      // the next change draws again.
      this._flushed = this._render().catch(error => {
        console.error('runwatch: drawing the plots failed', error);
        this._header.setStatus(
          this._trans.__('drawing failed: %1', (error as Error).message)
        );
      });
      await this._flushed;
    } finally {
      this._flushing = false;
      if (this._again) {
        this._again = false;
        this._schedule();
      }
    }
  }

  private async _render(): Promise<void> {
    const plotly = this._plotly!;
    const all = this._dirtyAll;
    const dirty = new Set(this._dirtyGroups);
    this._dirtyAll = false;
    this._dirtyGroups.clear();
    this._renderHead();
    const refs = this._data.sources.flatMap(source =>
      [...source.channels.values()].map(c => ({
        run: source.run,
        channel: c.name,
        kind: c.kind
      }))
    );
    const plan = planGrid(refs, this.runs);
    for (const [group, cell] of this._cells) {
      if (!plan.has(group)) {
        cell.dispose();
        this._cells.delete(group);
      }
    }
    const due: [PlotCell, readonly IGridMember[]][] = [];
    for (const [group, members] of plan) {
      if (this._data.waiting(members, this._rule)) {
        continue; // Drawn once all its channels are in.
      }
      let cell = this._cells.get(group);
      if (!cell) {
        cell = new PlotCell(group, plotly, c => this._onZoom(c));
        this._cells.set(group, cell);
        this._insertCell(cell, [...plan.keys()]);
      } else if (!all && !dirty.has(group)) {
        continue;
      }
      due.push([cell, members]);
    }
    // One plotly draw costs 20-40 ms: draw them in grid order (the top
    // first), giving the page a turn after each, never one long task.
    for (const [cell, members] of due) {
      if (this.isDisposed || this._cells.get(cell.group) !== cell) {
        continue;
      }
      await cell.render(this._content(cell, members), this._theme);
      if (Number.isNaN(this.timings.firstPlotMs)) {
        this.timings.firstPlotMs = performance.now() - this._started;
      }
      await yieldToBrowser();
    }
  }

  private _insertCell(cell: PlotCell, order: string[]): void {
    const index = order.indexOf(cell.group);
    const next = order
      .slice(index + 1)
      .map(g => this._cells.get(g)?.node)
      .find(node => node?.parentNode === this._grid);
    this._grid.insertBefore(cell.node, next ?? null);
  }

  /** A group's entries at the current rule, and its channels' errors. */
  private _content(
    cell: PlotCell,
    members: readonly IGridMember[]
  ): ICellContent {
    const entries: IPlotEntry[] = [];
    const errors: string[] = [];
    let empty = 0;
    for (const member of members) {
      const source = this._data.sources.find(s => s.run === member.run)!;
      const error = source.channels.get(member.channel)!.error;
      const where =
        this.runs.length > 1
          ? `${shortRunName(member.run)}: ${member.channel}`
          : member.channel;
      let series: IChannelSeries | undefined;
      try {
        if (error) {
          throw new Error(error);
        }
        series = this._data.series(cell.group, member, this._rule, cell.xRange);
      } catch (failure) {
        errors.push(`${where}: ${(failure as Error).message}`);
        continue;
      }
      if (!series || series.x.length === 0) {
        empty++;
        continue;
      }
      entries.push({ ...member, series });
    }
    if (entries.length === 0 && errors.length === 0 && empty > 0) {
      errors.push(this._trans.__('no rows yet'));
    }
    const readable = members.filter(
      m =>
        !this._data.sources.find(s => s.run === m.run)!.channels.get(m.channel)!
          .error
    );
    return {
      entries,
      errors,
      csv: () => this._data.csv(readable),
      csvUrl: () => this._data.csvUrl(readable),
      runs: this.runs
    };
  }

  private _renderHead(): void {
    if (!this._dirtyHead && this._cells.size > 0) {
      return;
    }
    this._dirtyHead = false;
    const notes: string[] = [];
    let channels = 0;
    for (const source of this._data.sources) {
      channels += source.channels.size;
      if (source.message) {
        notes.push(`${source.run}: ${source.message}`);
      } else if (source.channels.size === 0) {
        const none = this._trans.__('no stats yet');
        notes.push(this.runs.length > 1 ? `${source.run}: ${none}` : none);
      }
    }
    this._header.setMessage(notes);
    const badges = this._data.badges();
    if (badges.length > 0) {
      // What each run is doing (a finished run is not "live").
      this._header.setBadge(
        summariseBadges(badges, this._trans),
        new Set(badges).size > 1
      );
    }
    const backlog = this.live
      ? this._backlog.note(this._data.rowsHeld(), Date.now())
      : '';
    this._header.setStatus(
      [
        this._trans._n('%1 channel', '%1 channels', channels),
        this._data.busy ? this._trans.__('reading…') : '',
        backlog
      ]
        .filter(Boolean)
        .join(' · ')
    );
    renderParamsTable(
      this._params,
      this._data.sources.map(s => ({ run: s.run, params: s.info.params }))
    );
  }

  private readonly _trans: TranslationBundle;
  private readonly _data: IPlotsData;
  private readonly _header: PlotsHeader;
  private readonly _cells = new Map<string, PlotCell>();
  private readonly _dirtyGroups = new Set<string>();
  private readonly _params = document.createElement('table');
  private readonly _grid = document.createElement('div');
  private readonly _backlog = new Backlog();
  private _plotly: IPlotly | undefined = undefined;
  private _theme: IPlotTheme;
  private _rule: PlotRule = DEFAULT_PLOT_RULE;
  private _paused = false;
  private _dirtyAll = false;
  private _dirtyHead = true;
  private _frame = 0;
  private _flushing = false;
  private _started = 0;
  private _flushed: Promise<void> = Promise.resolve();
  private _again = false;
  private _width = 0;
  private _resizeObserver: ResizeObserver | undefined = undefined;
}
