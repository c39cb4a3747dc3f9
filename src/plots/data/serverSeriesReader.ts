/**
 * A review's series reduced by the server (`GET runs/<run>/series`): the
 * browser receives what the plot's pixels need, frame by frame as each
 * channel is computed, never the rows themselves.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { API_PATH } from '../../client';
import { statKind } from '../../store';
import { IRunBand, MAX_RUN_BANDS } from '../series/runsEnvelope';
import { IChannelSeries, PlotRule } from '../series/series';
import {
  IChannelRequest,
  IChannelResolved,
  IPendingRequest,
  ISeriesFrame,
  ISeriesReader,
  ISeriesRequest
} from '../protocol';
import { openStream, OpenStream, SeriesStreams } from './seriesStreams';

/** Channels asked for in one request (the server's limit is 200). */
export const CHANNELS_PER_REQUEST = 100;

/**
 * The query of a series request for some channels of one run; `x` plots
 * them against that channel (`range` is then in its units).
 */
export function seriesQuery(
  channels: readonly string[],
  rule: PlotRule,
  width: number,
  range?: readonly [number, number],
  x?: string
): string {
  const parts = channels.map(c => `channel=${encodeURIComponent(c)}`);
  parts.push(`rule=${rule}`, `width=${Math.max(1, Math.round(width))}`);
  if (range) {
    parts.push(`x0=${range[0]}`, `x1=${range[1]}`);
  }
  if (x !== undefined) {
    parts.push(`x=${encodeURIComponent(x)}`);
  }
  return parts.join('&');
}

/**
 * A decoded frame as the plots take it, or its channel's error; with the
 * band its run shares with the request's other runs when the frame left
 * its own out (`"band": "shared"`).
 */
export function frameResolved(
  run: string,
  frame: ISeriesFrame,
  sharedBand?: IRunBand
): IChannelResolved {
  const { header, arrays } = frame;
  if (header.error) {
    return { run, name: header.channel, error: header.error };
  }
  const columns: Record<string, Float64Array> = {};
  for (const [name, array] of Object.entries(arrays)) {
    if (name !== 'x' && !name.startsWith('band.')) {
      columns[name] = array;
    }
  }
  const lo = arrays['band.lo'];
  const hi = arrays['band.hi'];
  const series: IChannelSeries = {
    x: arrays.x ?? new Float64Array(0),
    columns,
    ...(lo && hi ? { band: { lo, hi } } : {}),
    ...(header.band === 'shared' && sharedBand ? { sharedBand } : {}),
    style: statKind(header.kind)?.plot ?? 'line'
  };
  return {
    run,
    name: header.channel,
    result: { series, reduced: header.reduced }
  };
}

/**
 * Resolves the frames of a `band=shared` request: a channel's folded band
 * comes first (no run in its header), then its runs' frames, which share
 * it. The band's frame resolves to no run, so it is delivered to none.
 */
function sharedBandResolver(): (frame: ISeriesFrame) => IChannelResolved {
  const bands = new Map<string, IRunBand>();
  return frame => {
    const { header, arrays } = frame;
    if (header.run === undefined) {
      const { x, 'band.lo': lo, 'band.hi': hi } = arrays;
      if (header.band === 'shared' && x && lo && hi) {
        bands.set(header.channel, { x, lo, hi });
      }
      return { run: '', name: header.channel, error: 'a band, no run' };
    }
    return frameResolved(header.run, frame, bands.get(header.channel));
  };
}

/** Reads series from the server; `csv` streams every row from it too. */
export class ServerSeriesReader implements ISeriesReader {
  constructor(private readonly _open: OpenStream = openStream) {
    this._streams = new SeriesStreams(_open);
  }

  series(
    request: ISeriesRequest,
    onChannel: (resolved: IChannelResolved) => void
  ): IPendingRequest {
    const query = (names: readonly string[]) =>
      seriesQuery(names, request.rule, request.bins, request.range, request.x);
    const runs = new Set(request.channels.map(c => c.run));
    const folded = !!request.shareBands && runs.size > MAX_RUN_BANDS;
    const frames = framesPerRequest(request.bins, folded);
    // Several runs: a request a slice of the grid, each run's frames in it.
    const batches =
      runs.size > 1
        ? batchAcrossRuns(request.channels, frames).map(batch => {
            const shared = folded && batch.runs.length > MAX_RUN_BANDS;
            return {
              asked: batch.asked,
              path:
                'series?' +
                batch.runs.map(r => `run=${encodeURIComponent(r)}`).join('&') +
                `&${query(batch.names)}` +
                (shared ? '&band=shared' : ''),
              resolve: shared
                ? sharedBandResolver()
                : (frame: ISeriesFrame) =>
                    frameResolved(frame.header.run ?? '', frame)
            };
          })
        : batchByRun(request.channels).map(batch => ({
            asked: batch.names.map(name => ({ run: batch.run, name })),
            path:
              `runs/${encodeURIComponent(batch.run)}/series?` +
              query(batch.names),
            resolve: (frame: ISeriesFrame) => frameResolved(batch.run, frame)
          }));
    return this._streams.read(request, batches, onChannel);
  }

  /** Every row, streamed by the server as a download (single run). */
  csvUrl(channels: readonly IChannelRequest[]): string | undefined {
    const runs = new Set(channels.map(c => c.run));
    if (runs.size !== 1) {
      return undefined;
    }
    const [run] = runs;
    const settings = ServerConnection.makeSettings();
    const query = channels
      .map(c => `channel=${encodeURIComponent(c.name)}`)
      .join('&');
    const url = URLExt.join(
      settings.baseUrl,
      API_PATH,
      `runs/${encodeURIComponent(run)}/csv?${query}`
    );
    // A plain link carries the session cookie; a token-only server needs it too.
    return settings.token
      ? `${url}&token=${encodeURIComponent(settings.token)}`
      : url;
  }

  async csv(channels: readonly IChannelRequest[]): Promise<Blob> {
    // Several runs: one file made of each run's CSV, the header once.
    const parts: BlobPart[] = [];
    for (const batch of batchByRun(channels)) {
      const query = batch.names
        .map(c => `channel=${encodeURIComponent(c)}`)
        .join('&');
      const response = await this._open(
        `runs/${encodeURIComponent(batch.run)}/csv?${query}`,
        new AbortController().signal
      );
      const text = await response.text();
      parts.push(
        parts.length === 0 ? text : text.slice(text.indexOf('\n') + 1)
      );
    }
    return new Blob(parts, { type: 'text/csv' });
  }

  dispose(): void {
    this._streams.dispose();
  }

  private readonly _streams: SeriesStreams;
}

/** Frames (runs × channels) in one request of several runs: the server's limit. */
export const FRAMES_PER_REQUEST = 2000;

/**
 * About the most bytes one request of several runs is to answer. The
 * browser keeps an answer for a later review (a `304` then) only if it is
 * small enough: a glob's 28 MB in 4 answers was sent again in full, in 80
 * it came back as 304s. A whole-span frame is about 64 bytes a pixel, half
 * that without its band (the runs' bands folded: `band=shared`).
 */
export const BYTES_PER_REQUEST = 1_000_000;

/**
 * How many frames a request of several runs asks for at `bins` pixels
 * (`folded`: their bands folded into one a channel).
 */
export function framesPerRequest(bins: number, folded = false): number {
  const perPixel = folded ? 32 : 64;
  return Math.max(
    1,
    Math.floor(BYTES_PER_REQUEST / (perPixel * Math.max(1, bins)))
  );
}

/**
 * The channels of several runs cut into requests of about `frames` frames:
 * each a slice of the channel names in their order (the grid's), with the
 * runs that have any of them and the channels asked for (the server skips
 * a run without a channel; a frame not asked for is ignored). The server
 * answers channel by channel, so the top plots fill in first.
 */
export function batchAcrossRuns(
  channels: readonly IChannelRequest[],
  frames: number
): { runs: string[]; names: string[]; asked: IChannelRequest[] }[] {
  const names = [...new Set(channels.map(c => c.name))];
  const runCount = new Set(channels.map(c => c.run)).size;
  const per = Math.max(
    1,
    Math.min(
      CHANNELS_PER_REQUEST,
      Math.floor(Math.min(frames, FRAMES_PER_REQUEST) / runCount)
    )
  );
  const batches = [];
  for (let at = 0; at < names.length; at += per) {
    const slice = new Set(names.slice(at, at + per));
    const asked = channels.filter(c => slice.has(c.name));
    batches.push({
      runs: [...new Set(asked.map(c => c.run))],
      names: [...slice],
      asked
    });
  }
  return batches;
}

/**
 * The channels grouped by run in their order, at most `CHANNELS_PER_REQUEST`
 * a batch.
 */
export function batchByRun(
  channels: readonly IChannelRequest[]
): { run: string; names: string[] }[] {
  const batches: { run: string; names: string[] }[] = [];
  const open = new Map<string, { run: string; names: string[] }>();
  for (const { run, name } of channels) {
    let batch = open.get(run);
    if (!batch || batch.names.length >= CHANNELS_PER_REQUEST) {
      batch = { run, names: [] };
      open.set(run, batch);
      batches.push(batch);
    }
    batch.names.push(name);
  }
  return batches;
}
