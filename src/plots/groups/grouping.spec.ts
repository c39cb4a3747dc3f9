import {
  autoGroupKeys,
  groupKeys,
  groupRuns,
  groupsByDefault,
  isSeedLike,
  splitRuns
} from './grouping';

/** 3 lr × 3 seeds, as a sweep writes them. */
const sweep = [1e-3, 3e-4, 1e-4].flatMap((lr, i) =>
  [0, 1, 2].map(seed => ({
    run: `run-${i}-${seed}`,
    params: { lr, seed, env: 'cartpole' }
  }))
);

describe('isSeedLike', () => {
  it('knows seed, a nested seed and listed names', () => {
    expect(isSeedLike('seed')).toBe(true);
    expect(isSeedLike('train.seed')).toBe(true);
    expect(isSeedLike('seeds_used')).toBe(false);
    expect(isSeedLike('rng', ['seed', 'rng'])).toBe(true);
  });
});

describe('autoGroupKeys', () => {
  it('is every differing param but the seed', () => {
    expect(autoGroupKeys(sweep)).toEqual(['lr']);
  });

  it('leaves out a listed seed-like param too', () => {
    const runs = sweep.map((r, i) => ({
      run: r.run,
      params: { ...r.params, rng: i }
    }));
    expect(autoGroupKeys(runs, ['seed', 'rng'])).toEqual(['lr']);
  });
});

describe('groupRuns', () => {
  it('puts 3 seeds of each lr in one group, in the order runs come', () => {
    const groups = groupRuns(sweep, ['lr']);
    expect(groups.map(g => g.label)).toEqual([
      'lr=0.001',
      'lr=0.0003',
      'lr=0.0001'
    ]);
    expect(groups.map(g => g.runs.length)).toEqual([3, 3, 3]);
    expect(groups[1].runs).toEqual(['run-1-0', 'run-1-1', 'run-1-2']);
  });

  it('groups runs that lack the key together', () => {
    const runs = [
      { run: 'a', params: { lr: 1 } },
      { run: 'b', params: {} },
      { run: 'c', params: null }
    ];
    const groups = groupRuns(runs, ['lr']);
    expect(groups.map(g => [g.label, g.runs])).toEqual([
      ['lr=1', ['a']],
      ['lr=—', ['b', 'c']]
    ]);
  });

  it('with no keys is one group of every run', () => {
    const [all, ...more] = groupRuns(sweep, []);
    expect(more).toEqual([]);
    expect(all.label).toBe('all runs');
    expect(all.runs).toEqual(sweep.map(r => r.run));
  });
});

describe('groupKeys', () => {
  it('is none for none, auto keys for auto, else the keys given', () => {
    expect(groupKeys(sweep, 'none')).toBeUndefined();
    expect(groupKeys(sweep, 'auto')).toEqual(['lr']);
    expect(groupKeys(sweep, ['env'])).toEqual(['env']);
  });
});

describe('groupsByDefault', () => {
  it('groups a sweep with seeds', () => {
    expect(groupsByDefault(sweep)).toBe(true);
  });

  it('groups seeds of one config', () => {
    expect(groupsByDefault(sweep.slice(0, 3))).toBe(true);
  });

  it('does not group runs without a seed that differs', () => {
    const runs = sweep.map(r => ({
      run: r.run,
      params: { ...r.params, seed: 0 }
    }));
    expect(groupsByDefault(runs)).toBe(false);
  });

  it('does not group when a group would hold one run', () => {
    expect(groupsByDefault([...sweep.slice(0, 3), sweep[3]])).toBe(false);
  });

  it('does not group two runs', () => {
    expect(groupsByDefault(sweep.slice(0, 2))).toBe(false);
  });
});

describe('splitRuns', () => {
  it('puts each value of the key in its own column, in order', () => {
    const columns = splitRuns(sweep, 'lr');
    expect(columns.map(c => c.label)).toEqual([
      'lr=0.001',
      'lr=0.0003',
      'lr=0.0001'
    ]);
    expect(columns[2].runs).toEqual(['run-2-0', 'run-2-1', 'run-2-2']);
  });
});
