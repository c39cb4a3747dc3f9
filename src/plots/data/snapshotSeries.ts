/**
 * A review's series, as the reader sends them: every channel at the
 * current rule over its whole span, and, per zoomed plot, its channels
 * again over the zoomed range when the whole-span series had to drop
 * detail there. Each kind of request supersedes the one before it.
 */
import { IReducedSeries } from '../protocol';
import { RESOLVE_BINS } from '../series/reduce';
import { PlotRule } from '../series/series';
import { IPendingRequest, ISeriesReader } from '../protocol';
import { IChannelRequest, IChannelResolved } from '../protocol';

/** A channel's series, or why it can't be resolved, at a rule. */
export interface IResolvedAt {
  readonly rule: PlotRule;
  readonly result?: IReducedSeries;
  readonly error?: string;
}

/** Identifies a channel of a run. */
export function channelKey(run: string, channel: string): string {
  return `${run}\u0000${channel}`;
}

export class SnapshotSeries {
  /**
   * @param onResolved - called with the keys of channels whose series
   *   arrived (the whole-span ones, or a zoom's).
   */
  constructor(
    private readonly _reader: ISeriesReader,
    private readonly _onResolved: (keys: readonly string[]) => void
  ) {}

  /**
   * Pixel columns a series is reduced to: the plots' width, so the server
   * sends what the pixels need.
   */
  bins = RESOLVE_BINS;

  /**
   * Whether requests may have their runs' bands folded into one by the
   * server (`ISeriesRequest.shareBands`). Once not, a whole-span series
   * that came with only the fold is asked for again, with its own band.
   */
  shareBands = true;

  /** The channel x is (none: time); set through `reset`. */
  get x(): string | undefined {
    return this._x;
  }

  /**
   * Forget every series and cancel every request: the next `load` reads
   * them all again, against `x` (a step or counter; none: time).
   */
  reset(x: string | undefined): void {
    this._pending.forEach(p => p.cancel());
    this._pending.clear();
    this._whole.clear();
    this._waiting.clear();
    this._zooms.clear();
    this._wholeRequest = undefined;
    this._wanted = undefined;
    this._x = x;
  }

  /** Requests not yet answered in full. */
  get busy(): boolean {
    return this._pending.size > 0;
  }

  /** Settles once no request is under way. */
  async idle(): Promise<void> {
    while (this._pending.size > 0) {
      await Promise.all([...this._pending].map(p => p.done));
    }
  }

  /**
   * A channel's whole-span series at `rule`, or the last one at another
   * rule while that loads, or `undefined` before any arrived.
   */
  whole(key: string): IResolvedAt | undefined {
    return this._whole.get(key);
  }

  /** The channel is waiting for its series at `rule`. */
  waiting(key: string, rule: PlotRule): boolean {
    return this._wanted === rule && this._waiting.has(key);
  }

  /** A zoomed plot's series for a channel, if it has them for this view. */
  zoomed(
    group: string,
    key: string,
    rule: PlotRule,
    range: readonly [number, number]
  ): IResolvedAt | undefined {
    const zoom = this._zooms.get(group);
    return zoom &&
      zoom.rule === rule &&
      zoom.range[0] === range[0] &&
      zoom.range[1] === range[1]
      ? zoom.resolved.get(key)
      : undefined;
  }

  /**
   * Read `channels` at `rule` over their whole span. A new rule cancels
   * the last request at another rule; channels already resolved at this
   * rule are not read again.
   */
  load(rule: PlotRule, channels: readonly IChannelRequest[]): void {
    if (rule !== this._wanted) {
      this._wholeRequest?.forEach(r => r.cancel());
      this._wholeRequest = [];
      this._waiting.clear();
      this._wanted = rule;
    }
    const todo = channels.filter(c => {
      const key = channelKey(c.run, c.name);
      const whole = this._whole.get(key);
      return (
        !this._waiting.has(key) &&
        (whole?.rule !== rule ||
          (!this.shareBands && !!whole.result?.series.sharedBand))
      );
    });
    if (todo.length === 0) {
      return;
    }
    todo.forEach(c => this._waiting.add(channelKey(c.run, c.name)));
    const request = this._track(
      this._reader.series(
        {
          channels: todo,
          rule,
          bins: this.bins,
          shareBands: this.shareBands,
          ...this._xRequest()
        },
        resolved => {
          const key = channelKey(resolved.run, resolved.name);
          this._waiting.delete(key);
          this._whole.set(key, at(rule, resolved));
          this._onResolved([key]);
        }
      )
    );
    this._wholeRequest = [...(this._wholeRequest ?? []), request];
  }

  /**
   * Read a plot's `channels` again over `range` at `rule`, replacing its
   * last zoom; `range` undefined just drops it (back to the whole span).
   */
  zoom(
    group: string,
    rule: PlotRule,
    range: readonly [number, number] | undefined,
    channels: readonly IChannelRequest[],
    bins: number = this.bins
  ): void {
    const last = this._zooms.get(group);
    last?.request?.cancel();
    this._zooms.delete(group);
    if (!range || channels.length === 0) {
      return;
    }
    const zoom = {
      rule,
      range: [range[0], range[1]] as const,
      resolved: new Map<string, IResolvedAt>(),
      request: undefined as IPendingRequest | undefined
    };
    this._zooms.set(group, zoom);
    zoom.request = this._track(
      this._reader.series(
        {
          channels,
          rule,
          range: zoom.range,
          bins,
          shareBands: this.shareBands,
          ...this._xRequest()
        },
        resolved => {
          const key = channelKey(resolved.run, resolved.name);
          zoom.resolved.set(key, at(rule, resolved));
          this._onResolved([key]);
        }
      )
    );
  }

  /** Every row of `channels` as CSV (read again for it). */
  csv(channels: readonly IChannelRequest[]): Promise<Blob> {
    return this._reader.csv(channels);
  }

  /** Where the server streams that CSV as a download, if it can. */
  csvUrl(channels: readonly IChannelRequest[]): string | undefined {
    return this._reader.csvUrl?.(channels);
  }

  dispose(): void {
    this._pending.forEach(p => p.cancel());
    this._pending.clear();
    this._reader.dispose();
  }

  private _xRequest(): { x?: string } {
    return this._x === undefined ? {} : { x: this._x };
  }

  /** Keep `request` in `_pending` until it settles. */
  private _track(request: IPendingRequest): IPendingRequest {
    const tracked: IPendingRequest = {
      done: request.done.finally(() => this._pending.delete(tracked)),
      cancel: () => {
        request.cancel();
        this._pending.delete(tracked);
      }
    };
    this._pending.add(tracked);
    return tracked;
  }

  private readonly _whole = new Map<string, IResolvedAt>();
  private readonly _waiting = new Set<string>();
  private readonly _zooms = new Map<
    string,
    {
      rule: PlotRule;
      range: readonly [number, number];
      resolved: Map<string, IResolvedAt>;
      request: IPendingRequest | undefined;
    }
  >();
  private readonly _pending = new Set<IPendingRequest>();
  private _wholeRequest: IPendingRequest[] | undefined = undefined;
  private _wanted: PlotRule | undefined = undefined;
  private _x: string | undefined = undefined;
}

function at(rule: PlotRule, resolved: IChannelResolved): IResolvedAt {
  return { rule, result: resolved.result, error: resolved.error };
}
