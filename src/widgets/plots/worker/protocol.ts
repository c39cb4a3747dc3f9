/** Messages between `WorkerSeriesReader` and the review worker. */
import { IChannelRequest, IChannelResolved, ISeriesRequest } from './resolve';

/** Main thread → worker. */
export type WorkerRequest =
  | {
      readonly type: 'init';
      /** The server's base URL (absolute, ending in `/`). */
      readonly baseUrl: string;
      /** The server's token, or `''` (cookie auth). */
      readonly token: string;
    }
  | ({ readonly type: 'series'; readonly id: number } & ISeriesRequest)
  | {
      readonly type: 'csv';
      readonly id: number;
      readonly channels: readonly IChannelRequest[];
    }
  | { readonly type: 'cancel'; readonly id: number };

/** Worker → main thread: results of request `id`, then `done` or `error`. */
export type WorkerReply =
  | {
      readonly type: 'channel';
      readonly id: number;
      readonly resolved: IChannelResolved;
    }
  | { readonly type: 'csv'; readonly id: number; readonly chunks: Uint8Array[] }
  | { readonly type: 'done'; readonly id: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
