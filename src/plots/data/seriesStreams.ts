/**
 * The streamed requests of one series read: every batch opened at once, at
 * the browser's low fetch priority for a whole span and high for a zoom,
 * each delivering its frames as they come. Shared by the review's reader
 * (`runs/<run>/series`) and the grouped one (`group`).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { API_PATH } from '../../client';
import { errorMessage } from '../../client/errorMessage';
import {
  IChannelResolved,
  IPendingRequest,
  ISeriesFrame,
  ISeriesRequest
} from '../protocol';
import { inParallel } from './inParallel';
import { SeriesFrameDecoder } from './seriesFrames';

/**
 * Opens a streamed GET of `path` (under `runwatch/api/`), at the browser's
 * fetch `priority` (its default when not given).
 */
export type OpenStream = (
  path: string,
  signal: AbortSignal,
  priority?: RequestPriority
) => Promise<Response>;

/**
 * Requests opened at once (a glob of 32 runs opens all its requests). The
 * browser queues them on its connections by priority and keeps fetching while
 * the page draws: with 4 open, the next one was opened only once the page had
 * read the last, so fetching stalled behind every draw. Far under what a page
 * may have pending in Chromium.
 */
export const OPEN_REQUESTS = 128;

/**
 * How urgent a series request is to the browser's network stack: a zoom is
 * waited on (high); a review's whole-span series are many requests opened
 * at once (low), so JupyterLab's own requests go first meanwhile.
 */
export function seriesPriority(request: ISeriesRequest): RequestPriority {
  return request.range ? 'high' : 'low';
}

/** A channel asked for: of a run (or a group, for grouped series). */
export interface IAskedChannel {
  readonly run: string;
  readonly name: string;
}

/**
 * One streamed request's frames, each resolved and delivered as it comes;
 * then every asked channel the server left unanswered (or that the failure
 * cut off) gets its error, so no plot waits forever. Frames of channels not
 * asked for are ignored; nothing is delivered once `signal` is aborted.
 */
export async function streamFrames(
  open: OpenStream,
  path: string,
  signal: AbortSignal,
  asked: readonly IAskedChannel[],
  resolve: (frame: ISeriesFrame) => IChannelResolved,
  deliver: (resolved: IChannelResolved) => void
): Promise<void> {
  const key = (run: string, name: string) => `${run}\u0000${name}`;
  const wanted = new Set(asked.map(a => key(a.run, a.name)));
  const answered = new Set<string>();
  let failure = 'the server sent no series';
  try {
    const response = await open(path, signal);
    const decoder = new SeriesFrameDecoder();
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      for (const frame of decoder.push(value)) {
        const resolved = resolve(frame);
        const at = key(resolved.run, resolved.name);
        if (wanted.has(at) && !answered.has(at)) {
          answered.add(at);
          deliver(resolved);
        }
      }
    }
  } catch (error) {
    if (signal.aborted) {
      return;
    }
    failure = (error as Error).message;
  }
  for (const { run, name } of asked) {
    if (!answered.has(key(run, name))) {
      deliver({ run, name, error: failure });
    }
  }
}

/** One request of a read: its path and how its frames become series. */
export interface IStreamBatch {
  /** The channels asked for: each gets a frame or an error. */
  readonly asked: readonly IAskedChannel[];
  /** Under `runwatch/api/`, with its query. */
  readonly path: string;
  readonly resolve: (frame: ISeriesFrame) => IChannelResolved;
}

/**
 * Opens reads' requests; cancelling a read, or disposing, aborts its
 * requests, and nothing is delivered after either.
 */
export class SeriesStreams {
  constructor(private readonly _open: OpenStream = openStream) {}

  read(
    request: ISeriesRequest,
    batches: readonly IStreamBatch[],
    onChannel: (resolved: IChannelResolved) => void
  ): IPendingRequest {
    const abort = new AbortController();
    const deliver = (resolved: IChannelResolved) => {
      if (!abort.signal.aborted && !this._disposed) {
        onChannel(resolved);
      }
    };
    const priority = seriesPriority(request);
    const open: OpenStream = (path, signal) =>
      this._open(path, signal, priority);
    const done = inParallel(batches, OPEN_REQUESTS, batch =>
      streamFrames(
        open,
        batch.path,
        abort.signal,
        batch.asked,
        batch.resolve,
        deliver
      )
    );
    this._aborts.add(abort);
    return {
      done: done.finally(() => this._aborts.delete(abort)),
      cancel: () => abort.abort()
    };
  }

  dispose(): void {
    this._disposed = true;
    this._aborts.forEach(abort => abort.abort());
    this._aborts.clear();
  }

  private readonly _aborts = new Set<AbortController>();
  private _disposed = false;
}

/** A streamed GET under `runwatch/api/`, with Jupyter's auth; throws the server's message. */
export async function openStream(
  path: string,
  signal: AbortSignal,
  priority?: RequestPriority
): Promise<Response> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, API_PATH, path);
  // Not JupyterLab's default `no-store` (which also busts the URL): the
  // answers carry ETags, so a finished run's series asked again is a
  // `304` without a body, from the browser's cache.
  const response = await ServerConnection.makeRequest(
    url,
    { signal, cache: 'no-cache', ...(priority ? { priority } : {}) },
    settings
  );
  if (!response.ok) {
    throw new Error(await errorMessage(response));
  }
  return response;
}
