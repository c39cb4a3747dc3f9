import { encodeSeriesFrame } from './seriesFrames';
import {
  batchByRun,
  CHANNELS_PER_REQUEST,
  seriesQuery,
  ServerSeriesReader
} from './serverSeriesReader';
import { IChannelRequest, IChannelResolved } from '../protocol';

const channel = (run: string, name: string): IChannelRequest => ({
  run,
  originNs: '0',
  name,
  kind: 'last',
  files: []
});

const frame = (name: string, kind = 'last', error: string | null = null) =>
  encodeSeriesFrame(
    { channel: name, kind, rows: 2, reduced: true, x0: 0, x1: 1, error },
    error
      ? {}
      : { x: [0, 1], value: [1, 1e4], 'band.lo': [0, 1], 'band.hi': [2, 1e4] }
  );

/** A streamed reply whose body arrives in the given chunks. */
function reply(chunks: Uint8Array[]): Response {
  let i = 0;
  return {
    body: {
      getReader: () => ({
        read: async () =>
          i < chunks.length
            ? { done: false, value: chunks[i++] }
            : { done: true, value: undefined }
      })
    }
  } as unknown as Response;
}

describe('ServerSeriesReader', () => {
  it('asks each run for its channels and hands over frames as they arrive', async () => {
    const paths: string[] = [];
    const reader = new ServerSeriesReader(async path => {
      paths.push(path);
      const both = new Uint8Array([
        ...frame('a.x'),
        ...frame('a.bad', 'last', 'stats.a.bad.0.npr: bad header')
      ]);
      return reply([both.subarray(0, 13), both.subarray(13)]);
    });
    const got: IChannelResolved[] = [];
    await reader.series(
      {
        channels: [
          channel('r1', 'a.x'),
          channel('r1', 'a.bad'),
          channel('r 2', 'a.x')
        ],
        rule: 'raw',
        bins: 420,
        range: [1, 2]
      },
      resolved => got.push(resolved)
    ).done;
    expect(paths).toEqual([
      `runs/r1/series?${seriesQuery(['a.x', 'a.bad'], 'raw', 420, [1, 2])}`,
      'runs/r%202/series?channel=a.x&rule=raw&width=420&x0=1&x1=2'
    ]);
    const first = got.find(g => g.run === 'r1' && g.name === 'a.x')!;
    expect(Array.from(first.result!.series.columns.value)).toEqual([1, 1e4]);
    expect(Array.from(first.result!.series.band!.hi)).toEqual([2, 1e4]);
    expect(first.result!.reduced).toBe(true);
    expect(got.find(g => g.name === 'a.bad')!.error).toMatch(/bad header/);
    // 'r 2' answered with a frame it wasn't asked for too: dropped.
    expect(got.filter(g => g.run === 'r 2').map(g => g.name)).toEqual(['a.x']);
  });

  it('asks for the series against x when the review draws on a step', async () => {
    const paths: string[] = [];
    const reader = new ServerSeriesReader(async path => {
      paths.push(path);
      return reply([frame('loss.train')]);
    });
    await reader.series(
      {
        channels: [channel('r1', 'loss.train')],
        rule: 60,
        bins: 300,
        range: [1000, 5000],
        x: 'env.step'
      },
      () => undefined
    ).done;
    expect(paths).toEqual([
      'runs/r1/series?channel=loss.train&rule=60&width=300&x0=1000&x1=5000&x=env.step'
    ]);
    expect(seriesQuery(['a'], 'raw', 10)).not.toMatch(/&x=/);
  });

  it('gives every channel the reason when the server refuses', async () => {
    const reader = new ServerSeriesReader(async () => {
      throw new Error('width must be at most 10000');
    });
    const got: IChannelResolved[] = [];
    await reader.series(
      {
        channels: [channel('r', 'a.x'), channel('r', 'b.y')],
        rule: 60,
        bins: 20000
      },
      resolved => got.push(resolved)
    ).done;
    expect(got.map(g => [g.name, g.error])).toEqual([
      ['a.x', 'width must be at most 10000'],
      ['b.y', 'width must be at most 10000']
    ]);
  });

  it("opens every run's request at once, a review's at low priority and a zoom's at high", async () => {
    const opened: [string, RequestPriority | undefined][] = [];
    const answers: (() => void)[] = [];
    const reader = new ServerSeriesReader(
      (path, _signal, priority) =>
        new Promise<Response>(resolve => {
          opened.push([path, priority]);
          answers.push(() => resolve(reply([frame('a.x')])));
        })
    );
    const runs = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
    const got: string[] = [];
    const review = reader.series(
      {
        channels: runs.map(run => channel(run, 'a.x')),
        rule: 60,
        bins: 300
      },
      resolved => got.push(resolved.run)
    );
    await Promise.resolve();
    // None answered yet, and all eight are open: none waits for another.
    expect(opened.map(([path]) => path.split('/')[1])).toEqual(runs);
    expect(new Set(opened.map(([, priority]) => priority))).toEqual(
      new Set(['low'])
    );
    answers.forEach(answer => answer());
    await review.done;
    expect(got.sort()).toEqual(runs);

    const zoom = reader.series(
      { channels: [channel('r0', 'a.x')], rule: 60, bins: 300, range: [1, 2] },
      () => undefined
    );
    await Promise.resolve();
    expect(opened[8][1]).toBe('high');
    answers[8]();
    await zoom.done;
  });

  it('stops answering once cancelled', async () => {
    let release: () => void = () => undefined;
    const reader = new ServerSeriesReader(
      () =>
        new Promise<Response>(resolve => {
          release = () => resolve(reply([frame('a.x')]));
        })
    );
    const got: IChannelResolved[] = [];
    const pending = reader.series(
      { channels: [channel('r', 'a.x')], rule: 'raw', bins: 100 },
      resolved => got.push(resolved)
    );
    pending.cancel();
    release();
    await pending.done;
    expect(got).toEqual([]);
  });
});

describe('batchByRun', () => {
  /** `runs` runs of `channels` channels each, in grid order (channel-major). */
  const gridOrder = (runs: number, channels: number) =>
    Array.from({ length: channels }, (_, c) =>
      Array.from({ length: runs }, (_, r) => channel(`r${r}`, `g${c}.x`))
    ).flat();

  it("asks every run's first slice before any run's second", () => {
    const batches = batchByRun(gridOrder(3, 60), 4);
    expect(batches.map(b => [b.run, b.names.length])).toEqual([
      ...[0, 1, 2, 3].flatMap(() => [
        ['r0', 15],
        ['r1', 15],
        ['r2', 15]
      ])
    ]);
    expect(batches[0].names.slice(0, 2)).toEqual(['g0.x', 'g1.x']);
    expect(batches[3].names[0]).toBe('g15.x');
  });

  it('keeps one run, and small runs, to as few requests as the limit allows', () => {
    expect(batchByRun(gridOrder(1, 60), 4).map(b => b.names.length)).toEqual([
      60
    ]);
    expect(batchByRun(gridOrder(2, 10), 4).map(b => b.names.length)).toEqual([
      8, 8, 2, 2
    ]);
    expect(
      batchByRun(gridOrder(1, CHANNELS_PER_REQUEST + 1)).map(
        b => b.names.length
      )
    ).toEqual([CHANNELS_PER_REQUEST, 1]);
  });
});
