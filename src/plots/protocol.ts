/**
 * Every type that crosses between the plots' data sources and the server:
 * what is asked for (channels, rule, range, pixels), what comes back (a
 * reduced series per channel, or its error), and the server's series frame
 * header (docs/server-api.md). Below everything else of the plots.
 */
import type { IChannelSeries, PlotRule } from './series/series';

/** One channel of one run to read: its files in N order. */
export interface IChannelRequest {
  readonly run: string;
  /** The run's `_created` in ns since the epoch, as a decimal string. */
  readonly originNs: string;
  readonly name: string;
  readonly kind: string;
  /** The files and their sizes when listed: rows past that aren't read. */
  readonly files: readonly { readonly name: string; readonly size: number }[];
}

/** A series request: these channels at `rule`, reduced over `range`. */
export interface ISeriesRequest {
  readonly channels: readonly IChannelRequest[];
  readonly rule: PlotRule;
  /** The x range to keep detail for; the whole series if absent. */
  readonly range?: readonly [number, number];
  readonly bins: number;
  /**
   * The channel x is (a step or counter; `range` is then in its units);
   * the time since the run started if absent.
   */
  readonly x?: string;
  /**
   * Whether a request of more than `MAX_RUN_BANDS` runs may have their
   * bands folded into one by the server (`band=shared`): what a plot of
   * that many runs draws, unless some of them are hidden.
   */
  readonly shareBands?: boolean;
}

/** One channel resolved, or why not. */
export interface IChannelResolved {
  readonly run: string;
  readonly name: string;
  readonly result?: IReducedSeries;
  readonly error?: string;
}

/** A series ready to send: reduced to `bins`, or whole. */
export interface IReducedSeries {
  readonly series: IChannelSeries;
  /** Points inside the range were dropped: a zoom there asks again. */
  readonly reduced: boolean;
}

/** A request under way. */
export interface IPendingRequest {
  /** Settles when every channel has been answered (or it was cancelled). */
  readonly done: Promise<void>;
  /** Stop it: no more answers come. */
  cancel(): void;
}

/** Reads channels' rows and answers with series or CSV. */
export interface ISeriesReader {
  series(
    request: ISeriesRequest,
    onChannel: (resolved: IChannelResolved) => void
  ): IPendingRequest;
  /** Every row of the channels as a CSV `Blob`. */
  csv(channels: readonly IChannelRequest[]): Promise<Blob>;
  /**
   * Where the server streams that CSV as a download, when it can (the rows
   * then never pass through the page's memory).
   */
  csvUrl?(channels: readonly IChannelRequest[]): string | undefined;
  dispose(): void;
}

/** What the server says about one channel. */
export interface ISeriesFrameHeader {
  readonly channel: string;
  readonly kind: string;
  /** Rows in the channel. */
  readonly rows: number;
  /** Rows inside the range were dropped (a zoom would show more). */
  readonly reduced: boolean;
  readonly x0: number;
  readonly x1: number;
  /** `[name, length]` of each array, in the order they follow. */
  readonly arrays: readonly (readonly [string, number])[];
  /** The arrays sent narrower than float64, exactly (absent: none). */
  readonly packed?: Readonly<Record<string, PackedArray>>;
  readonly error: string | null;
  /** The frame's run, in an answer about several runs (`GET series`). */
  readonly run?: string;
  /**
   * `shared` (`GET series?band=shared`): a run's frame whose band is left
   * out, or, with no `run`, the channel's runs' bands folded into one.
   */
  readonly band?: 'shared';
}

/**
 * How an array crosses narrower than float64 and still decodes to the same
 * values: `['f4']` float32; `['u2' | 'u4', from, step]` unsigned steps `k`,
 * each value `from + k * step` in float64.
 */
export type PackedArray =
  readonly ['f4'] | readonly ['u2' | 'u4', number, number];

/** One channel's frame: its header and its arrays by name. */
export interface ISeriesFrame {
  readonly header: ISeriesFrameHeader;
  readonly arrays: Record<string, Float64Array>;
}
