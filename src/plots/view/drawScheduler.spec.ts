import { DrawScheduler, IDrawPass, IFrames } from './drawScheduler';

/** Animation frames that run only when the test says so. */
class ManualFrames implements IFrames {
  request(callback: () => void): number {
    const handle = this._next++;
    this._callbacks.set(handle, callback);
    return handle;
  }
  cancel(handle: number): void {
    this._callbacks.delete(handle);
  }
  get pending(): number {
    return this._callbacks.size;
  }
  /** Run the frames asked for so far. */
  run(): void {
    const callbacks = [...this._callbacks.values()];
    this._callbacks.clear();
    callbacks.forEach(callback => callback());
  }
  private readonly _callbacks = new Map<number, () => void>();
  private _next = 1;
}

/** Let promise callbacks run. */
const turn = () => new Promise(resolve => setTimeout(resolve, 0));

/** A scheduler whose passes end when the test releases them. */
function harness(held = () => false) {
  const frames = new ManualFrames();
  const passes: { all: boolean; groups: string[] }[] = [];
  const releases: (() => void)[] = [];
  const failures: unknown[] = [];
  let drawing = 0;
  let overlapped = false;
  let fail = false;
  let heldCalls = 0;
  const scheduler = new DrawScheduler({
    draw: (pass: IDrawPass) => {
      passes.push({ all: pass.all, groups: [...pass.groups].sort() });
      overlapped ||= drawing > 0;
      drawing++;
      return new Promise<void>((resolve, reject) =>
        releases.push(() => {
          drawing--;
          if (fail) {
            reject(new Error('plotly broke'));
          } else {
            resolve();
          }
        })
      );
    },
    failed: error => failures.push(error),
    held,
    onHeld: () => heldCalls++,
    frames
  });
  /** End the pass under way. */
  const release = async () => {
    releases.shift()!();
    await turn();
  };
  return {
    scheduler,
    frames,
    passes,
    release,
    failures,
    overlapped: () => overlapped,
    heldCalls: () => heldCalls,
    failNext: () => (fail = true)
  };
}

describe('DrawScheduler', () => {
  it('asks for nothing before it starts, keeping what was marked', async () => {
    const { scheduler, frames, passes } = harness();
    scheduler.mark(['loss']);
    scheduler.schedule();
    expect(frames.pending).toBe(0);
    scheduler.start();
    scheduler.schedule();
    scheduler.schedule();
    expect(frames.pending).toBe(1);
    frames.run();
    expect(passes).toEqual([{ all: false, groups: ['loss'] }]);
  });

  it('never draws two passes at once; changes during a pass queue exactly one more', async () => {
    const { scheduler, frames, passes, release, overlapped } = harness();
    scheduler.start();
    scheduler.markAll();
    scheduler.schedule();
    frames.run();
    expect(passes).toEqual([{ all: true, groups: [] }]);

    // Three changes, each on its own frame, while the first pass draws.
    for (const group of ['loss', 'reward', 'loss']) {
      scheduler.mark([group]);
      scheduler.schedule();
      frames.run();
    }
    expect(passes).toHaveLength(1);
    expect(scheduler.idle(false)).toBe(false);

    await release();
    expect(frames.pending).toBe(1);
    frames.run();
    expect(passes).toEqual([
      { all: true, groups: [] },
      { all: false, groups: ['loss', 'reward'] }
    ]);

    await release();
    expect(frames.pending).toBe(0);
    expect(passes).toHaveLength(2);
    expect(overlapped()).toBe(false);
    expect(scheduler.idle(false)).toBe(true);
  });

  it('stops on disposal: the frame asked for is cancelled, none is asked again', async () => {
    const { scheduler, frames, passes } = harness();
    scheduler.start();
    scheduler.mark(['loss']);
    scheduler.schedule();
    expect(frames.pending).toBe(1);
    scheduler.dispose();
    expect(frames.pending).toBe(0);
    scheduler.markAll();
    scheduler.schedule();
    frames.run();
    expect(passes).toEqual([]);
  });

  it('a pass under way at disposal asks for no pass after it', async () => {
    const { scheduler, frames, passes, release } = harness();
    scheduler.start();
    scheduler.markAll();
    void scheduler.flush();
    scheduler.mark(['loss']);
    void scheduler.flush(); // queued behind the first
    scheduler.dispose();
    await release();
    expect(frames.pending).toBe(0);
    expect(passes).toHaveLength(1);
  });

  it('holds passes that redraw groups only while held, keeping the groups', async () => {
    let paused = true;
    const { scheduler, frames, passes, release, heldCalls } = harness(
      () => paused
    );
    scheduler.start();
    scheduler.mark(['loss']);
    scheduler.schedule();
    frames.run();
    expect(passes).toEqual([]);
    expect(heldCalls()).toBe(1);
    // A paused view is idle with its groups held back.
    expect(scheduler.idle(true)).toBe(true);
    expect(scheduler.idle(false)).toBe(false);

    // Redrawing everything (a new rule, theme or width) is never held.
    scheduler.markAll();
    scheduler.schedule();
    frames.run();
    expect(passes).toEqual([{ all: true, groups: ['loss'] }]);
    await release();

    paused = false;
    scheduler.mark(['reward']);
    scheduler.schedule();
    frames.run();
    expect(passes[1]).toEqual({ all: false, groups: ['reward'] });
  });

  it('reports a failed pass and draws again on the next change', async () => {
    const { scheduler, frames, passes, release, failures, failNext } =
      harness();
    scheduler.start();
    scheduler.markAll();
    const first = scheduler.flush();
    failNext();
    await release();
    await first;
    expect(failures).toEqual([new Error('plotly broke')]);
    await scheduler.lastPass; // settles, never rejects

    scheduler.mark(['loss']);
    scheduler.schedule();
    frames.run();
    expect(passes).toHaveLength(2);
  });
});
