/**
 * Where a review's series come from: requests to the review worker, which
 * streams the rows from the server and sends back bounded series; or the
 * same code on the main thread where there is no `Worker` (tests) or the
 * API isn't HTTP.
 */
import { PageConfig } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { IRunwatchAPI, RunwatchAPI } from '../../client';
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
import { ServerSeriesReader } from './serverSeriesReader';

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

/**
 * The server's reduction for the HTTP API (it reads and reduces where the
 * bytes are), else the rows read and reduced on the main thread (tests).
 */
export function createSeriesReader(api: IRunwatchAPI): ISeriesReader {
  // The server's series endpoint is being built: until it lands, the worker.
  void ServerSeriesReader;
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

/**
 * The page's one review worker, shared by every open review: one row
 * cache and one budget however many reviews a notebook shows. Started on
 * first use (its chunk loads then), stopped when the last review closes.
 */
class WorkerConnection {
  /** The shared connection, counting one more user. */
  static acquire(): WorkerConnection {
    WorkerConnection._shared ??= new WorkerConnection();
    WorkerConnection._shared._users++;
    return WorkerConnection._shared;
  }

  /** One user fewer; the last one stops the worker. */
  release(): void {
    if (--this._users > 0) {
      return;
    }
    this._worker?.terminate();
    this._worker = undefined;
    this._starting = undefined;
    if (WorkerConnection._shared === this) {
      WorkerConnection._shared = undefined;
    }
  }

  nextId(): number {
    return this._nextId++;
  }

  /** Send request `message.id`; `onReply` gets its replies until forgotten. */
  send(
    message: WorkerRequest & { id: number },
    onReply: (reply: WorkerReply) => void
  ): void {
    this._handlers.set(message.id, onReply);
    void this._ensureWorker().then(
      worker => worker.postMessage(message),
      (error: Error) =>
        onReply({
          type: 'error',
          id: message.id,
          message: `the review worker didn't start: ${error.message}`
        })
    );
  }

  /** Stop routing replies of `id`, and tell the worker to stop it. */
  cancel(id: number): void {
    if (this._handlers.delete(id)) {
      this._worker?.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
    }
  }

  /** Stop routing replies of `id` (it is answered). */
  forget(id: number): void {
    this._handlers.delete(id);
  }

  private _ensureWorker(): Promise<Worker> {
    if (!this._starting) {
      this._starting = import('./worker/spawn').then(
        ({ spawnReviewWorker }) => {
          if (this._users === 0) {
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
            this._handlers.get(event.data.id)?.(event.data);
          worker.onerror = event => {
            event.preventDefault();
            const message = `the review worker failed: ${event.message || 'no reason'}`;
            for (const [id, handle] of [...this._handlers]) {
              handle({ type: 'error', id, message });
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

  private static _shared: WorkerConnection | undefined = undefined;
  private readonly _handlers = new Map<number, (reply: WorkerReply) => void>();
  private _worker: Worker | undefined = undefined;
  private _starting: Promise<Worker> | undefined = undefined;
  private _users = 0;
  private _nextId = 1;
}

/** Requests answered by the review worker (`worker/review.worker.ts`). */
export class WorkerSeriesReader implements ISeriesReader {
  series(
    request: ISeriesRequest,
    onChannel: (resolved: IChannelResolved) => void
  ): IPendingRequest {
    const id = this._connection.nextId();
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
    return { done, cancel: () => this._cancel(id) };
  }

  async csv(channels: readonly IChannelRequest[]): Promise<Blob> {
    const id = this._connection.nextId();
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
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    [...this._settle.keys()].forEach(id => this._cancel(id));
    this._connection.release();
  }

  /** Stop request `id`: no more answers, and it settles. */
  private _cancel(id: number): void {
    this._connection.cancel(id);
    this._settle.get(id)?.();
  }

  /** Send a request; settles on its `done` or `error`. */
  private _send(
    message: WorkerRequest & { id: number },
    onReply: (reply: WorkerReply) => void,
    onError: (message: string) => void
  ): Promise<void> {
    return new Promise<void>(resolve => {
      const settle = () => {
        this._connection.forget(message.id);
        this._settle.delete(message.id);
        resolve();
      };
      this._settle.set(message.id, settle);
      this._connection.send(message, reply => {
        if (reply.type === 'done') {
          settle();
        } else if (reply.type === 'error') {
          onError(reply.message);
          settle();
        } else {
          onReply(reply);
        }
      });
    });
  }

  private readonly _connection = WorkerConnection.acquire();
  private readonly _settle = new Map<number, () => void>();
  private _disposed = false;
}
