import { summariseBadges } from './runBadge';

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
