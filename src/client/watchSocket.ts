/**
 * One shared websocket per page to `runwatch/api/watch`, with ref-counted
 * subscriptions per run and automatic reconnection.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { IFileEntry, RunStatus } from './api';
import { API_PATH } from './requestAPI';

/** A message the server pushes about one run. */
export type IRunMessage =
  | {
      type: 'snapshot';
      run: string;
      status: RunStatus;
      reason?: string | null;
      files: IFileEntry[];
      /** Files past the snapshot's cap (1,000), never reported. */
      omitted?: number;
      info?: Record<string, unknown> | null;
      error?: string | null;
    }
  | {
      type: 'grew';
      run: string;
      file: string;
      size: number;
      /** The file's mtime, when the server sends it. */
      mtime_ms?: number;
      /** With `data`: the new bytes `[offset, size)`, base64 (small appends). */
      offset?: number;
      data?: string;
    }
  | { type: 'added'; run: string; file: IFileEntry }
  | {
      type: 'info';
      run: string;
      info: Record<string, unknown> | null;
      status: RunStatus;
      reason?: string | null;
      error?: string | null;
    }
  | { type: 'deleted'; run: string }
  | { type: 'error'; run?: string; message: string };

/** Receives the messages about one run. */
export type RunListener = (message: IRunMessage) => void;

/** The socket's connection state. */
export type SocketState = 'connecting' | 'open' | 'closed';

/** The parts of `WebSocket` the watch socket uses (tests pass a fake). */
export interface IWebSocketLike {
  onopen: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  readonly readyState: number;
  send(data: string): void;
  close(): void;
}

/** Options for a `WatchSocket`. */
export interface IWatchSocketOptions {
  /** Opens a socket; defaults to `new WebSocket(watchUrl())`. */
  createSocket?: () => IWebSocketLike;
  /** Reconnect delays in ms, the last one repeated; reset once connected. */
  backoffMs?: readonly number[];
}

const OPEN = 1;
const DEFAULT_BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

/**
 * The URL of the watch socket, with `?token=` when the server uses token
 * authentication (as JupyterLab's own kernel sockets do).
 */
export function watchUrl(
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): string {
  const url = URLExt.join(settings.wsUrl, API_PATH, 'watch');
  return settings.appendToken && settings.token
    ? `${url}?token=${encodeURIComponent(settings.token)}`
    : url;
}

/**
 * A websocket shared by every live widget on the page.
 *
 * `subscribe(run)` sends `watch` for every new listener of a run and
 * `unwatch` when its last listener goes. After a reconnect it re-sends
 * `watch` for every subscribed run (and `watch-store`); the fresh snapshot
 * lets each model resume from its own offsets.
 *
 * #### Notes
 * The socket opens on the first subscription and closes when the last one
 * is disposed, so an idle page holds no connection.
 */
export class WatchSocket implements IDisposable {
  constructor(options: IWatchSocketOptions = {}) {
    const settings = options.createSocket
      ? undefined
      : ServerConnection.makeSettings();
    this._createSocket =
      options.createSocket ??
      (() =>
        new settings!.WebSocket(
          watchUrl(settings)
        ) as unknown as IWebSocketLike);
    this._backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  get state(): SocketState {
    return this._state;
  }

  /** Emitted when the connection opens or drops. */
  get stateChanged(): ISignal<this, SocketState> {
    return this._stateChanged;
  }

  /** Runs with at least one listener. */
  get watchedRuns(): string[] {
    return [...this._runs.keys()];
  }

  /** Listen to the messages about `run`; dispose the result to stop. */
  subscribe(run: string, listener: RunListener): IDisposable {
    let listeners = this._runs.get(run);
    if (!listeners) {
      listeners = new Set();
      this._runs.set(run, listeners);
    }
    listeners.add(listener);
    // Every listener starts from a snapshot, and the server sends one per
    // `watch` (a repeated watch is one subscription). The listeners already
    // following the run get it too; it only restates what they know.
    this._send({ op: 'watch', run });
    this._ensureSocket();
    return new DisposableDelegate(() => {
      const current = this._runs.get(run);
      if (!current?.delete(listener) || current.size > 0) {
        return;
      }
      this._runs.delete(run);
      this._send({ op: 'unwatch', run });
      this._closeIfIdle();
    });
  }

  /**
   * Call `listener` whenever the list of runs may have changed: on the
   * server's `runs-changed`, and after every reconnect (changes made while
   * disconnected were missed).
   */
  subscribeStore(listener: () => void): IDisposable {
    if (this._storeListeners.size === 0) {
      this._send({ op: 'watch-store' });
    }
    this._storeListeners.add(listener);
    this._ensureSocket();
    return new DisposableDelegate(() => {
      if (!this._storeListeners.delete(listener)) {
        return;
      }
      if (this._storeListeners.size === 0) {
        this._send({ op: 'unwatch-store' });
        this._closeIfIdle();
      }
    });
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._runs.clear();
    this._storeListeners.clear();
    this._closeSocket();
    Signal.clearData(this);
  }

  private _ensureSocket(): void {
    if (
      this._socket ||
      this._reconnectTimer !== undefined ||
      this._isDisposed
    ) {
      return;
    }
    this._setState('connecting');
    const socket = this._createSocket();
    this._socket = socket;
    socket.onopen = () => {
      this._attempt = 0;
      this._setState('open');
      for (const run of this._runs.keys()) {
        this._send({ op: 'watch', run });
      }
      if (this._storeListeners.size > 0) {
        this._send({ op: 'watch-store' });
        if (this._hasBeenOpen) {
          this._storeListeners.forEach(listener => listener());
        }
      }
      this._hasBeenOpen = true;
    };
    socket.onmessage = event => this._onMessage(event.data);
    socket.onerror = () => undefined; // onclose follows and reconnects.
    socket.onclose = () => {
      if (this._socket !== socket) {
        return;
      }
      this._socket = undefined;
      this._setState('closed');
      this._scheduleReconnect();
    };
  }

  private _scheduleReconnect(): void {
    if (this._isDisposed || !this._hasSubscriptions()) {
      return;
    }
    const delays = this._backoffMs;
    const delay = delays[Math.min(this._attempt, delays.length - 1)];
    this._attempt++;
    this._reconnectTimer = setTimeout(() => {
      this._reconnectTimer = undefined;
      if (this._hasSubscriptions()) {
        this._ensureSocket();
      }
    }, delay);
  }

  private _onMessage(data: unknown): void {
    let message: { type?: unknown; run?: unknown };
    try {
      message = JSON.parse(String(data));
    } catch {
      console.warn('runwatch: ignoring a malformed watch message', data);
      return;
    }
    if (message.type === 'runs-changed') {
      this._storeListeners.forEach(listener => listener());
      return;
    }
    const typed = message as IRunMessage;
    if (typeof message.run === 'string') {
      this._runs.get(message.run)?.forEach(listener => listener(typed));
    } else if (message.type === 'error') {
      // An error about no run in particular concerns everyone.
      this._runs.forEach(set => set.forEach(listener => listener(typed)));
    }
  }

  private _send(message: Record<string, string>): void {
    // While disconnected nothing is lost: onopen re-sends every watch.
    if (this._socket?.readyState === OPEN) {
      this._socket.send(JSON.stringify(message));
    }
  }

  private _hasSubscriptions(): boolean {
    return this._runs.size > 0 || this._storeListeners.size > 0;
  }

  private _closeIfIdle(): void {
    if (!this._hasSubscriptions()) {
      this._closeSocket();
    }
  }

  private _closeSocket(): void {
    if (this._reconnectTimer !== undefined) {
      clearTimeout(this._reconnectTimer);
      this._reconnectTimer = undefined;
    }
    const socket = this._socket;
    this._socket = undefined;
    if (socket) {
      socket.onopen = socket.onclose = socket.onerror = socket.onmessage = null;
      socket.close();
      this._setState('closed');
    }
    this._attempt = 0;
  }

  private _setState(state: SocketState): void {
    if (this._state !== state) {
      this._state = state;
      this._stateChanged.emit(state);
    }
  }

  private readonly _createSocket: () => IWebSocketLike;
  private readonly _backoffMs: readonly number[];
  private readonly _runs = new Map<string, Set<RunListener>>();
  private readonly _storeListeners = new Set<() => void>();
  private readonly _stateChanged = new Signal<this, SocketState>(this);
  private _socket: IWebSocketLike | undefined = undefined;
  private _state: SocketState = 'closed';
  private _reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private _attempt = 0;
  private _hasBeenOpen = false;
  private _isDisposed = false;
}
