import { nullTranslator } from '@jupyterlab/translation';
import { IPlotChannel, IPlotRun } from '../data/sources';
import { IGridMember, planGrid } from '../series/grid';
import { IChannelSeries, PlotRule } from '../series/series';
import { cellContent, ICellData } from './cellContent';

const trans = nullTranslator.load('runwatch');
const RUN_A = '2024-01-02 03-04-05 neat-funds';
const RUN_B = '2024-01-03 03-04-05 cosy-quartz';

function series(n: number): IChannelSeries {
  const x = Float64Array.from({ length: n }, (_, i) => i);
  return { x, columns: { value: x }, style: 'line' };
}

/**
 * Data for `runs`, each channel `name: rows`; or `null` for one with no
 * series yet, an `Error` for one whose series throws, a string for one
 * listed with that error.
 */
function data(
  runs: Record<string, Record<string, number | null | Error | string>>
): ICellData & { asked: unknown[]; exported: string[][] } {
  const asked: unknown[] = [];
  const exported: string[][] = [];
  const sources = Object.entries(runs).map(([run, channels]) => {
    const map = new Map<string, IPlotChannel>();
    for (const [name, what] of Object.entries(channels)) {
      map.set(name, {
        name,
        kind: 'last',
        error: typeof what === 'string' ? what : undefined
      });
    }
    return { run, channels: map } as unknown as IPlotRun;
  });
  return {
    asked,
    exported,
    sources,
    series: (group, member, rule, range) => {
      asked.push({ group, channel: member.channel, rule, range });
      const what = runs[member.run][member.channel];
      if (what instanceof Error) {
        throw what;
      }
      return typeof what === 'number' ? series(what) : undefined;
    },
    csv: members => {
      exported.push(members.map(m => m.channel));
      return Promise.resolve(new Blob([]));
    },
    csvUrl: members => members.map(m => m.channel).join('&')
  };
}

function members(
  source: ICellData,
  runs: string[],
  group: string
): IGridMember[] {
  const refs = source.sources.flatMap(s =>
    [...s.channels.values()].map(c => ({
      run: s.run,
      channel: c.name,
      kind: c.kind
    }))
  );
  return planGrid(refs, runs).get(group)!;
}

function content(
  source: ICellData,
  runs: string[],
  group: string,
  rule: PlotRule = 'raw',
  range?: [number, number]
) {
  const plot = members(source, runs, group);
  return cellContent(
    source,
    { group, members: plot, rule, range, runs },
    trans
  );
}

describe('cellContent', () => {
  it('draws every readable channel at the rule and range asked for', () => {
    const source = data({ [RUN_A]: { 'loss.train': 5, 'loss.test': 3 } });
    const got = content(source, [RUN_A], 'loss', 10, [1, 4]);
    expect(got.entries.map(e => [e.channel, e.series.x.length])).toEqual([
      ['loss.test', 3],
      ['loss.train', 5]
    ]);
    expect(got.errors).toEqual([]);
    expect(source.asked).toContainEqual({
      group: 'loss',
      channel: 'loss.train',
      rule: 10,
      range: [1, 4]
    });
  });

  it('gives each broken channel its own error while the rest draw', () => {
    const source = data({
      [RUN_A]: {
        'loss.train': 5,
        'loss.bad': 'listed: header is corrupt',
        'loss.gone': new Error('file vanished')
      }
    });
    const got = content(source, [RUN_A], 'loss');
    expect(got.entries.map(e => e.channel)).toEqual(['loss.train']);
    expect(got.errors).toEqual([
      'loss.bad: listed: header is corrupt',
      'loss.gone: file vanished'
    ]);
  });

  it('says "no rows yet" when every channel is readable and empty', () => {
    const got = content(
      data({ [RUN_A]: { 'loss.train': 0, 'loss.test': null } }),
      [RUN_A],
      'loss'
    );
    expect(got.entries).toEqual([]);
    expect(got.errors).toEqual(['no rows yet']);
  });

  it('stays quiet about empty channels when another draws or fails', () => {
    expect(
      content(data({ [RUN_A]: { 'a.x': 0, 'a.y': 2 } }), [RUN_A], 'a').errors
    ).toEqual([]);
    expect(
      content(
        data({ [RUN_A]: { 'a.x': 0, 'a.y': new Error('no') } }),
        [RUN_A],
        'a'
      ).errors
    ).toEqual(['a.y: no']);
  });

  it('names the run of a broken channel when comparing runs', () => {
    const source = data({
      [RUN_A]: { 'loss.train': 'bad header' },
      [RUN_B]: { 'loss.train': 4 }
    });
    const got = content(source, [RUN_A, RUN_B], 'loss');
    expect(got.errors).toEqual(['neat-funds: loss.train: bad header']);
    expect(got.entries.map(e => e.run)).toEqual([RUN_B]);
    expect(got.runs).toEqual([RUN_A, RUN_B]);
  });

  it('leaves the channels listed with an error out of the CSV', async () => {
    const source = data({
      [RUN_A]: {
        'loss.train': 5,
        'loss.bad': 'bad header',
        'loss.gone': new Error('x')
      }
    });
    const got = content(source, [RUN_A], 'loss');
    await got.csv();
    expect(source.exported).toEqual([['loss.gone', 'loss.train']]);
    expect(got.csvUrl!()).toBe('loss.gone&loss.train');
  });
});
