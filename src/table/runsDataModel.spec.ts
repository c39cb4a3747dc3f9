import { nullTranslator } from '@jupyterlab/translation';
import { DataModel } from '@lumino/datagrid';
import { RunsDataModel } from './runsDataModel';
import { tableColumns } from './tableRows';
import { fakeRow } from './testing';

const trans = nullTranslator.load('runwatch');

function recording(model: RunsDataModel): DataModel.ChangedArgs[] {
  const seen: DataModel.ChangedArgs[] = [];
  model.changed.connect((_, args) => seen.push(args));
  return seen;
}

describe('RunsDataModel', () => {
  const columns = tableColumns(['lr'], ['loss.last'], trans);
  const rows = [
    fakeRow('a', 0, { 'params.lr': 0.1, 'loss.last': 0.25, status: 'running' }),
    fakeRow('b', 0, { 'params.lr': 0.01 })
  ];

  it('serves headers, cells and a status cell’s status', () => {
    const model = new RunsDataModel();
    model.update(columns, rows, { key: 'params.lr', direction: 'desc' });
    expect(model.rowCount('body')).toBe(2);
    expect(model.rowCount('column-header')).toBe(1);
    expect(model.columnCount('body')).toBe(columns.length);
    expect(model.columnCount('row-header')).toBe(0);
    const lr = columns.findIndex(c => c.key === 'params.lr');
    expect(model.data('column-header', 0, lr)).toBe('lr ▼');
    expect(model.data('column-header', 0, 1)).toBe('name');
    expect(model.data('body', 0, lr)).toBe('0.1');
    expect(model.data('body', 1, columns.length - 1)).toBe('');
    expect(model.metadata('body', 0, 0)).toEqual({ status: 'running' });
    expect(model.metadata('body', 0, 2)).toEqual({});
  });

  it('resets only when the columns change, so a refresh keeps the scroll', () => {
    const model = new RunsDataModel();
    const seen = recording(model);
    model.update(columns, rows, null);
    expect(seen.map(a => a.type)).toEqual(['model-reset']);

    seen.length = 0;
    model.update(columns, [...rows].reverse(), null);
    expect(seen).toEqual([
      {
        type: 'cells-changed',
        region: 'body',
        row: 0,
        column: 0,
        rowSpan: 2,
        columnSpan: columns.length
      }
    ]);

    seen.length = 0;
    model.update(columns, [...rows, fakeRow('c', 0)], null);
    expect(seen.map(a => a.type)).toEqual(['rows-inserted', 'cells-changed']);
    expect(seen[0]).toMatchObject({ index: 2, span: 1 });

    seen.length = 0;
    model.update(columns, [rows[0]], { key: 'name', direction: 'asc' });
    expect(seen.map(a => a.type)).toEqual([
      'cells-changed',
      'rows-removed',
      'cells-changed'
    ]);
    expect(seen[0]).toMatchObject({ region: 'column-header' });
    expect(seen[1]).toMatchObject({ index: 1, span: 2 });

    seen.length = 0;
    model.update(tableColumns(['lr', 'seed'], [], trans), [rows[0]], null);
    expect(seen.map(a => a.type)).toEqual(['model-reset']);
  });
});
