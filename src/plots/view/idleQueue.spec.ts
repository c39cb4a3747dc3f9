import { IdleQueue } from './idleQueue';

/** Idle moments the test hands out one at a time. */
function moments() {
  const waiting: (() => void)[] = [];
  return {
    idle: () => new Promise<void>(resolve => waiting.push(resolve)),
    async next(): Promise<void> {
      waiting.shift()?.();
      // Let the queue take its piece and ask for the next moment.
      for (let i = 0; i < 5; i++) {
        await Promise.resolve();
      }
    },
    get asked(): number {
      return waiting.length;
    }
  };
}

describe('IdleQueue', () => {
  it('runs one piece per idle moment, in order', async () => {
    const clock = moments();
    const queue = new IdleQueue(clock.idle);
    const ran: string[] = [];
    queue.add(async () => void ran.push('a'));
    queue.add(async () => void ran.push('b'));
    expect(ran).toEqual([]);
    await clock.next();
    expect(ran).toEqual(['a']);
    await clock.next();
    expect(ran).toEqual(['a', 'b']);
    await queue.drained();
  });

  it('runs nothing more once disposed', async () => {
    const clock = moments();
    const queue = new IdleQueue(clock.idle);
    const ran: string[] = [];
    queue.add(async () => void ran.push('a'));
    queue.add(async () => void ran.push('b'));
    await clock.next();
    queue.dispose();
    await clock.next();
    await queue.drained();
    expect(ran).toEqual(['a']);
  });

  it('keeps going after a piece fails', async () => {
    const clock = moments();
    const queue = new IdleQueue(clock.idle);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const ran: string[] = [];
    queue.add(async () => {
      throw new Error('plotly refused');
    });
    queue.add(async () => void ran.push('b'));
    await clock.next();
    await clock.next();
    await queue.drained();
    expect(ran).toEqual(['b']);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('drained waits for work added while it waited', async () => {
    const clock = moments();
    const queue = new IdleQueue(clock.idle);
    const ran: string[] = [];
    queue.add(async () => void ran.push('a'));
    let done = false;
    void queue.drained().then(() => (done = true));
    queue.add(async () => void ran.push('b'));
    await clock.next();
    expect(done).toBe(false);
    await clock.next();
    await queue.drained();
    expect(done).toBe(true);
    expect(ran).toEqual(['a', 'b']);
  });
});
