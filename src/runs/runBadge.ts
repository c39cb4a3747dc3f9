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
