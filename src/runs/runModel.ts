/**
 * The live model of one run: its info, stats channels and log tails, kept
 * up to date from the watch socket by fetching only new bytes.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { parseInfo } from '../store';
import { IFileEntry, IRunwatchAPI, RunStatus } from '../client/api';
import { ChangeBatch, FrameScheduler, IRunChange } from './changeBatch';
import { FileFollower } from './fileFollower';
import { DEFAULT_LOG_LINES, LogLines } from './logLines';
import { StatsChannel } from './statsChannel';
import { IRunMessage, RunListener, SocketState } from '../client/watchSocket';

/** Bytes of each log read on first load: its tail, not the whole file. */
export const LOG_TAIL_BYTES = 64 * 1024;

/** Bytes from base64 (the inline data of a `grew`); undefined if invalid. */
export function decodeBase64(text: string): Uint8Array | undefined {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

/** Where a run model is in its life. */
export type RunState = 'loading' | 'live' | 'deleted' | 'error';

/** The part of `WatchSocket` a model uses. */
export interface IWatchSource {
  subscribe(run: string, listener: RunListener): IDisposable;
  readonly state: SocketState;
  readonly stateChanged: ISignal<any, SocketState>;
}

/** One log file of the run and its tail. */
export interface ILogSource {
  readonly file: IFileEntry;
  readonly tail: LogLines;
}

/** Options for a `RunModel`. */
export interface IRunModelOptions {
  run: string;
  api: IRunwatchAPI;
  socket: IWatchSource;
  /** Lines kept per log file. */
  logLines?: number;
  /** Runs `callback` once soon; default: the next animation frame. */
  scheduleFrame?: FrameScheduler;
}

/**
 * A run followed live through the server.
 *
 * It loads the run's info, subscribes to the run on the shared socket, and
 * on every snapshot, `grew` or `added` fetches each file's bytes past its
 * own offset. `changed` is emitted at most once per animation frame with
 * everything that changed since the previous one.
 */
export class RunModel implements IDisposable {
  constructor(options: IRunModelOptions) {
    this.run = options.run;
    this._api = options.api;
    this._socket = options.socket;
    this._logLines = options.logLines ?? DEFAULT_LOG_LINES;
    this._batch = new ChangeBatch(
      change => this._changed.emit(change),
      options.scheduleFrame
    );
    this._socket.stateChanged.connect(this._onSocketState, this);
    this.ready = this._start();
  }

  /** The run's name. */
  readonly run: string;

  /** Settles once the run's info has loaded (or failed to). */
  readonly ready: Promise<void>;

  get changed(): ISignal<this, IRunChange> {
    return this._changed;
  }

  get state(): RunState {
    return this._state;
  }

  /** The server's status of the run (running, crashed, live, stale…). */
  get status(): RunStatus | undefined {
    return this._status;
  }

  /** The status in words, as the server gives it, if it does. */
  get reason(): string | undefined {
    return this._reason;
  }

  /** Why the run can't be shown (state `error`), or a problem to flag. */
  get message(): string | undefined {
    return this._message;
  }

  /** `_info.json` without `_env`. */
  get info(): Readonly<Record<string, unknown>> {
    return this._info;
  }

  /** `_created` in ms since the epoch, once known. */
  get createdMs(): number | undefined {
    return this._createdMs;
  }

  /** Bytes on disk: the sum of the run's file sizes as last reported. */
  get size(): number {
    let total = 0;
    this._sizes.forEach(size => (total += size));
    return total;
  }

  /**
   * When the run last wrote, in ms since the epoch: the newest file mtime
   * the server reported, moved on by every `grew` since.
   */
  get lastWriteMs(): number | undefined {
    return this._lastWriteMs;
  }

  /** Whether the shared socket is connected. */
  get connected(): boolean {
    return this._socket.state === 'open';
  }

  /** Stats channels by name. */
  get channels(): ReadonlyMap<string, StatsChannel> {
    return this._channels;
  }

  /** Log files by name, in the order they appeared. */
  get logs(): ReadonlyMap<string, ILogSource> {
    return this._logs;
  }

  /** Resolves when every in-flight fetch has settled (for tests). */
  async settled(): Promise<void> {
    await Promise.all([...this._followers.values()].map(f => f.idle));
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._subscription?.dispose();
    this._followers.forEach(follower => follower.stop());
    this._batch.dispose();
    this._socket.stateChanged.disconnect(this._onSocketState, this);
    Signal.clearData(this);
  }

  private async _start(): Promise<void> {
    try {
      const detail = await this._api.getRun(this.run);
      if (this._isDisposed) {
        return;
      }
      this._setInfo(detail.info, detail.error);
      this._status = detail.status;
      this._reason = detail.reason ?? undefined;
    } catch (error) {
      this._fail((error as Error).message);
      return;
    }
    if (!this._isDisposed) {
      this._subscription = this._socket.subscribe(this.run, message =>
        this._onMessage(message)
      );
    }
    this._touchHeader();
  }

  private _onMessage(message: IRunMessage): void {
    if (
      this._isDisposed ||
      this._state === 'error' ||
      this._state === 'deleted'
    ) {
      return;
    }
    switch (message.type) {
      case 'snapshot':
        this._state = 'live';
        this._status = message.status;
        this._reason = message.reason ?? undefined;
        if (message.info !== undefined) {
          this._setInfo(message.info, message.error ?? null);
        }
        message.files.forEach(file => this._follow(file));
        if (message.omitted) {
          this._message =
            `${message.omitted} more files are not followed: ` +
            `a run shows its first ${message.files.length}`;
        }
        break;
      case 'added':
        this._follow(message.file);
        break;
      case 'grew': {
        this._noteWrite(message.mtime_ms ?? Date.now());
        this._sizes.set(message.file, message.size);
        const follower = this._followers.get(message.file);
        const bytes =
          follower && typeof message.data === 'string'
            ? decodeBase64(message.data)
            : undefined;
        if (
          bytes &&
          typeof message.offset === 'number' &&
          message.offset + bytes.length === message.size
        ) {
          follower!.offer(message.offset, bytes);
        } else {
          follower?.catchUp(message.size);
        }
        break;
      }
      case 'info':
        this._setInfo(message.info, message.error ?? null);
        this._status = message.status;
        this._reason = message.reason ?? undefined;
        break;
      case 'deleted':
        this._state = 'deleted';
        this._message = 'run deleted';
        this._followers.forEach(follower => follower.stop());
        this._followers.clear();
        break;
      case 'error':
        this._message = message.message;
        break;
    }
    this._touchHeader();
  }

  private _setInfo(
    info: Record<string, unknown> | null,
    error: string | null
  ): void {
    if (!info) {
      this._message = error ?? 'the run has no readable _info.json';
      return;
    }
    this._info = info;
    if (this._originNs !== undefined) {
      return;
    }
    try {
      const parsed = parseInfo(JSON.stringify(info), `${this.run}/_info.json`);
      this._originNs = parsed.createdNs;
      this._createdMs = parsed.createdMs;
    } catch (err) {
      this._message = (err as Error).message;
    }
  }

  private _noteWrite(ms: number): void {
    if (Number.isFinite(ms) && ms > 0 && ms > (this._lastWriteMs ?? 0)) {
      this._lastWriteMs = ms;
    }
  }

  /** Start following a file (once), then catch up to its reported size. */
  private _follow(entry: IFileEntry): void {
    this._noteWrite(entry.mtime_ms);
    this._sizes.set(entry.name, entry.size);
    let follower = this._followers.get(entry.name);
    if (!follower && entry.type === 'stats') {
      follower = this._followStats(entry);
    } else if (!follower && entry.type === 'log') {
      follower = this._followLog(entry);
    }
    follower?.catchUp(entry.size);
  }

  private _followStats(entry: IFileEntry): FileFollower | undefined {
    const name = entry.channel ?? entry.name;
    let channel = this._channels.get(name);
    if (!channel) {
      channel = new StatsChannel(name, this._originNs ?? 0n);
      this._channels.set(name, channel);
    }
    channel.addFile(entry);
    if (this._originNs === undefined) {
      channel.fail(
        `no time origin: ${this._message ?? 'unreadable _info.json'}`
      );
    }
    this._touch('channel', name);
    if (channel.error) {
      return undefined;
    }
    const target = channel;
    return this._makeFollower(entry, undefined, bytes => {
      target.push(entry.name, bytes);
      this._touch('channel', name);
    });
  }

  private _followLog(entry: IFileEntry): FileFollower {
    const source: ILogSource = {
      file: entry,
      tail: new LogLines(this._logLines)
    };
    this._logs.set(entry.name, source);
    this._touch('log', entry.name);
    return this._makeFollower(entry, LOG_TAIL_BYTES, (bytes, offset) => {
      source.tail.push(bytes, offset > 0);
      this._touch('log', entry.name);
    });
  }

  private _makeFollower(
    entry: IFileEntry,
    initialTail: number | undefined,
    onBytes: (bytes: Uint8Array, offset: number) => void
  ): FileFollower {
    const follower = new FileFollower({
      read: (offset, length) =>
        this._api.readFile(this.run, entry.name, offset, length),
      onBytes,
      onError: error => {
        this._message = `${entry.name}: ${error.message}`;
        this._touchHeader();
      },
      initialTail
    });
    this._followers.set(entry.name, follower);
    return follower;
  }

  private _fail(message: string): void {
    this._state = 'error';
    this._message = message;
    this._touchHeader();
  }

  private _onSocketState(): void {
    this._touchHeader();
  }

  private _touchHeader(): void {
    this._batch.header();
  }

  private _touch(what: 'channel' | 'log', name: string): void {
    if (what === 'channel') {
      this._batch.channel(name);
    } else {
      this._batch.log(name);
    }
  }

  private readonly _api: IRunwatchAPI;
  private readonly _socket: IWatchSource;
  private readonly _logLines: number;
  private readonly _batch: ChangeBatch;
  private readonly _changed = new Signal<this, IRunChange>(this);
  private readonly _channels = new Map<string, StatsChannel>();
  private readonly _logs = new Map<string, ILogSource>();
  private readonly _followers = new Map<string, FileFollower>();
  private readonly _sizes = new Map<string, number>();
  private _subscription: IDisposable | undefined = undefined;
  private _state: RunState = 'loading';
  private _status: RunStatus | undefined = undefined;
  private _reason: string | undefined = undefined;
  private _message: string | undefined = undefined;
  private _info: Record<string, unknown> = {};
  private _originNs: bigint | undefined = undefined;
  private _createdMs: number | undefined = undefined;
  private _lastWriteMs: number | undefined = undefined;
  private _isDisposed = false;
}
