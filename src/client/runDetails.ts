/**
 * Run listings asked for in one turn of the page's event loop, fetched in
 * one request (`GET run-details`).
 *
 * #### Notes
 * A glob's review lists each of its runs as it opens: 20 `GET runs/<name>`
 * took the browser's 6 connections 4 round trips (0.2-0.25 s on this
 * machine before the first series could be asked for, more through an SSH
 * tunnel), and the server a request's overhead each. A lone listing still
 * goes to `GET runs/<name>`.
 */
import { PromiseDelegate } from '@lumino/coreutils';
import type { IRunDetail } from './api';
import { RunwatchAPIError } from './requestAPI';

/**
 * Most runs in one `GET run-details` (the server takes 200): 50 names of
 * 255 bytes, percent-encoded, keep its URL under 40 kB, well inside the
 * server's 64 kB for a request's head.
 */
export const MAX_RUNS_A_REQUEST = 50;

/** A run `GET run-details` could not list: what `GET runs/<name>` answers. */
export interface IRunRefusal {
  readonly name: string;
  readonly status: number;
  readonly message: string;
}

/** The endpoint of several runs' listings, under `runwatch/api/`. */
export const RUN_DETAILS = 'run-details';

/** Several runs' listings, in the order asked, each a detail or a refusal. */
export type ManyRunDetails = (
  names: readonly string[]
) => Promise<readonly (IRunDetail | IRunRefusal)[]>;

/** Gathers the listings asked for in one turn into as few requests as can be. */
export class RunDetailsBatch {
  /**
   * @param _one - one run's listing (`GET runs/<name>`).
   * @param _many - several runs' (`GET run-details`).
   */
  constructor(
    private readonly _one: (name: string) => Promise<IRunDetail>,
    private readonly _many: ManyRunDetails
  ) {}

  /** The run's listing, fetched with the others asked for in this turn. */
  get(name: string): Promise<IRunDetail> {
    let waiting = this._queued.get(name);
    if (!waiting) {
      waiting = new PromiseDelegate<IRunDetail>();
      this._queued.set(name, waiting);
      if (this._queued.size === 1) {
        queueMicrotask(() => this._flush());
      }
    }
    return waiting.promise;
  }

  private _flush(): void {
    const queued = [...this._queued];
    this._queued = new Map();
    if (queued.length === 1) {
      const [[name, waiting]] = queued;
      this._one(name).then(
        detail => waiting.resolve(detail),
        error => waiting.reject(error)
      );
      return;
    }
    for (let at = 0; at < queued.length; at += MAX_RUNS_A_REQUEST) {
      void this._fetch(queued.slice(at, at + MAX_RUNS_A_REQUEST));
    }
  }

  private async _fetch(
    queued: readonly [string, PromiseDelegate<IRunDetail>][]
  ): Promise<void> {
    let answer: readonly (IRunDetail | IRunRefusal)[];
    try {
      answer = await this._many(queued.map(([name]) => name));
    } catch (error) {
      queued.forEach(([, waiting]) => waiting.reject(error));
      return;
    }
    const byName = new Map(answer.map(run => [run.name, run]));
    for (const [name, waiting] of queued) {
      const got = byName.get(name);
      if (!got) {
        const why = `${RUN_DETAILS}: the server did not list ${name}`;
        waiting.reject(new RunwatchAPIError(why, 0, RUN_DETAILS));
      } else if ('files' in got) {
        waiting.resolve(got);
      } else {
        const refusal = got as IRunRefusal;
        waiting.reject(
          new RunwatchAPIError(refusal.message, refusal.status, RUN_DETAILS)
        );
      }
    }
  }

  private _queued = new Map<string, PromiseDelegate<IRunDetail>>();
}
