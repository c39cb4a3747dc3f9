/// <reference types="node" />
/**
 * The monitor's latest values and their text against the shared cases in
 * test/vectors/latest.json (written by runwatch/tests/make_vectors.py from
 * the pandas reference), which runwatch/tests/test_latest_vectors.py checks
 * the Python by.
 */
import * as fs from 'fs';
import * as path from 'path';
import { IColumnSet, MonitorFormat } from '../src/store';
import { closeTo, fromJson, JsonNumber } from '../src/store/testing';
import { formatValue } from '../src/store/format';
import { BucketRule, latestText, latestValues } from '../src/monitor/latest';

type JsonRow = Record<string, JsonNumber>;

interface ILatestCase {
  name: string;
  kind: string;
  rule: BucketRule;
  now_s: number;
  rows: Record<string, JsonNumber[]>;
  complete: JsonRow | null;
  partial: JsonRow | null;
  text: { complete: string; partial: string } | null;
}

interface IFormatCase {
  format: MonitorFormat;
  row: JsonRow;
  text: string | null;
}

const vectors = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'vectors', 'latest.json'), 'utf8')
) as { formats: IFormatCase[]; cases: ILatestCase[] };

function row(json: JsonRow): Record<string, number> {
  return Object.fromEntries(
    Object.entries(json).map(([name, v]) => [name, fromJson(v)])
  );
}

function columns(c: ILatestCase): IColumnSet {
  const out: Record<string, Float64Array> = {};
  for (const [name, values] of Object.entries(c.rows)) {
    out[name === 't' ? '_time' : name] = Float64Array.from(values, fromJson);
  }
  return { length: c.rows.t.length, columns: out };
}

/** Names of the columns that differ (NaN equals NaN; 1e-9 relative). */
function differences(
  got: Record<string, number> | undefined,
  want: JsonRow | null
): string[] {
  if (!got || !want) {
    return !got === !want ? [] : ['(missing)'];
  }
  const names = Object.keys(want);
  if (Object.keys(got).join() !== names.join()) {
    return ['(columns)'];
  }
  return names.filter(n => !closeTo(got[n], fromJson(want[n])));
}

describe('shared latest-value vectors', () => {
  it('has cases', () => {
    expect(vectors.formats.length).toBeGreaterThan(0);
    expect(vectors.cases.length).toBeGreaterThan(0);
  });

  it.each(vectors.formats.map(f => [f.format, f.text ?? '(hidden)', f]))(
    '%s → %s',
    (_, __, f) => {
      const c = f as IFormatCase;
      expect(formatValue(c.format, row(c.row)) ?? null).toBe(c.text);
    }
  );

  it.each(vectors.cases.map(c => [`${c.name} (${c.kind}, ${c.rule})`, c]))(
    '%s',
    (_, c) => {
      const vector = c as ILatestCase;
      const data = columns(vector);
      const got = latestValues(vector.kind, data, vector.rule, vector.now_s);
      expect(differences(got.complete, vector.complete)).toEqual([]);
      expect(differences(got.partial, vector.partial)).toEqual([]);
      const text = latestText(vector.kind, data, vector.rule, vector.now_s);
      expect(text ?? null).toEqual(vector.text);
    }
  );
});
