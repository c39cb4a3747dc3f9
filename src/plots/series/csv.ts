/**
 * CSV export of a plot's channels at full resolution: every row of every
 * run, never the downsampled view, in a tidy long format
 * (`run,channel,t_seconds,value`, then the stored fields). The server
 * writes the same text (runwatch/server/lod/csv.py); test/vectors/csv.json
 * holds both to it.
 */
import { IColumnSet } from '../../store';
import { rawColumns } from './series';

/** One channel of one run, as decoded (times in seconds since `_created`). */
export interface ICsvSeries {
  readonly run: string;
  readonly channel: string;
  /** The channel's stat kind: it says what a row's `value` is. */
  readonly kind: string;
  readonly data: IColumnSet;
}

/** The time column of decoded rows. */
const TIME_FIELD = '_time';

/** Rows per text chunk: big enough to be fast, small enough to not spike. */
const ROWS_PER_CHUNK = 50_000;

/**
 * The stored fields the CSV lists after `value`: the union of the series'
 * fields in first-seen order (`total`, `count`, `μ`…), without `_time`.
 */
export function csvFields(series: readonly ICsvSeries[]): string[] {
  const fields: string[] = [];
  for (const s of series) {
    for (const name of Object.keys(s.data.columns)) {
      if (name !== TIME_FIELD && !fields.includes(name)) {
        fields.push(name);
      }
    }
  }
  return fields;
}

/**
 * Each row's one value, as the raw rule plots it (`rawColumns`): its
 * `value` column (`total / count` for `mean`, `count / duration` for
 * `maxrate`, the running total for `cumsum`), μ for `mean_std`, the 50th
 * percentile for `quantiles` (the mean of the two middle fields when their
 * count is even). `undefined` when a row holds several values (a
 * dict-valued argument): its stored fields carry them.
 */
export function rowValue(
  kind: string,
  data: IColumnSet
): Float64Array | undefined {
  const raw = rawColumns(kind, data);
  if (raw.value) {
    return raw.value;
  }
  if (kind === 'mean_std') {
    return raw.mu;
  }
  const columns = Object.values(raw);
  if (kind === 'quantiles' && columns.length > 0) {
    const middle = Math.floor(columns.length / 2);
    if (columns.length % 2 === 1) {
      return columns[middle];
    }
    const [lo, hi] = [columns[middle - 1], columns[middle]];
    return lo.map((v, i) => (v + hi[i]) / 2);
  }
  return undefined;
}

/**
 * The CSV text in chunks (for a `Blob`, so no one giant string is built):
 * a header line, then one line per row of each series, in series order.
 * A field a series lacks is empty, as is a value a row doesn't have; NaN
 * is `NaN`, infinities `Infinity`.
 */
export function csvChunks(series: readonly ICsvSeries[]): string[] {
  const fields = csvFields(series);
  const chunks = [
    ['run', 'channel', 't_seconds', 'value', ...fields].map(csvCell).join(',') +
      '\n'
  ];
  for (const s of series) {
    const prefix = `${csvCell(s.run)},${csvCell(s.channel)},`;
    const time = s.data.columns[TIME_FIELD];
    const values = rowValue(s.kind, s.data);
    const columns = fields.map(f => s.data.columns[f]);
    for (let start = 0; start < s.data.length; start += ROWS_PER_CHUNK) {
      const end = Math.min(s.data.length, start + ROWS_PER_CHUNK);
      const lines: string[] = new Array(end - start);
      for (let i = start; i < end; i++) {
        let line = prefix + (time ? String(time[i]) : '');
        line += values ? `,${values[i]}` : ',';
        for (const column of columns) {
          line += column ? `,${column[i]}` : ',';
        }
        lines[i - start] = line;
      }
      chunks.push(lines.join('\n') + '\n');
    }
  }
  return chunks;
}

/** Quote a cell if it holds a comma, quote or line break. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A file name for an export: the run (or the runs' common glob) and the
 * plot's group, made safe.
 */
export function exportFileName(
  group: string,
  runs: readonly string[],
  extension: string
): string {
  const what = runs.length === 1 ? runs[0] : runsGlob(runs);
  const safe = `${what} ${group}`.replace(/[^\w.-]+/g, '_');
  return `${safe}.${extension}`;
}

/**
 * The words compared runs share, a `*` where they differ
 * (`2024-01-01 * lr-sweep`), or `<n>-runs` when they share none.
 */
export function runsGlob(runs: readonly string[]): string {
  const split = runs.map(r => r.split(' '));
  const count = split[0]?.length ?? 0;
  if (split.length < 2 || split.some(words => words.length !== count)) {
    return `${runs.length}-runs`;
  }
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    const word = split.every(w => w[i] === split[0][i]) ? split[0][i] : '*';
    if (word !== '*' || words[words.length - 1] !== '*') {
      words.push(word);
    }
  }
  return words.some(w => w !== '*') ? words.join(' ') : `${runs.length}-runs`;
}
