/// <reference types="node" />
import * as fs from 'fs';
import * as path from 'path';

import {
  csvCell,
  csvChunks,
  csvFields,
  exportFileName,
  ICsvSeries,
  runsGlob
} from './csv';

/** test/vectors/csv.json: the same text as the server's export. */
const VECTOR = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '../../../test/vectors/csv.json'),
    'utf-8'
  )
) as {
  run: string;
  channels: {
    channel: string;
    kind: string;
    t: number[];
    fields: Record<string, (number | null)[]>;
  }[];
  csv: string[];
};

const column = (values: (number | null)[]) =>
  Float64Array.from(values, v => (v === null ? NaN : v));

const series = (n: number, fields: string[]) => {
  const columns: Record<string, Float64Array> = {
    _time: Float64Array.from({ length: n }, (_, i) => i * 0.5)
  };
  for (const f of fields) {
    columns[f] = Float64Array.from({ length: n }, (_, i) => i);
  }
  return { length: n, columns };
};

describe('csvChunks', () => {
  it('writes a header and every row of every series, tidy', () => {
    const text = csvChunks([
      {
        run: 'run a',
        channel: 'loss.train',
        kind: 'mean',
        data: series(3, ['total', 'count'])
      },
      {
        run: 'run,b',
        channel: 'loss.eval',
        kind: 'last',
        data: series(2, ['x'])
      }
    ]).join('');
    expect(text.split('\n')).toEqual([
      'run,channel,t_seconds,value,total,count,x',
      'run a,loss.train,0,NaN,0,0,',
      'run a,loss.train,0.5,1,1,1,',
      'run a,loss.train,1,1,2,2,',
      '"run,b",loss.eval,0,0,,,0',
      '"run,b",loss.eval,0.5,1,,,1',
      ''
    ]);
  });

  it('writes the shared vector as the server does', () => {
    const series: ICsvSeries[] = VECTOR.channels.map(c => {
      const columns: Record<string, Float64Array> = { _time: column(c.t) };
      for (const [name, values] of Object.entries(c.fields)) {
        columns[name] = column(values);
      }
      return {
        run: VECTOR.run,
        channel: c.channel,
        kind: c.kind,
        data: { length: c.t.length, columns }
      };
    });
    expect(csvChunks(series).join('').split('\n')).toEqual(VECTOR.csv);
  });

  it('keeps every one of 200 k rows, in chunks, NaN as NaN', () => {
    const data = series(200_000, ['x']);
    data.columns.x[7] = NaN;
    const chunks = csvChunks([{ run: 'r', channel: 'c', kind: 'last', data }]);
    expect(chunks.length).toBeGreaterThan(2);
    const lines = chunks.join('').trimEnd().split('\n');
    expect(lines.length).toBe(200_001);
    expect(lines[8]).toBe('r,c,3.5,NaN,NaN');
    expect(lines[200_000]).toBe('r,c,99999.5,199999,199999');
  });

  it('orders fields as first seen, without _time', () => {
    expect(
      csvFields([
        {
          run: 'a',
          channel: 'c',
          kind: 'mean_std',
          data: series(1, ['μ', 'σ'])
        },
        { run: 'b', channel: 'c', kind: 'last', data: series(1, ['σ', 'x']) }
      ])
    ).toEqual(['μ', 'σ', 'x']);
  });

  it('quotes cells and names files safely', () => {
    expect(csvCell('a"b')).toBe('"a""b"');
    expect(
      exportFileName('loss', ['2024-01-01 00-00-00 neat-river'], 'csv')
    ).toBe('2024-01-01_00-00-00_neat-river_loss.csv');
    expect(exportFileName('loss', ['a', 'b', 'c'], 'png')).toBe(
      '3-runs_loss.png'
    );
    // A sweep's runs are named after what they share (their glob).
    expect(
      exportFileName(
        'loss',
        [
          '2024-01-01 00-00-00 neat-river lr-sweep',
          '2024-01-01 00-05-00 calm-sea lr-sweep'
        ],
        'png'
      )
    ).toBe('2024-01-01_lr-sweep_loss.png');
    expect(
      runsGlob(['2024-01-01 00-00-00 a x', '2024-01-01 00-00-01 b x'])
    ).toBe('2024-01-01 * x');
  });
});
