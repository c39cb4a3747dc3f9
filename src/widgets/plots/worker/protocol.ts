/** Messages between `SnapshotRun` and the review worker. */
import { PlotRule } from '../series';
import { IChannelRequest, IChannelResult } from './load';

/** Main thread → worker: read a run's channels. */
export interface ILoadMessage {
  readonly type: 'load';
  /** The server's base URL (absolute, ending in `/`). */
  readonly baseUrl: string;
  /** The server's token, or `''` (cookie auth). */
  readonly token: string;
  readonly run: string;
  /** `_created` in ns since the epoch, as a decimal string. */
  readonly originNs: string;
  readonly channels: readonly IChannelRequest[];
  readonly rule?: PlotRule;
}

/** Worker → main thread: one channel read, then `done`. */
export type WorkerReply =
  | { readonly type: 'channel'; readonly result: IChannelResult }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string };
