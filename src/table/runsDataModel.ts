/**
 * The runs table's rows and columns as a Lumino DataGrid model.
 */
// Only loaded with import(): src/table is the runs table's lazy chunk.
// eslint-disable-next-line jupyter/prefer-lazy-imports
import { DataModel } from '@lumino/datagrid';
import { cellText, cellValue, ITableColumn, TableRow } from './tableRows';
import { ITableSort } from './tableView';

/**
 * A read-only grid model over the visible rows.
 *
 * #### Notes
 * `update` emits a `model-reset` only when the set of columns changes;
 * a refresh with the same columns emits rows-inserted/removed for a new
 * count and cells-changed for the rest, so the grid keeps its scroll.
 */
export class RunsDataModel extends DataModel {
  /** The columns shown. */
  get columns(): readonly ITableColumn[] {
    return this._columns;
  }

  /** The rows shown, in order. */
  get rows(): readonly TableRow[] {
    return this._rows;
  }

  /** Show these columns and rows, with `sort`'s arrow in its header. */
  update(
    columns: readonly ITableColumn[],
    rows: readonly TableRow[],
    sort: ITableSort | null
  ): void {
    const sameColumns =
      columns.length === this._columns.length &&
      columns.every((c, i) => c.key === this._columns[i].key);
    const oldSort = this._sort;
    const oldCount = this._rows.length;
    this._columns = columns;
    this._rows = rows;
    this._sort = sort;
    if (!sameColumns) {
      this.emitChanged({ type: 'model-reset' });
      return;
    }
    if (oldSort?.key !== sort?.key || oldSort?.direction !== sort?.direction) {
      this.emitChanged({
        type: 'cells-changed',
        region: 'column-header',
        row: 0,
        column: 0,
        rowSpan: 1,
        columnSpan: columns.length
      });
    }
    if (rows.length > oldCount) {
      this.emitChanged({
        type: 'rows-inserted',
        region: 'body',
        index: oldCount,
        span: rows.length - oldCount
      });
    } else if (rows.length < oldCount) {
      this.emitChanged({
        type: 'rows-removed',
        region: 'body',
        index: rows.length,
        span: oldCount - rows.length
      });
    }
    if (rows.length > 0) {
      this.emitChanged({
        type: 'cells-changed',
        region: 'body',
        row: 0,
        column: 0,
        rowSpan: rows.length,
        columnSpan: columns.length
      });
    }
  }

  rowCount(region: DataModel.RowRegion): number {
    return region === 'body' ? this._rows.length : 1;
  }

  columnCount(region: DataModel.ColumnRegion): number {
    return region === 'body' ? this._columns.length : 0;
  }

  data(region: DataModel.CellRegion, row: number, column: number): string {
    const col = this._columns[column];
    if (!col) {
      return '';
    }
    if (region === 'column-header') {
      return headerText(col, this._sort);
    }
    if (region === 'body') {
      const item = this._rows[row];
      return item ? cellText(item, col) : '';
    }
    return '';
  }

  /** A status cell carries its status, for the renderer's colour. */
  metadata(
    region: DataModel.CellRegion,
    row: number,
    column: number
  ): DataModel.Metadata {
    const col = this._columns[column];
    const item = this._rows[row];
    if (region === 'body' && col?.kind === 'status' && item) {
      return { status: cellValue(item, col) };
    }
    return DataModel.emptyMetadata;
  }

  private _columns: readonly ITableColumn[] = [];
  private _rows: readonly TableRow[] = [];
  private _sort: ITableSort | null = null;
}

/** A header's text, with ▲ or ▼ when the rows are sorted by it. */
export function headerText(
  column: ITableColumn,
  sort: ITableSort | null
): string {
  if (sort?.key !== column.key) {
    return column.label;
  }
  return `${column.label} ${sort.direction === 'asc' ? '▲' : '▼'}`;
}
