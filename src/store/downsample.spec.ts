import { downsampleMinMax, extremeRows } from './downsample';

/** The points at `rows`, as a band's edge draws them. */
function edge(x: Float64Array, y: Float64Array, rows: Int32Array) {
  return {
    index: rows,
    x: Float64Array.from(rows, i => x[i]),
    y: Float64Array.from(rows, i => y[i])
  };
}
import { prng } from './testing';

function randomSeries(
  random: () => number,
  n: number,
  nanRate: number
): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let t = random() * 10;
  for (let i = 0; i < n; i++) {
    t += random() < 0.05 ? 0 : random() * 2; // some ties
    x[i] = t;
    y[i] = random() < nanRate ? NaN : (random() - 0.5) * 100;
  }
  return { x, y };
}

describe('downsampleMinMax', () => {
  it('keeps every pixel column extremes, the ends, and order (property test)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const random = prng(seed);
      const n = 1 + Math.floor(random() * 3000);
      const nanRate = seed % 3 === 0 ? 0.05 : 0;
      const { x, y } = randomSeries(random, n, nanRate);
      const width = 1 + Math.floor(random() * 200);
      const zoomed = seed % 2 === 0;
      const x0 = zoomed ? x[Math.floor(n / 4)] : x[0];
      const x1 = zoomed ? x[Math.floor((3 * n) / 4)] : x[n - 1];
      const out = downsampleMinMax(x, y, x0, x1, width);
      const kept = new Set(out.index);

      expect(kept.has(0)).toBe(true);
      expect(kept.has(n - 1)).toBe(true);
      let ordered = true;
      for (let k = 1; k < out.x.length; k++) {
        ordered &&= out.x[k] >= out.x[k - 1] && out.index[k] > out.index[k - 1];
      }
      expect(ordered).toBe(true);
      // Recompute each column's min and max by brute force.
      const columnMin = new Map<number, number>();
      const columnMax = new Map<number, number>();
      const columnHasNan = new Set<number>();
      for (let i = 0; i < n; i++) {
        if (x[i] < x0 || x[i] > x1) {
          continue;
        }
        const c =
          x1 > x0
            ? Math.min(width - 1, Math.floor(((x[i] - x0) * width) / (x1 - x0)))
            : 0;
        if (Number.isNaN(y[i])) {
          columnHasNan.add(c);
          continue;
        }
        columnMin.set(c, Math.min(columnMin.get(c) ?? Infinity, y[i]));
        columnMax.set(c, Math.max(columnMax.get(c) ?? -Infinity, y[i]));
      }
      const keptValues = new Set(Array.from(out.index, i => y[i]));
      const lost = [...columnMin.values(), ...columnMax.values()].filter(
        v => !keptValues.has(v)
      );
      expect(lost).toEqual([]);
      if (columnHasNan.size > 0) {
        expect([...keptValues].some(v => Number.isNaN(v))).toBe(true);
      }
      const limit = 4 * width + 4 + columnHasNan.size;
      expect(out.x.length).toBeLessThanOrEqual(limit);
      if (nanRate === 0) {
        expect(out.x.length).toBeLessThanOrEqual(4 * width + 4);
      }
    }
  });

  it('keeps a 10-sample spike among 1 M rows', () => {
    const n = 1_000_000;
    const random = prng(42);
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i * 0.01;
      y[i] = Math.sin(i / 5000) + random() * 0.1;
    }
    for (let i = 654_321; i < 654_331; i++) {
      y[i] = 50;
    }
    const out = downsampleMinMax(x, y, 0, x[n - 1], 800);
    expect(out.x.length).toBeLessThanOrEqual(4 * 800 + 4);
    expect(Array.from(out.y)).toContain(50);
    expect(out.index[0]).toBe(0);
    expect(out.index[out.index.length - 1]).toBe(n - 1);
  });

  it('breaks the line at a NaN gap', () => {
    const x = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    const y = Float64Array.from([1, 2, NaN, NaN, 5, 6, 7, 8]);
    const out = downsampleMinMax(x, y, 0, 7, 2);
    // Column 0 holds x 0-3 (a gap), column 1 holds x 4-7 (5 and 8 are extremes).
    expect(Array.from(out.y)).toEqual([1, 2, NaN, 5, 8]);
  });

  it('keeps the neighbours just outside a zoomed range', () => {
    const x = Float64Array.from([0, 1, 2, 3, 4, 5, 6]);
    const y = Float64Array.from([0, 1, 2, 3, 4, 5, 6]);
    const out = downsampleMinMax(x, y, 2.5, 3.5, 10);
    expect(Array.from(out.index)).toEqual([0, 2, 3, 4, 6]);
  });

  it('handles empty input', () => {
    expect(
      downsampleMinMax(new Float64Array(0), new Float64Array(0), 0, 1, 10).x
        .length
    ).toBe(0);
  });
});

describe('extremeRows', () => {
  it("keeps each column's extreme of its side, the ends, in order (property test)", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = prng(seed);
      const n = 1 + Math.floor(random() * 3000);
      const { x, y } = randomSeries(random, n, seed % 3 === 0 ? 0.05 : 0);
      const width = 1 + Math.floor(random() * 200);
      const x0 = seed % 2 === 0 ? x[Math.floor(n / 4)] : x[0];
      const x1 = seed % 2 === 0 ? x[Math.floor((3 * n) / 4)] : x[n - 1];
      for (const side of ['min', 'max'] as const) {
        const out = edge(x, y, extremeRows(x, y, x0, x1, width, side));
        expect(out.index[0]).toBe(0);
        expect(out.index[out.index.length - 1]).toBe(n - 1);
        // Each column's extreme of `side` is among the kept values there.
        const scale = x1 > x0 ? width / (x1 - x0) : 0;
        const columnOf = (v: number) =>
          Math.min(width - 1, Math.floor((v - x0) * scale));
        const extremes = new Map<number, number>();
        for (let i = 0; i < n; i++) {
          if (x[i] < x0 || x[i] > x1 || Number.isNaN(y[i])) {
            continue;
          }
          const c = columnOf(x[i]);
          const best = extremes.get(c);
          if (
            best === undefined ||
            (side === 'min' ? y[i] < best : y[i] > best)
          ) {
            extremes.set(c, y[i]);
          }
        }
        for (const [column, value] of extremes) {
          const keptThere = [...out.index]
            .filter(i => x[i] >= x0 && x[i] <= x1 && columnOf(x[i]) === column)
            .map(i => y[i]);
          expect(keptThere).toContain(value);
        }
        // At most one point per column, plus the ends and the outside points.
        expect(out.x.length).toBeLessThanOrEqual(width + 4);
        for (let k = 1; k < out.index.length; k++) {
          expect(out.index[k]).toBeGreaterThan(out.index[k - 1]);
        }
      }
    }
  });

  it('keeps a one-row spike on its side only', () => {
    const n = 100000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = new Float64Array(n).fill(1);
    y[54321] = 1e4;
    y[12345] = -1e4;
    const high = edge(x, y, extremeRows(x, y, 0, n - 1, 400, 'max'));
    const low = edge(x, y, extremeRows(x, y, 0, n - 1, 400, 'min'));
    expect(Math.max(...high.y)).toBe(1e4);
    expect(high.x[high.y.indexOf(1e4)]).toBe(54321);
    expect(Math.min(...low.y)).toBe(-1e4);
    expect(Math.min(...high.y)).toBe(1);
    expect(high.x.length).toBeLessThanOrEqual(404);
  });

  it('gives nothing for an empty series', () => {
    expect(
      extremeRows(new Float64Array(0), new Float64Array(0), 0, 1, 10, 'min')
        .length
    ).toBe(0);
  });
});
