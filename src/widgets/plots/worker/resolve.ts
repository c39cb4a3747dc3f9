/**
 * What the review worker does for a request: stream each channel's files,
 * decoding as the bytes arrive, merge them by time, then either resolve
 * the series at a rule and reduce it to a bounded size, or write every row
 * as CSV. Nothing is kept between requests: memory is bounded by the
 * channels in flight, and zooming or a new rule reads the rows again.
 *
 * Pure code: it runs in the worker (`review.worker.ts`), or on the main
 * thread where there is no `Worker` (tests) or the API isn't HTTP.
 */
import {
  decodeRowsInto,
  HeaderError,
  IColumnSet,
  IncrementalNprDecoder,
  mergeByTime
} from '../../../store';
import { csvChunks, ICsvSeries } from '../csv';
import { IReducedSeries, reduceSeries, seriesExtent } from '../reduce';
import { channelSeries, IChannelSeries, PlotRule } from '../series';
import { RowCache } from './rowCache';

/** The largest range asked for at once (the server's cap). */
export const READ_RANGE_BYTES = 16 * 1024 * 1024;

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
 * The bytes `[offset, offset + length)` of a run's file, as they arrive.
 * A chunk may be overwritten once the next one is asked for.
 */
export type ReadChunks = (
  run: string,
  file: string,
  offset: number,
  length: number
) => AsyncIterable<Uint8Array>;

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

/** The channel's rows from `cache`, or read (and kept if they fit). */
async function readCached(
  channel: IChannelRequest,
  read: ReadChunks,
  cancelled: () => boolean,
  cache: RowCache | undefined
): Promise<IColumnSet> {
  const kept = cache?.get(channel);
  if (kept) {
    return kept;
  }
  const data = await readChannel(channel, read, cancelled);
  if (!cancelled()) {
    cache?.put(channel, data);
  }
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
 * of the file's bytes is kept), then the files merged by time.
 *
 * @throws the first file's error (its name and the reason).
 */
export async function readChannel(
  channel: IChannelRequest,
  read: ReadChunks,
  cancelled: () => boolean = () => false
): Promise<IColumnSet> {
  const originNs = BigInt(channel.originNs);
  const parts: IColumnSet[] = [];
  for (const file of channel.files) {
    if (file.size === 0 || cancelled()) {
      continue;
    }
    const decoder = new IncrementalNprDecoder(file.name, originNs);
    let columns: Record<string, Float64Array> = {};
    let rows = 0;
    let offset = 0;
    while (offset < file.size && !cancelled()) {
      const before = offset;
      const length = Math.min(READ_RANGE_BYTES, file.size - offset);
      for await (const chunk of read(channel.run, file.name, offset, length)) {
        const wanted = chunk.subarray(0, file.size - offset);
        offset += wanted.length;
        const bytes = decoder.pushBytes(wanted);
        const header = decoder.header;
        if (header && rows === 0 && bytes.byteLength > 0) {
          // The listed size bounds the rows: fill exact-size columns.
          const capacity = Math.floor(
            (file.size - header.headerLength) / header.itemsize
          );
          columns = Object.fromEntries(
            header.fields.map(f => [f.name, new Float64Array(capacity)])
          );
        }
        if (header && bytes.byteLength > 0) {
          rows += decodeRowsInto(header, bytes, originNs, columns, rows);
        }
      }
      if (offset === before) {
        break; // Shrunk underneath: decode what there is.
      }
    }
    if (!decoder.header) {
      throw new HeaderError(
        file.name,
        offset === 0 ? 'file is empty' : 'header is truncated'
      );
    }
    if (rows === 0) {
      columns = Object.fromEntries(
        decoder.header.fields.map(f => [f.name, new Float64Array(0)])
      );
    }
    parts.push({ length: rows, columns: sliced(columns, rows) });
  }
  // Even one file is sorted: a clock that stepped back writes rows out of
  // order (mergeByTime returns a sorted file as it is).
  return parts.length === 0 ? { length: 0, columns: {} } : mergeByTime(parts);
}

/** Views of the first `rows` of each column. */
function sliced(
  columns: Record<string, Float64Array>,
  rows: number
): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(columns)) {
    out[name] = column.length === rows ? column : column.subarray(0, rows);
  }
  return out;
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
