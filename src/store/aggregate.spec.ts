/// <reference types="node" />
import * as fs from 'fs';
import * as path from 'path';
import { aggregate } from './aggregate';
import { IColumnSet } from './decode';
import { AggregateError } from './errors';
import { closeTo, fromJson, JsonNumber } from './testing';
import { secondsFromNs } from './time';

interface IPandasCase {
  kind: string;
  shape: string;
  rule_s: number;
  t_ns: number[];
  fields: Record<string, JsonNumber[]>;
  index: number[];
  columns: Record<string, JsonNumber[]>;
}

const CASES = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '__fixtures__', 'aggregate_cases.json'),
    'utf8'
  )
) as IPandasCase[];

function columnSet(c: IPandasCase): IColumnSet {
  const columns: Record<string, Float64Array> = {
    _time: Float64Array.from(c.t_ns, secondsFromNs)
  };
  for (const [name, values] of Object.entries(c.fields)) {
    columns[name] = Float64Array.from(values, fromJson);
  }
  return { length: c.t_ns.length, columns };
}

describe('aggregate (against pandas, as pavlov computes it)', () => {
  it.each(CASES.map(c => [`${c.kind} ${c.shape} ${c.rule_s}s`, c] as const))(
    '%s',
    (_, c) => {
      const result = aggregate(c.kind, columnSet(c), { ruleS: c.rule_s });
      expect(Array.from(result.index)).toEqual(c.index);
      expect(Object.keys(result.columns).sort()).toEqual(
        Object.keys(c.columns).sort()
      );
      for (const [name, want] of Object.entries(c.columns)) {
        const got = result.columns[name];
        const bad = want
          .map((w, i) => ({ i, got: got[i], want: fromJson(w) }))
          .filter(({ got, want }) => !closeTo(got, want));
        expect(bad).toEqual([]);
      }
      expect(result.partialFrom).toBe(c.index.length - 1);
    }
  );
});

describe('aggregate', () => {
  const data: IColumnSet = {
    length: 4,
    columns: {
      _time: Float64Array.of(1, 30, 61, 130),
      total: Float64Array.of(2, 4, 6, 8),
      count: Float64Array.of(1, 1, 2, 2)
    }
  };

  it('marks buckets that end after now as partial', () => {
    expect(aggregate('mean', data).partialFrom).toBe(2);
    expect(aggregate('mean', data, { nowS: 180 }).partialFrom).toBe(3);
    expect(aggregate('mean', data, { nowS: 100 }).partialFrom).toBe(1);
  });

  it('reads a missing defaulted argument as its default', () => {
    const noCount = {
      length: 2,
      columns: { _time: Float64Array.of(1, 2), total: Float64Array.of(3, 5) }
    };
    expect(Array.from(aggregate('mean', noCount).columns.value)).toEqual([4]);
  });

  it('names the channel and the reason on bad input', () => {
    expect(() => aggregate('nope', data, { file: 'loss' })).toThrow(
      AggregateError
    );
    expect(() => aggregate('nope', data, { file: 'loss' })).toThrow(
      "loss: unknown stat kind 'nope'"
    );
    expect(() => aggregate('max', data, { file: 'loss' })).toThrow(
      "needs a 'x' field; it has '_time', 'total', 'count'"
    );
    expect(() => aggregate('quantiles', data)).toThrow("needs 'qs.N' fields");
    expect(() => aggregate('mean', data, { ruleS: 0 })).toThrow(
      'invalid bucket rule 0 s'
    );
    expect(() =>
      aggregate('mean', { length: 1, columns: { x: Float64Array.of(1) } })
    ).toThrow('no time column');
  });

  it('aggregates no rows into one empty bucket, as pandas does the NaN row', () => {
    const empty = {
      length: 0,
      columns: { _time: new Float64Array(0), count: new Float64Array(0) }
    };
    const rate = aggregate('rate', empty);
    expect(Array.from(rate.index)).toEqual([0]);
    expect(rate.columns.value[0]).toBeNaN();
    expect(
      Array.from(
        aggregate('cumsum', {
          ...empty,
          columns: { _time: new Float64Array(0) }
        }).columns.value
      )
    ).toEqual([0]);
  });
});
