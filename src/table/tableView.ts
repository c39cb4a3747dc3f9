/**
 * The runs table's visible rows: the rows a query keeps, in the order of
 * one sorted column. Pure, and fast enough for 10,000 runs per keystroke.
 */
import { isFilter, parseFilter } from '../query';
import { filterRuns } from '../store/resolve';
import {
  cellValue,
  createdMs,
  ITableColumn,
  rowName,
  TableRow
} from './tableRows';

export type SortDirection = 'asc' | 'desc';

/** The column the rows are sorted by, and which way. */
export interface ITableSort {
  readonly key: string;
  readonly direction: SortDirection;
}

/** A query of the one language, compiled once and applied to many rows. */
export interface IRowQuery {
  /** The query as typed (trimmed). */
  readonly text: string;
  /** The identifiers a filter expression names (empty for a name query). */
  readonly names: ReadonlySet<string>;
  /** The rows it keeps, in their given order. */
  select(rows: readonly TableRow[]): TableRow[];
}

/**
 * Compile a query: a filter expression (`lr < 1e-3 and status ==
 * "finished"`) tests each row; anything else (a run index, an exact name, a
 * glob, a bare word) matches run names as the runs panel and the magics do.
 * Blank text keeps every row.
 *
 * @throws QueryError (from src/query) for a malformed filter expression.
 */
export function compileQuery(text: string): IRowQuery {
  const trimmed = text.trim();
  if (trimmed && isFilter(trimmed)) {
    const filter = parseFilter(trimmed);
    return {
      text: trimmed,
      names: filter.names,
      select: rows =>
        rows.filter(row => filter.matches(row as Record<string, unknown>))
    };
  }
  return {
    text: trimmed,
    names: new Set(),
    select: rows =>
      filterRuns(trimmed, rows, row => ({
        name: rowName(row),
        created: createdMs(row)
      }))
  };
}

/** The rows shown: those `query` keeps, sorted by `sort` (if any). */
export function visibleRows(
  rows: readonly TableRow[],
  columns: readonly ITableColumn[],
  query: IRowQuery | null,
  sort: ITableSort | null
): TableRow[] {
  const kept = query ? query.select(rows) : [...rows];
  const column = sort && columns.find(c => c.key === sort.key);
  return column ? sortRows(kept, column, sort.direction) : kept;
}

const collator = new Intl.Collator(undefined, { numeric: true });

/** Rank of a value's type: numbers, then text, then the rest; then missing. */
const NUMBER = 0;
const TEXT = 1;
const OTHER = 2;
const MISSING = 3;

/**
 * Rows sorted by one column, stably (ties keep their order): numbers
 * numerically, text by the locale's collation, booleans and lists by their
 * JSON; missing values (null, absent, NaN) always last, either direction.
 */
export function sortRows(
  rows: readonly TableRow[],
  column: ITableColumn,
  direction: SortDirection
): TableRow[] {
  // Keys are read once per row, not once per comparison.
  const n = rows.length;
  const ranks = new Uint8Array(n);
  const numbers = new Float64Array(n);
  const texts: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const value = cellValue(rows[i], column);
    if (typeof value === 'number' && !Number.isNaN(value)) {
      ranks[i] = NUMBER;
      numbers[i] = value;
    } else if (typeof value === 'string') {
      ranks[i] = TEXT;
      texts[i] = value;
    } else if (value === null || value === undefined || Number.isNaN(value)) {
      ranks[i] = MISSING;
    } else {
      ranks[i] = OTHER;
      texts[i] = JSON.stringify(value) ?? '';
    }
  }
  const sign = direction === 'asc' ? 1 : -1;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    const ra = ranks[a];
    const rb = ranks[b];
    if (ra === MISSING || rb === MISSING) {
      return ra - rb;
    }
    if (ra !== rb) {
      return sign * (ra - rb);
    }
    if (ra === NUMBER) {
      const x = numbers[a];
      const y = numbers[b];
      return x < y ? -sign : x > y ? sign : 0;
    }
    return sign * collator.compare(texts[a], texts[b]);
  });
  return order.map(i => rows[i]);
}
