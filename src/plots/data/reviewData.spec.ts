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

/** A listed run with `channels` (name → kind). */
function source(run: string, channels: Record<string, string>) {
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
    ready: Promise.resolve(),
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
    expect(reader.requests.map(r => r.x)).toEqual([undefined]);
    expect(reader.requests[0].channels.map(c => c.run)).toContain('old');

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
