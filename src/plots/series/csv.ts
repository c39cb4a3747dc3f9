/**
 * CSV export of a plot's channels at full resolution: every row of every
 * run, never the downsampled view.
 */
import { IColumnSet } from '../../store';

/** One channel of one run, as decoded (times in seconds since `_created`). */
export interface ICsvSeries {
  readonly run: string;
  readonly channel: string;
  readonly data: IColumnSet;
}

/** The time column of decoded rows. */
const TIME_FIELD = '_time';

/** Rows per text chunk: big enough to be fast, small enough to not spike. */
const ROWS_PER_CHUNK = 50_000;

/**
 * The CSV's columns: `run,channel,t_seconds`, then the union of the
 * series' value fields in first-seen order (`total`, `count`, `μ`…).
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
 * The CSV text in chunks (for a `Blob`, so no one giant string is built):
 * a header line, then one line per row of each series, in series order.
 * A field a series lacks is empty; NaN is `NaN`, infinities `Infinity`.
 */
export function csvChunks(series: readonly ICsvSeries[]): string[] {
  const fields = csvFields(series);
  const chunks = [
    ['run', 'channel', 't_seconds', ...fields].map(csvCell).join(',') + '\n'
  ];
  for (const s of series) {
    const prefix = `${csvCell(s.run)},${csvCell(s.channel)},`;
    const time = s.data.columns[TIME_FIELD];
    const columns = fields.map(f => s.data.columns[f]);
    for (let start = 0; start < s.data.length; start += ROWS_PER_CHUNK) {
      const end = Math.min(s.data.length, start + ROWS_PER_CHUNK);
      const lines: string[] = new Array(end - start);
      for (let i = start; i < end; i++) {
        let line = prefix + (time ? String(time[i]) : '');
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

/** A file name for an export: the plot's group and a run, made safe. */
export function exportFileName(
  group: string,
  runs: readonly string[],
  extension: string
): string {
  const what = runs.length === 1 ? runs[0] : `${runs.length}-runs`;
  const safe = `${what} ${group}`.replace(/[^\w.-]+/g, '_');
  return `${safe}.${extension}`;
}
