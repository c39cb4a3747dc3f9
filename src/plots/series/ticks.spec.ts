import { formatNumber } from '../../store/format';
import { formatElapsed, formatSI, niceStep, siTicks, timeTicks } from './ticks';

describe('formatElapsed', () => {
  it('writes minutes, then hours with minutes, at a minute step', () => {
    expect(formatElapsed(0)).toBe('0m');
    expect(formatElapsed(30 * 60)).toBe('30m');
    expect(formatElapsed(65 * 60)).toBe('1h05');
    expect(formatElapsed(10 * 3600)).toBe('10h00');
    expect(formatElapsed(26 * 3600 + 5 * 60)).toBe('1d02h05');
  });

  it('follows the step: seconds, hours, days', () => {
    expect(formatElapsed(45, 15)).toBe('45s');
    expect(formatElapsed(90, 30)).toBe('1m30');
    expect(formatElapsed(3930, 30)).toBe('1h05m30');
    expect(formatElapsed(6 * 3600, 3600)).toBe('6h');
    expect(formatElapsed(30 * 3600, 6 * 3600)).toBe('1d06h');
    expect(formatElapsed(2 * 86400, 86400)).toBe('2d');
    expect(formatElapsed(0.5, 0.1)).toBe('0.5s');
    expect(formatElapsed(-120)).toBe('-2m');
    expect(formatElapsed(NaN)).toBe('');
  });
});

describe('timeTicks', () => {
  it('picks a round clock step', () => {
    expect(timeTicks(0, 3900, 4).text).toEqual(['0m', '30m', '1h00']);
    expect(timeTicks(0, 65 * 60, 8).text).toEqual([
      '0m',
      '10m',
      '20m',
      '30m',
      '40m',
      '50m',
      '1h00'
    ]);
    const days = timeTicks(0, 3 * 86400, 4);
    expect(days.text).toEqual(['0d', '1d', '2d', '3d']);
    expect(timeTicks(120, 170, 6).text).toEqual([
      '2m00',
      '2m10',
      '2m20',
      '2m30',
      '2m40',
      '2m50'
    ]);
  });

  it('starts at the first step inside the range', () => {
    const ticks = timeTicks(100, 1000, 4);
    expect(ticks.vals[0]).toBeGreaterThanOrEqual(100);
    expect(ticks.vals[ticks.vals.length - 1]).toBeLessThanOrEqual(1000);
  });
});

describe('formatSI', () => {
  it('uses k, M, G and keeps small numbers as decimals', () => {
    expect(formatSI(1500)).toBe('1.5k');
    expect(formatSI(2e6)).toBe('2M');
    expect(formatSI(3.25e9)).toBe('3.25G');
    expect(formatSI(-42000)).toBe('-42k');
    expect(formatSI(0.25)).toBe('0.25');
    expect(formatSI(12.5)).toBe('12.5');
    expect(formatSI(0)).toBe('0');
    expect(formatSI(1e-6)).toBe('1e-6');
    expect(formatSI(Infinity)).toBe('inf');
    expect(formatSI(NaN)).toBe('nan');
  });

  it('prints a value as the monitor does', () => {
    // The monitor printed 1.85543e+10 where the axes said 18.5G.
    expect(formatSI(1.85543e10)).toBe('18.5543G');
    for (const x of [0.000123, 42, 999.9995, 1234565, -3e12]) {
      expect(formatSI(x)).toBe(formatNumber(x));
    }
  });

  it('as a tick, shows just the digits the step needs', () => {
    expect(formatSI(1500, 500)).toBe('1.5k');
    expect(formatSI(2000, 1000)).toBe('2k');
    expect(formatSI(0.3, 0.1)).toBe('0.3');
    expect(formatSI(2.5e6, 5e5)).toBe('2.5M');
  });
});

describe('siTicks', () => {
  it('ticks at 1-2-5 steps with SI labels', () => {
    expect(niceStep(0.3)).toBe(0.5);
    expect(niceStep(1.2e3)).toBe(2e3);
    expect(siTicks(0, 10000, 6).text).toEqual([
      '0',
      '2k',
      '4k',
      '6k',
      '8k',
      '10k'
    ]);
    expect(siTicks(0, 1, 6).text).toEqual([
      '0',
      '0.2',
      '0.4',
      '0.6',
      '0.8',
      '1'
    ]);
    expect(siTicks(5, 5).vals.length).toBeGreaterThan(0);
  });
});
