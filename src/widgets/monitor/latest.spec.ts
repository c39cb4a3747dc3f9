import { aggregate, IColumnSet, STAT_KINDS } from '../../store';
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

describe('latestBuckets', () => {
  const kinds = STAT_KINDS.map(k => k.name);
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
});
