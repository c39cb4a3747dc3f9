/**
 * Aggregation time for 10 M rows into 60 s buckets (median ms), plus the
 * helpers the plots use on the same data.
 *
 * Run: npx tsc -p bench/tsconfig.json && node bench/.build/bench/aggregate_bench.js
 */
import {
  aggregate,
  downsampleMinMax,
  IColumnSet,
  mergeByTime,
  minMaxPerBucket
} from '../src/store';

const ROWS = 10_000_000;
const RUNS = 7;

/** Rows at ~100 Hz with jitter: 10 M rows span about 28 hours. */
function makeRows(rows: number, fields: string[]): IColumnSet {
  const time = new Float64Array(rows);
  let t = 0.001;
  for (let i = 0; i < rows; i++) {
    t += 0.005 + Math.random() * 0.01;
    time[i] = t;
  }
  const columns: Record<string, Float64Array> = { _time: time };
  for (const field of fields) {
    const column = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      column[i] = field === 'count' ? 1 + (i % 4) : Math.random() * 10;
    }
    columns[field] = column;
  }
  return { length: rows, columns };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeMs(f: () => void): number {
  const start = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function bench(label: string, f: () => void): void {
  f(); // warm up
  const ms = median(Array.from({ length: RUNS }, () => timeMs(f)));
  console.log(`${label.padEnd(46)} ${ms.toFixed(1).padStart(8)} ms`);
}

const meanRows = makeRows(ROWS, ['total', 'count']);
const quantileRows = makeRows(ROWS, ['qs.0', 'qs.1', 'qs.2', 'qs.3', 'qs.4']);
const buckets = aggregate('mean', meanRows).buckets;

console.log(
  `aggregate: ${ROWS / 1e6} M rows into ${buckets.labels.length} buckets of 60 s, ` +
    `median of ${RUNS} runs, node ${process.version}`
);
bench('mean(total, count)', () => aggregate('mean', meanRows));
bench('rate(count)', () => aggregate('rate', meanRows));
bench('quantiles(qs.0..qs.4)', () => aggregate('quantiles', quantileRows));
bench('last(x)', () =>
  aggregate('last', {
    ...meanRows,
    columns: { _time: meanRows.columns._time, x: meanRows.columns.total }
  })
);
bench('minMaxPerBucket(total)', () =>
  minMaxPerBucket(meanRows.columns.total, buckets)
);

const time = meanRows.columns._time;
const oneMillion = 1_000_000;
bench('downsampleMinMax 1 M rows to 1000 px', () =>
  downsampleMinMax(
    time.subarray(0, oneMillion),
    meanRows.columns.total.subarray(0, oneMillion),
    time[0],
    time[oneMillion - 1],
    1000
  )
);
const half = ROWS / 2;
const writers: IColumnSet[] = [0, 1].map(w => ({
  length: half,
  columns: {
    _time: time.subarray(w * half, (w + 1) * half),
    total: meanRows.columns.total.subarray(w * half, (w + 1) * half)
  }
}));
bench('mergeByTime 2 writers x 5 M rows', () =>
  mergeByTime([writers[1], writers[0]])
);
