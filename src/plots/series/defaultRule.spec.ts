import { channelSeries } from './series';
import { defaultRule, runsSpanS } from './defaultRule';

/** Buckets with a value that a run of `spanS` s (a row a second) draws. */
function bucketsDrawn(spanS: number): number {
  const n = Math.floor(spanS);
  const data = {
    length: n,
    columns: {
      _time: Float64Array.from({ length: n }, (_, i) => i + 1),
      x: Float64Array.from({ length: n }, (_, i) => i)
    }
  };
  const series = channelSeries('last', data, defaultRule(spanS));
  return series.columns.value.filter(Number.isFinite).length;
}

describe('defaultRule', () => {
  it("keeps pavlov's 60 s for runs of ten minutes or more", () => {
    expect(defaultRule(600)).toBe(60);
    expect(defaultRule(3 * 86400)).toBe(60);
  });

  it('gives a 25 s killed run several buckets, not one', () => {
    expect(defaultRule(25)).toBe(1);
    expect(bucketsDrawn(25)).toBeGreaterThanOrEqual(10);
  });

  it('takes the coarsest rule that gives about ten buckets', () => {
    expect(defaultRule(599)).toBe(10);
    expect(defaultRule(100)).toBe(10);
    expect(defaultRule(99)).toBe(1);
    expect(defaultRule(10)).toBe(1);
    expect(bucketsDrawn(300)).toBeGreaterThanOrEqual(10);
  });

  it('draws every row of a run shorter than ten seconds', () => {
    expect(defaultRule(9.5)).toBe('raw');
    expect(defaultRule(0)).toBe('raw');
  });

  it('keeps 60 s when the span is unknown', () => {
    expect(defaultRule(undefined)).toBe(60);
    expect(defaultRule(NaN)).toBe(60);
  });
});

describe('runsSpanS', () => {
  it('is the longest run, creation to last write', () => {
    expect(
      runsSpanS([
        { createdMs: 1000, lastWriteMs: 26_000 },
        { createdMs: 5000, lastWriteMs: 15_000 }
      ])
    ).toBe(25);
  });

  it('is unknown until a run has both times', () => {
    expect(runsSpanS([])).toBeUndefined();
    expect(runsSpanS([{ createdMs: 1000 }])).toBeUndefined();
  });
});
