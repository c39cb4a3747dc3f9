/**
 * When the plots redraw: the groups marked dirty since the last pass, drawn
 * in one pass per animation frame, never two passes at once. A change that
 * comes during a pass queues exactly one more.
 */

/** What one pass redraws. */
export interface IDrawPass {
  /** Every plot (the rule, theme or width changed, or the first draw). */
  readonly all: boolean;
  /** The groups whose series changed. */
  readonly groups: ReadonlySet<string>;
}

/** The page's animation frames (injectable, for tests). */
export interface IFrames {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

export interface IDrawSchedulerOptions {
  /** Draw one pass. It is never called while another pass is under way. */
  readonly draw: (pass: IDrawPass) => Promise<void>;
  /** A pass threw: say so (the next change draws again). */
  readonly failed: (error: unknown) => void;
  /**
   * Hold passes that redraw groups only (a paused live view): `onHeld`
   * runs instead, and the groups stay marked for later.
   */
  readonly held?: () => boolean;
  readonly onHeld?: () => void;
  readonly frames?: IFrames;
}

const ANIMATION_FRAMES: IFrames = {
  request: callback => requestAnimationFrame(callback),
  cancel: handle => cancelAnimationFrame(handle)
};

export class DrawScheduler {
  constructor(options: IDrawSchedulerOptions) {
    this._options = options;
    this._frames = options.frames ?? ANIMATION_FRAMES;
  }

  /** Mark groups to redraw on the next pass (without asking for one). */
  mark(groups: Iterable<string>): void {
    for (const group of groups) {
      this._groups.add(group);
    }
  }

  /** Mark every plot to redraw on the next pass (without asking for one). */
  markAll(): void {
    this._all = true;
  }

  /**
   * Drawing may begin (plotly has loaded). Until then, and after disposal,
   * `schedule` asks for nothing and marks only accumulate.
   */
  start(): void {
    this._started = true;
  }

  /** Ask for a pass on the next animation frame (one frame at most). */
  schedule(): void {
    if (this._frame || this._disposed || !this._started) {
      return;
    }
    this._frame = this._frames.request(() => {
      this._frame = 0;
      void this.flush();
    });
  }

  /**
   * Run a pass now, or, when one is under way, queue one more after it.
   * A held pass runs `onHeld` instead, and its groups stay marked.
   */
  async flush(): Promise<void> {
    if (!this._all && this._options.held?.()) {
      this._options.onHeld?.();
      return;
    }
    if (this._drawing) {
      this._again = true;
      return;
    }
    this._drawing = true;
    const pass: IDrawPass = { all: this._all, groups: new Set(this._groups) };
    this._all = false;
    this._groups.clear();
    try {
      this._lastPass = this._options
        .draw(pass)
        .catch(error => this._options.failed(error));
      await this._lastPass;
    } finally {
      this._drawing = false;
      if (this._again) {
        this._again = false;
        this.schedule();
      }
    }
  }

  /** Settles when the pass under way (or the last one) has ended. */
  get lastPass(): Promise<void> {
    return this._lastPass;
  }

  /**
   * No pass is asked for or under way and nothing is marked (marked groups
   * aside when `holding`: a paused view keeps them for later).
   */
  idle(holding: boolean): boolean {
    return (
      !this._frame &&
      !this._drawing &&
      !this._all &&
      (holding || this._groups.size === 0)
    );
  }

  /** Stop: the frame asked for is cancelled and no pass is asked for again. */
  dispose(): void {
    this._disposed = true;
    this._frames.cancel(this._frame);
    this._frame = 0;
  }

  private readonly _options: IDrawSchedulerOptions;
  private readonly _frames: IFrames;
  private readonly _groups = new Set<string>();
  private _all = false;
  private _started = false;
  private _disposed = false;
  private _frame = 0;
  private _drawing = false;
  private _again = false;
  private _lastPass: Promise<void> = Promise.resolve();
}
