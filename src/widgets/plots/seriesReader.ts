/**
 * Where a review's series come from: requests to the review worker, which
 * streams the rows from the server and sends back bounded series; or the
 * same code on the main thread where there is no `Worker` (tests) or the
 * API isn't HTTP.
 */
import { PageConfig } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { IRunwatchAPI, RunwatchAPI } from '../../live';
import { WorkerReply, WorkerRequest } from './worker/protocol';
import {
  channelsCsv,
  IChannelRequest,
  IChannelResolved,
  ISeriesRequest,
  ReadChunks,
  resolveChannels
} from './worker/resolve';
import { RowCache } from './worker/rowCache';

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
  dispose(): void;
}

/** The worker for an HTTP API where workers exist, else the main thread. */
export function createSeriesReader(api: IRunwatchAPI): ISeriesReader {
  return typeof Worker !== 'undefined' && api instanceof RunwatchAPI
    ? new WorkerSeriesReader()
    : new InlineSeriesReader(api);
}

/** Requests answered on the main thread, through `IRunwatchAPI.readFile`. */
export class InlineSeriesReader implements ISeriesReader {
  constructor(private readonly _api: IRunwatchAPI) {}

  series(
    request: ISeriesRequest,
    onChannel: (resolved: IChannelResolved) => void
  ): IPendingRequest {
    let cancelled = false;
    const done = resolveChannels(
      request,
      this._read,
      resolved => {
        if (!cancelled && !this._disposed) {
          onChannel(resolved);
        }
      },
      () => cancelled || this._disposed,
      this._cache
    );
    return { done, cancel: () => (cancelled = true) };
  }

  async csv(channels: readonly IChannelRequest[]): Promise<Blob> {
    const chunks = await channelsCsv(
      channels,
      this._read,
      () => this._disposed,
      this._cache
    );
    return new Blob(chunks, { type: 'text/csv' });
  }

  dispose(): void {
    this._disposed = true;
  }

  /** One read per range: `readFile` answers whole. */
  private readonly _read: ReadChunks = (run, file, offset, length) =>
    readWhole(this._api, run, file, offset, length);

  private readonly _cache = new RowCache();
  private _disposed = false;
}

async function* readWhole(
  api: IRunwatchAPI,
  run: string,
  file: string,
  offset: number,
  length: number
): AsyncIterable<Uint8Array> {
  yield (await api.readFile(run, file, offset, length)).bytes;
}

/** Requests answered by the review worker (`worker/review.worker.ts`). */
export class WorkerSeriesReader implements ISeriesReader {
  series(
    request: ISeriesRequest,
    onChannel: (resolved: IChannelResolved) => void
  ): IPendingRequest {
    const id = this._nextId++;
    const done = this._send(
      { type: 'series', id, ...request },
      reply => {
        if (reply.type === 'channel') {
          onChannel(reply.resolved);
        }
      },
      message => {
        // The worker itself failed: every channel gets the reason.
        for (const { run, name } of request.channels) {
          onChannel({ run, name, error: message });
        }
      }
    );
    return {
      done,
      cancel: () => {
        if (this._pending.delete(id)) {
          this._worker?.postMessage({ type: 'cancel', id });
          this._settle.get(id)?.();
        }
      }
    };
  }

  async csv(channels: readonly IChannelRequest[]): Promise<Blob> {
    const id = this._nextId++;
    let blob: Blob | undefined;
    let failure: string | undefined;
    await this._send(
      { type: 'csv', id, channels },
      reply => {
        if (reply.type === 'csv') {
          blob = new Blob(reply.chunks as BlobPart[], { type: 'text/csv' });
        }
      },
      message => (failure = message)
    );
    if (!blob) {
      throw new Error(failure ?? 'the CSV export was cancelled');
    }
    return blob;
  }

  dispose(): void {
    this._disposed = true;
    this._worker?.terminate();
    this._worker = undefined;
    this._pending.clear();
    this._settle.forEach(settle => settle());
    this._settle.clear();
  }

  /** Send a request; settles on its `done` or `error`. */
  private _send(
    message: WorkerRequest & { id: number },
    onReply: (reply: WorkerReply) => void,
    onError: (message: string) => void
  ): Promise<void> {
    return new Promise<void>(resolve => {
      const settle = () => {
        this._pending.delete(message.id);
        this._settle.delete(message.id);
        resolve();
      };
      this._pending.set(message.id, reply => {
        if (reply.type === 'done') {
          settle();
        } else if (reply.type === 'error') {
          onError(reply.message);
          settle();
        } else {
          onReply(reply);
        }
      });
      this._settle.set(message.id, settle);
      void this._ensureWorker().then(
        worker => worker.postMessage(message),
        (error: Error) => {
          onError(`the review worker didn't start: ${error.message}`);
          settle();
        }
      );
    });
  }

  /** The worker, started on first use (its chunk loads then). */
  private _ensureWorker(): Promise<Worker> {
    if (!this._starting) {
      this._starting = import('./worker/spawn').then(
        ({ spawnReviewWorker }) => {
          if (this._disposed) {
            throw new Error('the plots were closed');
          }
          const worker = spawnReviewWorker();
          const settings = ServerConnection.makeSettings();
          const init: WorkerRequest = {
            type: 'init',
            baseUrl: new URL(settings.baseUrl, location.href).href,
            token: settings.token || PageConfig.getToken()
          };
          worker.postMessage(init);
          worker.onmessage = (event: MessageEvent<WorkerReply>) =>
            this._pending.get(event.data.id)?.(event.data);
          worker.onerror = event => {
            event.preventDefault();
            const reason = `the review worker failed: ${event.message || 'no reason'}`;
            for (const handle of [...this._pending.values()]) {
              handle({ type: 'error', id: -1, message: reason });
            }
            // The next request starts a fresh worker.
            worker.terminate();
            if (this._worker === worker) {
              this._worker = undefined;
              this._starting = undefined;
            }
          };
          this._worker = worker;
          return worker;
        }
      );
    }
    return this._starting;
  }

  private readonly _pending = new Map<number, (reply: WorkerReply) => void>();
  private readonly _settle = new Map<number, () => void>();
  private _worker: Worker | undefined = undefined;
  private _starting: Promise<Worker> | undefined = undefined;
  private _nextId = 1;
  private _disposed = false;
}
