/**
 * Where plots get runs from: a live `RunModel` (`%view`), or a one-off
 * snapshot of the run's files, each read whole and decoded once
 * (`%review`). Both hand out channels of decoded columns.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { PageConfig } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { IFileEntry, IRunwatchAPI, RunModel, RunwatchAPI } from '../../live';
import { IColumnSet, parseInfo } from '../../store';
import { DEFAULT_PLOT_RULE, IChannelSeries, PlotRule } from './series';
import { IChannelRequest, IChannelResult, loadChannels } from './worker/load';
import { ILoadMessage, WorkerReply } from './worker/protocol';

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
  /** The series at one rule, resolved while loading (at this `version`). */
  readonly presetSeries?: {
    readonly rule: PlotRule;
    readonly version: number;
    readonly series: IChannelSeries;
  };
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

export { SNAPSHOT_CHUNK_BYTES, SNAPSHOT_PARALLEL_FILES } from './worker/load';

/**
 * A run's stats as they are now, read once: the run's files up to the
 * sizes the server reported, in 16 MiB ranges, several files at once.
 *
 * Over HTTP the files are fetched, decoded, merged and resolved at the
 * default rule in a Web Worker (`worker/review.worker.ts`), which hands
 * the arrays back transferred; without `Worker` (tests) or with another
 * `IRunwatchAPI` the same code (`loadChannels`) runs on the main thread.
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
    this._worker?.terminate();
    this._worker = undefined;
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
    const requests: IChannelRequest[] = [...this._channels.values()]
      .filter(channel => !channel.error)
      .map(channel => ({
        name: channel.name,
        kind: channel.kind,
        files: files
          .filter(f => (f.channel ?? f.name) === channel.name)
          .map(f => ({ name: f.name, size: f.size }))
      }));
    const onChannel = (result: IChannelResult) => {
      const channel = this._channels.get(result.name);
      if (!channel || this._disposed) {
        return;
      }
      if (result.error !== undefined) {
        channel.fail(result.error);
      } else if (result.data) {
        channel.setData(result.data, result.series);
      }
    };
    if (typeof Worker !== 'undefined' && this._api instanceof RunwatchAPI) {
      await this._loadInWorker(requests, originNs, onChannel);
    } else {
      await loadChannels(
        requests,
        originNs,
        async (file, offset, length) =>
          (await this._api.readFile(this.run, file, offset, length)).bytes,
        onChannel,
        { rule: DEFAULT_PLOT_RULE, cancelled: () => this._disposed }
      );
    }
    if (!this._disposed) {
      this._changed.emit([...this._channels.keys()]);
    }
  }

  /** Read the channels in the review worker (see `review.worker.ts`). */
  private async _loadInWorker(
    channels: IChannelRequest[],
    originNs: bigint,
    onChannel: (result: IChannelResult) => void
  ): Promise<void> {
    const { spawnReviewWorker } = await import('./worker/spawn');
    if (this._disposed) {
      return;
    }
    const worker = spawnReviewWorker();
    this._worker = worker;
    const settings = ServerConnection.makeSettings();
    await new Promise<void>(resolve => {
      const failAll = (message: string) => {
        for (const channel of channels) {
          onChannel({ name: channel.name, error: message });
        }
        resolve();
      };
      worker.onmessage = (event: MessageEvent<WorkerReply>) => {
        const reply = event.data;
        if (reply.type === 'channel') {
          onChannel(reply.result);
        } else if (reply.type === 'done') {
          resolve();
        } else {
          failAll(reply.message);
        }
      };
      worker.onerror = event => {
        event.preventDefault();
        failAll(`the review worker failed: ${event.message || 'no reason'}`);
      };
      const message: ILoadMessage = {
        type: 'load',
        baseUrl: new URL(settings.baseUrl, location.href).href,
        token: settings.token || PageConfig.getToken(),
        run: this.run,
        originNs: originNs.toString(),
        channels,
        rule: DEFAULT_PLOT_RULE
      };
      worker.postMessage(message);
    });
    worker.terminate();
    this._worker = undefined;
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
  private _worker: Worker | undefined = undefined;
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
    return this._data;
  }
  get presetSeries(): IPlotChannel['presetSeries'] {
    return this._preset;
  }

  /** List a file (in N order, as the server does); flags its error. */
  addFile(entry: IFileEntry): void {
    if (entry.error) {
      this.fail(entry.error);
    }
  }

  /** All rows (merged by time), and the series at a rule if resolved. */
  setData(
    data: IColumnSet,
    series?: { readonly rule: PlotRule; readonly series: IChannelSeries }
  ): void {
    this._data = data;
    this._version++;
    this._preset = series && { ...series, version: this._version };
  }

  fail(reason: string): void {
    if (this._error === undefined) {
      this._error = reason;
      this._version++;
    }
  }

  private _data: IColumnSet = { length: 0, columns: {} };
  private _preset: IPlotChannel['presetSeries'] = undefined;
  private _error: string | undefined = undefined;
  private _version = 0;
}
