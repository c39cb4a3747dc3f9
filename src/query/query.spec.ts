/**
 * src/query's API beyond the shared vectors: names, lookup, error fields,
 * rows with inherited keys.
 */
import { isFilter, lookup, MISSING, parseFilter, QueryError } from './index';

function errorOf(query: string): QueryError {
  try {
    parseFilter(query);
  } catch (error) {
    return error as QueryError;
  }
  throw new Error(`no error for ${query}`);
}

describe('parseFilter', () => {
  it('lists every identifier as written', () => {
    const filter = parseFilter(
      'lr < 1e-3 and status == "finished" and loss.val.last < 0.3'
    );
    expect([...filter.names].sort()).toEqual(['loss.val.last', 'lr', 'status']);
    const other = parseFilter(
      'debug or `weird name.last` in [1] or not params.seed != other'
    );
    expect([...other.names].sort()).toEqual([
      'debug',
      'other',
      'params.seed',
      'weird name.last'
    ]);
  });

  it('leaves keywords and values out of the names', () => {
    const filter = parseFilter('x == null and y not in [true, "z"]');
    expect([...filter.names].sort()).toEqual(['x', 'y']);
  });

  it('throws a QueryError with the reason and column', () => {
    const error = errorOf('lr < and x');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('QueryError');
    expect([error.column, error.reason]).toEqual([
      6,
      "expected a value after '<'"
    ]);
    expect(error.message).toBe(
      "query: expected a value after '<' at column 6: lr < and x"
    );
  });

  it('counts columns in characters, as Python does', () => {
    expect(errorOf('emoji == "😀" =').column).toBe(14);
  });

  it('gives a one-line message for a multi-line query', () => {
    expect(errorOf('lr < 1\nand\n').message).toBe(
      "query: expected a condition after 'and' at column 12: lr < 1 and "
    );
  });

  it("ignores a row's inherited keys", () => {
    const filter = parseFilter('constructor or toString != null');
    expect(filter.matches({})).toBe(false);
    expect(filter.matches({ 'params.constructor': 1 })).toBe(true);
  });

  it('is reused across rows', () => {
    const filter = parseFilter('name ~ "*sweep*" and seed in [1, 2]');
    const rows = Array.from({ length: 8 }, (_, i) => ({
      name: `run ${i} lr-sweep`,
      'params.seed': i % 4
    }));
    expect(rows.filter(row => filter.matches(row)).map(r => r.name)).toEqual([
      'run 1 lr-sweep',
      'run 2 lr-sweep',
      'run 5 lr-sweep',
      'run 6 lr-sweep'
    ]);
  });
});

describe('lookup', () => {
  it('prefers the field, then the param', () => {
    const row = {
      lr: 0.5,
      'params.lr': 0.1,
      'params.optim.beta1': 0.9,
      'loss.val.last': 0.2,
      gone: null
    };
    expect(lookup(row, 'lr')).toBe(0.5);
    expect(lookup(row, 'params.lr')).toBe(0.1);
    expect(lookup(row, 'optim.beta1')).toBe(0.9);
    expect(lookup(row, 'loss.val.last')).toBe(0.2);
    expect(lookup(row, 'gone')).toBeNull();
    expect(lookup(row, 'nothing')).toBe(MISSING);
  });
});

describe('isFilter', () => {
  it('takes anything a resolver is given', () => {
    expect(isFilter(-1)).toBe(false);
    expect(isFilter('seed in [1]')).toBe(true);
  });
});
