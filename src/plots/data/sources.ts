/**
 * Where plots get runs from: a live `RunModel` (`%view`), whose channels
 * hold every row decoded; or a snapshot's listing (`%review`), whose rows
 * the review worker reads on request (`seriesReader.ts`).
 */
import { ISignal, Signal } from '@lumino/signaling';
import { IFileEntry, IRunwatchAPI } from '../../client';
import { RunModel } from '../../runs';
import { IColumnSet, parseInfo } from '../../store';
import { IChannelRequest } from '../protocol';

/** One stats channel: what `StatsChannel` (live) and snapshots share. */
export interface IPlotChannel {
  readonly name: string;
  readonly kind: string;
  /** Why it can't be shown, or `undefined`. */
  readonly error: string | undefined;
}

/** A live channel: every row so far, decoded on the main thread. */
export interface ILivePlotChannel extends IPlotChannel {
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
  /** The newest write to its stats files (ms since the epoch), if known. */
  readonly lastWriteMs: number | undefined;
  /**
   * Whether the run has steering to show (declared params or answers), as
   * its listing said; undefined when unknown (ask `GET runs/<run>/steer`).
   */
  readonly steering?: boolean;
  /** Emits the names of channels that changed (and `[]` for the rest). */
  readonly changed: ISignal<any, readonly string[]>;
  dispose(): void;
}

/** A run (or a group of runs) a review reads on request. */
export interface ISnapshotSource extends IPlotRun {
  /** Settles when its listing is in (or failed). */
  readonly ready: Promise<void>;
  readonly channels: ReadonlyMap<string, SnapshotChannel>;
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
  get channels(): ReadonlyMap<string, ILivePlotChannel> {
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
  get lastWriteMs(): number | undefined {
    return this.model.lastWriteMs;
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

/**
 * A run's stats as they are now: its info and its channels' files, listed
 * once. The rows themselves are read by the widget's `ISeriesReader` (in
 * the review worker), per rule and zoom, up to the sizes listed here.
 */
export class SnapshotRun implements ISnapshotSource {
  constructor(
    readonly run: string,
    private readonly _api: IRunwatchAPI
  ) {
    this.ready = this._load();
  }

  /** Settles when the run's listing is in (or failed). */
  readonly ready: Promise<void>;

  get info(): Readonly<Record<string, unknown>> {
    return this._info;
  }
  get channels(): ReadonlyMap<string, SnapshotChannel> {
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
  get lastWriteMs(): number | undefined {
    return this._lastWriteMs;
  }
  get steering(): boolean | undefined {
    return this._steering;
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
    this._steering = detail.steering;
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
    for (const file of detail.files.filter(f => f.type === 'stats')) {
      const name = file.channel ?? file.name;
      let channel = this._channels.get(name);
      if (!channel) {
        channel = new SnapshotChannel(
          this.run,
          originNs.toString(),
          name,
          file.kind ?? 'last'
        );
        this._channels.set(name, channel);
      }
      channel.addFile(file);
      this._lastWriteMs = Math.max(this._lastWriteMs ?? 0, file.mtime_ms);
    }
    if (!this._disposed) {
      this._changed.emit([...this._channels.keys()]);
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
  private _lastWriteMs: number | undefined = undefined;
  private _steering: boolean | undefined = undefined;
  private _disposed = false;
}

/** A channel of a snapshot: its files as listed, to read on request. */
export class SnapshotChannel implements IPlotChannel {
  constructor(
    readonly run: string,
    readonly originNs: string,
    readonly name: string,
    readonly kind: string
  ) {}

  get error(): string | undefined {
    return this._error;
  }
  /** What the reader needs to read this channel's rows. */
  get request(): IChannelRequest {
    return {
      run: this.run,
      originNs: this.originNs,
      name: this.name,
      kind: this.kind,
      files: this._files
    };
  }

  /** List a file (in N order, as the server does); flags its error. */
  addFile(entry: IFileEntry): void {
    if (entry.error && this._error === undefined) {
      this._error = entry.error;
    }
    this._files.push({ name: entry.name, size: entry.size });
  }

  private readonly _files: { name: string; size: number }[] = [];
  private _error: string | undefined = undefined;
}
