/// <reference types="node" />
/**
 * The shared query-language cases (`test/vectors/query.json`), checked
 * against `src/query`; `runwatch/tests/test_query_vectors.py` checks the same
 * cases against `runwatch.query`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isFilter, parseFilter, QueryError } from './index';

interface IQueryCase {
  why: string;
  query: string;
  repeat?: number;
  then?: string;
  matches?: number[];
  error?: string;
  is_filter?: boolean;
}

const vectors = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '..', '..', 'test', 'vectors', 'query.json'),
    'utf8'
  )
) as { rows: Array<Record<string, unknown>>; cases: IQueryCase[] };

/** `{"$number": "NaN"}` is NaN: JSON has none. */
function decode(value: unknown): unknown {
  if (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).join() === '$number'
  ) {
    return Number((value as { $number: string }).$number);
  }
  return value;
}

const ROWS = vectors.rows.map(row =>
  Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key, decode(value)])
  )
);

const queryOf = (c: IQueryCase) =>
  c.query.repeat(c.repeat ?? 1) + (c.then ?? '');
const title = (c: IQueryCase) =>
  `${c.why}: ${JSON.stringify(queryOf(c).slice(0, 40))}`;

describe('query vectors', () => {
  const matching = vectors.cases.filter(c => c.matches !== undefined);
  it.each(matching.map(c => [title(c), c] as const))('%s', (_, c) => {
    const filter = parseFilter(queryOf(c));
    const matched = ROWS.flatMap((row, i) => (filter.matches(row) ? [i] : []));
    expect(matched).toEqual(c.matches);
  });

  const errors = vectors.cases.filter(c => c.error !== undefined);
  it.each(errors.map(c => [title(c), c] as const))('%s', (_, c) => {
    let thrown: unknown;
    try {
      parseFilter(queryOf(c));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(QueryError);
    const message = (thrown as QueryError).message;
    expect(message).toContain(c.error);
    expect(message).not.toContain('\n');
  });

  const detecting = vectors.cases.filter(c => c.is_filter !== undefined);
  it.each(detecting.map(c => [title(c), c] as const))('%s', (_, c) => {
    expect(isFilter(queryOf(c))).toBe(c.is_filter);
  });
});
