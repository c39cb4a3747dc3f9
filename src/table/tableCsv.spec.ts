import { nullTranslator } from '@jupyterlab/translation';
import { tableCsv } from './tableCsv';
import { tableColumns } from './tableRows';
import { fakeRow } from './testing';

const trans = nullTranslator.load('runwatch');

describe('tableCsv', () => {
  it('writes the visible columns by key with RFC 4180 quoting and CRLF', () => {
    const columns = tableColumns(['lr', 'tags'], ['loss.last'], trans).filter(
      c =>
        [
          'name',
          'description',
          'params.lr',
          'params.tags',
          'loss.last'
        ].includes(c.key)
    );
    const rows = [
      fakeRow('a', 0, {
        description: 'says "hi", then\nleaves',
        'params.lr': 0.1 + 0.2,
        'params.tags': ['x', 'y'],
        'loss.last': null
      }),
      fakeRow('b', 0, { 'params.lr': 1e-7 })
    ];
    expect(tableCsv(columns, rows)).toBe(
      'name,params.lr,params.tags,loss.last,description\r\n' +
        'a,0.30000000000000004,"[""x"",""y""]",,"says ""hi"", then\nleaves"\r\n' +
        'b,1e-7,,,\r\n'
    );
  });

  it('writes created as the server’s ISO time and duration in seconds', () => {
    const columns = tableColumns([], [], trans).filter(c =>
      ['created', 'duration'].includes(c.key)
    );
    const rows = [fakeRow('a', Date.UTC(2024, 0, 2), { duration: 3723.5 })];
    expect(tableCsv(columns, rows)).toBe(
      'created,duration\r\n2024-01-02T00:00:00.000Z,3723.5\r\n'
    );
  });
});
