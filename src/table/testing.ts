/**
 * Test helpers for the runs table: fake replies of `GET table` and a fake
 * grid (jsdom has no canvas for the DataGrid).
 */
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { RunsDataModel } from './runsDataModel';
import { ITableGrid } from './tableGrid';
import { ITableReply, TableRow } from './tableRows';

/** A run row with the fixed fields filled in; `extra` adds or overrides. */
export function fakeRow(
  name: string,
  createdMs: number,
  extra: Record<string, unknown> = {}
): TableRow {
  return {
    name,
    status: 'finished',
    reason: 'exited cleanly',
    error: null,
    created: new Date(createdMs).toISOString(),
    created_ms: createdMs,
    duration: 60,
    host: 'gpu-box',
    description: '',
    ...extra
  };
}

/** A table reply over `runs` with the given param and stat keys. */
export function fakeReply(
  runs: TableRow[],
  params: string[] = [],
  stats: string[] = []
): ITableReply {
  const channels = [...new Set(stats.map(s => s.slice(0, s.lastIndexOf('.'))))];
  return { root: '/store', query: '', runs, params, channels, stats };
}

/** A grid that records what the table asks of it and lets tests click. */
export class FakeGrid implements ITableGrid {
  constructor(readonly model: RunsDataModel) {}

  readonly widget = new Widget();
  selected: number[] = [];

  get headerClicked(): ISignal<ITableGrid, number> {
    return this._headerClicked;
  }

  get selectionChanged(): ISignal<ITableGrid, void> {
    return this._selectionChanged;
  }

  get isDisposed(): boolean {
    return this.widget.isDisposed;
  }

  /** As a click on a header. */
  clickHeader(column: number): void {
    this._headerClicked.emit(column);
  }

  /** As the user selecting these rows. */
  userSelects(rows: number[]): void {
    this.selected = rows;
    this._selectionChanged.emit();
  }

  selectedRows(): number[] {
    return [...this.selected];
  }

  selectRows(rows: readonly number[]): void {
    this.selected = [...rows];
  }

  columnWidths(): number[] {
    return [];
  }

  retheme(): void {
    // Nothing to paint.
  }

  dispose(): void {
    this.widget.dispose();
  }

  private readonly _headerClicked = new Signal<ITableGrid, number>(this);
  private readonly _selectionChanged = new Signal<ITableGrid, void>(this);
}
