/**
 * The one word a widget shows for a followed run's state.
 */
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import type { RunModel } from './runModel';

/**
 * The badge a run shows: the server's status, or the model's own state
 * when that says more (loading, deleted, error, reconnecting).
 */
export function runBadge(model: RunModel): string {
  switch (model.state) {
    case 'loading':
      return 'loading';
    case 'deleted':
      return 'deleted';
    case 'error':
      return 'error';
  }
  if (!model.connected) {
    return 'reconnecting';
  }
  return model.status ?? 'live';
}

/** Statuses that can still change without any file event (a process dies). */
const UNSETTLED = new Set(['running', 'stalled', 'live']);

/** Whether a run in `status` may still change by itself. */
export function isUnsettled(status: string | undefined): boolean {
  return status !== undefined && UNSETTLED.has(status);
}

/** Statuses whose reason a user must see without hovering. */
const TROUBLED = new Set(['stalled', 'crashed', 'failed']);

/** Whether a run in `status` shows its reason as a line of its own. */
export function showsReason(status: string | undefined): boolean {
  return status !== undefined && TROUBLED.has(status);
}

/**
 * The word a badge shows, in the user's language.
 *
 * #### Notes
 * `runBadge`'s value stays English: it is also the badge's CSS class. A
 * status this version doesn't know (from a newer server) shows as sent.
 */
export function badgeText(
  badge: string,
  trans: TranslationBundle = nullTranslator.load('runwatch')
): string {
  switch (badge) {
    case 'loading':
      return trans.__('loading');
    case 'deleted':
      return trans.__('deleted');
    case 'error':
      return trans.__('error');
    case 'reconnecting':
      return trans.__('reconnecting');
    case 'running':
      return trans.__('running');
    case 'stalled':
      return trans.__('stalled');
    case 'crashed':
      return trans.__('crashed');
    case 'failed':
      return trans.__('failed');
    case 'live':
      return trans.__('live');
    case 'stale':
      return trans.__('stale');
    case 'finished':
      return trans.__('finished');
    case 'unreadable':
      return trans.__('unreadable');
  }
  return badge;
}

/**
 * One label for the badges of several runs: the badge itself when they
 * agree, else how many runs have each (`2 live · 1 finished`).
 */
export function summariseBadges(
  badges: readonly string[],
  trans: TranslationBundle = nullTranslator.load('runwatch')
): string {
  const counts = new Map<string, number>();
  badges.forEach(badge => counts.set(badge, (counts.get(badge) ?? 0) + 1));
  if (counts.size <= 1) {
    return badges.length ? badgeText(badges[0], trans) : '';
  }
  return [...counts]
    .map(([badge, n]) => trans.__('%1 %2', n, badgeText(badge, trans)))
    .join(' · ');
}
