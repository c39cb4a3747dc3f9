/**
 * Coalescing a model's changes into one notification per animation frame.
 */

/** What changed since the last notification. */
export interface IRunChange {
  /** Channels whose rows or error changed. */
  readonly channels: ReadonlySet<string>;
  /** Log files with new lines. */
  readonly logs: ReadonlySet<string>;
  /** State, status, info, size or connection. */
  readonly header: boolean;
}

/** Runs `callback` once soon and returns a canceller. */
export type FrameScheduler = (callback: () => void) => () => void;

/** Schedule on the next animation frame (a timer where there are none). */
export function nextAnimationFrame(callback: () => void): () => void {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(() => callback());
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(callback, 16);
  return () => clearTimeout(id);
}

/**
 * Collects changes and flushes them together at most once per frame, so a
 * burst of appends costs the view one update.
 */
export class ChangeBatch {
  constructor(
    private readonly _flush: (change: IRunChange) => void,
    private readonly _schedule: FrameScheduler = nextAnimationFrame
  ) {}

  /** Note a change to the header facts. */
  header(): void {
    this._pending.header = true;
    this._request();
  }

  /** Note new rows (or an error) in a channel. */
  channel(name: string): void {
    this._pending.channels.add(name);
    this._request();
  }

  /** Note new lines in a log file. */
  log(name: string): void {
    this._pending.logs.add(name);
    this._request();
  }

  /** Drop anything pending and stop for good. */
  dispose(): void {
    this._disposed = true;
    this._cancel?.();
    this._cancel = undefined;
  }

  private _request(): void {
    if (this._cancel || this._disposed) {
      return;
    }
    this._cancel = this._schedule(() => {
      this._cancel = undefined;
      const change = this._pending;
      this._pending = emptyChange();
      if (!this._disposed) {
        this._flush(change);
      }
    });
  }

  private _pending = emptyChange();
  private _cancel: (() => void) | undefined = undefined;
  private _disposed = false;
}

function emptyChange(): {
  channels: Set<string>;
  logs: Set<string>;
  header: boolean;
} {
  return { channels: new Set(), logs: new Set(), header: false };
}
