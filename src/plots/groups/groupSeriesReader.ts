/**
 * A grouped review's series, aggregated by the server across each group's
 * runs (`GET group`): the line (mean or median), its band and n at each x,
 * and optionally each run on the same x. No run's rows reach the page.
 */
import { statKind } from '../../store';
import { PlotRule } from '../series/series';
import {
  IChannelResolved,
  IPendingRequest,
  ISeriesFrame,
  ISeriesReader,
  ISeriesRequest
} from '../protocol';
import { batchByRun } from '../data/serverSeriesReader';
import { openStream, OpenStream, SeriesStreams } from '../data/seriesStreams';
import { IGroupOptions } from './grouping';

/**
 * The query of one group's request; `x` aggregates against that channel
 * (`range` is then in its units).
 */
export function groupQuery(
  runs: readonly string[],
  channels: readonly string[],
  rule: PlotRule,
  width: number,
  options: IGroupOptions,
  range?: readonly [number, number],
  x?: string
): string {
  const parts = [
    ...runs.map(r => `run=${encodeURIComponent(r)}`),
    ...channels.map(c => `channel=${encodeURIComponent(c)}`),
    `rule=${rule}`,
    `width=${Math.max(1, Math.round(width))}`,
    `center=${options.center}`,
    `band=${options.band}`
  ];
  if (options.showRuns) {
    parts.push('members=1');
  }
  if (range) {
    parts.push(`x0=${range[0]}`, `x1=${range[1]}`);
  }
  if (x !== undefined) {
    parts.push(`x=${encodeURIComponent(x)}`);
  }
  return parts.join('&');
}

/** A group frame as the plots take it: `center` is the line's value. */
export function groupFrameResolved(
  group: string,
  frame: ISeriesFrame
): IChannelResolved {
  const { header, arrays } = frame;
  if (header.error) {
    return { run: group, name: header.channel, error: header.error };
  }
  const x = arrays.x ?? new Float64Array(0);
  const members = Object.keys(arrays)
    .filter(name => name.startsWith('run.'))
    .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
    .map(name => arrays[name]);
  const { lo, hi, n } = arrays;
  return {
    run: group,
    name: header.channel,
    result: {
      series: {
        x,
        columns: { value: arrays.center ?? new Float64Array(x.length) },
        ...(lo && hi ? { band: { lo, hi }, groupBand: true } : {}),
        ...(n ? { n } : {}),
        ...(members.length > 0 ? { members } : {}),
        // Quantile fans and ± bands don't average: a group draws one line.
        style: statKind(header.kind)?.plot === 'percent' ? 'percent' : 'line'
      },
      reduced: header.reduced
    }
  };
}

export class GroupSeriesReader implements ISeriesReader {
  /**
   * @param groups - each group's label and its runs.
   * @param options - how to aggregate (read at each request).
   */
  constructor(
    private readonly _groups: ReadonlyMap<string, readonly string[]>,
    private readonly _options: () => IGroupOptions,
    open: OpenStream = openStream
  ) {
    this._streams = new SeriesStreams(open);
  }

  series(
    request: ISeriesRequest,
    onChannel: (resolved: IChannelResolved) => void
  ): IPendingRequest {
    const options = this._options();
    const batches = batchByRun(request.channels).map(
      ({ run: group, names }) => ({
        asked: names.map(name => ({ run: group, name })),
        path:
          'group?' +
          groupQuery(
            this._groups.get(group) ?? [],
            names,
            request.rule,
            request.bins,
            options,
            request.range,
            request.x
          ),
        resolve: (frame: ISeriesFrame) => groupFrameResolved(group, frame)
      })
    );
    return this._streams.read(request, batches, onChannel);
  }

  /** A group's CSV is its runs' rows: every row of each, as they are. */
  async csv(): Promise<Blob> {
    throw new Error(
      'a grouped plot has no rows of its own: export its runs with grouping off'
    );
  }

  dispose(): void {
    this._streams.dispose();
  }

  private readonly _streams: SeriesStreams;
}
