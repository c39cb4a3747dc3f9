import {
  differingParams,
  flattenParams,
  MISSING_PARAM,
  RUN_PALETTE,
  runColourIndex,
  runColours
} from './compare';

const RUNS = [
  '2024-01-01 00-00-00 neat-river lr-sweep',
  '2024-01-02 00-00-00 bold-fox lr-sweep',
  '2024-01-03 00-00-00 calm-lake lr-sweep',
  '2024-01-04 00-00-00 warm-hill lr-sweep'
];

describe('run colours', () => {
  it('are a pure function of the name', () => {
    // Pinned: a change here would recolour every user's runs.
    expect(runColourIndex(RUNS[0])).toBe(runColourIndex(RUNS[0]));
    const pinned = RUNS.map(runColourIndex);
    expect(RUNS.map(runColourIndex)).toEqual(pinned);
    expect(runColours([RUNS[0]]).get(RUNS[0])).toBe(
      RUN_PALETTE[runColourIndex(RUNS[0])]
    );
  });

  it('do not depend on the order runs are listed in, and differ', () => {
    const a = runColours(RUNS);
    const b = runColours([...RUNS].reverse());
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    expect(new Set(a.values()).size).toBe(RUNS.length);
  });

  it('stay distinct when two names hash to one colour', () => {
    const names = Array.from({ length: 40 }, (_, i) => `run-${i}`);
    const colliding = names.filter(
      n => runColourIndex(n) === runColourIndex(names[0])
    );
    expect(colliding.length).toBeGreaterThan(1);
    const colours = runColours(colliding.slice(0, 3));
    expect(new Set(colours.values()).size).toBe(Math.min(3, colliding.length));
  });
});

describe('differingParams', () => {
  it('lists only the params that differ, flattened, missing ones marked', () => {
    const table = differingParams([
      {
        run: 'a',
        params: { lr: 0.1, batch: 64, model: { width: 8, depth: 2 } }
      },
      {
        run: 'b',
        params: { lr: 0.01, batch: 64, model: { width: 8, depth: 4 } }
      },
      { run: 'c', params: { lr: 0.1, batch: 64, model: { width: 8 }, seed: 1 } }
    ]);
    expect(table.keys).toEqual(['lr', 'model.depth', 'seed']);
    expect(table.rows).toEqual([
      { run: 'a', values: ['0.1', '2', MISSING_PARAM] },
      { run: 'b', values: ['0.01', '4', MISSING_PARAM] },
      { run: 'c', values: ['0.1', MISSING_PARAM, '1'] }
    ]);
  });

  it('has nothing to compare for one run, or identical params', () => {
    expect(differingParams([{ run: 'a', params: { lr: 1 } }]).keys).toEqual([]);
    expect(
      differingParams([
        { run: 'a', params: { lr: 1, tags: ['x'] } },
        { run: 'b', params: { lr: 1, tags: ['x'] } }
      ]).keys
    ).toEqual([]);
    expect(
      differingParams([
        { run: 'a', params: null },
        { run: 'b', params: { lr: 1 } }
      ]).keys
    ).toEqual(['lr']);
  });

  it('writes leaves as JSON, strings as they are', () => {
    expect([
      ...flattenParams({ s: 'adam', a: [1, 2], n: null, e: {} })
    ]).toEqual([
      ['s', 'adam'],
      ['a', '[1,2]'],
      ['n', 'null'],
      ['e', '{}']
    ]);
  });
});
