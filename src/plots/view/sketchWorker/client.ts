/**
 * The page's side of the sketch worker: hands it canvases, asks for paints
 * and calls back when each is on its canvas. One worker for the page,
 * started at the first sketch.
 */
import { ISketchLayout } from '../plotSketch';
import { SketchReply, SketchRequest, sketchTraces } from './protocol';

/** What the client uses of a `Worker` (a fake one in tests). */
export interface ISketchWorkerPort {
  postMessage(message: SketchRequest, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<SketchReply>) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export class SketchWorkerClient {
  /** `spawn` starts the worker (its chunk loads then). */
  constructor(spawn: () => Promise<ISketchWorkerPort>) {
    this._port = spawn().then(port => {
      port.onmessage = event => this._answered(event.data);
      // A worker that fails (its chunk, a crash) fails every paint waiting.
      port.onerror = () => this._failAll();
      return port;
    });
    this._port.catch(() => this._failAll());
  }

  /** The worker failed to start or died: the page paints sketches itself. */
  get broken(): boolean {
    return this._broken;
  }

  /** Hand `canvas` to the worker; its id for `paint` and `drop`. */
  adopt(canvas: HTMLCanvasElement): number {
    const id = ++this._ids;
    const offscreen = canvas.transferControlToOffscreen();
    this._post({ type: 'adopt', id, canvas: offscreen }, [offscreen]);
    return id;
  }

  /**
   * Paint the sketch on canvas `id`; `done(true)` once it is there,
   * `done(false)` if it couldn't be painted.
   */
  paint(
    id: number,
    ratio: number,
    layout: ISketchLayout,
    traces: readonly Record<string, unknown>[],
    done: (ok: boolean) => void
  ): void {
    if (this._broken) {
      done(false);
      return;
    }
    const paint = ++this._paints;
    this._waiting.set(paint, done);
    const packed = sketchTraces(traces);
    this._post({ type: 'paint', id, paint, ratio, layout, traces: packed }, [
      packed.values.buffer
    ]);
  }

  /**
   * Resolves once no paint is waiting (at once when none is): plotly's
   * builds wait for it, or the page, idle while the worker paints, would
   * start them and answer the worker late.
   */
  settled(): Promise<void> {
    if (this._waiting.size === 0) {
      return Promise.resolve();
    }
    return new Promise(resolve => this._onSettled.push(resolve));
  }

  /** The canvas `id` is gone from the page. */
  drop(id: number): void {
    this._post({ type: 'drop', id });
  }

  private _post(message: SketchRequest, transfer: Transferable[] = []): void {
    // In order: each post waits on the same start.
    void this._port.then(
      port => port.postMessage(message, transfer),
      () => undefined
    );
  }

  private _answered(reply: SketchReply): void {
    const done = this._waiting.get(reply.paint);
    this._waiting.delete(reply.paint);
    if (!reply.ok) {
      console.warn(`runwatch: a plot's sketch was not painted: ${reply.error}`);
    }
    done?.(reply.ok);
    this._settleIfDone();
  }

  private _settleIfDone(): void {
    if (this._waiting.size === 0) {
      this._onSettled.splice(0).forEach(resolve => resolve());
    }
  }

  private _failAll(): void {
    this._broken = true;
    const waiting = [...this._waiting.values()];
    this._waiting.clear();
    waiting.forEach(done => done(false));
    this._settleIfDone();
  }

  private readonly _port: Promise<ISketchWorkerPort>;
  private readonly _waiting = new Map<number, (ok: boolean) => void>();
  private readonly _onSettled: (() => void)[] = [];
  private _ids = 0;
  private _paints = 0;
  private _broken = false;
}

let shared: SketchWorkerClient | undefined;

/**
 * The page's sketch worker, started on first use; undefined where a worker
 * can't paint a page's canvas (no `OffscreenCanvas`) or it broke.
 */
export function sharedSketchWorker(): SketchWorkerClient | undefined {
  if (
    typeof Worker === 'undefined' ||
    typeof OffscreenCanvas === 'undefined' ||
    typeof HTMLCanvasElement === 'undefined' ||
    !('transferControlToOffscreen' in HTMLCanvasElement.prototype)
  ) {
    return undefined;
  }
  shared ??= new SketchWorkerClient(() =>
    import('./spawn').then(
      ({ spawnSketchWorker }) =>
        spawnSketchWorker() as unknown as ISketchWorkerPort
    )
  );
  return shared.broken ? undefined : shared;
}

/** Resolves once the page's sketch worker, if started, has no paint waiting. */
export function sketchWorkerSettled(): Promise<void> {
  return shared?.settled() ?? Promise.resolve();
}
