/**
 * A sweep's data: the `GET runwatch/api/sweeps/<name>` reply as rows to
 * show, one per variant, and the tally of their statuses. Pure.
 */
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { badgeText } from '../runs/runBadge';
import { formatDuration, formatValue } from '../table/tableRows';

/** The reply of `GET sweeps/<name>` (docs/server-api.md "Sweeps"). */
export interface ISweepReply {
  readonly name: string;
  /** The target in words (`train.py`, `-m pkg.train`). */
  readonly target: string;
  readonly parallel: number | null;
  /** The live supervisor's pid, or null when none runs. */
  readonly supervisor: number | null;
  readonly rows: readonly ISweepRow[];
}

/** One variant as shown. */
export interface ISweepRow {
  /** The variant's stable id. */
  readonly variant: string;
  /** Its params as `lr=0.001 seed=1`. */
  readonly params: string;
  /** A lifecycle status, or `queued`, `starting`, `not started`, … */
  readonly status: string;
  readonly reason: string;
  /** Its newest run, or null before it starts. */
  readonly run: string | null;
  /** Time running (or run), as `12m 05s`; '' before it starts. */
  readonly elapsed: string;
  /** Each channel's last value, as `loss 0.25 · acc 0.9`. */
  readonly metrics: string;
  readonly pid: number | null;
  /** How many runs it has had (more than one after a relaunch). */
  readonly attempts: number;
}

/** Statuses whose variant a Stop ends or unqueues. */
const STOPPABLE = new Set(['queued', 'starting', 'running', 'stalled']);

/** Statuses whose variant a Relaunch queues again (the server agrees). */
const RELAUNCHABLE = new Set(['crashed', 'failed', 'not started', 'missing']);

/** Whether a variant in `status` can be stopped (or unqueued). */
export function canStop(status: string): boolean {
  return STOPPABLE.has(status);
}

/** Whether a variant in `status` can be relaunched, in a new run. */
export function canRelaunch(status: string): boolean {
  return RELAUNCHABLE.has(status);
}

/**
 * Read the server's JSON into a sweep, dropping what is not a row.
 *
 * @throws Error when the reply is not a sweep at all.
 */
export function parseSweepReply(json: unknown): ISweepReply {
  const reply = json as Record<string, unknown> | null;
  if (!reply || typeof reply !== 'object' || !Array.isArray(reply.rows)) {
    throw new Error('the server sent no sweep');
  }
  const rows = reply.rows
    .filter(
      (row): row is Record<string, unknown> =>
        !!row && typeof row === 'object' && typeof row.variant === 'string'
    )
    .map(sweepRow);
  return {
    name: typeof reply.name === 'string' ? reply.name : '',
    target: typeof reply.target === 'string' ? reply.target : '',
    parallel: finiteOrNull(reply.parallel),
    supervisor: finiteOrNull(reply.supervisor),
    rows
  };
}

/** One reply row as shown. */
function sweepRow(row: Record<string, unknown>): ISweepRow {
  const elapsed = finiteOrNull(row.elapsed_s);
  return {
    variant: row.variant as string,
    params: formatParams(row.params),
    status: typeof row.status === 'string' ? row.status : 'unreadable',
    reason: typeof row.reason === 'string' ? row.reason : '',
    run: typeof row.run === 'string' && row.run ? row.run : null,
    elapsed: elapsed === null ? '' : formatDuration(elapsed),
    metrics: formatMetrics(row.metrics),
    pid: finiteOrNull(row.pid),
    attempts: finiteOrNull(row.attempts) ?? 0
  };
}

/** Params as `lr=0.001 seed=1`, in the order the sweep gave them. */
export function formatParams(params: unknown): string {
  if (!params || typeof params !== 'object' || Array.isArray(params)) {
    return '';
  }
  return Object.entries(params)
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(' ');
}

/**
 * Last metrics as `loss 0.25 · acc 0.9`; a multi-field kind's value as
 * `q 0.1/0.5/0.9`, and NaN (`null` on the wire) as `nan`.
 */
export function formatMetrics(metrics: unknown): string {
  if (!metrics || typeof metrics !== 'object' || Array.isArray(metrics)) {
    return '';
  }
  return Object.entries(metrics)
    .map(([channel, value]) => `${channel} ${metricText(value)}`)
    .join(' · ');
}

function metricText(value: unknown): string {
  if (value === null) {
    return 'nan';
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.values(value as object)
      .map(metricText)
      .join('/');
  }
  return formatValue(value);
}

/** How many variants have each status, in the order they first appear. */
export function statusCounts(rows: readonly ISweepRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  rows.forEach(row =>
    counts.set(row.status, (counts.get(row.status) ?? 0) + 1)
  );
  return counts;
}

/** `6 variants: 2 running, 3 queued, 1 crashed`. */
export function countsText(
  rows: readonly ISweepRow[],
  trans: TranslationBundle = nullTranslator.load('runwatch')
): string {
  const total = trans._n('%1 variant', '%1 variants', rows.length);
  const parts = [...statusCounts(rows)].map(([status, n]) =>
    trans.__('%1 %2', n, sweepStatusText(status, trans))
  );
  return parts.length ? trans.__('%1: %2', total, parts.join(', ')) : total;
}

/** A status's word, in the user's language (the sweep's own ones too). */
export function sweepStatusText(
  status: string,
  trans: TranslationBundle = nullTranslator.load('runwatch')
): string {
  switch (status) {
    case 'queued':
      return trans.__('queued');
    case 'starting':
      return trans.__('starting');
    case 'not started':
      return trans.__('not started');
    case 'missing':
      return trans.__('missing');
  }
  return badgeText(status, trans);
}

/** A status as a CSS class suffix (`not started` → `not-started`). */
export function statusClass(status: string): string {
  return status.replace(/[^A-Za-z0-9_-]+/g, '-');
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
