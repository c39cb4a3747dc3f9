import {
  formatAge,
  formatConfidence,
  formatG,
  formatPercent,
  formatQuantiles,
  formatSize,
  formatValue
} from './format';

describe('formatG', () => {
  // Expected values are Python's f'{x:g}'.
  it.each([
    [0, '0'],
    [1, '1'],
    [0.5, '0.5'],
    [123456, '123456'],
    [1234567, '1.23457e+06'],
    [0.0001, '0.0001'],
    [0.00001234, '1.234e-05'],
    [-2.5e-7, '-2.5e-07'],
    [1 / 3, '0.333333'],
    [999999.5, '1e+06'],
    [1e100, '1e+100'],
    [NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf']
  ])('%p → %p', (x, want) => {
    expect(formatG(x)).toBe(want);
  });
});

describe('formatValue', () => {
  it('formats by kind', () => {
    expect(formatValue('simple', { value: 0.25 })).toBe('0.25');
    expect(formatValue('percent', { value: 0.1234 })).toBe('12.34%');
    expect(
      formatValue('confidence', { mu: 0.5, sigma: 0.02, lo: 0, hi: 0 })
    ).toBe('0.50±0.04');
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
  it('uses two decimals', () => {
    expect(formatPercent(1)).toBe('100.00%');
    expect(formatPercent(NaN)).toBe('nan%');
  });
});

describe('formatConfidence', () => {
  it('keeps small values readable', () => {
    expect(formatConfidence(0.0012, 0.0001)).toBe('0.0012±0.0002');
    expect(formatConfidence(2e7, 1)).toBe('2e+07±2.00');
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
