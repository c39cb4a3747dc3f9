/**
 * Reading a snapshot's stats files: fetch each file whole in 16 MiB
 * ranges (several files at once), decode it, merge each channel's files
 * by time and resolve its series at the default rule. Pure code: it runs
 * in the review worker (`review.worker.ts`), or on the main thread where
 * there is no `Worker` (tests) or the API isn't HTTP.
 */
import { decodeNpr, IColumnSet, mergeByTime } from '../../../store';
import { channelSeries, IChannelSeries, PlotRule } from '../series';

/** The largest range asked for at once (the server's cap). */
export const SNAPSHOT_CHUNK_BYTES = 16 * 1024 * 1024;

/** Files fetched at once: the browser's connections per host. */
export const SNAPSHOT_PARALLEL_FILES = 6;

/** One channel to read: its files in N order (as the server lists them). */
export interface IChannelRequest {
  readonly name: string;
  readonly kind: string;
  readonly files: readonly { readonly name: string; readonly size: number }[];
}

/** A channel read: merged rows, or why not, and its series at `rule`. */
export interface IChannelResult {
  readonly name: string;
  readonly data?: IColumnSet;
  readonly error?: string;
  readonly series?: {
    readonly rule: PlotRule;
    readonly series: IChannelSeries;
  };
}

/** Bytes `[offset, offset + length)` of a run's file (fewer at its end). */
export type ReadRange = (
  file: string,
  offset: number,
  length: number
) => Promise<Uint8Array>;

/**
 * Read every channel; `onChannel` gets each as soon as all its files are in.
 *
 * @param originNs - `_created`, for the times (seconds since it).
 * @param rule - resolve each channel's series at this rule too (not `raw`:
 *   its columns would share the data's buffers).
 */
export async function loadChannels(
  channels: readonly IChannelRequest[],
  originNs: bigint,
  read: ReadRange,
  onChannel: (result: IChannelResult) => void,
  options: { rule?: PlotRule; cancelled?: () => boolean } = {}
): Promise<void> {
  const cancelled = options.cancelled ?? (() => false);
  const state = channels.map(channel => ({
    channel,
    parts: new Map<string, IColumnSet>(),
    pending: channel.files.filter(f => f.size > 0).length,
    error: undefined as string | undefined
  }));
  const finish = (s: (typeof state)[number]) => {
    if (s.error !== undefined) {
      onChannel({ name: s.channel.name, error: s.error });
      return;
    }
    const parts = s.channel.files
      .map(f => s.parts.get(f.name))
      .filter((p): p is IColumnSet => p !== undefined);
    const data: IColumnSet =
      parts.length === 1
        ? parts[0]
        : parts.length === 0
          ? { length: 0, columns: {} }
          : mergeByTime(parts);
    let series: IChannelResult['series'];
    if (options.rule !== undefined && options.rule !== 'raw') {
      try {
        series = {
          rule: options.rule,
          series: channelSeries(s.channel.kind, data, options.rule)
        };
      } catch {
        // The main thread resolves it again and shows the error.
      }
    }
    onChannel({ name: s.channel.name, data, series });
  };
  const queue: { s: (typeof state)[number]; name: string; size: number }[] = [];
  for (const s of state) {
    if (s.pending === 0) {
      finish(s);
    }
    for (const f of s.channel.files) {
      if (f.size > 0) {
        queue.push({ s, name: f.name, size: f.size });
      }
    }
  }
  const next = async (): Promise<void> => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const { s } = item;
      if (s.error === undefined && !cancelled()) {
        try {
          s.parts.set(
            item.name,
            await readAndDecode(item.name, item.size, originNs, read, cancelled)
          );
        } catch (error) {
          s.error = (error as Error).message;
        }
      }
      if (--s.pending === 0 && !cancelled()) {
        finish(s);
      }
    }
  };
  await Promise.all(
    Array.from({ length: SNAPSHOT_PARALLEL_FILES }, () => next())
  );
}

/** Read a whole file into one buffer, then decode it in one pass. */
async function readAndDecode(
  file: string,
  size: number,
  originNs: bigint,
  read: ReadRange,
  cancelled: () => boolean
): Promise<IColumnSet> {
  const bytes = new Uint8Array(size);
  let offset = 0;
  while (offset < size && !cancelled()) {
    const chunk = await read(
      file,
      offset,
      Math.min(SNAPSHOT_CHUNK_BYTES, size - offset)
    );
    if (chunk.length === 0) {
      break; // Shrunk underneath: decode what there is.
    }
    bytes.set(chunk.subarray(0, size - offset), offset);
    offset += chunk.length;
  }
  return decodeNpr(bytes.subarray(0, offset), file, originNs).data;
}

/** The distinct buffers under a result's arrays, to transfer them. */
export function resultBuffers(result: IChannelResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (a: Float64Array | undefined) => {
    if (a && a.buffer instanceof ArrayBuffer) {
      buffers.add(a.buffer);
    }
  };
  Object.values(result.data?.columns ?? {}).forEach(add);
  const series = result.series?.series;
  if (series) {
    add(series.x);
    Object.values(series.columns).forEach(add);
    add(series.band?.lo);
    add(series.band?.hi);
  }
  return [...buffers];
}
