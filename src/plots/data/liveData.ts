/**
 * A live view's data: each run followed through the watch socket (every
 * row decoded in the page), resolved at the rule on demand and cached
 * until the channel changes.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { IRunwatchAPI } from '../../client';
import { IWatchSource, RunModel, runBadge } from '../../runs';
import { splitChannel } from '../../store';
import { csvChunks, ICsvSeries } from '../series/csv';
import { IGridMember } from '../series/grid';
import { channelSeries, IChannelSeries, PlotRule } from '../series/series';
import { IPlotsData } from './plotsData';
import { ILivePlotChannel, LiveRun } from './sources';

export class LiveData implements IPlotsData {
  constructor(
    runs: readonly string[],
    api: IRunwatchAPI,
    socket: IWatchSource
  ) {
    this.sources = runs.map(
      run => new LiveRun(new RunModel({ run, api, socket }))
    );
    this.sources.forEach(source =>
      source.changed.connect((_, channels) =>
        this._changed.emit(channels.map(c => splitChannel(c).group))
      )
    );
    this.ready = Promise.all(this.sources.map(s => s.model.ready)).then(
      () => {}
    );
  }

  readonly live = true;
  readonly sources: readonly LiveRun[];
  readonly ready: Promise<void>;

  get changed(): ISignal<this, readonly string[]> {
    return this._changed;
  }

  get busy(): boolean {
    return false;
  }

  async idle(): Promise<void> {
    // Nothing is requested: the rows arrive as they are written.
  }

  setRule(): void {
    // Every rule is resolved from the rows held.
  }

  zoom(): void {
    // The rows are all here.
  }

  series(
    group: string,
    member: IGridMember,
    rule: PlotRule
  ): IChannelSeries | undefined {
    const source = this.sources.find(s => s.run === member.run)!;
    // A channel's error is the widget's to show (every source flags it).
    const channel = source.channels.get(member.channel)!;
    if (channel.data.length === 0) {
      return undefined;
    }
    const { version, data } = channel;
    const key = `${member.run}\u0000${member.channel}`;
    const cached = this._cache.get(key);
    // A bucketed series of a live run moves with the clock (its filling
    // bucket): only raw series are reused while the rows stay the same.
    if (cached?.version === version && cached.rule === rule && rule === 'raw') {
      return cached.series;
    }
    const nowS =
      source.createdMs !== undefined
        ? (Date.now() - source.createdMs) / 1000
        : undefined;
    const series = channelSeries(member.kind, data, rule, nowS);
    this._cache.set(key, { version, rule, series });
    return series;
  }

  waiting(): boolean {
    return false;
  }

  async csv(members: readonly IGridMember[]): Promise<Blob> {
    const series: ICsvSeries[] = members.flatMap(m => {
      const channel = this._channel(m);
      return channel && !channel.error && channel.data.length > 0
        ? [{ run: m.run, channel: m.channel, kind: m.kind, data: channel.data }]
        : [];
    });
    return new Blob(csvChunks(series), { type: 'text/csv' });
  }

  csvUrl(): undefined {
    return undefined;
  }

  rowsHeld(): number {
    let rows = 0;
    for (const source of this.sources) {
      for (const channel of source.channels.values()) {
        rows += channel.data.length;
      }
    }
    return rows;
  }

  badges(): readonly string[] {
    return this.sources.map(s => runBadge(s.model));
  }

  dispose(): void {
    this.sources.forEach(source => source.dispose());
    Signal.clearData(this);
  }

  private _channel(member: IGridMember): ILivePlotChannel | undefined {
    return this.sources
      .find(s => s.run === member.run)
      ?.channels.get(member.channel);
  }

  private readonly _changed = new Signal<this, readonly string[]>(this);
  private readonly _cache = new Map<
    string,
    { version: number; rule: PlotRule; series: IChannelSeries }
  >();
}
