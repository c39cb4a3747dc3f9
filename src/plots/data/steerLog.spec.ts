import type { ISteerLogEntry, ISteerState } from '../../steering/steerState';
import { FetchSteer, SteerLog } from './steerLog';

const created = Date.UTC(2026, 10, 28, 12, 0, 0);

/** An applied change of `key` to `value`, `seconds` after `created`. */
function applied(key: string, value: number, seconds: number): ISteerLogEntry {
  const time = new Date(created + seconds * 1000).toISOString();
  return {
    id: key,
    time: time.replace('T', ' ').replace('Z', '+00:00'),
    step: seconds * 10,
    key,
    new: value,
    status: 'applied',
    reason: null
  };
}

/** A server whose runs answer with `logs` (a run not in it: an error). */
function server(logs: Record<string, ISteerLogEntry[]>): FetchSteer {
  return async run => {
    if (!(run in logs)) {
      throw new Error('no such run');
    }
    return { run, declared: true, log: logs[run] } as unknown as ISteerState;
  };
}

/** A review's log of `runs`, once it has read them all. */
async function loaded(
  runs: string[],
  logs: Record<string, ISteerLogEntry[]>
): Promise<SteerLog> {
  const log = new SteerLog(runs, false, server(logs));
  await new Promise<void>(resolve => log.changed.connect(() => resolve()));
  return log;
}

describe('SteerLog', () => {
  it("marks one run's applied changes at seconds since it began", async () => {
    const log = await loaded(['a'], { a: [applied('lr', 0.001, 30)] });
    expect(log.marks([{ run: 'a', createdMs: created }], undefined)).toEqual([
      { x: 30, text: 'lr=0.001' }
    ]);
    log.dispose();
  });

  it('names each run in its labels when there are several, on a step x', async () => {
    const log = await loaded(['a', 'b', 'gone'], {
      a: [applied('lr', 0.001, 30)],
      b: [applied('momentum', 0.9, 5)]
    });
    const sources = ['a', 'b', 'gone'].map(run => ({
      run,
      createdMs: created
    }));
    expect(log.marks(sources, 'step')).toEqual([
      { x: 300, text: 'a: lr=0.001' },
      { x: 50, text: 'b: momentum=0.9' }
    ]);
    log.dispose();
  });

  it('marks nothing for sources it does not follow (a group)', async () => {
    const log = new SteerLog([], false, server({}));
    expect(
      log.marks([{ run: 'group 1', createdMs: created }], undefined)
    ).toEqual([]);
    log.dispose();
  });

  it("reads nothing until the plots' data is in", async () => {
    const asked: string[] = [];
    const fetch: FetchSteer = async run => {
      asked.push(run);
      return { run, declared: true, log: [] } as unknown as ISteerState;
    };
    let dataIn!: () => void;
    const after = new Promise<void>(resolve => (dataIn = resolve));
    const log = new SteerLog(['a', 'b'], false, fetch, after);
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(asked).toEqual([]);
    dataIn();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(asked).toEqual(['a', 'b']);
    log.dispose();
  });

  it('asks only for the runs whose listing did not say they have no steering', async () => {
    const asked: string[] = [];
    const fetch: FetchSteer = async run => {
      asked.push(run);
      return { run, declared: true, log: [] } as unknown as ISteerState;
    };
    const listed: Record<string, boolean | undefined> = {
      steered: true,
      plain: false,
      unknown: undefined
    };
    const log = new SteerLog(
      Object.keys(listed),
      false,
      fetch,
      Promise.resolve(),
      run => listed[run] !== false
    );
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(asked).toEqual(['steered', 'unknown']);
    log.dispose();
  });
});
