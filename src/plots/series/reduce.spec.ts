import { buildPlot } from './traces';
import { reduceSeries, seriesExtent, unionSorted } from './reduce';
import { IChannelSeries } from './series';
import { prng } from '../../store/testing';

/** `n` rows with a value column and a min–max band, some NaN. */
function randomSeries(random: () => number, n: number): IChannelSeries {
  const x = new Float64Array(n);
  const value = new Float64Array(n);
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  let t = random() * 10;
  for (let i = 0; i < n; i++) {
    t += random() < 0.05 ? 0 : random();
    x[i] = t;
    value[i] = random() < 0.02 ? NaN : (random() - 0.5) * 100;
    lo[i] = value[i] - random() * 10;
    hi[i] = value[i] + random() * 10;
  }
  return { x, columns: { value }, band: { lo, hi }, style: 'line' };
}

/** Per bin of `[x0, x1]`, the finite min and max of `y`. */
function binExtremes(
  x: Float64Array,
  y: Float64Array,
  x0: number,
  x1: number,
  bins: number
): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  for (let i = 0; i < x.length; i++) {
    if (x[i] < x0 || x[i] > x1 || !Number.isFinite(y[i])) {
      continue;
    }
    const bin = Math.min(
      bins - 1,
      Math.floor(((x[i] - x0) / (x1 - x0)) * bins)
    );
    const [lo, hi] = out.get(bin) ?? [Infinity, -Infinity];
    out.set(bin, [Math.min(lo, y[i]), Math.max(hi, y[i])]);
  }
  return out;
}

describe('reduceSeries', () => {
  it('keeps every column’s per-bin extremes and the ends (property test)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = prng(seed);
      const n = 2000 + Math.floor(random() * 20000);
      const series = randomSeries(random, n);
      const bins = 10 + Math.floor(random() * 200);
      const zoomed = seed % 2 === 0;
      const [x0, x1] = zoomed
        ? [series.x[Math.floor(n / 3)], series.x[Math.floor(n / 2)]]
        : seriesExtent(series.x);
      const { series: out, reduced } = reduceSeries(series, x0, x1, bins);

      for (const [name, full, kept] of [
        ['value', series.columns.value, out.columns.value],
        ['lo', series.band!.lo, out.band!.lo],
        ['hi', series.band!.hi, out.band!.hi]
      ] as const) {
        expect([name, binExtremes(out.x, kept, x0, x1, bins)]).toEqual([
          name,
          binExtremes(series.x, full, x0, x1, bins)
        ]);
      }
      expect(out.x[0]).toBe(series.x[0]);
      expect(out.x[out.x.length - 1]).toBe(series.x[n - 1]);
      for (let i = 1; i < out.x.length; i++) {
        expect(out.x[i]).toBeGreaterThanOrEqual(out.x[i - 1]);
      }
      // Up to 5 picks per bin per column (first, min, max, last, a NaN).
      expect(out.x.length).toBeLessThanOrEqual(3 * (5 * bins + 4));
      expect(reduced).toBe(true);
    }
  });

  it('keeps a one-row spike among a million rows', () => {
    const n = 1_000_000;
    const x = new Float64Array(n);
    const value = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i * 0.0864;
      value[i] = Math.sin(i / 1000);
    }
    value[654_321] = 1e6;
    const { series, reduced } = reduceSeries(
      { x, columns: { value }, style: 'line' },
      ...seriesExtent(x)
    );
    expect(reduced).toBe(true);
    expect(series.x.length).toBeLessThanOrEqual(4 * 2048 + 4);
    expect(Math.max(...series.columns.value)).toBe(1e6);
    // Drawn 300 px wide from the reduced series, the spike is still there.
    const plot = buildPlot({
      entries: [
        {
          run: 'r',
          channel: 'c',
          label: '',
          series,
          colour: '#000',
          legend: 'c',
          showLegend: false
        }
      ],
      widthPx: 300
    });
    expect(Math.max(...(plot.traces[0].y as Float64Array))).toBe(1e6);
    expect(plot.maxPoints).toBeLessThanOrEqual(4 * 300);
  });

  it('returns a short series as it is, and only the zoomed rows plus the ends', () => {
    const x = Float64Array.from({ length: 100 }, (_, i) => i);
    const value = x.map(v => v * 2);
    const series: IChannelSeries = { x, columns: { value }, style: 'line' };
    expect(reduceSeries(series, 0, 99, 25)).toEqual({ series, reduced: false });
    expect(reduceSeries(series, 0, 99, 10).reduced).toBe(true);
    const zoomed = reduceSeries(series, 40.5, 44, 10);
    expect(zoomed.reduced).toBe(false);
    expect(Array.from(zoomed.series.x)).toEqual([
      0, 40, 41, 42, 43, 44, 45, 99
    ]);
    expect(Array.from(zoomed.series.columns.value)).toEqual([
      0, 80, 82, 84, 86, 88, 90, 198
    ]);
  });

  it('spans the unzoomed plot from min(0, first x) to the last x', () => {
    expect(seriesExtent(Float64Array.of(5, 7, 9))).toEqual([0, 9]);
    expect(seriesExtent(Float64Array.of(-2, 3))).toEqual([-2, 3]);
    expect(seriesExtent(new Float64Array(0))).toEqual([0, 1]);
  });
});

describe('unionSorted', () => {
  it('merges and drops duplicates', () => {
    expect(
      Array.from(unionSorted(Int32Array.of(1, 3, 5), Int32Array.of(0, 3, 6)))
    ).toEqual([0, 1, 3, 5, 6]);
    expect(
      Array.from(unionSorted(new Int32Array(0), Int32Array.of(2)))
    ).toEqual([2]);
  });
});
