import { encodeSeriesFrame } from './seriesFrames';
import {
  batchAcrossRuns,
  batchByRun,
  CHANNELS_PER_REQUEST,
  FRAMES_PER_REQUEST,
  framesPerRequest,
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

const frame = (
  name: string,
  kind = 'last',
  error: string | null = null,
  run?: string
) =>
  encodeSeriesFrame(
    {
      channel: name,
      kind,
      rows: 2,
      reduced: true,
      x0: 0,
      x1: 1,
      error,
      ...(run === undefined ? {} : { run })
    },
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
  it('asks for several runs in one request and hands over frames as they arrive', async () => {
    const paths: string[] = [];
    const reader = new ServerSeriesReader(async path => {
      paths.push(path);
      const all = new Uint8Array([
        ...frame('a.x', 'last', null, 'r1'),
        ...frame('a.x', 'last', null, 'r 2'),
        ...frame('a.bad', 'last', 'stats.a.bad.0.npr: bad header', 'r1'),
        // 'r 2' has a.bad too, but it wasn't asked for: dropped.
        ...frame('a.bad', 'last', null, 'r 2')
      ]);
      return reply([all.subarray(0, 13), all.subarray(13)]);
    });
    const got: IChannelResolved[] = [];
    await reader.series(
      {
        channels: [
          channel('r1', 'a.x'),
          channel('r 2', 'a.x'),
          channel('r1', 'a.bad'),
          channel('r 2', 'a.y')
        ],
        rule: 'raw',
        bins: 420,
        range: [1, 2]
      },
      resolved => got.push(resolved)
    ).done;
    expect(paths).toEqual([
      'series?run=r1&run=r%202&' +
        seriesQuery(['a.x', 'a.bad', 'a.y'], 'raw', 420, [1, 2])
    ]);
    const first = got.find(g => g.run === 'r1' && g.name === 'a.x')!;
    expect(Array.from(first.result!.series.columns.value)).toEqual([1, 1e4]);
    expect(Array.from(first.result!.series.band!.hi)).toEqual([2, 1e4]);
    expect(first.result!.reduced).toBe(true);
    expect(got.find(g => g.name === 'a.bad')!.error).toMatch(/bad header/);
    expect(got.map(g => [g.run, g.name, !!g.result])).toEqual([
      ['r1', 'a.x', true],
      ['r 2', 'a.x', true],
      ['r1', 'a.bad', false],
      // Asked for and never sent: its error, so its plot doesn't wait.
      ['r 2', 'a.y', false]
    ]);
    expect(got[3].error).toBe('the server sent no series');
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

  it("opens a review's requests at once, at low priority, and a zoom's at high", async () => {
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
    const names = Array.from({ length: 40 }, (_, c) => `g${c}.x`);
    const got: string[] = [];
    const review = reader.series(
      {
        channels: names.flatMap(name => runs.map(run => channel(run, name))),
        rule: 60,
        bins: 300
      },
      resolved => got.push(resolved.run)
    );
    await Promise.resolve();
    // None answered yet, and every slice is open: none waits for another
    // (52 frames a request at 300 px: 6 channels of the 8 runs).
    expect(opened).toHaveLength(7);
    expect(opened.every(([path]) => path.startsWith('series?run=r0&'))).toBe(
      true
    );
    expect(new Set(opened.map(([, priority]) => priority))).toEqual(
      new Set(['low'])
    );
    answers.forEach(answer => answer());
    await review.done;
    // Every run's every channel is answered (here: the server sent none).
    expect(got).toHaveLength(runs.length * names.length);

    const zoom = reader.series(
      { channels: [channel('r0', 'a.x')], rule: 60, bins: 300, range: [1, 2] },
      () => undefined
    );
    await Promise.resolve();
    expect(opened[7]).toEqual([
      'runs/r0/series?channel=a.x&rule=60&width=300&x0=1&x1=2',
      'high'
    ]);
    answers[7]();
    await zoom.done;
  });

  it('asks for the bands of more than four runs folded, and gives each run the fold', async () => {
    const runs = ['r0', 'r1', 'r2', 'r3', 'r4'];
    const fold = encodeSeriesFrame(
      {
        channel: 'a.x',
        kind: 'last',
        rows: 0,
        reduced: true,
        x0: 0,
        x1: 1,
        error: null,
        band: 'shared'
      },
      { x: [0, 1], 'band.lo': [-1, NaN], 'band.hi': [NaN, 1e4] }
    );
    const runFrame = (run: string) =>
      encodeSeriesFrame(
        {
          channel: 'a.x',
          kind: 'last',
          rows: 2,
          reduced: true,
          x0: 0,
          x1: 1,
          error: null,
          run,
          band: 'shared'
        },
        { x: [0, 1], value: [1, 2] }
      );
    const paths: string[] = [];
    const reader = new ServerSeriesReader(async path => {
      paths.push(path);
      return reply([
        new Uint8Array([...fold, ...runs.flatMap(r => [...runFrame(r)])])
      ]);
    });
    const ask = async (some: string[], shareBands?: boolean) => {
      const got: IChannelResolved[] = [];
      await reader.series(
        {
          channels: some.map(run => channel(run, 'a.x')),
          rule: 60,
          bins: 100,
          ...(shareBands === undefined ? {} : { shareBands })
        },
        resolved => got.push(resolved)
      ).done;
      return got;
    };
    const got = await ask(runs, true);
    expect(paths[0]).toMatch(/&band=shared$/);
    // Each run once (the fold itself is no run's), each with the same fold.
    expect(got.map(g => g.run)).toEqual(runs);
    const folds = got.map(g => g.result?.series.sharedBand);
    expect(folds.every(f => f === folds[0])).toBe(true);
    expect(Array.from(folds[0]!.hi)).toEqual([NaN, 1e4]);
    expect(got[0].result?.series.band).toBeUndefined();
    expect(Array.from(got[0].result!.series.columns.value)).toEqual([1, 2]);
    // Four runs draw their own bands, and so does a review with runs hidden.
    await ask(runs.slice(0, 4), true);
    await ask(runs, false);
    await ask(runs);
    expect(paths.slice(1).some(path => path.includes('band='))).toBe(false);
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
  it('asks a run for at most the channels the server takes at once', () => {
    const many = Array.from({ length: CHANNELS_PER_REQUEST + 1 }, (_, c) =>
      channel('r', `g${c}.x`)
    );
    expect(batchByRun(many).map(b => b.names.length)).toEqual([
      CHANNELS_PER_REQUEST,
      1
    ]);
  });
});

describe('batchAcrossRuns', () => {
  /** `runs` runs of `channels` channels each, in grid order (channel-major). */
  const gridOrder = (runs: number, channels: number) =>
    Array.from({ length: channels }, (_, c) =>
      Array.from({ length: runs }, (_, r) => channel(`r${r}`, `g${c}.x`))
    ).flat();

  it('cuts the grid into slices of channels, each of every run', () => {
    const batches = batchAcrossRuns(gridOrder(20, 60), 50);
    // 50 frames a request: 2 channels of the 20 runs each.
    expect(batches).toHaveLength(30);
    expect(batches.every(b => b.runs.length === 20)).toBe(true);
    expect(batches[0].names).toEqual(['g0.x', 'g1.x']);
    expect(batches[1].names).toEqual(['g2.x', 'g3.x']);
    expect(batches[0].asked).toHaveLength(20 * 2);
    // A run more than the frames: still a channel a request.
    expect(batchAcrossRuns(gridOrder(60, 3), 50)).toHaveLength(3);
  });

  it('answers about a megabyte a request, whatever the plots are wide', () => {
    expect(framesPerRequest(308)).toBe(50);
    expect(framesPerRequest(1200)).toBe(13);
    expect(framesPerRequest(20000)).toBe(1);
    // Without their bands (folded into one a channel), frames are half as big.
    expect(framesPerRequest(308, true)).toBe(101);
  });

  it('names only the runs with a channel of the slice', () => {
    const channels = [
      channel('r0', 'a.x'),
      channel('r1', 'a.x'),
      channel('r1', 'b.x')
    ];
    expect(batchAcrossRuns(channels, 50)).toEqual([
      { runs: ['r0', 'r1'], names: ['a.x', 'b.x'], asked: channels }
    ]);
  });

  it('keeps a request to the frames the server takes at once', () => {
    const batches = batchAcrossRuns(gridOrder(200, 60), 1e6);
    const frames = batches.map(b => b.runs.length * b.names.length);
    expect(Math.max(...frames)).toBeLessThanOrEqual(FRAMES_PER_REQUEST);
    expect(batches.flatMap(b => b.names)).toHaveLength(60);
  });
});
