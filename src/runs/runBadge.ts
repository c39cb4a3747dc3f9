/**
 * The one word a widget shows for a followed run's state.
 */
import { RunModel } from './runModel';

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
 * One label for the badges of several runs: the badge itself when they
 * agree, else how many runs have each (`2 live · 1 finished`).
 */
export function summariseBadges(badges: readonly string[]): string {
  const counts = new Map<string, number>();
  badges.forEach(badge => counts.set(badge, (counts.get(badge) ?? 0) + 1));
  if (counts.size <= 1) {
    return badges[0] ?? '';
  }
  return [...counts].map(([badge, n]) => `${n} ${badge}`).join(' · ');
}
