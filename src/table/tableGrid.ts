/**
 * The runs table's grid: a Lumino DataGrid behind a small interface, so the
 * widget can be tested in jsdom (which has no canvas) with a fake.
 */
// Only loaded with import(): src/table is the runs table's lazy chunk.
// eslint-disable-next-line jupyter/prefer-lazy-imports
import {
  BasicKeyHandler,
  BasicMouseHandler,
  BasicSelectionModel,
  DataGrid,
  DataModel
} from '@lumino/datagrid';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { batchCellBlits } from './batchedBlits';
import { RunsDataModel } from './runsDataModel';
import { ColumnKind } from './tableRows';
import { cellRenderers, cssVariables, gridStyle } from './tableTheme';

/** What the table widget needs of its grid. */
export interface ITableGrid extends IDisposable {
  /** The grid's widget, laid out under the toolbar. */
  readonly widget: Widget;
  /** A header was clicked (not on its resize edge): the column index. */
  readonly headerClicked: ISignal<ITableGrid, number>;
  /** The user changed which rows are selected. */
  readonly selectionChanged: ISignal<ITableGrid, void>;
  /** The selected rows' indexes, ascending. */
  selectedRows(): number[];
  /** Select exactly these rows (without emitting `selectionChanged`). */
  selectRows(rows: readonly number[]): void;
  /** Take the colours of the current theme. */
  retheme(): void;
  /** Each column's width in pixels, in order (where a header is, for tests). */
  columnWidths(): number[];
}

/** Makes the grid over a model (the widget's option, for tests). */
export type TableGridFactory = (model: RunsDataModel) => ITableGrid;

/** Pixels either side of a header's border that resize instead of sort. */
const RESIZE_EDGE = 6;

/** Column widths by what a column holds; the name gets the most room. */
const WIDTHS: Readonly<Record<ColumnKind, number>> = {
  status: 84,
  text: 140,
  created: 130,
  duration: 80,
  param: 96,
  stat: 120
};
const WIDE_COLUMNS: Readonly<Record<string, number>> = {
  name: 300,
  reason: 220,
  description: 200
};

/** The real grid: a DataGrid with row selection and sorting headers. */
export class RunsGrid implements ITableGrid {
  constructor(private readonly _model: RunsDataModel) {
    this.grid = new DataGrid({
      defaultSizes: {
        rowHeight: 24,
        columnWidth: 120,
        rowHeaderWidth: 64,
        columnHeaderHeight: 28
      },
      headerVisibility: 'column'
    });
    batchCellBlits(this.grid);
    this.grid.addClass('jp-runwatch-table-grid');
    this.grid.dataModel = _model;
    this._selection = new BasicSelectionModel({
      dataModel: _model,
      selectionMode: 'row'
    });
    this._selection.changed.connect(this._onSelection, this);
    this.grid.selectionModel = this._selection;
    this.grid.keyHandler = new BasicKeyHandler();
    this.grid.mouseHandler = new SortingMouseHandler(column =>
      this._headerClicked.emit(column)
    );
    _model.changed.connect(this._onModelChanged, this);
    // JupyterLab marks the theme on <body>; follow it without a token.
    this._themeWatch = new MutationObserver(() => this.retheme());
    this._themeWatch.observe(document.body, {
      attributes: true,
      attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light']
    });
    this.retheme();
  }

  readonly grid: DataGrid;

  get widget(): Widget {
    return this.grid;
  }

  get headerClicked(): ISignal<ITableGrid, number> {
    return this._headerClicked;
  }

  get selectionChanged(): ISignal<ITableGrid, void> {
    return this._selectionChanged;
  }

  get isDisposed(): boolean {
    return this.grid.isDisposed;
  }

  columnWidths(): number[] {
    const count = this._model.columnCount('body');
    return Array.from({ length: count }, (_, i) =>
      this.grid.columnSize('body', i)
    );
  }

  selectedRows(): number[] {
    const rows = new Set<number>();
    for (const { r1, r2 } of this._selection.selections()) {
      for (let r = Math.min(r1, r2); r <= Math.max(r1, r2); r++) {
        rows.add(r);
      }
    }
    return [...rows].sort((a, b) => a - b);
  }

  selectRows(rows: readonly number[]): void {
    this._selecting = true;
    try {
      this._selection.clear();
      const lastColumn = Math.max(0, this._model.columnCount('body') - 1);
      for (const [r1, r2] of contiguousRuns(rows)) {
        this._selection.select({
          r1,
          c1: 0,
          r2,
          c2: lastColumn,
          cursorRow: r1,
          cursorColumn: 0,
          clear: 'none'
        });
      }
    } finally {
      this._selecting = false;
    }
  }

  retheme(): void {
    const css = cssVariables(this.grid.node);
    const isLight = document.body.dataset.jpThemeLight !== 'false';
    this.grid.style = gridStyle(css, isLight);
    const { body, header } = cellRenderers(css);
    this.grid.cellRenderers.update({ body, 'column-header': header }, body);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._themeWatch.disconnect();
    Signal.clearData(this);
    this.grid.dispose();
  }

  private _onSelection(): void {
    if (!this._selecting) {
      this._selectionChanged.emit();
    }
  }

  /** A new column set gets widths by column kind. */
  private _onModelChanged(_: DataModel, args: DataModel.ChangedArgs): void {
    if (args.type !== 'model-reset') {
      return;
    }
    this._model.columns.forEach((column, index) => {
      const width = WIDE_COLUMNS[column.key] ?? WIDTHS[column.kind];
      this.grid.resizeColumn('body', index, width);
    });
  }

  private readonly _selection: BasicSelectionModel;
  private readonly _themeWatch: MutationObserver;
  private readonly _headerClicked = new Signal<ITableGrid, number>(this);
  private readonly _selectionChanged = new Signal<ITableGrid, void>(this);
  private _selecting = false;
}

/** Sorts on a header click; everything else as DataGrid's own handler. */
class SortingMouseHandler extends BasicMouseHandler {
  constructor(private readonly _onHeader: (column: number) => void) {
    super();
  }

  onMouseDown(grid: DataGrid, event: MouseEvent): void {
    const hit = grid.hitTest(event.clientX, event.clientY);
    const onEdge = hit.x < RESIZE_EDGE || hit.width - hit.x < RESIZE_EDGE;
    if (
      hit.region === 'column-header' &&
      event.button === 0 &&
      hit.column >= 0 &&
      !onEdge
    ) {
      event.preventDefault();
      this._onHeader(hit.column);
      return;
    }
    super.onMouseDown(grid, event);
  }
}

/** `[1, 2, 3, 7, 8]` → `[[1, 3], [7, 8]]`. */
export function contiguousRuns(
  rows: readonly number[]
): Array<[number, number]> {
  const sorted = [...rows].sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  for (const row of sorted) {
    const last = runs[runs.length - 1];
    if (last && row <= last[1] + 1) {
      last[1] = Math.max(last[1], row);
    } else {
      runs.push([row, row]);
    }
  }
  return runs;
}
