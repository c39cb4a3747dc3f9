/**
 * The steering answers of the runs a plot grid shows, fetched from the
 * server (`GET runs/<run>/steer`): once for a review, every few seconds for
 * a live view whose runs declared steerable params.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { requestAPI } from '../../client/requestAPI';
import type { ISteerLogEntry, ISteerState } from '../../steering/steerState';
import { IPlotMark, steerMarks } from '../series/steerMarks';
import type { IPlotRun } from './sources';

/** How often a live view asks again (a change shows within this). */
export const STEER_POLL_MS = 2_000;

export type FetchSteer = (run: string) => Promise<ISteerState>;

const fetchSteer: FetchSteer = run =>
  requestAPI<ISteerState>(`runs/${encodeURIComponent(run)}/steer`);

export class SteerLog {
  /**
   * Reads once `after` settles: a review's plots first (20 runs' reads
   * took connections from their listings, which the series wait for).
   * Only runs `mayHaveSteering` allows (by then): a run whose listing said
   * it has none is not asked (a glob's 20 reads came while its last plots
   * were painting).
   */
  constructor(
    private readonly _runs: readonly string[],
    live: boolean,
    private readonly _fetch: FetchSteer = fetchSteer,
    after: Promise<unknown> = Promise.resolve(),
    private readonly _mayHaveSteering: (run: string) => boolean = () => true
  ) {
    void after
      .catch(() => undefined)
      .then(() => (this._disposed ? undefined : this._load()))
      .then(() => {
        if (live && !this._disposed && this._declared.size > 0) {
          this._timer = setInterval(() => void this._load(), STEER_POLL_MS);
        }
      });
  }

  /** Emits when a run's answers changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** A run's answers, oldest first (none if it declared nothing). */
  entries(run: string): readonly ISteerLogEntry[] {
    return this._entries.get(run) ?? [];
  }

  /**
   * Every run's applied changes as marks on x `xChannel` (none: time),
   * each run's from its `createdMs` in `sources`; when there are several
   * runs, each label names its run.
   */
  marks(
    sources: readonly Pick<IPlotRun, 'run' | 'createdMs'>[],
    xChannel: string | undefined
  ): IPlotMark[] {
    return sources.flatMap(source =>
      steerMarks(
        source.run,
        this.entries(source.run),
        source.createdMs,
        xChannel,
        this._runs.length > 1
      )
    );
  }

  dispose(): void {
    this._disposed = true;
    clearInterval(this._timer);
    Signal.clearData(this);
  }

  private async _load(): Promise<void> {
    let changed = false;
    await Promise.all(
      this._runs
        .filter(run => this._declared.size === 0 || this._declared.has(run))
        .filter(run => this._mayHaveSteering(run))
        .map(async run => {
          let state: ISteerState;
          try {
            state = await this._fetch(run);
          } catch {
            return; // a group's label, a deleted run: no marks
          }
          if (!state.declared) {
            return;
          }
          this._declared.add(run);
          const before = JSON.stringify(this._entries.get(run) ?? []);
          if (JSON.stringify(state.log) !== before) {
            this._entries.set(run, state.log);
            changed = true;
          }
        })
    );
    if (changed && !this._disposed) {
      this._changed.emit();
    }
  }

  private readonly _entries = new Map<string, readonly ISteerLogEntry[]>();
  private readonly _declared = new Set<string>();
  private readonly _changed = new Signal<this, void>(this);
  private _timer: ReturnType<typeof setInterval> | undefined = undefined;
  private _disposed = false;
}
