/**
 * The runs table's data: the `GET runwatch/api/table` reply as typed rows,
 * the table's columns, and how a cell's value is printed. Pure.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { formatNumber } from '../store/format';

/**
 * One run, flat, as the server sends it (docs/server-api.md): `name`,
 * `status`, `reason`, `error`, `created`, `created_ms`, `duration`, `host`,
 * `description`, `params.<key>`, `<channel>.<stat>` and `errors`.
 */
export type TableRow = Readonly<Record<string, unknown>>;

/** The reply of `GET runwatch/api/table`. */
export interface ITableReply {
  readonly root: string;
  readonly query: string;
  /** Newest first. */
  readonly runs: TableRow[];
  /** Flattened param keys, those that differ across the runs first. */
  readonly params: string[];
  /** Every channel seen, sorted. */
  readonly channels: string[];
  /** The `<channel>.<stat>` keys included in the rows. */
  readonly stats: string[];
}

/** What a column holds, which decides how it prints and sorts. */
export type ColumnKind =
  'status' | 'text' | 'created' | 'duration' | 'param' | 'stat';

/** A column of the table: the row key it shows and its header. */
export interface ITableColumn {
  readonly key: string;
  readonly label: string;
  readonly kind: ColumnKind;
}

/**
 * The columns every table starts with, in order; `trans` translates their
 * headers (param and summary headers are the user's own keys).
 */
export function fixedColumns(trans: TranslationBundle): ITableColumn[] {
  return [
    { key: 'status', label: trans.__('status'), kind: 'status' },
    { key: 'reason', label: trans.__('reason'), kind: 'text' },
    { key: 'name', label: trans.__('name'), kind: 'text' },
    { key: 'created', label: trans.__('created'), kind: 'created' },
    { key: 'duration', label: trans.__('duration'), kind: 'duration' },
    { key: 'host', label: trans.__('host'), kind: 'text' },
    { key: 'sweep', label: trans.__('sweep'), kind: 'text' },
    { key: 'description', label: trans.__('description'), kind: 'text' }
  ];
}

/**
 * Check the server's reply and fill in what an older server leaves out.
 *
 * @throws Error saying what is wrong when the reply isn't a table.
 */
export function parseTableReply(json: unknown): ITableReply {
  if (!isRecord(json) || !Array.isArray(json.runs)) {
    throw new Error('the server sent no table (a reply without "runs")');
  }
  const runs = json.runs.filter(isRecord) as TableRow[];
  return {
    root: typeof json.root === 'string' ? json.root : '',
    query: typeof json.query === 'string' ? json.query : '',
    runs,
    params: stringList(json.params),
    channels: stringList(json.channels),
    stats: stringList(json.stats)
  };
}

/**
 * The table's columns, what tells runs apart first: status and name, the
 * params whose values differ between `rows` (all of them without rows),
 * the channel summaries in `stats` order; then reason, created, duration,
 * host, description, and the params every run shares.
 */
export function tableColumns(
  params: readonly string[],
  stats: readonly string[],
  trans: TranslationBundle,
  rows?: readonly TableRow[]
): ITableColumn[] {
  const column = (key: string): ITableColumn => ({
    key: `params.${key}`,
    label: key,
    kind: 'param'
  });
  const differs = (key: string) => {
    if (!rows || rows.length < 2) {
      return !rows;
    }
    const first = paramText(rows[0][`params.${key}`]);
    return rows.some(r => paramText(r[`params.${key}`]) !== first);
  };
  const differing = new Set(params.filter(differs));
  const [status, reason, name, ...facts] = fixedColumns(trans);
  return [
    status,
    name,
    ...params.filter(key => differing.has(key)).map(column),
    ...stats.map((key): ITableColumn => ({ key, label: key, kind: 'stat' })),
    reason,
    ...facts,
    ...params.filter(key => !differing.has(key)).map(column)
  ];
}

/**
 * A param's value as comparable text: JSON for lists and objects, the value
 * itself otherwise (10,000 rows a refresh: no JSON for plain numbers).
 */
function paramText(value: unknown): unknown {
  if (value === undefined) {
    return null;
  }
  return typeof value === 'object' && value !== null
    ? JSON.stringify(value)
    : value;
}

/**
 * A cell's raw value (what sorts, filters and goes to CSV): the row's
 * value under the column's key; an unreadable run's reason is its error.
 */
export function cellValue(row: TableRow, column: ITableColumn): unknown {
  if (column.key === 'reason') {
    return row.reason ?? row.error ?? null;
  }
  if (column.kind === 'created') {
    return createdMs(row) ?? row.created ?? null;
  }
  return row[column.key];
}

/** A cell as shown: see `formatValue`, `formatDuration`, `formatCreated`. */
export function cellText(row: TableRow, column: ITableColumn): string {
  const value = cellValue(row, column);
  if (value === null || value === undefined) {
    return '';
  }
  if (column.kind === 'created' && typeof value === 'number') {
    return formatCreated(value);
  }
  if (column.kind === 'duration' && typeof value === 'number') {
    return formatDuration(value);
  }
  return formatValue(value);
}

/** The run's name, or '' for a row without one. */
export function rowName(row: TableRow): string {
  return typeof row.name === 'string' ? row.name : '';
}

/** The run's `_created` in ms since the epoch, if known. */
export function createdMs(row: TableRow): number | undefined {
  if (typeof row.created_ms === 'number' && Number.isFinite(row.created_ms)) {
    return row.created_ms;
  }
  if (typeof row.created === 'string') {
    const parsed = Date.parse(row.created);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/**
 * A value as a cell prints it: numbers to 4 significant figures with an SI
 * suffix (`0.0003142`, `12.35k`), whole numbers below a million exactly
 * (`seed 12345`, `batch 1024`: a param's exact value matters more than its
 * width), lists and objects as JSON, `true`/`false`.
 */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 1e6) {
      return String(value);
    }
    return formatNumber(value, 4);
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  return JSON.stringify(value) ?? String(value);
}

/**
 * A duration in seconds as `45s`, `12m 05s`, `1h 02m` or `3d 04h`: the two
 * largest units, enough to tell runs apart at a glance.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    return '';
  }
  const sign = seconds < 0 ? '-' : '';
  const total = Math.round(Math.abs(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (total < 60) {
    return `${sign}${total}s`;
  }
  if (total < 3600) {
    return `${sign}${Math.floor(total / 60)}m ${pad(total % 60)}s`;
  }
  if (total < 86400) {
    const minutes = Math.floor(total / 60);
    return `${sign}${Math.floor(minutes / 60)}h ${pad(minutes % 60)}m`;
  }
  const hours = Math.floor(total / 3600);
  return `${sign}${Math.floor(hours / 24)}d ${pad(hours % 24)}h`;
}

/** ms since the epoch as local `YYYY-MM-DD HH:MM`. */
export function formatCreated(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) {
    return '';
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}
