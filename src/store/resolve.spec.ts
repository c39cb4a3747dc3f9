import { ResolveError } from './errors';
import {
  filterRuns,
  IRunEntry,
  orderRuns,
  resolveRun,
  resolveRuns
} from './resolve';

const RUNS: IRunEntry[] = [
  { name: '2024-01-02 03-04-05 fine-reef two-writers', created: 1704164645000 },
  {
    name: '2024-01-02 03-04-05 cosy-quartz every-kind',
    created: 1704164645000.5
  },
  {
    name: '2024-01-02 03-04-07 mango-beryllium',
    created: 1704164647000000001n
  },
  { name: '2024-01-02 03-04-06 broken-info', error: 'invalid JSON' },
  { name: 'hand-made', created: 1704164646500 },
  { name: 'junk' },
  { name: '7', created: 1 }
];

describe('orderRuns', () => {
  it('orders by name stamp, then _created, then name; unplaceable last', () => {
    expect(orderRuns(RUNS).map(r => r.name)).toEqual([
      '7',
      '2024-01-02 03-04-05 fine-reef two-writers',
      '2024-01-02 03-04-05 cosy-quartz every-kind',
      '2024-01-02 03-04-06 broken-info',
      'hand-made',
      '2024-01-02 03-04-07 mango-beryllium',
      'junk'
    ]);
  });
});

describe('resolveRun', () => {
  it('indexes runs with a readable _created, -1 newest', () => {
    expect(resolveRun(-1, RUNS)).toBe('2024-01-02 03-04-07 mango-beryllium');
    expect(resolveRun('-2', RUNS)).toBe('hand-made');
    expect(resolveRun(' +1 ', RUNS)).toBe(
      '2024-01-02 03-04-05 fine-reef two-writers'
    );
    expect(resolveRun(0, RUNS)).toBe('7');
  });

  it('lets an exact name win over an index or a glob', () => {
    expect(resolveRun('7', RUNS)).toBe('7');
    const globby = [
      ...RUNS,
      { name: 'a*', created: 5 },
      { name: 'ab', created: 6 }
    ];
    expect(resolveRun('a*', globby)).toBe('a*');
  });

  it('matches a plain word as part of the name', () => {
    expect(resolveRun('mango', RUNS)).toBe(
      '2024-01-02 03-04-07 mango-beryllium'
    );
    expect(resolveRuns('03-04-05', RUNS)).toEqual([
      '2024-01-02 03-04-05 fine-reef two-writers',
      '2024-01-02 03-04-05 cosy-quartz every-kind'
    ]);
    expect(() => resolveRun('03-04-05', RUNS)).toThrow('matches 2 runs');
    expect(() => resolveRuns('MANGO', RUNS)).toThrow('no run matches');
  });

  it('treats text with * ? or [ as a glob over the whole name', () => {
    expect(resolveRun('*mango*', RUNS)).toBe(
      '2024-01-02 03-04-07 mango-beryllium'
    );
    expect(resolveRuns('2024-01-02 03-04-0[56]*', RUNS)).toEqual([
      '2024-01-02 03-04-05 fine-reef two-writers',
      '2024-01-02 03-04-05 cosy-quartz every-kind',
      '2024-01-02 03-04-06 broken-info'
    ]);
  });

  it('names the candidates when a glob matches several', () => {
    let error: ResolveError | undefined;
    try {
      resolveRun('2024-*', RUNS);
    } catch (e) {
      error = e as ResolveError;
    }
    expect(error).toBeInstanceOf(ResolveError);
    expect(error?.file).toBe('run query "2024-*"');
    expect(error?.message).toBe(
      'run query "2024-*": matches 4 runs: "2024-01-02 03-04-07 mango-beryllium", ' +
        '"2024-01-02 03-04-06 broken-info", "2024-01-02 03-04-05 cosy-quartz every-kind", ' +
        '"2024-01-02 03-04-05 fine-reef two-writers"'
    );
  });

  it('names the newest runs, at most 10 and a count, when nothing matches', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({
      name: `2024-01-02 03-04-${String(i).padStart(2, '0')} run-${i}`,
      created: 1704164640000 + i * 1000
    }));
    expect(() => resolveRun('nothing*', many)).toThrow(
      /^run query "nothing\*": no run matches; 25 runs, newest: "2024-01-02 03-04-24 run-24", .*"2024-01-02 03-04-15 run-15" \(and 15 more\)$/
    );
    expect(() => resolveRun(25, many)).toThrow(
      'index out of range: 25 runs have a readable _created'
    );
    expect(() => resolveRun(-26, many)).toThrow(ResolveError);
    expect(() => resolveRun(1.5, many)).toThrow('must be an integer');
    expect(() => resolveRun(-1, [])).toThrow('0 runs, newest: none');
  });

  it('resolves -1 among 10,000 runs', () => {
    const runs = Array.from({ length: 10_000 }, (_, i) => ({
      name: `2024-${String(1 + (i % 12)).padStart(2, '0')}-01 00-00-${String(i % 60).padStart(2, '0')} w-${i}`,
      created: BigInt(i) * 1_000_000_000n
    }));
    // The newest stamp is shared by w-59, w-119, …; _created breaks the tie.
    // (How fast is bench's business: no timed assertions in tests.)
    expect(resolveRun(-1, runs)).toBe('2024-12-01 00-00-59 w-9959');
  });
});

describe('filterRuns', () => {
  const entry = (run: IRunEntry) => run;

  it('keeps every run, in order, for blank text', () => {
    expect(filterRuns('  ', RUNS, entry)).toEqual(RUNS);
  });

  it("keeps the runs resolveRuns matches, in the list's order", () => {
    const newestFirst = [...RUNS].reverse();
    expect(
      filterRuns(' 03-04-05 ', newestFirst, entry).map(r => r.name)
    ).toEqual([
      '2024-01-02 03-04-05 cosy-quartz every-kind',
      '2024-01-02 03-04-05 fine-reef two-writers'
    ]);
    expect(filterRuns('-1', newestFirst, entry).map(r => r.name)).toEqual([
      '2024-01-02 03-04-07 mango-beryllium'
    ]);
    expect(filterRuns('7', RUNS, entry).map(r => r.name)).toEqual(['7']);
  });

  it('keeps none when nothing matches, an index is out of range included', () => {
    expect(filterRuns('nothing', RUNS, entry)).toEqual([]);
    expect(filterRuns('99', RUNS, entry)).toEqual([]);
  });
});
