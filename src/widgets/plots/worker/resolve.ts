/**
 * What the review worker does for a request: stream each channel's files,
 * decoding as the bytes arrive, merge them by time, then either resolve
 * the series at a rule and reduce it to a bounded size, or write every row
 * as CSV. Between requests only what the `RowCache` keeps stays (up to its
 * budget); zooming or a new rule reads the rest again.
 *
 * Pure code: it runs in the worker (`review.worker.ts`), or on the main
 * thread where there is no `Worker` (tests) or the API isn't HTTP.
 */
import { IColumnSet, mergeByTime } from '../../../store';
import { csvChunks, ICsvSeries } from '../csv';
import { IReducedSeries, reduceSeries, seriesExtent } from '../reduce';
import { channelSeries, IChannelSeries, PlotRule } from '../series';
import { FileRows, ReadChunks } from './fileRows';
import { RowCache } from './rowCache';

export { READ_RANGE_BYTES, ReadChunks } from './fileRows';

/** Channels read at once: the browser's connections per host. */
export const PARALLEL_CHANNELS = 6;

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
}

/** One channel resolved, or why not. */
export interface IChannelResolved {
  readonly run: string;
  readonly name: string;
  readonly result?: IReducedSeries;
  readonly error?: string;
}

/**
 * Resolve every channel of `request`, `PARALLEL_CHANNELS` at a time, in
 * order; `onChannel` gets each as soon as it's done.
 */
export async function resolveChannels(
  request: ISeriesRequest,
  read: ReadChunks,
  onChannel: (resolved: IChannelResolved) => void,
  cancelled: () => boolean = () => false,
  cache?: RowCache
): Promise<void> {
  await inParallel(request.channels, PARALLEL_CHANNELS, async channel => {
    if (cancelled()) {
      return;
    }
    const { run, name } = channel;
    let result: IReducedSeries;
    try {
      const data = await readCached(channel, read, cancelled, cache);
      if (cancelled()) {
        return;
      }
      const series = channelSeries(channel.kind, data, request.rule);
      const [x0, x1] = request.range ?? seriesExtent(series.x);
      const reduced = reduceSeries(series, x0, x1, request.bins);
      // Raw columns can be the rows' own: copy those, since results are
      // transferred and the rows may be kept.
      result = { ...reduced, series: apart(reduced.series, data) };
    } catch (error) {
      onChannel({ run, name, error: (error as Error).message });
      return;
    }
    onChannel({ run, name, result });
  });
}

/** Every row of the channels as CSV text chunks (see `csvChunks`). */
export async function channelsCsv(
  channels: readonly IChannelRequest[],
  read: ReadChunks,
  cancelled: () => boolean = () => false,
  cache?: RowCache
): Promise<string[]> {
  const series: ICsvSeries[] = [];
  for (const channel of channels) {
    const data = await readCached(channel, read, cancelled, cache);
    series.push({ run: channel.run, channel: channel.name, data });
  }
  return csvChunks(series);
}

/** The channel's rows, extending those `cache` keeps (if it keeps them). */
async function readCached(
  channel: IChannelRequest,
  read: ReadChunks,
  cancelled: () => boolean,
  cache: RowCache | undefined
): Promise<IColumnSet> {
  const files = cache?.files(channel);
  const data = await readChannel(channel, read, cancelled, files);
  cache?.update(channel);
  return data;
}

/** `series` with copies of any array that shares a buffer with `data`. */
function apart(series: IChannelSeries, data: IColumnSet): IChannelSeries {
  const shared = new Set(Object.values(data.columns).map(c => c.buffer));
  const own = (a: Float64Array): Float64Array =>
    shared.has(a.buffer) ? a.slice() : a;
  const columns: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(series.columns)) {
    columns[name] = own(column);
  }
  return {
    ...series,
    x: own(series.x),
    columns,
    band: series.band && { lo: own(series.band.lo), hi: own(series.band.hi) }
  };
}

/**
 * A channel's rows: each file streamed and decoded as it arrives (no copy
 * of the file's bytes is kept), then the files merged by time. With
 * `files` (kept from an earlier read), only bytes past them are read.
 *
 * @throws the first file's error (its name and the reason).
 */
export async function readChannel(
  channel: IChannelRequest,
  read: ReadChunks,
  cancelled: () => boolean = () => false,
  files: Map<string, FileRows> = new Map()
): Promise<IColumnSet> {
  const originNs = BigInt(channel.originNs);
  const parts: IColumnSet[] = [];
  for (const file of channel.files) {
    if (file.size === 0 || cancelled()) {
      continue;
    }
    let rows = files.get(file.name);
    if (!rows || rows.offset > file.size) {
      // New, or shorter than what was read: read it from the start.
      rows = new FileRows(file.name, originNs);
      files.set(file.name, rows);
    }
    await rows.extend(channel.run, file.size, read, cancelled);
    parts.push(rows.view());
  }
  // Even one file is sorted: a clock that stepped back writes rows out of
  // order (mergeByTime returns a sorted file as it is).
  return parts.length === 0 ? { length: 0, columns: {} } : mergeByTime(parts);
}

/** Run `work` over `items`, at most `limit` at once, starting in order. */
async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      await work(items[next++]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, lane)
  );
}

/** The distinct buffers under a resolved channel's arrays, to transfer. */
export function resolvedBuffers(resolved: IChannelResolved): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (a: Float64Array | undefined) => {
    if (a && a.buffer instanceof ArrayBuffer) {
      buffers.add(a.buffer);
    }
  };
  const series = resolved.result?.series;
  if (series) {
    add(series.x);
    Object.values(series.columns).forEach(add);
    add(series.band?.lo);
    add(series.band?.hi);
  }
  return [...buffers];
}
