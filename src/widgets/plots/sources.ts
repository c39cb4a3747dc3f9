/**
 * Where plots get runs from: a live `RunModel` (`%view`), or a one-off
 * snapshot of the run's files, each read whole and decoded once
 * (`%review`). Both hand out channels of decoded columns.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { IFileEntry, IRunwatchAPI, RunModel } from '../../live';
import { decodeNpr, IColumnSet, mergeByTime, parseInfo } from '../../store';

/** One stats channel: what `StatsChannel` (live) and snapshots share. */
export interface IPlotChannel {
  readonly name: string;
  readonly kind: string;
  /** Why it can't be shown, or `undefined`. */
  readonly error: string | undefined;
  /** Bumped on every change. */
  readonly version: number;
  /** All rows, sorted by time (seconds since `_created`). */
  readonly data: IColumnSet;
}

/** A run as the plots see it. */
export interface IPlotRun {
  readonly run: string;
  /** `_info.json` without `_env` (for `params`). */
  readonly info: Readonly<Record<string, unknown>>;
  /** Stats channels by name. */
  readonly channels: ReadonlyMap<string, IPlotChannel>;
  /** Why the run can't be shown, or a problem to flag. */
  readonly message: string | undefined;
  /** The run is missing or unreadable: nothing will come. */
  readonly failed: boolean;
  /** `_created`, in ms since the epoch, once known. */
  readonly createdMs: number | undefined;
  /** Emits the names of channels that changed (and `[]` for the rest). */
  readonly changed: ISignal<any, readonly string[]>;
  dispose(): void;
}

/** A live run: wraps a `RunModel` and forwards its batched changes. */
export class LiveRun implements IPlotRun {
  constructor(readonly model: RunModel) {
    model.changed.connect((_, change) => {
      this._changed.emit([...change.channels]);
    });
  }

  get run(): string {
    return this.model.run;
  }
  get info(): Readonly<Record<string, unknown>> {
    return this.model.info;
  }
  get channels(): ReadonlyMap<string, IPlotChannel> {
    return this.model.channels;
  }
  get message(): string | undefined {
    return this.model.message;
  }
  get failed(): boolean {
    return this.model.state === 'error' || this.model.state === 'deleted';
  }
  get createdMs(): number | undefined {
    return this.model.createdMs;
  }
  get changed(): ISignal<this, readonly string[]> {
    return this._changed;
  }

  dispose(): void {
    this.model.dispose();
    Signal.clearData(this);
  }

  private readonly _changed = new Signal<this, readonly string[]>(this);
}

/** The largest range asked for at once (the server's cap). */
export const SNAPSHOT_CHUNK_BYTES = 16 * 1024 * 1024;

/** Files fetched at once: the browser's connections per host. */
export const SNAPSHOT_PARALLEL_FILES = 6;

/**
 * A run's stats as they are now, read once: the run's files up to the
 * sizes the server reported, in 16 MiB ranges, several files at once.
 */
export class SnapshotRun implements IPlotRun {
  constructor(
    readonly run: string,
    private readonly _api: IRunwatchAPI
  ) {
    this.ready = this._load();
  }

  /** Settles when every file is read (or failed). */
  readonly ready: Promise<void>;

  get info(): Readonly<Record<string, unknown>> {
    return this._info;
  }
  get channels(): ReadonlyMap<string, IPlotChannel> {
    return this._channels;
  }
  get message(): string | undefined {
    return this._message;
  }
  get failed(): boolean {
    return this._failed;
  }
  get createdMs(): number | undefined {
    return this._createdMs;
  }
  get changed(): ISignal<this, readonly string[]> {
    return this._changed;
  }

  dispose(): void {
    this._disposed = true;
    Signal.clearData(this);
  }

  private async _load(): Promise<void> {
    let detail;
    try {
      detail = await this._api.getRun(this.run);
    } catch (error) {
      this._fail((error as Error).message);
      return;
    }
    if (!detail.info) {
      this._fail(detail.error ?? 'the run has no readable _info.json');
      return;
    }
    this._info = detail.info;
    let originNs: bigint;
    try {
      const parsed = parseInfo(
        JSON.stringify(detail.info),
        `${this.run}/_info.json`
      );
      originNs = parsed.createdNs;
      this._createdMs = parsed.createdMs;
    } catch (error) {
      this._fail((error as Error).message);
      return;
    }
    const files = detail.files.filter(f => f.type === 'stats');
    for (const file of files) {
      const name = file.channel ?? file.name;
      let channel = this._channels.get(name);
      if (!channel) {
        channel = new SnapshotChannel(name, file.kind ?? 'last');
        this._channels.set(name, channel);
      }
      channel.addFile(file);
    }
    const queue = files.filter(f => !f.error && f.size > 0);
    const next = async (): Promise<void> => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        const channel = this._channels.get(file.channel ?? file.name)!;
        if (!channel.error && !this._disposed) {
          await this._readFile(channel, file, originNs);
        }
      }
    };
    await Promise.all(
      Array.from({ length: SNAPSHOT_PARALLEL_FILES }, () => next())
    );
    if (!this._disposed) {
      this._changed.emit([...this._channels.keys()]);
    }
  }

  /** Read a whole file into one buffer, then decode it in one pass. */
  private async _readFile(
    channel: SnapshotChannel,
    file: IFileEntry,
    originNs: bigint
  ): Promise<void> {
    const bytes = new Uint8Array(file.size);
    let offset = 0;
    try {
      while (offset < file.size && !this._disposed) {
        const chunk = await this._api.readFile(
          this.run,
          file.name,
          offset,
          Math.min(SNAPSHOT_CHUNK_BYTES, file.size - offset)
        );
        if (chunk.bytes.length === 0) {
          break; // Shrunk underneath: decode what there is.
        }
        bytes.set(chunk.bytes.subarray(0, file.size - offset), offset);
        offset += chunk.bytes.length;
      }
      channel.setFile(
        file.name,
        decodeNpr(bytes.subarray(0, offset), file.name, originNs).data
      );
    } catch (error) {
      channel.fail((error as Error).message);
    }
  }

  private _fail(message: string): void {
    this._failed = true;
    this._message = message;
    if (!this._disposed) {
      this._changed.emit([]);
    }
  }

  private readonly _channels = new Map<string, SnapshotChannel>();
  private readonly _changed = new Signal<this, readonly string[]>(this);
  private _info: Record<string, unknown> = {};
  private _message: string | undefined = undefined;
  private _failed = false;
  private _createdMs: number | undefined = undefined;
  private _disposed = false;
}

/** A channel of a snapshot: its files decoded whole, merged by time. */
export class SnapshotChannel implements IPlotChannel {
  constructor(
    readonly name: string,
    readonly kind: string
  ) {}

  get error(): string | undefined {
    return this._error;
  }
  get version(): number {
    return this._version;
  }
  get data(): IColumnSet {
    if (!this._merged) {
      const parts = this._order
        .map(name => this._files.get(name))
        .filter((p): p is IColumnSet => p !== undefined);
      this._merged =
        parts.length === 1
          ? parts[0]
          : parts.length === 0
            ? { length: 0, columns: {} }
            : mergeByTime(parts);
    }
    return this._merged;
  }

  /** List a file (in N order, as the server does); flags its error. */
  addFile(entry: IFileEntry): void {
    this._order.push(entry.name);
    if (entry.error) {
      this.fail(entry.error);
    }
  }

  setFile(name: string, data: IColumnSet): void {
    this._files.set(name, data);
    this._merged = undefined;
    this._version++;
  }

  fail(reason: string): void {
    if (this._error === undefined) {
      this._error = reason;
      this._version++;
    }
  }

  private readonly _order: string[] = [];
  private readonly _files = new Map<string, IColumnSet>();
  private _merged: IColumnSet | undefined = undefined;
  private _error: string | undefined = undefined;
  private _version = 0;
}
