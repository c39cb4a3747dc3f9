import { aggregate, IColumnSet, STAT_KINDS } from '../store';
import { latestBuckets, latestRaw } from './latest';

/** Rows every ~0.7 s for `seconds`, with every field any kind needs. */
function rows(seconds: number, seed = 1): IColumnSet {
  let state = seed;
  const random = () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const times: number[] = [];
  for (let t = 0.3; t < seconds; t += 0.2 + random()) {
    times.push(t);
  }
  const n = times.length;
  const column = (f: () => number) => Float64Array.from(times, f);
  return {
    length: n,
    columns: {
      _time: Float64Array.from(times),
      x: column(random),
      total: column(random),
      count: column(() => 1 + Math.floor(3 * random())),
      duration: column(random),
      μ: column(random),
      σ: column(() => 0.1 + random()),
      'qs.0': column(random),
      'qs.1': column(random),
      'qs.2': column(random)
    }
  };
}

function fullPick(kind: string, data: IColumnSet, ruleS: number, nowS: number) {
  const { index, columns, partialFrom } = aggregate(kind, data, {
    ruleS,
    nowS
  });
  const row = (k: number) =>
    k < 0 || k >= index.length
      ? undefined
      : Object.fromEntries(Object.entries(columns).map(([n, c]) => [n, c[k]]));
  return { complete: row(partialFrom - 1), partial: row(partialFrom) };
}

/** Sum of a field over rows in [from, to) (a count of rows if it has none). */
function sumOver(data: IColumnSet, field: string, from: number, to: number) {
  const time = data.columns._time;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    if (time[i] >= from && time[i] < to) {
      sum += data.columns[field]?.[i] ?? 1;
    }
  }
  return sum;
}

describe('latestBuckets', () => {
  const perSecond = ['duty', 'rate', 'period'];
  const kinds = STAT_KINDS.map(k => k.name).filter(k => !perSecond.includes(k));
  it.each(kinds)('agrees with a full aggregate for %s', kind => {
    for (const [seconds, ruleS, nowS] of [
      [100, 10, 100.5],
      [95, 10, 130],
      [300, 60, 301],
      [5, 1, 5.2],
      [40, 1, 40]
    ]) {
      const data = rows(seconds, seconds);
      const got = latestBuckets(kind, data, ruleS, nowS);
      const want = fullPick(kind, data, ruleS, nowS);
      for (const part of ['complete', 'partial'] as const) {
        const g = got[part];
        const w = want[part];
        expect(g === undefined).toBe(w === undefined);
        for (const name of Object.keys(w ?? {})) {
          if (Number.isNaN(w![name])) {
            expect(g![name]).toBeNaN();
          } else {
            expect(g![name]).toBeCloseTo(w![name], 9);
          }
        }
      }
    }
  });

  it.each(perSecond)('divides %s by the seconds a bucket covered', kind => {
    const field = kind === 'duty' ? 'duration' : 'count';
    // now a moment after the last row, or a while after it
    for (const [seconds, ruleS, wait] of [
      [100, 10, 0.01],
      [300, 60, 0.01],
      [280, 60, 20],
      [40, 60, 0.01]
    ]) {
      const data = rows(seconds, seconds);
      const lastT = data.columns._time[data.length - 1];
      const nowS = lastT + wait;
      const got = latestBuckets(kind, data, ruleS, nowS);
      const start = Math.floor(nowS / ruleS) * ruleS;
      const per = (sum: number, s: number) =>
        kind === 'period' ? s / sum : sum / s;
      const partial = per(
        sumOver(data, field, start, start + ruleS),
        Math.min(ruleS, Math.max(nowS, lastT) - start)
      );
      expect(got.partial!.value).toBeCloseTo(partial, 9);
      if (start > 0) {
        const complete = per(
          sumOver(data, field, start - ruleS, start),
          Math.min(ruleS, lastT)
        );
        expect(got.complete!.value).toBeCloseTo(complete, 9);
      } else {
        expect(got.complete).toBeUndefined();
      }
    }
  });

  it('finds a last value older than the buckets it looks at', () => {
    const data: IColumnSet = {
      length: 3,
      columns: {
        _time: Float64Array.of(1, 500, 530),
        x: Float64Array.of(7, NaN, NaN)
      }
    };
    expect(latestBuckets('last', data, 60, 535)).toEqual({
      complete: { value: 7 },
      partial: { value: 7 }
    });
  });

  it('gives nothing for an empty channel', () => {
    expect(latestBuckets('mean', { length: 0, columns: {} }, 60, 10)).toEqual(
      {}
    );
  });
});

describe('latestRaw', () => {
  const data: IColumnSet = {
    length: 2,
    columns: {
      _time: Float64Array.of(1, 3),
      total: Float64Array.of(4, 6),
      count: Float64Array.of(2, 3)
    }
  };

  it('divides a mean row', () => {
    expect(latestRaw('mean', data)).toEqual({ value: 2 });
  });

  it('sums cumsum rows', () => {
    expect(latestRaw('cumsum', data)).toEqual({ value: 10 });
  });

  it('gives a rate over the gap since the previous row', () => {
    expect(latestRaw('rate', data)).toEqual({ value: 1.5 });
  });

  it('gives a duty over the gap since the previous row', () => {
    const busy = {
      ...data,
      columns: { ...data.columns, duration: data.columns.count }
    };
    expect(latestRaw('duty', busy)).toEqual({ value: 1.5 });
  });
});
