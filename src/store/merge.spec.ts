import { IColumnSet } from './decode';
import { mergeByTime, stableTimeOrder } from './merge';
import { prng } from './testing';

function part(
  time: number[],
  value: number[],
  extra?: Record<string, number[]>
): IColumnSet {
  const columns: Record<string, Float64Array> = {
    _time: Float64Array.from(time),
    value: Float64Array.from(value)
  };
  for (const [k, v] of Object.entries(extra ?? {})) {
    columns[k] = Float64Array.from(v);
  }
  return { length: time.length, columns };
}

describe('mergeByTime', () => {
  it('orders by time, equal times in writer order then row order', () => {
    const merged = mergeByTime([
      part([1, 5, 5, 70], [100, 101, 102, 103]),
      part([2, 5, 21, 70], [200, 201, 202, 203])
    ]);
    expect(Array.from(merged.columns._time)).toEqual([
      1, 2, 5, 5, 5, 21, 70, 70
    ]);
    expect(Array.from(merged.columns.value)).toEqual([
      100, 200, 101, 102, 201, 202, 103, 203
    ]);
  });

  it('returns one sorted file as is, without copying', () => {
    const only = part([1, 2, 3], [4, 5, 6]);
    expect(mergeByTime([only, part([], [])])).toBe(only);
  });

  it('sorts a file written out of order (clock stepped back), stably', () => {
    const merged = mergeByTime([part([3, 1, 2, 1], [0, 1, 2, 3])]);
    expect(Array.from(merged.columns._time)).toEqual([1, 1, 2, 3]);
    expect(Array.from(merged.columns.value)).toEqual([1, 3, 2, 0]);
  });

  it('drops rows without a time (NaT) and NaN-fills missing fields', () => {
    const merged = mergeByTime([
      part([2, NaN], [1, 2], { extra: [7, 8] }),
      part([1], [3])
    ]);
    expect(Array.from(merged.columns._time)).toEqual([1, 2]);
    expect(Array.from(merged.columns.value)).toEqual([3, 1]);
    expect(Array.from(merged.columns.extra)).toEqual([NaN, 7]);
  });

  it('matches a stable sort on random writers', () => {
    const random = prng(7);
    for (let trial = 0; trial < 100; trial++) {
      // Half the trials have sorted writers (the k-way merge), half not.
      const stepBack = trial % 2 === 1;
      const parts: IColumnSet[] = [];
      const rows: Array<[number, number]> = [];
      const writers = 1 + Math.floor(random() * 5);
      for (let w = 0; w < writers; w++) {
        const n = Math.floor(random() * 30);
        const time: number[] = [];
        let t = 0;
        for (let i = 0; i < n; i++) {
          // Increasing with ties, and maybe the odd step back.
          t += stepBack && random() < 0.1 ? -1 : Math.floor(random() * 3);
          time.push(t);
        }
        const value = time.map((_, i) => w * 1000 + i);
        parts.push(part(time, value));
        time.forEach((t, i) => rows.push([t, value[i]]));
      }
      const expected = rows
        .map((r, i) => [...r, i])
        .sort((a, b) => a[0] - b[0] || a[2] - b[2]);
      const merged = mergeByTime(parts);
      expect(Array.from(merged.columns._time)).toEqual(expected.map(r => r[0]));
      expect(Array.from(merged.columns.value)).toEqual(expected.map(r => r[1]));
    }
  });
});

describe('stableTimeOrder', () => {
  it('merges many runs', () => {
    const time = Float64Array.from([5, 4, 3, 2, 1, 1, 0]);
    expect(Array.from(stableTimeOrder(time))).toEqual([6, 4, 5, 3, 2, 1, 0]);
  });
});
