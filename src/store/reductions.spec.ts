import { IBuckets } from './buckets';
import {
  bucketLast,
  bucketMax,
  bucketMean,
  bucketStd,
  bucketSum,
  forwardFill,
  nanCumsum
} from './reductions';

/** One bucket per range of `sizes` rows. */
function buckets(...sizes: number[]): IBuckets {
  const rowStart = new Int32Array(sizes.length + 1);
  sizes.forEach((n, k) => (rowStart[k + 1] = rowStart[k] + n));
  return {
    ruleNs: 1e9,
    startNs: 0,
    labels: new Float64Array(sizes.length),
    rowStart
  };
}

const f64 = (...v: number[]) => Float64Array.from(v);

describe('bucket reductions', () => {
  const values = f64(1, NaN, 3, NaN, 7, Infinity, 1);
  const b = buckets(3, 1, 0, 1, 2);

  it('skip NaN, and give pandas empty-bucket values', () => {
    expect(Array.from(bucketMean(values, b))).toEqual([
      2,
      NaN,
      NaN,
      7,
      Infinity
    ]);
    expect(Array.from(bucketSum(values, b))).toEqual([4, 0, 0, 7, Infinity]);
    expect(Array.from(bucketMax(values, b))).toEqual([
      3,
      NaN,
      NaN,
      7,
      Infinity
    ]);
    expect(Array.from(bucketLast(values, b))).toEqual([3, NaN, NaN, 7, 1]);
    expect(Array.from(bucketStd(values, b))).toEqual([
      Math.SQRT2,
      NaN,
      NaN,
      NaN,
      NaN
    ]);
  });

  it("use pandas' compensated sum", () => {
    // Naive summation gives 0 here; Kahan (and pandas) gives 2.
    const v = f64(1e16, 1, 1, -1e16);
    expect(bucketSum(v, buckets(4))[0]).toBe(2);
    expect(bucketMean(v, buckets(4))[0]).toBe(0.5);
    expect(bucketSum(f64(Infinity, -Infinity), buckets(2))[0]).toBeNaN();
  });

  it('forward-fill and cumulative-sum like pandas', () => {
    expect(Array.from(forwardFill(f64(NaN, 1, NaN, 3, NaN)))).toEqual([
      NaN,
      1,
      1,
      3,
      3
    ]);
    expect(Array.from(nanCumsum(f64(1, NaN, 2, 3)))).toEqual([1, NaN, 3, 6]);
  });
});
