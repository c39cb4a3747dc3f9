import { IRunBand, runsEnvelope } from './runsEnvelope';

/** A band of `n` points at x = 0..n-1, lows and highs from `f(i)`. */
function band(
  n: number,
  lo: (i: number) => number,
  hi: (i: number) => number,
  dx = 0
): IRunBand {
  return {
    x: Float64Array.from({ length: n }, (_, i) => i + dx),
    lo: Float64Array.from({ length: n }, (_, i) => lo(i)),
    hi: Float64Array.from({ length: n }, (_, i) => hi(i))
  };
}

/** The outline's low edge (left to right) and high edge (right to left). */
function edges(outline: { x: Float64Array; y: Float64Array }, lows: number) {
  return {
    lowX: Array.from(outline.x.subarray(0, lows)),
    lowY: Array.from(outline.y.subarray(0, lows)),
    highX: Array.from(outline.x.subarray(lows)),
    highY: Array.from(outline.y.subarray(lows))
  };
}

describe('runsEnvelope', () => {
  it('takes the lowest low and the highest high of every run in each column', () => {
    const a = band(
      4,
      () => 0,
      () => 1
    );
    const b = band(
      4,
      i => (i === 2 ? -5 : 0.5),
      i => (i === 1 ? 9 : 0.8)
    );
    const outline = runsEnvelope([a, b], 0, 3, 4);
    const { lowX, lowY, highX, highY } = edges(outline, 4);
    expect(lowX).toEqual([0, 1, 2, 3]);
    expect(lowY).toEqual([0, 0, -5, 0]);
    expect(highX).toEqual([3, 2, 1, 0]);
    expect(highY).toEqual([1, 1, 9, 1]);
  });

  it("keeps one run's spike among twenty, at its own x", () => {
    const runs = Array.from({ length: 20 }, (_, r) =>
      band(
        1000,
        i => Math.sin(i / 50) - 0.1,
        i => (r === 13 && i === 777 ? 1e4 : Math.sin(i / 50) + 0.1),
        r * 0.01
      )
    );
    const outline = runsEnvelope(runs, 0, 1000, 200);
    const top = Array.from(outline.y).indexOf(1e4);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(outline.x[top]).toBeCloseTo(777.13, 9);
    // At most one point a column an edge, and one either side of the range.
    expect(outline.x.length).toBeLessThanOrEqual(2 * (200 + 2));
  });

  it('goes on past the range to the nearest point on each side', () => {
    const a = band(
      10,
      () => 0,
      () => 1
    );
    const b = band(
      10,
      () => -1,
      () => 2,
      0.5
    );
    const outline = runsEnvelope([a, b], 3, 6, 3);
    const lows = outline.x.length / 2;
    const { lowX, lowY, highX } = edges(outline, lows);
    // Before 3: b's 2.5 is nearer than a's 2; after 6: a's 7 before b's 7.5.
    expect(lowX[0]).toBe(2.5);
    expect(lowY[0]).toBe(-1);
    expect(lowX[lowX.length - 1]).toBe(6.5);
    expect(highX[0]).toBe(6.5);
    expect(lowX).toEqual([...lowX].sort((p, q) => p - q));
  });

  it('bridges empty buckets and ignores NaN lows and highs', () => {
    const a = band(
      6,
      i => (i === 2 ? NaN : 0),
      i => (i === 2 ? NaN : 1)
    );
    const outline = runsEnvelope([a], 0, 5, 6);
    expect(Array.from(outline.x)).toEqual([0, 1, 3, 4, 5, 5, 4, 3, 1, 0]);
    expect(Array.from(outline.y).every(Number.isFinite)).toBe(true);
  });

  it('is empty without runs or points', () => {
    expect(runsEnvelope([], 0, 1, 10).x.length).toBe(0);
    expect(
      runsEnvelope(
        [
          band(
            0,
            () => 0,
            () => 0
          )
        ],
        0,
        1,
        10
      ).x.length
    ).toBe(0);
  });
});
