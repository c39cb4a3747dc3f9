/**
 * The runs filter over 10,000 rows (median ms of 21), beside a hand-written
 * predicate as the same-run baseline. Target: well under 20 ms.
 *
 * Run: npx tsc -p bench/tsconfig.json && node bench/.build/bench/query_bench.js
 */
import { parseFilter } from '../src/query';

const ROWS = 10_000;
const RUNS = 21;
const QUERY = 'lr < 1e-3 and status == "finished" and loss.val.last < 0.3';

const STATUSES = ['running', 'finished', 'crashed', 'failed'];
const rows = Array.from({ length: ROWS }, (_, i) => ({
  name: `2024-01-02 03-04-05 neat-river lr-sweep ${i}`,
  status: STATUSES[i % 4],
  'params.lr': 10 ** -(1 + (i % 5)),
  'params.seed': i % 3,
  'loss.val.last': (i % 100) / 100
}));

function medianMs(count: () => number): [number, number] {
  const times: number[] = [];
  let matched = 0;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    matched = count();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return [times[RUNS >> 1], matched];
}

const [parseMs] = medianMs(() => parseFilter(QUERY).names.size);
const filter = parseFilter(QUERY);
const [filterMs, matched] = medianMs(
  () => rows.filter(row => filter.matches(row)).length
);
const [baselineMs, baselineMatched] = medianMs(
  () =>
    rows.filter(
      row =>
        row['params.lr'] < 1e-3 &&
        row.status === 'finished' &&
        row['loss.val.last'] < 0.3
    ).length
);
console.log(`query: ${QUERY}`);
console.log(`parse + compile: ${parseMs.toFixed(3)} ms`);
console.log(
  `filter ${ROWS} rows: ${filterMs.toFixed(2)} ms (${matched} match); ` +
    `hand-written predicate: ${baselineMs.toFixed(2)} ms (${baselineMatched} match); target < 20 ms`
);
