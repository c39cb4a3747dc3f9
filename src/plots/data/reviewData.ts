/**
 * A review's data: the runs as listed once, and their series as the reader
 * (the server) reduces them per rule, range and pixel width.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { IRunwatchAPI } from '../../client';
import { splitChannel } from '../../store';
import { IGridMember, planGrid } from '../series/grid';
import { IChannelSeries, PlotRule } from '../series/series';
import { IPlotsData, IPlotView } from './plotsData';
import { createSeriesReader } from './seriesReader';
import { channelKey, SnapshotSeries } from './snapshotSeries';
import { ISeriesReader } from '../protocol';
import { ISnapshotSource, SnapshotChannel, SnapshotRun } from './sources';
import { IInView, splitInView } from './inViewFirst';

/** What a review reads instead of its runs: e.g. groups of them. */
export interface IReviewSources {
  /** One per name of `runs`, in that order. */
  readonly sources: readonly ISnapshotSource[];
  /** How their series are read (by default, as runs: from the server). */
  readonly reader?: ISeriesReader;
  /** The sources are the caller's: they outlive the review. */
  readonly borrowed?: boolean;
}

export class ReviewData implements IPlotsData {
  /**
   * @param bins - the pixels across a plot now: what a whole-span series
   *   is reduced to when it is asked for.
   * @param x - the channel x is (a step or counter); none: time.
   * @param inView - the plots in view, loaded first (none: all at once).
   */
  constructor(
    runs: readonly string[],
    api: IRunwatchAPI,
    private _rule: PlotRule,
    private readonly _bins: () => number,
    given?: IReviewSources,
    x?: string,
    private readonly _inView?: IInView
  ) {
    this._runs = runs;
    this._series = new SnapshotSeries(
      given?.reader ?? createSeriesReader(api),
      keys =>
        this._changed.emit(keys.map(key => groupOf(key.split('\u0000')[1])))
    );
    this._series.reset(x);
    this.sources = given?.sources ?? runs.map(run => new SnapshotRun(run, api));
    this._ownsSources = !given?.borrowed;
    // Connected with `this`, so disposing the review disconnects it from
    // sources it borrowed (which outlive it).
    this.sources.forEach(source =>
      source.changed.connect(this._onSourceChanged, this)
    );
    // One request for every run's channels once all are listed: in grid
    // order, so each plot's channels of every run come early (a request
    // per run as each listing came in filled every plot at the end).
    this.ready = Promise.all(this.sources.map(s => s.ready)).then(() => {
      this._listed = true;
      this._load();
    });
  }

  readonly live = false;
  readonly sources: readonly ISnapshotSource[];
  readonly ready: Promise<void>;

  get changed(): ISignal<this, readonly string[]> {
    return this._changed;
  }

  get busy(): boolean {
    return this._series.busy || this._staged !== undefined;
  }

  async idle(): Promise<void> {
    while (this._staged) {
      await this._staged;
    }
    await this._series.idle();
  }

  setRule(rule: PlotRule, zoomed: readonly IPlotView[]): void {
    this._rule = rule;
    this._load();
    // Whether the new rule's whole span drops detail isn't known yet.
    zoomed.forEach(view => this._zoom(view, rule, true));
  }

  setShareBands(share: boolean, zoomed: readonly IPlotView[]): void {
    if (share === this._series.shareBands) {
      return;
    }
    this._series.shareBands = share;
    if (!share) {
      this._load();
      zoomed.forEach(view => this._zoom(view, this._rule, true));
    }
  }

  /** The channel x is (none: time). */
  get x(): string | undefined {
    return this._series.x;
  }

  /**
   * Draw against `x` (a step or counter; none: time): every series is read
   * again, zooms dropped (their ranges were in the old x's units).
   */
  setX(x: string | undefined): void {
    if (x !== this._series.x) {
      this._series.reset(x);
      this._load();
    }
  }

  zoom(view: IPlotView, rule: PlotRule): void {
    this._zoom(view, rule, false);
  }

  series(
    group: string,
    member: IGridMember,
    rule: PlotRule,
    range: readonly [number, number] | undefined
  ): IChannelSeries | undefined {
    const key = channelKey(member.run, member.channel);
    const resolved =
      (range && this._series.zoomed(group, key, rule, range)) ||
      this._series.whole(key);
    if (resolved?.error !== undefined) {
      throw new Error(resolved.error);
    }
    return resolved?.result?.series;
  }

  waiting(members: readonly IGridMember[], rule: PlotRule): boolean {
    return members.some(m => {
      const key = channelKey(m.run, m.channel);
      return (
        (rule === this._rule && this._deferred.has(key)) ||
        this._series.waiting(key, rule)
      );
    });
  }

  csv(members: readonly IGridMember[]): Promise<Blob> {
    return this._series.csv(this._requests(members));
  }

  csvUrl(members: readonly IGridMember[]): string | undefined {
    return this._series.csvUrl(this._requests(members));
  }

  rowsHeld(): number {
    return 0;
  }

  badges(): readonly string[] {
    return [];
  }

  dispose(): void {
    this._disposed = true;
    if (this._ownsSources) {
      this.sources.forEach(source => source.dispose());
    }
    this._series.dispose();
    Signal.clearData(this);
  }

  private _onSourceChanged(_: unknown, channels: readonly string[]): void {
    if (this._listed) {
      this._load();
    }
    this._changed.emit(channels.map(groupOf));
  }

  /**
   * Ask for every channel's series at the rule (those not in already): the
   * plots in view first, the rest once those are painted.
   */
  private _load(): void {
    this._series.bins = this._bins();
    const load = ++this._loads;
    const rule = this._rule;
    const channels = this._channels();
    if (!this._inView) {
      this._series.load(
        rule,
        channels.map(c => c.request)
      );
    } else {
      // Until asked for, the channels wait as if asked: no plot is drawn
      // without its series.
      this._deferred = new Set(
        channels
          .map(c => channelKey(c.run, c.name))
          .filter(key => this._series.whole(key)?.rule !== rule)
      );
      this._staged = this._loadInViewFirst(load, rule, channels);
    }
    void this.idle().then(() => this._changed.emit([]));
  }

  /**
   * The channels of the plots in view, then, once those are drawn and
   * painted, the rest; a later load supersedes what is left of this one.
   */
  private async _loadInViewFirst(
    load: number,
    rule: PlotRule,
    channels: readonly SnapshotChannel[]
  ): Promise<void> {
    const current = () => load === this._loads && !this._disposed;
    const ask = (some: readonly SnapshotChannel[]) => {
      this._series.load(
        rule,
        some.map(c => c.request)
      );
      some.forEach(c => this._deferred.delete(channelKey(c.run, c.name)));
    };
    try {
      const view = this._inView!;
      const [first, rest] = splitInView(
        channels,
        await view.plots(),
        view.minLater
      );
      if (!current()) {
        return;
      }
      ask(first);
      if (rest.length > 0) {
        await this._series.idle();
        if (current()) {
          ask(rest);
        }
      }
    } finally {
      if (load === this._loads) {
        this._staged = undefined;
        this._deferred.clear();
      }
    }
  }

  /**
   * Read a zoomed plot's channels again over its range: those whose
   * whole-span series dropped detail there (or all of them, `all`).
   */
  private _zoom(view: IPlotView, rule: PlotRule, all: boolean): void {
    const channels = this._channels().filter(c => {
      if (groupOf(c.name) !== view.group) {
        return false;
      }
      const whole = this._series.whole(channelKey(c.run, c.name));
      return all || whole?.rule !== rule || whole.result?.reduced;
    });
    this._series.zoom(
      view.group,
      rule,
      view.range,
      channels.map(c => c.request),
      view.bins
    );
    void this._series.idle().then(() => this._changed.emit([]));
  }

  /**
   * Every readable channel, in grid order (so plots fill in in order); on
   * a counter x, only the runs that log it (the others are left out).
   */
  private _channels(): SnapshotChannel[] {
    const x = this._series.x;
    const all = this.sources
      .filter(s => x === undefined || s.channels.has(x))
      .flatMap(s => [...s.channels.values()]);
    const refs = all.map(c => ({ run: c.run, channel: c.name, kind: c.kind }));
    const order = [...planGrid(refs, this._runs).values()].flat();
    const byKey = new Map(all.map(c => [channelKey(c.run, c.name), c]));
    return order
      .map(m => byKey.get(channelKey(m.run, m.channel))!)
      .filter(c => c && !c.error);
  }

  private _requests(members: readonly IGridMember[]) {
    return members
      .map(m =>
        this.sources.find(s => s.run === m.run)?.channels.get(m.channel)
      )
      .filter((c): c is SnapshotChannel => !!c && !c.error)
      .map(c => c.request);
  }

  private readonly _runs: readonly string[];
  private readonly _ownsSources: boolean;
  private readonly _series: SnapshotSeries;
  private _listed = false;
  private _disposed = false;
  /** Loads asked for so far: a later one supersedes the rest of an earlier. */
  private _loads = 0;
  /** A load of the plots in view first, under way. */
  private _staged: Promise<void> | undefined = undefined;
  /** The channels of that load not asked for yet. */
  private _deferred = new Set<string>();
  private readonly _changed = new Signal<this, readonly string[]>(this);
}

function groupOf(channel: string): string {
  return splitChannel(channel).group;
}
