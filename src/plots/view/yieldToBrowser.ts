/**
 * Give the page a turn (input, paint) between pieces of long work, so no
 * single task holds the UI thread.
 */

export function yieldToBrowser(): Promise<void> {
  const scheduler = (
    globalThis as { scheduler?: { yield?: () => Promise<void> } }
  ).scheduler;
  if (typeof scheduler?.yield === 'function') {
    return scheduler.yield();
  }
  return new Promise(resolve => setTimeout(resolve, 0));
}

/**
 * Wait until the page is idle (or `timeoutMs` has passed): for work the
 * user is not waiting for, such as the picture a saved notebook keeps, so
 * it never competes with drawing or input.
 */
export function whenIdle(timeoutMs = 2000): Promise<void> {
  const idle = (
    globalThis as {
      requestIdleCallback?: (
        callback: () => void,
        options: { timeout: number }
      ) => number;
    }
  ).requestIdleCallback;
  if (typeof idle === 'function') {
    return new Promise(resolve => {
      idle(() => resolve(), { timeout: timeoutMs });
    });
  }
  return new Promise(resolve => setTimeout(resolve, 0));
}

/**
 * `work` on each item in order, after `pace` gives the page its turn; the
 * results, or `undefined` as soon as `stopped` says the results are no
 * longer wanted (nothing more is started).
 */
export async function eachInTurn<T, R>(
  items: readonly T[],
  pace: () => Promise<void>,
  stopped: () => boolean,
  work: (item: T) => Promise<R>
): Promise<R[] | undefined> {
  const results: R[] = [];
  for (const item of items) {
    await pace();
    if (stopped()) {
      return undefined;
    }
    results.push(await work(item));
  }
  return stopped() ? undefined : results;
}
