import { nullTranslator } from '@jupyterlab/translation';
import { QueryError } from '../query';
import { tableColumns } from './tableRows';
import { fakeRow } from './testing';
import { compileQuery, sortRows, visibleRows } from './tableView';

const trans = nullTranslator.load('runwatch');

const DAY = 86_400_000;
const columns = tableColumns(['lr', 'tag'], ['loss.val.last'], trans);
const column = (key: string) => columns.find(c => c.key === key)!;
const names = (rows: readonly Record<string, unknown>[]) =>
  rows.map(r => r.name);

// Newest first, as the server sends them.
const rows = [
  fakeRow('2024-01-04 00-00-00 d-sweep', 3 * DAY, {
    status: 'running',
    'params.lr': 1e-4,
    'loss.val.last': 0.5
  }),
  fakeRow('2024-01-03 00-00-00 c-sweep', 2 * DAY, {
    'params.lr': 1e-2,
    'params.tag': 'b',
    'loss.val.last': 0.2
  }),
  fakeRow('2024-01-02 00-00-00 b-other', 1 * DAY, {
    'params.lr': null,
    'params.tag': 'a',
    'loss.val.last': 0.1
  }),
  fakeRow('2024-01-01 00-00-00 a-sweep', 0, {
    'params.lr': 1e-4,
    'params.tag': 'B'
  })
];

describe('sortRows', () => {
  it('sorts numbers numerically with missing values last, either way', () => {
    const lr = column('params.lr');
    expect(names(sortRows(rows, lr, 'asc'))).toEqual([
      '2024-01-04 00-00-00 d-sweep',
      '2024-01-01 00-00-00 a-sweep',
      '2024-01-03 00-00-00 c-sweep',
      '2024-01-02 00-00-00 b-other'
    ]);
    // Stable: the two 1e-4 runs keep their order in both directions.
    expect(names(sortRows(rows, lr, 'desc'))).toEqual([
      '2024-01-03 00-00-00 c-sweep',
      '2024-01-04 00-00-00 d-sweep',
      '2024-01-01 00-00-00 a-sweep',
      '2024-01-02 00-00-00 b-other'
    ]);
  });

  it('sorts text by the locale, a channel summary by value, created by time', () => {
    expect(
      sortRows(rows, column('params.tag'), 'asc').map(r => r['params.tag'])
    ).toEqual(['a', 'b', 'B', undefined]);
    expect(
      sortRows(rows, column('loss.val.last'), 'desc').map(
        r => r['loss.val.last']
      )
    ).toEqual([0.5, 0.2, 0.1, undefined]);
    expect(names(sortRows(rows, column('created'), 'asc'))).toEqual(
      names([...rows].reverse())
    );
  });

  it('puts NaN with the missing, numbers before text in a mixed column', () => {
    const mixed = [
      fakeRow('x', 0, { 'params.lr': 'auto' }),
      fakeRow('y', 0, { 'params.lr': NaN }),
      fakeRow('z', 0, { 'params.lr': 3 })
    ];
    expect(names(sortRows(mixed, column('params.lr'), 'asc'))).toEqual([
      'z',
      'x',
      'y'
    ]);
  });
});

describe('compileQuery and visibleRows', () => {
  it('filters with an expression over params, status and summaries', () => {
    const query = compileQuery(
      'lr < 1e-3 and status == "finished" and loss.val.last < 0.3'
    );
    expect(names(visibleRows(rows, columns, query, null))).toEqual([]);
    const looser = compileQuery('lr < 1e-3 or loss.val.last < 0.3');
    expect(
      names(
        visibleRows(rows, columns, looser, { key: 'name', direction: 'asc' })
      )
    ).toEqual([
      '2024-01-01 00-00-00 a-sweep',
      '2024-01-02 00-00-00 b-other',
      '2024-01-03 00-00-00 c-sweep',
      '2024-01-04 00-00-00 d-sweep'
    ]);
    expect(looser.names).toEqual(new Set(['lr', 'loss.val.last']));
  });

  it('matches names as the magics do: a word, a glob, an index', () => {
    const select = (text: string) =>
      names(visibleRows(rows, columns, compileQuery(text), null));
    expect(select('sweep')).toEqual([
      '2024-01-04 00-00-00 d-sweep',
      '2024-01-03 00-00-00 c-sweep',
      '2024-01-01 00-00-00 a-sweep'
    ]);
    expect(select('* [ab]-*')).toEqual([
      '2024-01-02 00-00-00 b-other',
      '2024-01-01 00-00-00 a-sweep'
    ]);
    expect(select('-1')).toEqual(['2024-01-04 00-00-00 d-sweep']);
    expect(select('nothing-like-it')).toEqual([]);
    expect(select('  ')).toEqual(names(rows));
  });

  it('throws the query language’s error for a malformed filter', () => {
    expect(() => compileQuery('lr < and x')).toThrow(QueryError);
    expect(() => compileQuery('lr < and x')).toThrow(/column/);
  });

  it('handles 10,000 runs', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      fakeRow(`run-${i}`, i, { 'params.lr': (i * 7919) % 1000 })
    );
    const shown = visibleRows(many, columns, compileQuery('lr >= 500'), {
      key: 'params.lr',
      direction: 'desc'
    });
    expect(shown).toHaveLength(5000);
    expect(shown[0]['params.lr']).toBe(999);
    expect(shown[4999]['params.lr']).toBe(500);
  });
});
