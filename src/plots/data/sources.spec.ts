import { FakeRunwatchAPI } from '../../client/testing';
import { defaultRule, runsSpanS } from '../series/defaultRule';
import { SnapshotRun } from './sources';

describe('SnapshotRun', () => {
  it('knows when its stats were last written, so a short run opens fine-grained', async () => {
    const api = new FakeRunwatchAPI();
    const created = Date.UTC(2024, 0, 2, 3, 4, 5);
    api.addRun('short-run');
    const bytes = new Uint8Array(0);
    api.append('short-run', 'stats.loss.0.npr', bytes, {
      mtime_ms: created + 10_000
    });
    api.append('short-run', 'stats.acc.0.npr', bytes, {
      mtime_ms: created + 25_000
    });
    api.append('short-run', 'logs.0.txt', bytes, {
      mtime_ms: created + 90_000 // logs don't count: no plot shows them
    });
    const run = new SnapshotRun('short-run', api);
    await run.ready;
    expect(run.createdMs).toBe(created);
    expect(run.lastWriteMs).toBe(created + 25_000);
    // Killed after 25 s: not one 60 s bucket, but 25 of 1 s.
    expect(runsSpanS([run])).toBe(25);
    expect(defaultRule(runsSpanS([run]))).toBe(1);
  });

  it('says whether its listing found steering to show', async () => {
    const api = new FakeRunwatchAPI();
    api.addRun('plain');
    api.addRun('steered');
    api.append('steered', '_steer.json', new Uint8Array(0));
    const [plain, steered] = [
      new SnapshotRun('plain', api),
      new SnapshotRun('steered', api)
    ];
    await Promise.all([plain.ready, steered.ready]);
    expect([plain.steering, steered.steering]).toEqual([false, true]);
  });
});
