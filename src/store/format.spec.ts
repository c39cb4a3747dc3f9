import {
  formatAge,
  formatConfidence,
  formatNumber,
  formatPercent,
  formatQuantiles,
  formatSize,
  formatValue
} from './format';

// The shared cases in test/vectors/latest.json (test/latest.spec.ts) pin
// every format; these name the rules.

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [1 / 3, '0.333333'],
    [256000, '256k'],
    [1.85543e10, '18.5543G'],
    [999.9995, '1k'],
    [3e-4, '0.0003'],
    [5e-5, '5e-5'],
    [1e21, '1e21'],
    [NaN, 'nan'],
    [-Infinity, '-inf']
  ])('%p → %p', (x, want) => {
    expect(formatNumber(x)).toBe(want);
  });

  it('rounds a tie up, as Python’s latest.py does', () => {
    expect(formatNumber(1234565)).toBe('1.23457M');
  });

  it('takes fewer figures', () => {
    expect(formatNumber(0.041234, 2)).toBe('0.041');
    expect(formatNumber(123456, 3)).toBe('123k');
  });
});

describe('formatValue', () => {
  it('formats by kind', () => {
    expect(formatValue('simple', { value: 0.25 })).toBe('0.25');
    expect(formatValue('percent', { value: 0.1234 })).toBe('12.34%');
    expect(
      formatValue('confidence', { mu: 0.5, sigma: 0.02, lo: 0, hi: 0 })
    ).toBe('0.5±0.04');
    expect(
      formatValue('quantiles', { 0: 0, 25: 10, 50: 20, 75: 30, 100: 40 })
    ).toBe('10–30');
    expect(formatValue('null', { value: 1 })).toBeUndefined();
  });

  it('prints the sub-fields of a dict-valued channel', () => {
    expect(formatValue('simple', { a: 1, 'b.c': 2.5 })).toBe('a=1 b.c=2.5');
  });
});

describe('formatPercent', () => {
  it('uses two decimals, and no unit on NaN', () => {
    expect(formatPercent(1)).toBe('100.00%');
    expect(formatPercent(NaN)).toBe('nan');
  });
});

describe('formatConfidence', () => {
  it('gives 2σ two significant figures', () => {
    expect(formatConfidence(0.0012, 0.0001)).toBe('0.0012±0.0002');
    expect(formatConfidence(2e7, 1)).toBe('20M±2');
  });
});

describe('formatQuantiles', () => {
  it('interpolates when the quartiles are not columns', () => {
    // Three quantiles: 0, 50, 100.
    expect(formatQuantiles({ 0: 0, 50: 1, 100: 2 })).toBe('0.5–1.5');
    expect(formatQuantiles({ 0: 100, 50: 200, 100: 300 })).toBe('150–250');
  });
});

describe('formatAge', () => {
  it.each([
    [3.7, '3s'],
    [59, '59s'],
    [300, '5m'],
    [2 * 3600 + 5 * 60, '2h05'],
    [3 * 86400 + 4 * 3600, '3d04']
  ])('%p s → %p', (s, want) => {
    expect(formatAge(s)).toBe(want);
  });
});

describe('formatSize', () => {
  it.each([
    [512, '512 B'],
    [1500, '1.5 kB'],
    [23_400_000, '23 MB'],
    [999_960, '1.0 MB'],
    [1_200_000_000, '1.2 GB']
  ])('%p → %p', (bytes, want) => {
    expect(formatSize(bytes)).toBe(want);
  });
});
