import { PlotStyle } from '../../store';
import {
  axisDomains,
  IScaledEntry,
  MAX_AXES,
  scaleGroups,
  seriesMagnitude
} from './scales';

/** A channel whose values are `f(i)` for 100 rows. */
function scaled(
  channel: string,
  f: (i: number) => number,
  style: PlotStyle = 'line'
): IScaledEntry {
  return {
    channel,
    series: {
      x: Float64Array.from({ length: 100 }, (_, i) => i),
      columns: { value: Float64Array.from({ length: 100 }, (_, i) => f(i)) },
      style
    }
  };
}

describe('scaleGroups', () => {
  it('keeps channels of one scale on one axis', () => {
    const axes = scaleGroups([
      scaled('loss.train', i => 2 - i / 100),
      scaled('loss.val', i => 2.2 - i / 120)
    ]);
    expect(axes).toEqual([0, 0]);
  });

  it('gives a 250 k counter its own axis beside steps and latency', () => {
    const axes = scaleGroups([
      scaled('perf.latency', i => 0.2 + (i % 7) / 100),
      scaled('perf.samples', i => i * 2500),
      scaled('perf.steps', i => i * 2.5)
    ]);
    // 250 k against 250 against 0.25: three scales, three axes.
    expect(new Set(axes).size).toBe(3);
    expect(axes[0]).toBe(0); // the first channel's axis is the first
  });

  it('never puts a percent on a bytes axis', () => {
    const axes = scaleGroups([
      scaled('gpu.mem', i => 20e9 * (0.5 + i / 200)),
      scaled('gpu.util', i => (i % 10) / 10, 'percent')
    ]);
    expect(axes).toEqual([0, 1]);
  });

  it('keeps percents apart from plain values of the same size', () => {
    const axes = scaleGroups([
      scaled('gpu.util', i => (i % 10) / 10, 'percent'),
      scaled('gpu.temp', () => 0.6)
    ]);
    expect(axes).toEqual([0, 1]);
  });

  it('gives a learning rate its own axis beside grad_norm', () => {
    const axes = scaleGroups([
      scaled('opt.grad_norm', i => 1 + (i % 5)),
      scaled('opt.lr', i => 3e-4 * (1 - i / 200))
    ]);
    expect(axes).toEqual([0, 1]);
  });

  it('keeps one channel on one axis across compared runs', () => {
    // Two runs of an lr sweep: run b's lr is 10× run a's, and run b's
    // grad_norm sits between them; still one axis per channel.
    const axes = scaleGroups([
      scaled('opt.lr', () => 1e-3),
      scaled('opt.grad_norm', () => 0.5),
      scaled('opt.lr', () => 1e-2),
      scaled('opt.grad_norm', () => 0.02)
    ]);
    expect(axes[0]).toBe(axes[2]);
    expect(axes[1]).toBe(axes[3]);
  });

  it(`makes at most ${MAX_AXES} axes, merging the closest scales`, () => {
    const axes = scaleGroups([
      scaled('g.a', () => 1),
      scaled('g.b', () => 1e3),
      scaled('g.c', () => 1e6),
      scaled('g.d', () => 2e6 * 1e3),
      scaled('g.e', () => 0.5, 'percent')
    ]);
    expect(new Set(axes).size).toBe(MAX_AXES);
    expect(axes[4]).not.toBe(axes[0]);
    expect(axes.filter(a => a === axes[4])).toHaveLength(1); // percent alone
    // The closest scales merge first (1, 1e3, then 1e6); 2e9 stays apart.
    expect(axes[0]).toBe(axes[1]);
    expect(axes[1]).toBe(axes[2]);
    expect(axes[2]).not.toBe(axes[3]);
  });

  it('puts channels without a finite value on the smallest scale’s axis', () => {
    const axes = scaleGroups([
      scaled('g.big', () => 1e6),
      scaled('g.small', () => 1),
      scaled('g.empty', () => NaN),
      scaled('g.zero', () => 0)
    ]);
    expect(axes).toEqual([0, 1, 1, 1]);
  });

  it('ignores a lone spike when judging a channel’s scale', () => {
    const axes = scaleGroups([
      scaled('loss.train', i => (i === 50 ? 1e4 : 1)),
      scaled('loss.val', () => 1.5)
    ]);
    expect(axes).toEqual([0, 0]);
  });
});

describe('seriesMagnitude', () => {
  it('reads |values|, skipping NaN and infinities', () => {
    const entry = scaled('g.a', i =>
      i % 3 === 0 ? NaN : i % 3 === 1 ? -Infinity : -7
    );
    expect(seriesMagnitude([entry.series])).toBe(7);
    expect(seriesMagnitude([])).toBe(0);
  });

  it('estimates many long series near the exact 98th percentile', () => {
    // 20 runs of 4,000 values, 0..99 repeating; one run 100x larger.
    const runs = Array.from({ length: 20 }, (_, r) => ({
      x: Float64Array.from({ length: 4000 }, (_, i) => i),
      columns: {
        value: Float64Array.from(
          { length: 4000 },
          (_, i) => (i % 100) * (r === 7 ? 100 : 1)
        )
      },
      style: 'line' as const
    }));
    const every = Float64Array.from(
      runs.flatMap(s => Array.from(s.columns.value))
    ).sort();
    const at = (q: number) => every[Math.floor(every.length * q)];
    const estimate = seriesMagnitude(runs);
    expect(estimate).toBeGreaterThanOrEqual(at(0.97));
    expect(estimate).toBeLessThanOrEqual(at(0.99));
    expect(at(0.97)).toBeGreaterThan(99); // the large run decides it
  });
});

describe('axisDomains', () => {
  it('stacks axes top to bottom with a gap between', () => {
    expect(axisDomains(1, 200, 20)).toEqual([[0, 1]]);
    // 200 px: two of 90 px and a 20 px gap.
    expect(axisDomains(2, 200, 20)).toEqual([
      [0.55, 1],
      [0, 0.45]
    ]);
    const three = axisDomains(3, 460, 20);
    expect(three[0][1]).toBe(1);
    expect(three[2][0]).toBe(0);
    expect(three[0][0] - three[1][1]).toBeCloseTo(20 / 460, 3);
  });
});
