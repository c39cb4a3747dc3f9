import type { IRunSummary } from '../client';
import { matchRuns, summaryRow } from './panelQuery';

function run(
  name: string,
  status: IRunSummary['status'],
  params: unknown
): IRunSummary {
  return {
    name,
    created: '2026-11-28T10:00:00+00:00',
    created_ms: Date.parse('2026-11-28T10:00:00Z'),
    status,
    reason: null,
    error: null,
    size: 1,
    last_write_ms: null,
    params
  };
}

const runs = [
  run('2026-11-28 10-00-02 c lr-sweep', 'running', { lr: 1e-4, seed: 1 }),
  run('2026-11-28 10-00-01 b lr-sweep', 'finished', { lr: 1e-3, seed: 0 }),
  run('2026-11-28 10-00-00 a other', 'crashed', { optim: { lr: 1e-2 } })
];

describe('matchRuns', () => {
  it('filters by params and status with the query language', () => {
    const names = (text: string) => matchRuns(text, runs).runs.map(r => r.name);
    expect(names('lr < 1e-3')).toEqual(['2026-11-28 10-00-02 c lr-sweep']);
    expect(names('status == "finished" or optim.lr > 1e-3')).toEqual([
      '2026-11-28 10-00-01 b lr-sweep',
      '2026-11-28 10-00-00 a other'
    ]);
    expect(names('name ~ "*other"')).toEqual(['2026-11-28 10-00-00 a other']);
  });

  it('keeps words and globs as before', () => {
    expect(matchRuns('lr-sweep', runs).runs).toHaveLength(2);
    expect(matchRuns('*other', runs).runs).toHaveLength(1);
    expect(matchRuns('', runs).runs).toHaveLength(3);
  });

  it('says why a broken filter matches nothing', () => {
    const match = matchRuns('lr < and', runs);
    expect(match.runs).toEqual([]);
    expect(match.error).toMatch(/^query: .*column/);
  });

  it('flattens params for the query', () => {
    expect(summaryRow(runs[2])['params.optim.lr']).toBe(1e-2);
  });
});
