/// <reference types="node" />
/**
 * test/vectors/series.json: what TypeScript's `channelSeries` (raw columns,
 * buckets and bands) and `reduceSeries` (M4 picks) give on table-driven
 * inputs. The server's numpy port (runwatch/server/lod/) is checked against
 * the same file by runwatch/tests/test_lod_vectors.py, so the kinds have one
 * definition.
 *
 * The file is generated from this TypeScript:
 * `WRITE_SERIES_VECTORS=1 npx jest test/seriesVectors.spec.ts` rewrites it;
 * without the variable, this spec checks the code still gives it (1e-9).
 */
import * as fs from 'fs';
import * as path from 'path';
import { IColumnSet } from '../src/store';
import { fromJson, JsonNumber, mismatches, prng } from '../src/store/testing';
import { reduceSeries } from '../src/plots/series/reduce';
import { channelSeries, PlotRule } from '../src/plots/series/series';

const FILE = path.join(__dirname, 'vectors', 'series.json');
const WRITE = process.env.WRITE_SERIES_VECTORS === '1';

interface ISeriesOutput {
  x: JsonNumber[];
  columns: Record<string, JsonNumber[]>;
  band: { lo: JsonNumber[]; hi: JsonNumber[] } | null;
}

/** One input table and `channelSeries`' output at each rule. */
interface ISeriesCase {
  name: string;
  kind: string;
  fields: Record<string, JsonNumber[]>;
  rules: Array<{ rule: PlotRule } & ISeriesOutput>;
}

/** `reduceSeries` over some of the shared `reduce.columns`. */
interface IReduceCase {
  name: string;
  columns: string[];
  x0: number;
  x1: number;
  bins: number;
  rows: number[];
  reduced: boolean;
}

interface IReduceVectors {
  x: JsonNumber[];
  columns: Record<string, JsonNumber[]>;
  cases: IReduceCase[];
}

const toJson = (a: ArrayLike<number>): JsonNumber[] =>
  Array.from(a, v =>
    Number.isNaN(v)
      ? null
      : v === Infinity
        ? 'Infinity'
        : v === -Infinity
          ? '-Infinity'
          : v
  );

const fromJsonArray = (a: JsonNumber[]): Float64Array =>
  Float64Array.from(a, fromJson);

/** Irregular, sorted times from before `_created` on, with some ties and a 0. */
function times(random: () => number, n: number): number[] {
  const t: number[] = [];
  let now = -3.25;
  for (let i = 0; i < n; i++) {
    if (i === 3) {
      now = 0;
    } else if (random() > 0.15) {
      now += Math.round(random() * 4000) / 1000 + (random() > 0.9 ? 70 : 0);
    }
    t.push(now);
  }
  return t;
}

function values(random: () => number, n: number, nanEvery = 7): number[] {
  return Array.from({ length: n }, (_, i) =>
    i % nanEvery === 5 ? NaN : Math.round((random() * 20 - 5) * 1000) / 1000
  );
}

/** The input tables: each kind with its fields, and the odd shapes. */
function seriesInputs(): Array<{
  name: string;
  kind: string;
  fields: Record<string, number[]>;
}> {
  const random = prng(10);
  const n = 40;
  const t = times(random, n);
  const v = () => values(random, n);
  const positive = () => v().map(x => Math.abs(x) + 0.5);
  const count = () =>
    Array.from({ length: n }, () => 1 + Math.floor(random() * 4));
  return [
    ...['last', 'silent', 'max', 'max_percent', 'std', 'timeaverage'].map(
      kind => ({ name: kind, kind, fields: { _time: t, x: v() } })
    ),
    ...['mean', 'mean_percent'].map(kind => ({
      name: kind,
      kind,
      fields: { _time: t, total: v(), count: count() }
    })),
    { name: 'mean, no count', kind: 'mean', fields: { _time: t, total: v() } },
    { name: 'cumsum', kind: 'cumsum', fields: { _time: t, total: v() } },
    { name: 'cumsum, no total', kind: 'cumsum', fields: { _time: t } },
    { name: 'duty', kind: 'duty', fields: { _time: t, duration: positive() } },
    {
      name: 'maxrate',
      kind: 'maxrate',
      fields: { _time: t, duration: positive(), count: count() }
    },
    { name: 'rate', kind: 'rate', fields: { _time: t, count: count() } },
    { name: 'rate, no count', kind: 'rate', fields: { _time: t } },
    { name: 'period', kind: 'period', fields: { _time: t, count: count() } },
    {
      name: 'mean_std',
      kind: 'mean_std',
      fields: { _time: t, μ: v(), σ: positive() }
    },
    {
      name: 'quantiles',
      kind: 'quantiles',
      fields: {
        _time: t,
        'qs.0': v(),
        'qs.1': v(),
        'qs.2': v(),
        'qs.3': v(),
        'qs.4': v()
      }
    },
    {
      name: 'last, dict-valued',
      kind: 'last',
      fields: { _time: t, 'x.a': v(), 'x.b.c': v() }
    },
    {
      name: 'mean, dict-valued',
      kind: 'mean',
      fields: { _time: t, 'total.a': v(), 'total.b': v(), count: count() }
    },
    {
      name: 'max, after created only',
      kind: 'max',
      fields: { _time: t.map(x => x + 5), x: v() }
    }
  ];
}

const RULES: PlotRule[] = ['raw', 1, 10, 60, 600];

function columnSet(fields: Record<string, number[]>): IColumnSet {
  const columns: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(fields)) {
    columns[name] = Float64Array.from(column);
  }
  return { length: fields._time.length, columns };
}

function makeSeriesCases(): ISeriesCase[] {
  return seriesInputs().map(input => {
    const fields: Record<string, JsonNumber[]> = {};
    for (const [name, column] of Object.entries(input.fields)) {
      fields[name] = toJson(column);
    }
    const rules = RULES.map(rule => {
      const s = channelSeries(input.kind, columnSet(input.fields), rule);
      const columns: Record<string, JsonNumber[]> = {};
      for (const [name, column] of Object.entries(s.columns)) {
        columns[name] = toJson(column);
      }
      const band = s.band
        ? { lo: toJson(s.band.lo), hi: toJson(s.band.hi) }
        : null;
      return { rule, x: toJson(s.x), columns, band };
    });
    return { name: input.name, kind: input.kind, fields, rules };
  });
}

/** Random walks over strictly increasing x (so kept x name the rows), a spike, NaN runs. */
function reduceInputs(): Omit<IReduceVectors, 'cases'> {
  const random = prng(20);
  const n = 700;
  const x: number[] = [];
  let now = -2;
  for (let i = 0; i < n; i++) {
    now += 0.001 + Math.round(random() * 1000) / 1000;
    x.push(Math.round(now * 1000) / 1000);
  }
  const walk = (nan: (i: number) => boolean): number[] => {
    let y = 0;
    return x.map((_, i) => {
      y += Math.round((random() - 0.5) * 1000) / 1000;
      return nan(i) ? NaN : i === 345 ? 1e4 : Math.round(y * 1000) / 1000;
    });
  };
  return {
    x: toJson(x),
    columns: {
      a: toJson(walk(i => i >= 100 && i < 160)),
      b: toJson(walk(i => i % 37 === 0)),
      flat: toJson(x.map(() => 1))
    }
  };
}

function reduce(
  vectors: Omit<IReduceVectors, 'cases'>,
  names: string[],
  x0: number,
  x1: number,
  bins: number
): { rows: number[]; reduced: boolean } {
  const x = fromJsonArray(vectors.x);
  const columns: Record<string, Float64Array> = {};
  names.forEach(
    (name, i) => (columns[`${i}`] = fromJsonArray(vectors.columns[name]))
  );
  const { series, reduced } = reduceSeries(
    { x, columns, style: 'line' },
    x0,
    x1,
    bins
  );
  return { rows: Array.from(series.x, v => x.indexOf(v)), reduced };
}

function makeReduceVectors(): IReduceVectors {
  const inputs = reduceInputs();
  const last = fromJson(inputs.x[inputs.x.length - 1]);
  const cases: Array<Omit<IReduceCase, 'rows' | 'reduced'>> = [
    { name: 'whole, 20 px', columns: ['a'], x0: -2, x1: last, bins: 20 },
    { name: 'two columns', columns: ['a', 'b'], x0: -2, x1: last, bins: 13 },
    {
      name: 'band and line',
      columns: ['b', 'a', 'flat'],
      x0: 0,
      x1: 200,
      bins: 9
    },
    { name: 'ties', columns: ['flat'], x0: 50, x1: 300, bins: 10 },
    { name: 'few rows', columns: ['a'], x0: 200, x1: 230, bins: 50 },
    { name: 'every row', columns: ['a'], x0: -2, x1: last, bins: 200 },
    { name: 'one pixel', columns: ['a', 'b'], x0: 10, x1: 300, bins: 1 },
    {
      name: 'past the end',
      columns: ['a'],
      x0: last - 40,
      x1: last + 50,
      bins: 3
    },
    {
      name: 'no rows in range',
      columns: ['a'],
      x0: last + 1,
      x1: last + 9,
      bins: 3
    }
  ];
  return {
    ...inputs,
    cases: cases.map(c => ({
      ...c,
      ...reduce(inputs, c.columns, c.x0, c.x1, c.bins)
    }))
  };
}

if (WRITE) {
  const text = JSON.stringify(
    {
      about:
        'Generated from the TypeScript by test/seriesVectors.spec.ts (WRITE_SERIES_VECTORS=1); checked by it and by runwatch/tests/test_lod_vectors.py.',
      series: makeSeriesCases(),
      reduce: makeReduceVectors()
    },
    null,
    0
  );
  fs.writeFileSync(FILE, text + '\n');
}

const stored = JSON.parse(fs.readFileSync(FILE, 'utf8')) as {
  series: ISeriesCase[];
  reduce: IReduceVectors;
};

const seriesCases = stored.series.flatMap(c =>
  c.rules.map(output => [`${c.name} at ${output.rule}`, c, output] as const)
);

describe('test/vectors/series.json', () => {
  it('covers every kind at every rule, and M4', () => {
    expect(new Set(stored.series.map(c => c.kind)).size).toBe(15);
    for (const c of stored.series) {
      expect(c.rules.map(r => r.rule)).toEqual(RULES);
    }
    expect(stored.reduce.cases.some(c => c.reduced)).toBe(true);
  });

  it.each(seriesCases)('series: %s', (_, c, output) => {
    const fields: Record<string, number[]> = {};
    for (const [name, column] of Object.entries(c.fields)) {
      fields[name] = column.map(fromJson);
    }
    const s = channelSeries(c.kind, columnSet(fields), output.rule);
    expect(mismatches(s.x, output.x)).toEqual([]);
    expect(Object.keys(s.columns)).toEqual(Object.keys(output.columns));
    for (const [name, values] of Object.entries(output.columns)) {
      expect({ name, bad: mismatches(s.columns[name], values) }).toEqual({
        name,
        bad: []
      });
    }
    expect(Boolean(s.band)).toBe(output.band !== null);
    if (s.band && output.band) {
      expect(mismatches(s.band.lo, output.band.lo)).toEqual([]);
      expect(mismatches(s.band.hi, output.band.hi)).toEqual([]);
    }
  });

  it.each(stored.reduce.cases.map(c => [c.name, c] as const))(
    'reduce: %s',
    (_, c) => {
      expect(reduce(stored.reduce, c.columns, c.x0, c.x1, c.bins)).toEqual({
        rows: c.rows,
        reduced: c.reduced
      });
    }
  );
});
