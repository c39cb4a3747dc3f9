import {
  concatBytes,
  FakeRunwatchAPI,
  nprHeader,
  nprRows
} from '../../client/testing';
import { RESOLVE_BINS } from '../series/reduce';
import { InlineSeriesReader } from './seriesReader';
import { IPendingRequest, ISeriesReader } from '../protocol';
import { channelKey, IResolvedAt, SnapshotSeries } from './snapshotSeries';
import { IChannelRequest, IChannelResolved, ISeriesRequest } from '../protocol';
import { IChannelSeries } from '../series/series';

const RUN = '2024-01-02 03-04-05 neat-river';
const CREATED_NS = 1704164645000000000n;
const ORIGIN = String(CREATED_NS);

/** A channel to ask for (its files don't matter to the fake reader). */
function channel(name: string, run = RUN): IChannelRequest {
  return {
    run,
    originNs: ORIGIN,
    name,
    kind: 'last',
    files: [{ name: `stats.${name}.0.npr`, size: 100 }]
  };
}

/** A request the fake reader got, answered by the test. */
interface IAsked {
  readonly request: ISeriesRequest;
  cancelled: boolean;
  /** Answer one channel with a one-point series of `value` (and `more`). */
  answer(
    name: string,
    value: number,
    run?: string,
    more?: Partial<IChannelSeries>
  ): void;
  /** Answer one channel with an error. */
  fail(name: string, error: string, run?: string): void;
  /** Every channel has been answered. */
  finish(): void;
}

/** A reader that records each request and lets the test answer it. */
class FakeReader implements ISeriesReader {
  asked: IAsked[] = [];
  disposed = false;

  series(
    request: ISeriesRequest,
    onChannel: (resolved: IChannelResolved) => void
  ): IPendingRequest {
    let settle!: () => void;
    const done = new Promise<void>(resolve => (settle = resolve));
    const asked: IAsked = {
      request,
      cancelled: false,
      answer: (name, value, run = RUN, more = {}) =>
        onChannel({
          run,
          name,
          result: {
            series: {
              x: Float64Array.of(0),
              columns: { value: Float64Array.of(value) },
              style: 'line',
              ...more
            },
            reduced: false
          }
        }),
      fail: (name, error, run = RUN) => onChannel({ run, name, error }),
      finish: () => settle()
    };
    this.asked.push(asked);
    return {
      done,
      cancel: () => {
        asked.cancelled = true;
        settle();
      }
    };
  }

  async csv(): Promise<Blob> {
    return new Blob(['run,channel,t_seconds\n']);
  }

  dispose(): void {
    this.disposed = true;
  }

  /** The channel names of each request. */
  names(): string[][] {
    return this.asked.map(a => a.request.channels.map(c => c.name));
  }
}

const KEY_A = channelKey(RUN, 'a');
const KEY_B = channelKey(RUN, 'b');

let reader: FakeReader;
let resolved: string[][];
let series: SnapshotSeries;

beforeEach(() => {
  reader = new FakeReader();
  resolved = [];
  series = new SnapshotSeries(reader, keys => resolved.push([...keys]));
});

/** The value of the one point of a resolved series. */
const valueOf = (at: IResolvedAt | undefined) =>
  at?.result?.series.columns.value[0];

describe('SnapshotSeries.load', () => {
  it('asks once for the channels at a rule, over their whole span', () => {
    series.load(60, [channel('a'), channel('b')]);
    series.load(60, [channel('a'), channel('b')]);
    expect(reader.names()).toEqual([['a', 'b']]);
    const { rule, range, bins } = reader.asked[0].request;
    expect(rule).toBe(60);
    expect(range).toBeUndefined();
    expect(bins).toBe(RESOLVE_BINS);
  });

  it("doesn't ask again for channels already resolved at the rule", () => {
    series.load(60, [channel('a')]);
    reader.asked[0].answer('a', 1);
    reader.asked[0].finish();
    series.load(60, [channel('a'), channel('b')]);
    expect(reader.names()).toEqual([['a'], ['b']]);
  });

  it('shows a channel as waiting until its series arrives', () => {
    series.load(60, [channel('a'), channel('b')]);
    expect(series.waiting(KEY_A, 60)).toBe(true);
    expect(series.waiting(KEY_A, 10)).toBe(false);
    expect(series.whole(KEY_A)).toBeUndefined();
    reader.asked[0].answer('a', 7);
    expect(series.waiting(KEY_A, 60)).toBe(false);
    expect(series.waiting(KEY_B, 60)).toBe(true);
    expect(series.whole(KEY_A)?.rule).toBe(60);
    expect(valueOf(series.whole(KEY_A))).toBe(7);
  });

  it('keeps an error for the channel that has one', () => {
    series.load(60, [channel('a')]);
    reader.asked[0].fail('a', 'stats.a.0.npr: header is truncated');
    expect(series.whole(KEY_A)).toEqual({
      rule: 60,
      result: undefined,
      error: 'stats.a.0.npr: header is truncated'
    });
    expect(series.waiting(KEY_A, 60)).toBe(false);
  });

  it("keeps showing the last rule's series while a new rule loads", () => {
    series.load(60, [channel('a')]);
    reader.asked[0].answer('a', 1);
    reader.asked[0].finish();
    series.load(10, [channel('a')]);
    expect(reader.names()).toEqual([['a'], ['a']]);
    expect(reader.asked[1].request.rule).toBe(10);
    expect(series.waiting(KEY_A, 10)).toBe(true);
    expect(series.whole(KEY_A)?.rule).toBe(60);
    expect(valueOf(series.whole(KEY_A))).toBe(1);
    reader.asked[1].answer('a', 2);
    expect(series.whole(KEY_A)?.rule).toBe(10);
    expect(valueOf(series.whole(KEY_A))).toBe(2);
  });

  it('cancels the request still loading at the old rule', () => {
    series.load(60, [channel('a')]);
    series.load(60, [channel('b')]);
    series.load(10, [channel('a'), channel('b')]);
    expect(reader.asked.map(a => a.cancelled)).toEqual([true, true, false]);
    expect(series.waiting(KEY_A, 60)).toBe(false);
    expect(series.waiting(KEY_A, 10)).toBe(true);
  });

  it('switching back to a rule already resolved asks nothing', () => {
    series.load(60, [channel('a')]);
    reader.asked[0].answer('a', 1);
    reader.asked[0].finish();
    series.load(10, [channel('a')]);
    series.load(60, [channel('a')]);
    expect(reader.asked).toHaveLength(2);
    expect(reader.asked[1].cancelled).toBe(true);
    expect(series.whole(KEY_A)?.rule).toBe(60);
  });

  it("asks again, with their own bands, for series that came with only their runs' fold", () => {
    series.load(60, [channel('a'), channel('b')]);
    expect(reader.asked[0].request.shareBands).toBe(true);
    // a came with the fold of its runs' bands; b with a band of its own.
    const fold = {
      x: Float64Array.of(0),
      lo: Float64Array.of(0),
      hi: Float64Array.of(9)
    };
    reader.asked[0].answer('a', 1, RUN, { sharedBand: fold });
    reader.asked[0].answer('b', 1, RUN, { band: { lo: fold.lo, hi: fold.hi } });
    reader.asked[0].finish();
    series.load(60, [channel('a'), channel('b')]);
    expect(reader.asked).toHaveLength(1); // sharing is fine: nothing to ask
    series.shareBands = false;
    series.load(60, [channel('a'), channel('b')]);
    expect(reader.names()).toEqual([['a', 'b'], ['a']]);
    expect(reader.asked[1].request.shareBands).toBe(false);
    // Until it comes, the fold still draws.
    expect(series.whole(KEY_A)?.result?.series.sharedBand).toBe(fold);
  });

  it('tells which channels resolved by their keys', () => {
    series.load(60, [channel('a'), channel('b')]);
    reader.asked[0].answer('b', 1);
    reader.asked[0].answer('a', 2);
    expect(resolved).toEqual([[KEY_B], [KEY_A]]);
    expect(KEY_A).toBe(channelKey(RUN, 'a'));
    expect(KEY_A).not.toBe(channelKey('other run', 'a'));
  });
});

describe('SnapshotSeries.zoom', () => {
  const range: [number, number] = [10, 20];

  it('asks for the group’s channels over the zoomed range', () => {
    series.zoom('loss', 60, range, [channel('a')]);
    expect(reader.names()).toEqual([['a']]);
    expect(reader.asked[0].request.range).toEqual([10, 20]);
    expect(reader.asked[0].request.rule).toBe(60);
  });

  it('gives the zoomed series only for the same rule and exact range', () => {
    series.zoom('loss', 60, range, [channel('a')]);
    expect(series.zoomed('loss', KEY_A, 60, range)).toBeUndefined();
    reader.asked[0].answer('a', 3);
    expect(resolved).toEqual([[KEY_A]]);
    expect(valueOf(series.zoomed('loss', KEY_A, 60, [10, 20]))).toBe(3);
    expect(series.zoomed('loss', KEY_A, 60, [10, 21])).toBeUndefined();
    expect(series.zoomed('loss', KEY_A, 10, [10, 20])).toBeUndefined();
    expect(series.zoomed('other', KEY_A, 60, [10, 20])).toBeUndefined();
    // A zoom's answer is not the whole-span series.
    expect(series.whole(KEY_A)).toBeUndefined();
  });

  it("replaces the group's previous zoom, cancelling it", () => {
    series.zoom('loss', 60, range, [channel('a')]);
    reader.asked[0].answer('a', 3);
    series.zoom('loss', 60, [30, 40], [channel('a')]);
    expect(reader.asked[0].cancelled).toBe(true);
    expect(series.zoomed('loss', KEY_A, 60, range)).toBeUndefined();
    reader.asked[1].answer('a', 4);
    expect(valueOf(series.zoomed('loss', KEY_A, 60, [30, 40]))).toBe(4);
  });

  it("leaves other groups' zooms alone", () => {
    series.zoom('loss', 60, range, [channel('a')]);
    series.zoom('lr', 60, range, [channel('b')]);
    expect(reader.asked[0].cancelled).toBe(false);
    reader.asked[0].answer('a', 3);
    expect(valueOf(series.zoomed('loss', KEY_A, 60, range))).toBe(3);
  });

  it('drops the zoom when zoomed back out', () => {
    series.zoom('loss', 60, range, [channel('a')]);
    reader.asked[0].answer('a', 3);
    series.zoom('loss', 60, undefined, []);
    expect(reader.asked).toHaveLength(1);
    expect(reader.asked[0].cancelled).toBe(true);
    expect(series.busy).toBe(false);
    expect(series.zoomed('loss', KEY_A, 60, range)).toBeUndefined();
  });
});

describe('SnapshotSeries.busy', () => {
  it('is busy until every request has finished', async () => {
    expect(series.busy).toBe(false);
    series.load(60, [channel('a')]);
    series.zoom('loss', 60, [0, 1], [channel('a')]);
    expect(series.busy).toBe(true);
    let idle = false;
    const settled = series.idle().then(() => (idle = true));
    reader.asked[0].answer('a', 1);
    reader.asked[0].finish();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(idle).toBe(false);
    expect(series.busy).toBe(true);
    reader.asked[1].finish();
    await settled;
    expect(idle).toBe(true);
    expect(series.busy).toBe(false);
  });

  it('stays busy for a request made while waiting to be idle', async () => {
    series.load(60, [channel('a')]);
    let idle = false;
    const settled = series.idle().then(() => (idle = true));
    series.load(60, [channel('b')]);
    reader.asked[0].finish();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(idle).toBe(false);
    reader.asked[1].finish();
    await settled;
    expect(series.busy).toBe(false);
  });

  it('is not kept busy by a cancelled request', async () => {
    series.load(60, [channel('a')]);
    series.load(10, [channel('a')]);
    reader.asked[1].finish();
    await series.idle();
    expect(series.busy).toBe(false);
  });

  it('cancels everything and disposes the reader on dispose', () => {
    series.load(60, [channel('a')]);
    series.zoom('loss', 60, [0, 1], [channel('a')]);
    series.dispose();
    expect(reader.asked.map(a => a.cancelled)).toEqual([true, true]);
    expect(series.busy).toBe(false);
    expect(reader.disposed).toBe(true);
  });
});

/** A Blob's text, with or without `Blob.text` in this environment. */
function blobText(blob: Blob): Promise<string> {
  if (typeof blob.text === 'function') {
    return blob.text();
  }
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

describe('InlineSeriesReader', () => {
  const file = 'stats.loss.0.npr';
  let api: FakeRunwatchAPI;
  let request: IChannelRequest;

  beforeEach(() => {
    api = new FakeRunwatchAPI();
    api.addRun(RUN);
    const entry = api.append(
      RUN,
      file,
      concatBytes(
        nprHeader(['x']),
        nprRows([
          [CREATED_NS + 1_000_000_000n, 0.5],
          [CREATED_NS + 2_000_000_000n, 0.25],
          [CREATED_NS + 3_000_000_000n, 0.125]
        ])
      )
    );
    request = {
      run: RUN,
      originNs: ORIGIN,
      name: 'loss',
      kind: entry.kind!,
      files: [{ name: file, size: entry.size }]
    };
  });

  it('answers a channel with its rows from the API', async () => {
    const reader = new InlineSeriesReader(api);
    const out: IChannelResolved[] = [];
    await reader.series(
      { channels: [request], rule: 'raw', bins: 100 },
      resolved => out.push(resolved)
    ).done;
    expect(out).toHaveLength(1);
    expect(out[0].name).toBe('loss');
    expect(out[0].error).toBeUndefined();
    expect(Array.from(out[0].result!.series.x)).toEqual([1, 2, 3]);
    expect(Array.from(out[0].result!.series.columns.value)).toEqual([
      0.5, 0.25, 0.125
    ]);
    expect(api.reads.map(r => r[0])).toEqual([file]);
  });

  it('exports every row as a CSV blob', async () => {
    const reader = new InlineSeriesReader(api);
    const blob = await reader.csv([request]);
    const lines = (await blobText(blob)).trimEnd().split('\n');
    expect(lines).toEqual([
      'run,channel,t_seconds,value,x',
      `${RUN},loss,1,0.5,0.5`,
      `${RUN},loss,2,0.25,0.25`,
      `${RUN},loss,3,0.125,0.125`
    ]);
  });
});
