import { Signal } from '@lumino/signaling';
import { IRunwatchAPI } from '../../client';
import {
  IChannelResolved,
  IPendingRequest,
  ISeriesReader,
  ISeriesRequest
} from '../protocol';
import { ReviewData } from './reviewData';
import { ISnapshotSource, SnapshotChannel } from './sources';
import { IGridMember } from '../series/grid';

/** A listed run with `channels` (name → kind), listed once `ready` settles. */
function source(
  run: string,
  channels: Record<string, string>,
  ready: Promise<void> = Promise.resolve()
) {
  return {
    run,
    info: {},
    channels: new Map(
      Object.entries(channels).map(([name, kind]) => [
        name,
        new SnapshotChannel(run, '0', name, kind)
      ])
    ),
    message: undefined,
    failed: false,
    createdMs: 0,
    lastWriteMs: 0,
    ready,
    changed: new Signal<unknown, readonly string[]>({}),
    dispose: () => undefined
  } as unknown as ISnapshotSource;
}

/** Answers every channel at once with x = [1, 2], noting each request. */
class FakeReader implements ISeriesReader {
  requests: ISeriesRequest[] = [];
  series(
    request: ISeriesRequest,
    onChannel: (resolved: IChannelResolved) => void
  ): IPendingRequest {
    this.requests.push(request);
    request.channels.forEach(c =>
      onChannel({
        run: c.run,
        name: c.name,
        result: {
          series: {
            x: Float64Array.from([1, 2]),
            columns: { value: Float64Array.from([0, 0]) },
            style: 'line'
          },
          reduced: false
        }
      })
    );
    return { done: Promise.resolve(), cancel: () => undefined };
  }
  async csv(): Promise<Blob> {
    return new Blob([]);
  }
  dispose(): void {
    return;
  }
}

describe('ReviewData x', () => {
  it('reads every series again against x, only from the runs that log it', async () => {
    const reader = new FakeReader();
    const fast = source('fast', { step: 'last', 'loss.train': 'mean' });
    const old = source('old', { 'loss.train': 'mean' });
    const data = new ReviewData(
      ['fast', 'old'],
      {} as IRunwatchAPI,
      60,
      () => 300,
      { sources: [fast, old], reader }
    );
    await data.ready;
    data.setRule(10, []);
    await data.idle();
    expect(reader.requests.map(r => [r.rule, r.x])).toEqual([
      [60, undefined],
      [10, undefined]
    ]);
    expect(reader.requests[1].channels.map(c => c.run)).toContain('old');
    reader.requests.shift();

    data.setX('step');
    await data.idle();
    expect(data.x).toBe('step');
    const onStep = reader.requests[1];
    expect(onStep.x).toBe('step');
    expect(onStep.rule).toBe(10);
    expect(onStep.channels.map(c => `${c.run}:${c.name}`)).toEqual([
      'fast:loss.train',
      'fast:step'
    ]);

    // Back on time: every run again, without x.
    data.setX(undefined);
    await data.idle();
    expect(reader.requests[2].x).toBeUndefined();
    expect(reader.requests[2].channels).toHaveLength(3);
    data.dispose();
  });
});

describe('ReviewData loading', () => {
  it("asks once for every run's channels, in grid order, when all are listed", async () => {
    const reader = new FakeReader();
    let listSecond = () => undefined as void;
    const second = new Promise<void>(resolve => (listSecond = resolve));
    const sources = [
      source('2024-01-01 00-00-00 a-a', { 'loss.x': 'last', 'acc.y': 'last' }),
      source(
        '2024-01-01 00-00-01 b-b',
        { 'loss.x': 'last', 'acc.y': 'last' },
        second
      )
    ];
    const data = new ReviewData(
      sources.map(s => s.run),
      {} as IRunwatchAPI,
      60,
      () => 300,
      { sources, reader }
    );
    await Promise.resolve();
    (sources[0].changed as Signal<unknown, readonly string[]>).emit(['loss.x']);
    expect(reader.requests).toEqual([]); // the other run isn't listed yet
    listSecond();
    await data.ready;
    expect(reader.requests).toHaveLength(1);
    expect(
      reader.requests[0].channels.map(c => `${c.run.slice(-3)}:${c.name}`)
    ).toEqual(['a-a:acc.y', 'b-b:acc.y', 'a-a:loss.x', 'b-b:loss.x']);
    data.dispose();
  });
});

describe('ReviewData sources', () => {
  it('disposes the runs it listed, and leaves borrowed ones to their owner', async () => {
    const disposed: string[] = [];
    const listed = (run: string) => {
      const s = source(run, { 'loss.x': 'last' });
      (s as { dispose: () => void }).dispose = () => void disposed.push(run);
      return s;
    };
    const reader = new FakeReader();
    const owned = new ReviewData(['a'], {} as IRunwatchAPI, 60, () => 300, {
      sources: [listed('a')],
      reader
    });
    let binsAsked = 0;
    const bins = () => {
      binsAsked++;
      return 300;
    };
    const borrowed = new ReviewData(['b'], {} as IRunwatchAPI, 60, bins, {
      sources: [listed('b')],
      reader,
      borrowed: true
    });
    await Promise.all([owned.ready, borrowed.ready]);
    const asked = binsAsked;
    owned.dispose();
    borrowed.dispose();
    expect(disposed).toEqual(['a']);
    // The borrowed run lives on, but the disposed review no longer listens.
    const changed = borrowed.sources[0].changed as Signal<
      unknown,
      readonly string[]
    >;
    changed.emit(['loss.x']);
    expect(binsAsked).toBe(asked); // no load was started
    expect(asked).toBeGreaterThan(0);
  });
});

describe('ReviewData in view first', () => {
  /** The widget's side: `plots` in view. */
  const inView = (plots: number) => ({ minLater: 1, plots: async () => plots });
  const member = (run: string, channel: string) =>
    ({ run, channel }) as unknown as IGridMember;
  const names = (request: ISeriesRequest) =>
    request.channels.map(c => `${c.run}:${c.name}`);

  /** Answers every channel at once, but each request ends on `release`. */
  class GatedReader extends FakeReader {
    ends: (() => void)[] = [];
    series(
      request: ISeriesRequest,
      onChannel: (resolved: IChannelResolved) => void
    ): IPendingRequest {
      super.series(request, onChannel);
      const done = new Promise<void>(resolve => this.ends.push(resolve));
      return { done, cancel: () => undefined };
    }
    release(): void {
      this.ends.splice(0).forEach(end => end());
    }
  }

  async function review(view: ReturnType<typeof inView>) {
    const reader = new GatedReader();
    const sources = ['a', 'b'].map(run =>
      source(run, { 'g1.x': 'last', 'g2.x': 'last', 'g3.x': 'last' })
    );
    const data = new ReviewData(
      ['a', 'b'],
      {} as IRunwatchAPI,
      60,
      () => 300,
      { sources, reader },
      undefined,
      view
    );
    await data.ready;
    // The split waits for `plots`, a microtask away.
    await new Promise(resolve => setTimeout(resolve, 0));
    return { data, reader };
  }

  it('asks for the plots in view first, the rest once their series are in', async () => {
    const { data, reader } = await review(inView(1));
    expect(reader.requests.map(names)).toEqual([['a:g1.x', 'b:g1.x']]);
    // The rest wait as if asked: no plot is drawn without its series.
    expect(data.waiting([member('a', 'g1.x')], 60)).toBe(false);
    expect(data.waiting([member('b', 'g3.x')], 60)).toBe(true);
    expect(data.busy).toBe(true);
    let idle = false;
    void data.idle().then(() => (idle = true));
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(idle).toBe(false);
    expect(reader.requests).toHaveLength(1);

    reader.release(); // the first screen's series are all in
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(reader.requests.map(names)).toEqual([
      ['a:g1.x', 'b:g1.x'],
      ['a:g2.x', 'b:g2.x', 'a:g3.x', 'b:g3.x']
    ]);
    reader.release();
    await data.idle();
    expect(data.waiting([member('b', 'g3.x')], 60)).toBe(false);
    expect(data.busy).toBe(false);
    data.dispose();
  });

  it('asks for nothing more of a load a new rule superseded', async () => {
    const { data, reader } = await review(inView(1));
    data.setRule(10, []);
    await new Promise(resolve => setTimeout(resolve, 0));
    for (let i = 0; i < 3; i++) {
      reader.release();
      await new Promise(resolve => setTimeout(resolve, 0));
    }
    await data.idle();
    expect(reader.requests.map(r => [r.rule, ...names(r)])).toEqual([
      [60, 'a:g1.x', 'b:g1.x'],
      [10, 'a:g1.x', 'b:g1.x'],
      [10, 'a:g2.x', 'b:g2.x', 'a:g3.x', 'b:g3.x']
    ]);
    data.dispose();
  });

  it('asks for everything at once when every plot is in view', async () => {
    const { data, reader } = await review(inView(3));
    reader.release();
    await data.idle();
    expect(reader.requests).toHaveLength(1);
    expect(reader.requests[0].channels).toHaveLength(6);
    data.dispose();
  });
});

describe('ReviewData shared bands', () => {
  it("asks for each run's own band once a run is hidden, and for the zoomed plots too", async () => {
    // The reader answers every channel with only its runs' folded band.
    const reader = new FakeReader();
    const fold = {
      x: Float64Array.of(1),
      lo: Float64Array.of(0),
      hi: Float64Array.of(1)
    };
    const answer = reader.series.bind(reader);
    reader.series = (request, onChannel) =>
      answer(request, resolved =>
        onChannel({
          ...resolved,
          result: {
            ...resolved.result!,
            series: request.shareBands
              ? { ...resolved.result!.series, sharedBand: fold }
              : resolved.result!.series
          }
        })
      );
    const runs = ['r0', 'r1', 'r2', 'r3', 'r4'];
    const data = new ReviewData(runs, {} as IRunwatchAPI, 60, () => 300, {
      sources: runs.map(run => source(run, { 'g.a': 'mean' })),
      reader
    });
    await data.ready;
    await data.idle();
    expect(reader.requests.map(r => r.shareBands)).toEqual([true]);
    data.setShareBands(true, []);
    expect(reader.requests).toHaveLength(1);
    const view = { group: 'g', range: [0, 1] as const, bins: 300 };
    data.setShareBands(false, [view]);
    await data.idle();
    expect(reader.requests.map(r => [r.shareBands, r.range])).toEqual([
      [true, undefined],
      [false, undefined],
      [false, [0, 1]]
    ]);
    expect(reader.requests[1].channels).toHaveLength(5);
    const member = { run: 'r0', channel: 'g.a' } as IGridMember;
    expect(data.series('g', member, 60, undefined)?.sharedBand).toBeUndefined();
    // Shown again: the runs' own bands stay; nothing is asked.
    data.setShareBands(true, []);
    expect(reader.requests).toHaveLength(3);
  });
});
