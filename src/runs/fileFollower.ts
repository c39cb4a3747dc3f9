/**
 * Following a growing file: fetch only the bytes past our own offset, one
 * request at a time, catching up to the latest size the server reported.
 */
import { IFileChunk } from '../client/api';

/** The largest byte range asked for in one request. */
export const MAX_CHUNK_BYTES = 1 << 20;

/** Pushed bytes kept while behind; past this, they are dropped and read. */
const MAX_PUSHED_BYTES = 4 << 20;

/** Options for a `FileFollower`. */
export interface IFileFollowerOptions {
  /** Reads `length` bytes at `offset` (negative: from the end). */
  read: (offset: number, length: number | undefined) => Promise<IFileChunk>;
  /** Receives each chunk, in file order, with the file offset of its start. */
  onBytes: (bytes: Uint8Array, offset: number) => void;
  /** Receives a failed read; the follower retries on the next `catchUp`. */
  onError: (error: Error) => void;
  /**
   * Start with only the last `initialTail` bytes when the file is bigger
   * (log tails); default: read from the start.
   */
  initialTail?: number;
}

/**
 * Fetches a file's new bytes as it grows.
 *
 * `catchUp(size)` may be called any number of times, e.g. once per `grew`
 * message and again by a snapshot after a reconnect; at most one request is
 * in flight and a pending target size is remembered. Bytes are passed on
 * exactly once and in order, so a reconnect can't duplicate or drop any.
 */
export class FileFollower {
  constructor(private readonly _options: IFileFollowerOptions) {}

  /** The offset of the next byte to fetch. */
  get offset(): number {
    return this._offset;
  }

  /** The size to catch up to. */
  get targetSize(): number {
    return this._target;
  }

  /** A promise that settles when the follower is idle (for tests). */
  get idle(): Promise<void> {
    return this._running ?? Promise.resolve();
  }

  /** Fetch up to `size` bytes (no-op if already there or stopped). */
  catchUp(size: number): void {
    if (this._stopped || !(size > this._target)) {
      return;
    }
    this._target = size;
    if (!this._active) {
      this._active = true;
      const running = this._run().finally(() => {
        if (this._running === running) {
          this._running = undefined;
        }
      });
      this._running = running;
    }
  }

  /**
   * Take bytes the server pushed (a `grew` with inline data): `bytes` are
   * the file's bytes from `start`. They are kept and used in file order in
   * place of a read, once the follower's offset reaches them (at once when
   * they continue from it); bytes before them are read as usual. So
   * nothing is duplicated or skipped, whatever arrives while a read is in
   * flight.
   */
  offer(start: number, bytes: Uint8Array): void {
    const end = start + bytes.length;
    if (this._stopped || end <= this._offset) {
      return;
    }
    this._pushed.push({ start, bytes });
    this._pushedBytes += bytes.length;
    if (this._pushedBytes > MAX_PUSHED_BYTES) {
      this._pushed = []; // far behind: plain reads will do
      this._pushedBytes = 0;
    }
    this.catchUp(end);
  }

  /** Stop for good: no more requests; late replies are dropped. */
  stop(): void {
    this._stopped = true;
    this._pushed = [];
    this._pushedBytes = 0;
  }

  /** Apply a pushed chunk that covers the offset; false if there is none. */
  private _takePushed(): boolean {
    const tail = this._options.initialTail;
    if (this._offset === 0 && tail !== undefined && this._target > tail) {
      return false; // a big file's tail is read first
    }
    this._pushed = this._pushed.filter(
      c => c.start + c.bytes.length > this._offset
    );
    this._pushedBytes = this._pushed.reduce((n, c) => n + c.bytes.length, 0);
    const chunk = this._pushed.find(c => c.start <= this._offset);
    if (!chunk) {
      return false;
    }
    const from = this._offset;
    this._offset = chunk.start + chunk.bytes.length;
    this._options.onBytes(chunk.bytes.subarray(from - chunk.start), from);
    return true;
  }

  /** Where the first pushed chunk past the offset starts (reads stop there). */
  private _nextPushedStart(): number {
    let next = Infinity;
    for (const chunk of this._pushed) {
      if (chunk.start > this._offset && chunk.start < next) {
        next = chunk.start;
      }
    }
    return next;
  }

  private async _run(): Promise<void> {
    try {
      while (!this._stopped && this._offset < this._target) {
        if (this._takePushed()) {
          continue;
        }
        const tail = this._options.initialTail;
        const fromEnd =
          this._offset === 0 && tail !== undefined && this._target > tail;
        let chunk: IFileChunk;
        try {
          chunk = fromEnd
            ? await this._options.read(-tail, undefined)
            : await this._options.read(
                this._offset,
                Math.min(
                  this._target - this._offset,
                  MAX_CHUNK_BYTES,
                  this._nextPushedStart() - this._offset
                )
              );
        } catch (error) {
          // Let the next catchUp (a grew or a snapshot) try again.
          this._target = this._offset;
          if (!this._stopped) {
            this._options.onError(error as Error);
          }
          return;
        }
        if (this._stopped) {
          return;
        }
        if (chunk.bytes.length === 0) {
          // Shrunk or replaced underneath: wait for the next size report.
          this._target = this._offset;
          return;
        }
        const start = fromEnd ? chunk.offset : this._offset;
        this._offset = start + chunk.bytes.length;
        if (chunk.fileSize > this._target) {
          this._target = chunk.fileSize;
        }
        this._options.onBytes(chunk.bytes, start);
      }
    } finally {
      // Synchronously as the loop ends: a size reported from here on
      // starts a new loop (the promise only settles later).
      this._active = false;
    }
  }

  private _offset = 0;
  private _target = 0;
  private _running: Promise<void> | undefined = undefined;
  private _active = false;
  private _stopped = false;
  private _pushed: { start: number; bytes: Uint8Array }[] = [];
  private _pushedBytes = 0;
}
