/**
 * Fakes for the sweep widget's specs: reply rows and a scriptable server.
 */
import { RunwatchAPIError } from '../client/requestAPI';

/** A reply row as the server sends it (docs/server-api.md "Sweeps"). */
export function replyRow(
  variant: string,
  fields: Record<string, unknown> = {}
): Record<string, unknown> {
  return {
    variant,
    params: { lr: 0.001, seed: 1 },
    run: `2026-11-28 14-45-09 sleek-${variant} lr-sweep`,
    status: 'running',
    reason: 'pid 18489: heartbeat declared every 5 s',
    elapsed_s: 725.4,
    metrics: { loss: 0.25 },
    pid: 18489,
    gpu: null,
    cpus: null,
    attempts: 1,
    stopped: false,
    ...fields
  };
}

/** One call the widget made. */
export interface ISweepCall {
  endPoint: string;
  method: string;
  body: unknown;
}

/**
 * A server holding one sweep's rows: GET answers them, POSTs are recorded
 * and answered `{}`; `fail` makes the next calls to an end point refuse.
 */
export class FakeSweepServer {
  rows: Record<string, unknown>[] = [];
  readonly calls: ISweepCall[] = [];
  readonly failures = new Map<string, RunwatchAPIError>();

  /** Refuse calls to `endPoint` with `message` until `fail(endPoint)`. */
  fail(endPoint: string, message?: string, status = 403): void {
    if (message === undefined) {
      this.failures.delete(endPoint);
    } else {
      this.failures.set(
        endPoint,
        new RunwatchAPIError(message, status, endPoint)
      );
    }
  }

  /** The POSTs made so far, as `[endPoint, body]`. */
  posts(): [string, unknown][] {
    return this.calls
      .filter(c => c.method === 'POST')
      .map(c => [c.endPoint, c.body]);
  }

  /** How many times the sweep was fetched. */
  gets(): number {
    return this.calls.filter(c => c.method === 'GET').length;
  }

  readonly request = async (
    endPoint: string,
    init: RequestInit = {}
  ): Promise<unknown> => {
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : null;
    this.calls.push({ endPoint, method, body });
    const failure = this.failures.get(endPoint);
    if (failure) {
      throw failure;
    }
    if (method === 'GET') {
      return { name: 'lr-sweep', target: 'train.py', rows: this.rows };
    }
    return {};
  };
}
