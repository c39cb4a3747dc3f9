/**
 * Work nobody is waiting for, done one piece per idle moment of the page,
 * in the order it was added: the plotly build of each sketched plot
 * (`plotSketch.ts`). Work taken early (the pointer reached a plot) is
 * simply found done when its turn comes.
 */
import { whenIdle } from './yieldToBrowser';

export class IdleQueue {
  constructor(private readonly _idle: () => Promise<void> = whenIdle) {}

  /** Queue `work`; it runs after everything queued before it. */
  add(work: () => Promise<void>): void {
    this._queue.push(work);
    if (!this._running) {
      this._running = this._drain();
    }
  }

  /** Settles once everything queued so far has run (or was dropped). */
  async drained(): Promise<void> {
    while (this._running) {
      await this._running;
    }
  }

  /** Drop what is queued; nothing more runs. */
  dispose(): void {
    this._disposed = true;
    this._queue.length = 0;
  }

  private async _drain(): Promise<void> {
    while (this._queue.length > 0 && !this._disposed) {
      await this._idle();
      const work = this._queue.shift();
      if (work && !this._disposed) {
        try {
          await work();
        } catch (error) {
          console.warn('runwatch: work left for an idle moment failed', error);
        }
      }
    }
    this._running = undefined;
  }

  private readonly _queue: (() => Promise<void>)[] = [];
  private _running: Promise<void> | undefined = undefined;
  private _disposed = false;
}
