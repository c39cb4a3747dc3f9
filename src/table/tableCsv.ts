/**
 * The runs table as CSV: the visible rows and columns, in view order.
 * Pure.
 */
import { cellValue, ITableColumn, TableRow } from './tableRows';

/**
 * The rows as RFC 4180 CSV (CRLF line ends, fields quoted when they hold a
 * comma, quote or line break), headed by the column keys (`params.lr`,
 * `loss.val.last`), which are the row keys of `runwatch.table()` too.
 *
 * Numbers keep full precision (the shortest text that reads back the same
 * double), `created` is the server's ISO time, `duration` seconds, lists and
 * objects JSON, missing values empty.
 */
export function tableCsv(
  columns: readonly ITableColumn[],
  rows: readonly TableRow[]
): string {
  const lines = [columns.map(c => csvField(c.key)).join(',')];
  for (const row of rows) {
    lines.push(columns.map(c => csvField(csvValue(row, c))).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

function csvValue(row: TableRow, column: ITableColumn): string {
  const value =
    column.kind === 'created' && typeof row.created === 'string'
      ? row.created
      : cellValue(row, column);
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'number') {
    // NaN and infinities as Python's float() reads them back.
    return Number.isFinite(value) ? String(value) : String(value).toLowerCase();
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  return JSON.stringify(value) ?? '';
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
