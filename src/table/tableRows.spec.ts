import { nullTranslator } from '@jupyterlab/translation';
import {
  cellText,
  formatCreated,
  formatDuration,
  formatValue,
  parseTableReply,
  tableColumns
} from './tableRows';
import { fakeRow } from './testing';

const trans = nullTranslator.load('runwatch');

describe('parseTableReply', () => {
  it('says what is wrong when the reply is no table', () => {
    expect(() => parseTableReply({ message: 'nope' })).toThrow(
      'the server sent no table'
    );
    expect(() => parseTableReply(null)).toThrow('the server sent no table');
  });

  it('keeps rows and key lists, dropping what is not a row or a key', () => {
    const reply = parseTableReply({
      root: '/r',
      runs: [{ name: 'a' }, 3, null],
      params: ['lr', 7],
      channels: ['loss'],
      stats: ['loss.last']
    });
    expect(reply.runs).toEqual([{ name: 'a' }]);
    expect(reply.params).toEqual(['lr']);
    expect(reply.stats).toEqual(['loss.last']);
    expect(reply.query).toBe('');
  });
});

describe('tableColumns', () => {
  it('puts status, name, params, stats first, then the run facts', () => {
    const columns = tableColumns(
      ['seed', 'lr'],
      ['loss.val.last', 'acc.max'],
      trans
    );
    expect(columns.map(c => c.key)).toEqual([
      'status',
      'name',
      'params.seed',
      'params.lr',
      'loss.val.last',
      'acc.max',
      'reason',
      'created',
      'duration',
      'host',
      'sweep',
      'description'
    ]);
    expect(columns[2].label).toBe('seed');
  });

  it('moves the params every run shares to the end', () => {
    const rows = [
      fakeRow('a', 0, { 'params.lr': 0.1, 'params.batch': 32 }),
      fakeRow('b', 0, { 'params.lr': 0.01, 'params.batch': 32 })
    ];
    const keys = tableColumns(['batch', 'lr'], ['loss.last'], trans, rows).map(
      c => c.key
    );
    expect(keys.slice(0, 4)).toEqual([
      'status',
      'name',
      'params.lr',
      'loss.last'
    ]);
    expect(keys[keys.length - 1]).toBe('params.batch');
  });
});

describe('formatValue', () => {
  it.each([
    [0.000314159, '0.0003142'],
    [0.5, '0.5'],
    [123.456, '123.5'],
    [12345.678, '12.35k'],
    [1024, '1024'],
    [12345, '12345'],
    [3e7, '30M'],
    [-2.71828, '-2.718'],
    [true, 'true'],
    [[1, 'a'], '[1,"a"]'],
    [{ a: 1 }, '{"a":1}'],
    ['text', 'text'],
    [null, '']
  ])('%p prints as %p', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45.4, '45s'],
    [725, '12m 05s'],
    [3720, '1h 02m'],
    [86399, '23h 59m'],
    [273600, '3d 04h']
  ])('%p s is %p', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatCreated', () => {
  it('prints local time to the minute', () => {
    const ms = new Date(2024, 0, 2, 3, 4, 59).getTime();
    expect(formatCreated(ms)).toBe('2024-01-02 03:04');
  });
});

describe('cellText', () => {
  it('shows an unreadable run’s error as its reason, and missing as blank', () => {
    const [status, , reason, created, duration] = tableColumns([], [], trans);
    const row = fakeRow('r', 0, {
      status: 'unreadable',
      reason: null,
      error: '_info.json: not JSON',
      duration: null
    });
    expect(cellText(row, status)).toBe('unreadable');
    expect(cellText(row, reason)).toBe('_info.json: not JSON');
    expect(cellText(row, duration)).toBe('');
    expect(cellText(row, created)).toBe(formatCreated(0));
  });

  it('reads created from the ISO string when created_ms is missing', () => {
    const created = tableColumns([], [], trans).find(c => c.key === 'created')!;
    const row = { name: 'r', created: '2024-05-06T07:08:00Z' };
    expect(cellText(row, created)).toBe(
      formatCreated(Date.parse('2024-05-06T07:08:00Z'))
    );
  });
});
