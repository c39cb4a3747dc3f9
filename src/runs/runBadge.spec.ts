import { MarkingTranslator } from '../testing';
import {
  badgeText,
  isUnsettled,
  showsReason,
  summariseBadges
} from './runBadge';

describe('summariseBadges', () => {
  it('names the state all runs share, else counts each', () => {
    expect(summariseBadges(['finished'])).toBe('finished');
    expect(summariseBadges(['live', 'live'])).toBe('live');
    expect(summariseBadges(['live', 'finished', 'live'])).toBe(
      '2 live · 1 finished'
    );
    expect(summariseBadges([])).toBe('');
  });
});

describe('lifecycle statuses', () => {
  it('names each status, in the user’s language', () => {
    const trans = new MarkingTranslator().load('runwatch');
    for (const status of ['running', 'stalled', 'crashed', 'failed']) {
      expect(badgeText(status)).toBe(status);
      expect(badgeText(status, trans)).toBe(`«${status}»`);
    }
  });

  it('keeps following what can still change by itself', () => {
    expect(['running', 'stalled', 'live'].map(isUnsettled)).toEqual([
      true,
      true,
      true
    ]);
    expect(
      ['crashed', 'failed', 'finished', 'stale', undefined].map(isUnsettled)
    ).toEqual([false, false, false, false, false]);
  });

  it('spells out the reason of a run in trouble only', () => {
    expect(['stalled', 'crashed', 'failed'].every(showsReason)).toBe(true);
    expect(['running', 'finished', 'live'].some(showsReason)).toBe(false);
  });
});
