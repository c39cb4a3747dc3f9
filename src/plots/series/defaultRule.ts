/**
 * The rule a plot opens at, chosen from the run's span, so that a run
 * shorter than one bucket is never drawn empty.
 */
import { DEFAULT_PLOT_RULE, PlotRule } from './series';

/** The fewest buckets a default rule must give a run. */
export const MIN_DEFAULT_BUCKETS = 10;

/** The bucket rules a default may pick, coarsest first (no 10 min). */
const CANDIDATES = [60, 10, 1] as const;

/**
 * The default rule for a run (or runs) spanning `spanS` seconds.
 *
 * pavlov's 60 s when it gives at least `MIN_DEFAULT_BUCKETS` buckets (a
 * run of 10 minutes or more); else the coarsest of 10 s and 1 s that
 * does; else `raw`. An unknown span (no rows or times yet) keeps 60 s.
 *
 * #### Notes
 * 10 min is never a default: 60 s is pavlov's, and long runs keep it.
 */
export function defaultRule(spanS: number | undefined): PlotRule {
  if (spanS === undefined || !Number.isFinite(spanS) || spanS < 0) {
    return DEFAULT_PLOT_RULE;
  }
  const rule = CANDIDATES.find(r => spanS >= MIN_DEFAULT_BUCKETS * r);
  return rule ?? 'raw';
}

/** When a run was created and last written, in ms since the epoch. */
export interface IRunTimes {
  readonly createdMs?: number;
  readonly lastWriteMs?: number;
}

/**
 * The longest span of `runs` in seconds (creation to last write), or
 * `undefined` when no run's times are known.
 */
export function runsSpanS(runs: readonly IRunTimes[]): number | undefined {
  let span: number | undefined;
  for (const { createdMs, lastWriteMs } of runs) {
    if (Number.isFinite(createdMs) && Number.isFinite(lastWriteMs)) {
      const s = Math.max(0, (lastWriteMs! - createdMs!) / 1000);
      span = Math.max(span ?? 0, s);
    }
  }
  return span;
}
