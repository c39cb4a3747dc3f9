/**
 * The runs table's sort and filter over 10,000 runs (median ms), the
 * browser-side half of the "sorts or filters in ≤ 100 ms"; the
 * baseline is a plain numeric Array.sort of the same 10,000 values.
 *
 * Run: npx tsc -p bench/tsconfig.json && node bench/.build/bench/table_view_bench.js
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { tableColumns, TableRow } from '../src/table/tableRows';
import { compileQuery, sortRows, visibleRows } from '../src/table/tableView';

const RUNS = 10_000;
const REPS = 15;
const STATUSES = ['running', 'finished', 'crashed', 'failed', 'stalled'];

/** Translation is the identity here (node can't load JupyterLab's ESM). */
const trans = { __: (text: string) => text } as unknown as TranslationBundle;

function makeRows(): TableRow[] {
  return Array.from({ length: RUNS }, (_, i) => ({
    name: `2024-01-01 00-00-00 run-${i} lr-sweep`,
    status: STATUSES[i % STATUSES.length],
    created_ms: 1_700_000_000_000 + i * 1000,
    duration: (i * 37) % 86_400,
    host: `gpu-${i % 8}`,
    'params.lr': 10 ** -(1 + (i % 5)),
    'params.seed': i % 3,
    'params.optim': i % 2 ? 'adam' : 'sgd',
    'loss.val.last': i % 97 === 0 ? null : Math.random(),
    'acc.max': Math.random()
  }));
}

function medianMs(run: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function main(): void {
  const rows = makeRows();
  const columns = tableColumns(
    ['lr', 'optim', 'seed'],
    ['loss.val.last', 'acc.max'],
    trans
  );
  const column = (key: string) => columns.find(c => c.key === key)!;
  const values = rows.map(r => r['loss.val.last'] as number);
  const filter = compileQuery(
    'lr < 1e-3 and status == "finished" and loss.val.last < 0.3'
  );
  const figures: Array<[string, number]> = [
    [
      'baseline: Float64 sort of 10,000 numbers',
      medianMs(() => Float64Array.from(values).sort())
    ],
    [
      'sort by loss.val.last (numbers, 1 % missing)',
      medianMs(() => sortRows(rows, column('loss.val.last'), 'desc'))
    ],
    [
      'sort by name (text, locale collation)',
      medianMs(() => sortRows(rows, column('name'), 'asc'))
    ],
    ['filter: 3-clause expression', medianMs(() => filter.select(rows))],
    [
      'filter: glob over names',
      medianMs(() => compileQuery('*run-1*').select(rows))
    ],
    [
      'filter + sort (a query and a header click)',
      medianMs(() =>
        visibleRows(rows, columns, filter, { key: 'acc.max', direction: 'asc' })
      )
    ]
  ];
  console.log(
    `runs table view over ${RUNS} runs, median of ${REPS} (target ≤ 100 ms)`
  );
  for (const [label, ms] of figures) {
    console.log(`  ${label.padEnd(48)} ${ms.toFixed(1).padStart(7)} ms`);
  }
}

main();
