/**
 * The review (`%review`, a snapshot) and view (`%view`, live) of one or
 * more runs: a grid of plotly plots, one per group, with a rule control,
 * and, when comparing, the params that differ.
 */
import { Widget } from '@lumino/widgets';
import { IRunwatchAPI } from '../../client';
import { IWatchSource, RunModel, runBadge, summariseBadges } from '../../runs';
import { Backlog, CAUGHT_UP_NOTE_MS } from './backlog';
import { differingParams, runColours } from '../series/compare';
import { csvChunks, ICsvSeries } from '../series/csv';
import { IGridMember, planGrid, shortRunName } from '../series/grid';
import { ICellContent, PlotCell } from './plotCell';
import { IPlotly, loadPlotly } from './plotly';
import {
  channelSeries,
  DEFAULT_PLOT_RULE,
  IChannelSeries,
  PLOT_RULES,
  PlotRule
} from '../series/series';
import { createSeriesReader } from '../data/seriesReader';
import { channelKey, SnapshotSeries } from '../data/snapshotSeries';
import {
  ILivePlotChannel,
  IPlotRun,
  LiveRun,
  SnapshotChannel,
  SnapshotRun
} from '../data/sources';
import { documentVariables, IPlotTheme, plotTheme } from './theme';
import { plotThemeChanged } from './themeEvents';
import { IPlotEntry } from '../series/traces';

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
}

/** The grid's least plot width and gap (style/plots.css). */
const MIN_PLOT = 340;
const GRID_GAP = 6;
/** A plot's width before the grid is laid out. */
const FALLBACK_PLOT_WIDTH = 1000;

/** Tiles of the saved PNG. */
const TILE = { width: 420, height: 250, columns: 3 };

export class PlotsWidget extends Widget {
  constructor(options: IPlotsWidgetOptions) {
    super();
    this.addClass('jp-runwatch-plots');
    this.live = options.live;
    this.runs = [...options.runs];
    const api = options.api;
    if (!options.live) {
      this._snapshot = new SnapshotSeries(createSeriesReader(api), keys =>
        this._onResolved(keys)
      );
    }
    this._sources = this.runs.map(run =>
      options.live
        ? new LiveRun(
            new RunModel({
              run,
              api,
              socket: options.socket
            })
          )
        : new SnapshotRun(run, api)
    );
    this._sources.forEach(source =>
      source.changed.connect((_, channels) => this._onChanged(channels), this)
    );
    this._buildHead(options.query);
    this._params = document.createElement('table');
    this._params.className = 'jp-runwatch-plots-params';
    this._params.hidden = true;
    this._message = document.createElement('div');
    this._message.className = 'jp-runwatch-plots-message';
    this._grid = document.createElement('div');
    this._grid.className = 'jp-runwatch-plots-grid';
    this.node.append(this._head, this._params, this._message, this._grid);
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
    return this._sources.every(s => s.failed);
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
      this._ruleSelect.value = String(rule);
      if (this._snapshot) {
        this._loadSnapshot();
        for (const cell of this._cells.values()) {
          if (cell.xRange) {
            // Whether the new rule's whole span drops detail isn't known yet.
            this._zoomSnapshot(cell, true);
          }
        }
      }
      this._renderAllSoon();
    }
  }

  /**
   * Settles when nothing is left to draw: every series asked for has
   * arrived (a review reads them in its worker) and has been drawn. A live
   * view settles between updates (or at once while paused).
   */
  async settled(): Promise<void> {
    for (;;) {
      await this._snapshot?.idle();
      await this._flushed;
      if (
        !this._frame &&
        !this._flushing &&
        !this._snapshot?.busy &&
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
        this._backlog.pause(this._liveRows());
      } else {
        this._backlog.resume(this._liveRows(), Date.now());
        setTimeout(() => this._touchHead(), CAUGHT_UP_NOTE_MS);
      }
    }
    this._paused = paused;
    this._dirtyHead = true;
    this._pause.textContent = paused ? 'Resume' : 'Pause';
    this._pause.classList.toggle('jp-mod-active', paused);
    if (!paused) {
      this._schedule();
    }
  }

  /**
   * The drawn plots as one PNG (base64, no `data:` prefix), tiled in rows
   * of three: the static fallback a saved notebook keeps.
   */
  async snapshotPng(): Promise<string | undefined> {
    const cells = [...this._cells.values()].filter(c => c.plot);
    if (!this._plotly || cells.length === 0) {
      return undefined;
    }
    const columns = Math.min(TILE.columns, cells.length);
    const canvas = document.createElement('canvas');
    canvas.width = columns * TILE.width;
    canvas.height = Math.ceil(cells.length / columns) * TILE.height;
    const context = canvas.getContext('2d');
    if (!context) {
      return undefined;
    }
    context.fillStyle = this._theme.background;
    context.fillRect(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < cells.length; i++) {
      const url = await this._plotly.toImage(cells[i].area, {
        format: 'png',
        width: TILE.width,
        height: TILE.height
      });
      const image = await loadImage(url);
      context.drawImage(
        image,
        (i % columns) * TILE.width,
        Math.floor(i / columns) * TILE.height
      );
    }
    return canvas
      .toDataURL('image/png')
      .replace(/^data:image\/png;base64,/, '');
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    cancelAnimationFrame(this._frame);
    this._resizeObserver?.disconnect();
    plotThemeChanged.disconnect(this._onThemeChanged, this);
    this._sources.forEach(source => source.dispose());
    this._snapshot?.dispose();
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
    this._status.textContent = 'loading…';
    const started = (this._started = performance.now());
    const [plotly] = await Promise.all([
      loadPlotly(),
      ...this._sources.map(s =>
        s instanceof SnapshotRun ? s.ready : (s as LiveRun).model.ready
      )
    ]);
    if (this.isDisposed) {
      return;
    }
    // A review's plots are drawn as their groups' series arrive.
    this._plotly = plotly;
    this._resizeObserver = new ResizeObserver(() => this._onResize());
    this._resizeObserver.observe(this._grid);
    this._dirtyAll = true;
    if (!this._snapshot) {
      // Live: the first draw of what the runs hold now.
      this.timings.loadMs = performance.now() - started;
      await this._flush();
      this.timings.renderMs = performance.now() - started - this.timings.loadMs;
      return;
    }
    this._schedule();
    await this._snapshot.idle();
    this.timings.loadMs = performance.now() - started;
    await this.settled();
    this.timings.renderMs = performance.now() - started - this.timings.loadMs;
  }

  private _buildHead(query: string | undefined): void {
    this._head = document.createElement('div');
    this._head.className = 'jp-runwatch-plots-head';
    const title = document.createElement('span');
    title.className = 'jp-runwatch-plots-title';
    title.textContent =
      this.runs.length === 1
        ? this.runs[0]
        : `${this.runs.length} runs` + (query ? ` matching ${query}` : '');
    title.title = this.runs.join('\n');
    const mode = (this._mode = document.createElement('span'));
    mode.className = 'jp-runwatch-plots-mode';
    mode.textContent = this.live ? 'loading' : 'snapshot';
    const ruleLabel = document.createElement('label');
    ruleLabel.className = 'jp-runwatch-plots-rule';
    ruleLabel.textContent = 'rule ';
    this._ruleSelect = document.createElement('select');
    this._ruleSelect.className = 'jp-runwatch-plots-select';
    this._ruleSelect.setAttribute('aria-label', 'bucket rule');
    for (const { label, rule } of PLOT_RULES) {
      const option = document.createElement('option');
      option.value = String(rule);
      option.textContent = label;
      this._ruleSelect.appendChild(option);
    }
    this._ruleSelect.value = String(this._rule);
    this._ruleSelect.addEventListener('change', () => {
      const value = this._ruleSelect.value;
      this.rule = value === 'raw' ? 'raw' : Number(value);
    });
    ruleLabel.appendChild(this._ruleSelect);
    this._pause = document.createElement('button');
    this._pause.className = 'jp-runwatch-plot-button jp-runwatch-plots-pause';
    this._pause.textContent = 'Pause';
    this._pause.hidden = !this.live;
    this._pause.addEventListener('click', () => (this.paused = !this.paused));
    this._status = document.createElement('span');
    this._status.className = 'jp-runwatch-plots-status';
    this._head.append(title, mode, ruleLabel, this._pause, this._status);
  }

  private _onChanged(channels: readonly string[]): void {
    for (const channel of channels) {
      this._dirtyGroups.add(channel.split('.', 1)[0]);
    }
    this._dirtyHead = true;
    if (this._snapshot) {
      this._loadSnapshot();
    }
    this._schedule();
  }

  /** A review's series arrived: redraw their plots. */
  private _onResolved(keys: readonly string[]): void {
    for (const key of keys) {
      this._dirtyGroups.add(key.split('\u0000')[1].split('.', 1)[0]);
    }
    this._dirtyHead = true;
    this._schedule();
  }

  /** Every snapshot channel, in grid order (so plots fill in in order). */
  private _snapshotChannels(): SnapshotChannel[] {
    const all = (this._sources as SnapshotRun[]).flatMap(s => [
      ...s.channels.values()
    ]);
    const order = [...planGrid(all.map(refOf), this.runs).values()].flat();
    const byKey = new Map(all.map(c => [channelKey(c.run, c.name), c]));
    return order
      .map(m => byKey.get(channelKey(m.run, m.channel))!)
      .filter(c => c && !c.error);
  }

  /** Ask for every channel's series at the current rule. */
  private _loadSnapshot(): void {
    this._snapshot!.bins = this._plotBins();
    this._snapshot!.load(
      this._rule,
      this._snapshotChannels().map(c => c.request)
    );
    this._statusWhenIdle();
  }

  /** Drop "reading…" from the status once every request is answered. */
  private _statusWhenIdle(): void {
    void this._snapshot?.idle().then(() => {
      this._dirtyHead = true;
      this._schedule();
    });
  }

  /**
   * A review's plot was zoomed (or reset): read again, over the new
   * range, the channels whose whole-span series dropped detail there (or
   * all of them, `all`).
   */
  private _zoomSnapshot(cell: PlotCell, all = false): void {
    const channels = this._snapshotChannels().filter(c => {
      if (c.name.split('.', 1)[0] !== cell.group) {
        return false;
      }
      const whole = this._snapshot!.whole(channelKey(c.run, c.name));
      return all || whole?.rule !== this._rule || whole.result?.reduced;
    });
    this._snapshot!.bins = this._plotBins(cell.node.clientWidth);
    this._snapshot!.zoom(
      cell.group,
      this._rule,
      cell.xRange,
      channels.map(c => c.request)
    );
    this._statusWhenIdle();
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
    return Math.min(
      4096,
      Math.max(100, Math.ceil(css * (window.devicePixelRatio || 1)))
    );
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
        this._status.textContent = `drawing failed: ${(error as Error).message}`;
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
    const refs = this._sources.flatMap(source =>
      [...source.channels.values()].map(c =>
        refOf({ run: source.run, name: c.name, kind: c.kind })
      )
    );
    const plan = planGrid(refs, this.runs);
    for (const [group, cell] of this._cells) {
      if (!plan.has(group)) {
        cell.dispose();
        this._cells.delete(group);
      }
    }
    const renders: Promise<void>[] = [];
    for (const [group, members] of plan) {
      if (this._waiting(members)) {
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
      renders.push(cell.render(this._content(cell, members), this._theme));
    }
    await Promise.all(renders);
    if (renders.length > 0 && Number.isNaN(this.timings.firstPlotMs)) {
      this.timings.firstPlotMs = performance.now() - this._started;
    }
  }

  /** Some of a review plot's channels are still being read. */
  private _waiting(members: readonly IGridMember[]): boolean {
    return (
      !!this._snapshot &&
      members.some(m =>
        this._snapshot!.waiting(channelKey(m.run, m.channel), this._rule)
      )
    );
  }

  private _insertCell(cell: PlotCell, order: string[]): void {
    const index = order.indexOf(cell.group);
    const next = order
      .slice(index + 1)
      .map(g => this._cells.get(g)?.node)
      .find(node => node?.parentNode === this._grid);
    this._grid.insertBefore(cell.node, next ?? null);
  }

  private _onZoom(cell: PlotCell): void {
    if (this._snapshot) {
      this._zoomSnapshot(cell);
    }
    this._dirtyGroups.add(cell.group);
    this._schedule();
  }

  /** A group's entries at the current rule, and its channels' errors. */
  private _content(
    cell: PlotCell,
    members: readonly IGridMember[]
  ): ICellContent {
    const entries: IPlotEntry[] = [];
    const errors: string[] = [];
    const live: ICsvSeries[] = [];
    const snapshot: SnapshotChannel[] = [];
    let empty = 0;
    for (const member of members) {
      const source = this._sources.find(s => s.run === member.run)!;
      const channel = source.channels.get(member.channel)!;
      const where =
        this.runs.length > 1
          ? `${shortRunName(member.run)}: ${member.channel}`
          : member.channel;
      if (channel.error) {
        errors.push(`${where}: ${channel.error}`);
        continue;
      }
      let series: IChannelSeries | undefined;
      try {
        if (channel instanceof SnapshotChannel) {
          snapshot.push(channel);
          series = this._snapshotSeries(cell, member);
        } else {
          const data = (channel as ILivePlotChannel).data;
          if (data.length > 0) {
            live.push({ run: member.run, channel: member.channel, data });
            series = this._liveSeries(
              source,
              member,
              channel as ILivePlotChannel
            );
          }
        }
      } catch (error) {
        errors.push(`${where}: ${(error as Error).message}`);
        continue;
      }
      if (!series || series.x.length === 0) {
        empty++;
        continue;
      }
      entries.push({ ...member, series });
    }
    if (entries.length === 0 && errors.length === 0 && empty > 0) {
      errors.push('no rows yet');
    }
    const reader = this._snapshot;
    return {
      entries,
      errors,
      csv: async () =>
        reader && snapshot.length > 0
          ? reader.csv(snapshot.map(c => c.request))
          : new Blob(csvChunks(live), { type: 'text/csv' }),
      csvUrl: () =>
        reader && snapshot.length > 0
          ? reader.csvUrl(snapshot.map(c => c.request))
          : undefined,
      runs: this.runs
    };
  }

  /**
   * A review channel's series: the zoomed plot's own if it has them for
   * this view, else the whole span's (the last rule's while loading).
   *
   * @throws an Error with the reason it couldn't be resolved.
   */
  private _snapshotSeries(
    cell: PlotCell,
    member: IGridMember
  ): IChannelSeries | undefined {
    const key = channelKey(member.run, member.channel);
    const range = cell.xRange;
    const resolved =
      (range && this._snapshot!.zoomed(cell.group, key, this._rule, range)) ||
      this._snapshot!.whole(key);
    if (resolved?.error !== undefined) {
      throw new Error(resolved.error);
    }
    return resolved?.result?.series;
  }

  /** A live channel's series at the current rule, recomputed on change. */
  private _liveSeries(
    source: IPlotRun,
    member: IGridMember,
    channel: ILivePlotChannel
  ): IChannelSeries {
    const { version, data } = channel;
    const key = `${member.run}\u0000${member.channel}`;
    const cached = this._seriesCache.get(key);
    const nowS =
      this.live && source.createdMs !== undefined
        ? (Date.now() - source.createdMs) / 1000
        : undefined;
    if (
      cached &&
      cached.version === version &&
      cached.rule === this._rule &&
      (cached.rule === 'raw' || !this.live)
    ) {
      return cached.series;
    }
    const series = channelSeries(member.kind, data, this._rule, nowS);
    this._seriesCache.set(key, { version, rule: this._rule, series });
    return series;
  }

  private _renderHead(): void {
    if (!this._dirtyHead && this._cells.size > 0) {
      return;
    }
    this._dirtyHead = false;
    const notes: string[] = [];
    let channels = 0;
    for (const source of this._sources) {
      channels += source.channels.size;
      if (source.message) {
        notes.push(`${source.run}: ${source.message}`);
      } else if (source.channels.size === 0) {
        notes.push(
          this.runs.length > 1 ? `${source.run}: no stats yet` : 'no stats yet'
        );
      }
    }
    this._message.textContent = notes.join('\n');
    this._message.hidden = notes.length === 0;
    if (this.live) {
      // What each run is doing (a finished run is not "live").
      const badges = this._sources.map(s => runBadge((s as LiveRun).model));
      const label = summariseBadges(badges);
      this._mode.textContent = label;
      this._mode.dataset.badge = new Set(badges).size === 1 ? label : 'mixed';
    }
    const backlog = this.live
      ? this._backlog.note(this._liveRows(), Date.now())
      : '';
    this._status.textContent =
      `${channels} channel${channels === 1 ? '' : 's'}` +
      (this._snapshot?.busy ? ' · reading…' : '') +
      (backlog ? ` · ${backlog}` : '');
    this._renderParams();
  }

  /** Rows the live runs hold now (decoded, drawn or not). */
  private _liveRows(): number {
    let rows = 0;
    for (const source of this._sources) {
      for (const channel of source.channels.values()) {
        rows += (channel as ILivePlotChannel).data?.length ?? 0;
      }
    }
    return rows;
  }

  private _touchHead(): void {
    this._dirtyHead = true;
    this._schedule();
  }

  private _renderParams(): void {
    const table = differingParams(
      this._sources.map(s => ({ run: s.run, params: s.info.params }))
    );
    this._params.hidden = table.keys.length === 0;
    this._params.textContent = '';
    if (table.keys.length === 0) {
      return;
    }
    const colours = runColours(this.runs);
    const head = this._params.createTHead().insertRow();
    for (const text of ['run', ...table.keys]) {
      const th = document.createElement('th');
      th.textContent = text;
      head.appendChild(th);
    }
    const body = this._params.createTBody();
    for (const row of table.rows) {
      const tr = body.insertRow();
      const name = tr.insertCell();
      const swatch = document.createElement('span');
      swatch.className = 'jp-runwatch-swatch';
      swatch.style.background = colours.get(row.run) ?? '';
      name.append(swatch, shortRunName(row.run));
      name.title = row.run;
      for (const value of row.values) {
        tr.insertCell().textContent = value;
      }
    }
  }

  private readonly _sources: IPlotRun[];
  private readonly _snapshot: SnapshotSeries | undefined = undefined;
  private readonly _cells = new Map<string, PlotCell>();
  private readonly _seriesCache = new Map<
    string,
    { version: number; rule: PlotRule; series: IChannelSeries }
  >();
  private readonly _dirtyGroups = new Set<string>();
  private readonly _params: HTMLTableElement;
  private readonly _message: HTMLElement;
  private readonly _grid: HTMLElement;
  private _head!: HTMLElement;
  private _status!: HTMLElement;
  private _mode!: HTMLElement;
  private _ruleSelect!: HTMLSelectElement;
  private _pause!: HTMLButtonElement;
  private _plotly: IPlotly | undefined = undefined;
  private _theme: IPlotTheme;
  private _rule: PlotRule = DEFAULT_PLOT_RULE;
  private _paused = false;
  private readonly _backlog = new Backlog();
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

/** A channel as the grid plans it. */
function refOf(channel: { run: string; name: string; kind: string }) {
  return { run: channel.run, channel: channel.name, kind: channel.kind };
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('could not load a plot image'));
    image.src = url;
  });
}
