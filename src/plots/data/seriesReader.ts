/**
 * Where a review's series come from: the server, which reduces where the
 * bytes are; or, for an API that is not the server's (tests), the rows
 * read and reduced in the page.
 */
import { IRunwatchAPI, RunwatchAPI } from '../../client';
import {
  IChannelRequest,
  IChannelResolved,
  IPendingRequest,
  ISeriesReader,
  ISeriesRequest
} from '../protocol';
import { ServerSeriesReader } from './serverSeriesReader';
import { channelsCsv, ReadChunks, resolveChannels } from './rowsInPage';

/**
 * The server's reduction for the HTTP API (it reads and reduces where the
 * bytes are), else the rows read and reduced on the main thread (tests).
 */
export function createSeriesReader(api: IRunwatchAPI): ISeriesReader {
  return api instanceof RunwatchAPI
    ? new ServerSeriesReader()
    : new InlineSeriesReader(api);
}

/** Requests answered on the main thread, through `IRunwatchAPI.readFile`. */
export class InlineSeriesReader implements ISeriesReader {
  constructor(private readonly _api: IRunwatchAPI) {}

  series(
    request: ISeriesRequest,
    onChannel: (resolved: IChannelResolved) => void
  ): IPendingRequest {
    if (request.x !== undefined) {
      // Mapping onto an x channel is the server's (runwatch/server/lod/xmap.py).
      request.channels.forEach(c =>
        onChannel({
          run: c.run,
          name: c.name,
          error: `x: '${request.x}' needs the server's series`
        })
      );
      return { done: Promise.resolve(), cancel: () => undefined };
    }
    let cancelled = false;
    const done = resolveChannels(
      request,
      this._read,
      resolved => {
        if (!cancelled && !this._disposed) {
          onChannel(resolved);
        }
      },
      () => cancelled || this._disposed
    );
    return { done, cancel: () => (cancelled = true) };
  }

  async csv(channels: readonly IChannelRequest[]): Promise<Blob> {
    const chunks = await channelsCsv(
      channels,
      this._read,
      () => this._disposed
    );
    return new Blob(chunks, { type: 'text/csv' });
  }

  dispose(): void {
    this._disposed = true;
  }

  /** One read per range: `readFile` answers whole. */
  private readonly _read: ReadChunks = (run, file, offset, length) =>
    readWhole(this._api, run, file, offset, length);

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
