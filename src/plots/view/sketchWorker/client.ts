/**
 * The page's side of the sketch workers: hands one canvases, asks for
 * paints and calls back when each is on its canvas. A few workers for the
 * page (`sketchWorkerCount`), started at the first sketch.
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

/**
 * How many workers paint a page's sketches: two, or half the machine's
 * cores up to four. A glob's plots keep one worker busy until after the
 * last series has come in (20 plots of 60 noisy, dashed lines: ~25 ms each
 * on the CPU); with two, those after it are painted two at a time.
 */
export function sketchWorkerCount(cores: number | undefined): number {
  return Math.max(2, Math.min(4, Math.floor((cores || 2) / 2)));
}

const workers: SketchWorkerClient[] = [];
let turn = 0;

/**
 * A sketch worker of the page's, started (all of them) on first use, each
 * call the next in turn: a canvas keeps the one it was handed to.
 * Undefined where a worker can't paint a page's canvas (no
 * `OffscreenCanvas`) or they all broke.
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
  const count = sketchWorkerCount(navigator.hardwareConcurrency);
  while (workers.length < count) {
    workers.push(
      new SketchWorkerClient(() =>
        import('./spawn').then(
          ({ spawnSketchWorker }) =>
            spawnSketchWorker() as unknown as ISketchWorkerPort
        )
      )
    );
  }
  const working = workers.filter(worker => !worker.broken);
  return working.length ? working[turn++ % working.length] : undefined;
}

/** Resolves once the page's sketch workers, if started, have no paint waiting. */
export async function sketchWorkerSettled(): Promise<void> {
  await Promise.all(workers.map(worker => worker.settled()));
}
