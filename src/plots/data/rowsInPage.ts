/**
 * A review's series read from the rows themselves, in the page: stream
 * each channel's files, decoding as the bytes arrive, merge them by time,
 * then resolve the series at a rule and reduce it to a bounded size, or
 * write every row as CSV. The server does the same where the bytes are
 * (`runwatch/server/lod/`); this serves an API that is not the server's
 * (tests), held to the same shared vectors.
 */
import { IColumnSet, mergeByTime } from '../../store';
import { csvChunks, ICsvSeries } from '../series/csv';
import { reduceSeries, seriesExtent } from '../series/reduce';
import {
  IChannelRequest,
  IChannelResolved,
  IReducedSeries,
  ISeriesRequest
} from '../protocol';
import { channelSeries, IChannelSeries } from '../series/series';
import { FileRows, ReadChunks } from './fileRows';
import { inParallel } from './inParallel';

export { READ_RANGE_BYTES, ReadChunks } from './fileRows';

/** Channels read at once: the browser's connections per host. */
export const PARALLEL_CHANNELS = 6;

/**
 * Resolve every channel of `request`, `PARALLEL_CHANNELS` at a time, in
 * order; `onChannel` gets each as soon as it's done.
 */
export async function resolveChannels(
  request: ISeriesRequest,
  read: ReadChunks,
  onChannel: (resolved: IChannelResolved) => void,
  cancelled: () => boolean = () => false
): Promise<void> {
  await inParallel(request.channels, PARALLEL_CHANNELS, async channel => {
    if (cancelled()) {
      return;
    }
    const { run, name } = channel;
    let result: IReducedSeries;
    try {
      const data = await readChannel(channel, read, cancelled);
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
  cancelled: () => boolean = () => false
): Promise<string[]> {
  const series: ICsvSeries[] = [];
  for (const channel of channels) {
    const data = await readChannel(channel, read, cancelled);
    series.push({
      run: channel.run,
      channel: channel.name,
      kind: channel.kind,
      data
    });
  }
  return csvChunks(series);
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
