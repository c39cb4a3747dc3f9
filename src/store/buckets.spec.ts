import { lowerBound, makeBuckets, minMaxPerBucket } from './buckets';
import { AggregateError } from './errors';

const f64 = (...v: number[]) => Float64Array.from(v);

describe('makeBuckets', () => {
  it('starts at 0, closes and labels on the left', () => {
    const b = makeBuckets(f64(0, 59.999, 60, 61, 185), 60);
    expect(Array.from(b.labels)).toEqual([0, 60, 120, 180]);
    expect(Array.from(b.rowStart)).toEqual([0, 2, 4, 4, 5]);
  });

  it('starts at the first row when it predates _created', () => {
    const b = makeBuckets(f64(-2, 0, 58, 59), 60);
    expect(Array.from(b.labels)).toEqual([-2, 58]);
    expect(Array.from(b.rowStart)).toEqual([0, 2, 4]);
  });

  it('reaches t = 0 (the NaN row) even when every row predates _created', () => {
    expect(Array.from(makeBuckets(f64(), 60).labels)).toEqual([0]);
    expect(Array.from(makeBuckets(f64(-90), 60).labels)).toEqual([-90, -30]);
  });

  it('puts an edge row in the later bucket for sub-second rules', () => {
    const b = makeBuckets(f64(0.1, 0.2, 0.3), 0.1);
    expect(Array.from(b.labels)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(Array.from(b.rowStart)).toEqual([0, 0, 1, 2, 3]);
  });

  it('rejects a bad rule or a silly number of buckets', () => {
    expect(() => makeBuckets(f64(1), -1, 'loss')).toThrow(AggregateError);
    expect(() => makeBuckets(f64(1e9), 1e-6, 'loss')).toThrow(
      'too many buckets'
    );
  });
});

describe('minMaxPerBucket', () => {
  it('finds each bucket extremes, skipping NaN', () => {
    const b = makeBuckets(f64(1, 2, 3, 61, 130), 60);
    const { min, max } = minMaxPerBucket(f64(5, -1, NaN, NaN, 7), b);
    expect(Array.from(min)).toEqual([-1, NaN, 7]);
    expect(Array.from(max)).toEqual([5, NaN, 7]);
  });
});

describe('lowerBound', () => {
  it('finds the first element not below a value', () => {
    const t = f64(1, 2, 2, 3);
    expect([0, 1, 2, 2.5, 3, 4].map(v => lowerBound(t, v))).toEqual([
      0, 0, 1, 3, 3, 4
    ]);
    expect(lowerBound(t, 2, 2)).toBe(2);
  });
});
