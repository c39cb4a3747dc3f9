/**
 * The runs table: every run's status, params and channel summaries in a
 * DataGrid, sorted and filtered by the one query language, with buttons
 * that open the selected runs.
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { Message, MessageLoop } from '@lumino/messaging';
import { PanelLayout, Widget } from '@lumino/widgets';
import { requestAPI } from '../client/requestAPI';
import { download } from '../download';
import { RunsDataModel } from './runsDataModel';
import { ITableGrid, RunsGrid, TableGridFactory } from './tableGrid';
import { tableCsv } from './tableCsv';
import {
  ITableColumn,
  ITableReply,
  parseTableReply,
  rowName,
  tableColumns,
  TableRow
} from './tableRows';
import { TableAction, TableToolbar } from './tableToolbar';
import {
  compileQuery,
  IRowQuery,
  ITableSort,
  SortDirection,
  visibleRows
} from './tableView';

/** How often a shown table fetches again: statuses and summaries move. */
export const TABLE_REFRESH_MS = 5_000;

/** A grid row's height, and its header and scroll bar's (`tableGrid.ts`). */
const ROW_PX = 24;
const GRID_CHROME_PX = 28 + 18;

/** What the table opens for the selected runs. */
export type OpenKind = 'review' | 'view' | 'monitor';

/** The `GET runwatch/api/table` parameters the table sends. */
export interface ITableRequest {
  /** `stat=` keys; `null` for the server's default, `['none']` for none. */
  readonly stats: readonly string[] | null;
}

/** Options for a `RunsTableWidget`. */
export interface IRunsTableOptions {
  /** Open `kind` of `runs` (Compare is a review of the selection). */
  open: (kind: OpenKind, runs: string[]) => void;
  /** The query applied at first. */
  query?: string;
  /** The language of the table's texts (English without one). */
  translator?: ITranslator;
  /** Fetches the table's JSON (default: `GET runwatch/api/table`). */
  fetchTable?: (request: ITableRequest) => Promise<unknown>;
  /** Makes the grid (default: a Lumino DataGrid; tests pass a fake). */
  createGrid?: TableGridFactory;
  /** Saves the CSV export (default: a browser download). */
  download?: (blob: Blob, filename: string) => void;
  /** How often a shown table refreshes, in ms (default 5 s). */
  refreshMs?: number;
  /**
   * In a notebook output: grow with the visible rows up to this many, then
   * scroll (a tab fills its area instead).
   */
  fitRows?: number;
}

/**
 * A main-area table of runs.
 *
 * #### Notes
 * It fetches every run and filters in the browser, so a new query shows at
 * once and the count says "n of m runs". It refreshes only while shown,
 * keeping sort, selection (by run name) and scroll. The grid draws on a
 * canvas, so after each update the node carries `data-visible-count`,
 * `data-total-count`, `data-first-run`, `data-selected-count`, `data-sort`
 * and `data-state` (`loading`, `ready`, `error`) for UI tests.
 */
export class RunsTableWidget extends Widget {
  constructor(private readonly _options: IRunsTableOptions) {
    super();
    this.addClass('jp-runwatch-table');
    this.node.dataset.testid = 'runwatch-table';
    this.node.dataset.state = 'loading';
    this._trans = (_options.translator ?? nullTranslator).load('runwatch');
    this.title.label = this._trans.__('Runs table');
    this.title.closable = true;
    this._toolbar = new TableToolbar(this._trans, {
      query: text => void this.setQuery(text),
      action: action => this._act(action),
      statsChanged: () => void this.refresh()
    });
    this._grid = (_options.createGrid ?? (model => new RunsGrid(model)))(
      this._model
    );
    this._grid.headerClicked.connect((_, column) => this._toggleSort(column));
    this._grid.selectionChanged.connect(() => this._readSelection());
    const layout = new PanelLayout();
    layout.addWidget(this._toolbar);
    layout.addWidget(this._grid.widget);
    this.layout = layout;
    if (_options.query) {
      this._toolbar.queryInput.value = _options.query;
      this._applyQuery(_options.query);
    }
    this._update();
  }

  /** The columns shown, in order. */
  get columns(): readonly ITableColumn[] {
    return this._model.columns;
  }

  /** The rows shown, in order (after the query and the sort). */
  visibleRows(): readonly TableRow[] {
    return this._model.rows;
  }

  /** The selected runs' names, in the order shown. */
  selectedRuns(): string[] {
    return this._model.rows
      .map(rowName)
      .filter(name => this._selected.has(name));
  }

  /** Select these runs (those shown), replacing the selection. */
  selectRuns(names: Iterable<string>): void {
    this._selected = new Set(names);
    this._update();
  }

  /** The applied query's text. */
  get query(): string {
    return this._query?.text ?? '';
  }

  /**
   * Apply a query, as Enter in the query box does. A bad one leaves the
   * rows as they were and shows why under the box.
   *
   * @returns whether the query was applied.
   */
  async setQuery(text: string): Promise<boolean> {
    this._toolbar.queryInput.value = text;
    const fetched = new Set(this._reply?.stats ?? []);
    if (!this._applyQuery(text)) {
      this._update();
      return false;
    }
    this._update();
    // A filter on a summary not fetched yet (`loss.min`) needs a fetch.
    const wanted = this._toolbar.stats.statKeys(this._query?.names ?? []);
    if (this._reply && wanted.some(key => !fetched.has(key))) {
      await this.refresh();
    }
    return true;
  }

  /** Sort by the column `key` (toggling its direction if already sorted). */
  sortBy(key: string, direction?: SortDirection): void {
    const current = this._sort?.key === key ? this._sort.direction : undefined;
    this._sort = {
      key,
      direction: direction ?? (current === 'asc' ? 'desc' : 'asc')
    };
    this._update();
  }

  /** The rows and columns shown, as CSV. */
  toCsv(): string {
    return tableCsv(this._model.columns, this._model.rows);
  }

  /** Fetch the table again (one request at a time; the newest wins). */
  async refresh(): Promise<void> {
    const request = ++this._request;
    const stats = this._reply
      ? this._toolbar.stats.statKeys(this._query?.names ?? [])
      : null;
    try {
      const json = await (this._options.fetchTable ?? fetchTable)({ stats });
      if (request !== this._request || this.isDisposed) {
        return;
      }
      this._reply = parseTableReply(json);
      this._fetchError = '';
      this._toolbar.stats.setChannels(this._reply.channels);
    } catch (error) {
      if (request !== this._request || this.isDisposed) {
        return;
      }
      this._fetchError = (error as Error).message;
    }
    this._update();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._stopRefreshing();
    this._grid.dispose();
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    this._startRefreshing();
  }

  protected onAfterAttach(msg: Message): void {
    if (this.isVisible) {
      this._startRefreshing();
    }
  }

  protected onAfterHide(msg: Message): void {
    this._stopRefreshing();
  }

  protected onBeforeDetach(msg: Message): void {
    this._stopRefreshing();
  }

  protected onActivateRequest(msg: Message): void {
    this._toolbar.queryInput.focus();
  }

  private _startRefreshing(): void {
    if (this._timer !== undefined) {
      return;
    }
    const every = this._options.refreshMs ?? TABLE_REFRESH_MS;
    this._timer = setInterval(() => void this.refresh(), every);
    void this.refresh();
  }

  private _stopRefreshing(): void {
    clearInterval(this._timer);
    this._timer = undefined;
  }

  /** Compile `text`; on an error keep the old query and say why. */
  private _applyQuery(text: string): boolean {
    try {
      this._query = text.trim() ? compileQuery(text) : null;
      this._queryError = '';
      return true;
    } catch (error) {
      this._queryError = (error as Error).message;
      return false;
    }
  }

  private _toggleSort(column: number): void {
    const key = this._model.columns[column]?.key;
    if (key !== undefined) {
      this.sortBy(key);
    }
  }

  /** The grid's selection, by run name (rows move on every refresh). */
  private _readSelection(): void {
    const rows = this._model.rows;
    this._selected = new Set(
      this._grid.selectedRows().map(index => rowName(rows[index] ?? {}))
    );
    this._showState();
  }

  /** Recompute the visible rows and show them, keeping the selection. */
  private _update(): void {
    const reply = this._reply;
    const all = reply
      ? tableColumns(reply.params, reply.stats, this._trans, reply.runs)
      : [];
    const rows = reply
      ? visibleRows(reply.runs, all, this._query, this._sort)
      : [];
    // The columns of the runs shown: a query for one sweep shows its params,
    // not every param of the store.
    const columns = reply
      ? tableColumns(
          reply.params.filter(k => rows.some(r => `params.${k}` in r)),
          reply.stats.filter(k => rows.some(r => k in r)),
          this._trans,
          rows
        )
      : [];
    this._model.update(columns, rows, this._sort);
    const selected: number[] = [];
    const kept = new Set<string>();
    rows.forEach((row, index) => {
      const name = rowName(row);
      if (this._selected.has(name)) {
        selected.push(index);
        kept.add(name);
      }
    });
    this._selected = kept;
    this._grid.selectRows(selected);
    this._showState();
  }

  /** The count, the error, the buttons and the data attributes. */
  private _showState(): void {
    const rows = this._model.rows;
    const total = this._reply?.runs.length ?? 0;
    const toolbar = this._toolbar;
    toolbar.count.textContent = this._reply
      ? this._trans.__('%1 of %2 runs', rows.length, total)
      : this._trans.__('loading runs…');
    toolbar.showError(
      [this._queryError, this._fetchError].filter(Boolean).join('\n')
    );
    toolbar.queryInput.classList.toggle('jp-mod-error', !!this._queryError);
    toolbar.enableFor(this._selected.size, rows.length);
    const fit = this._options.fitRows;
    if (fit) {
      const shown = Math.max(1, Math.min(rows.length, fit));
      const chrome = this._toolbar.node.offsetHeight || 40;
      const height = `${chrome + GRID_CHROME_PX + shown * ROW_PX}px`;
      if (this.node.style.height !== height) {
        this.node.style.height = height;
        // An output's panel doesn't lay its children out again: say so.
        MessageLoop.sendMessage(this, Widget.ResizeMessage.UnknownSize);
      }
    }
    const data = this.node.dataset;
    data.state = this._fetchError ? 'error' : this._reply ? 'ready' : 'loading';
    data.visibleCount = String(rows.length);
    data.totalCount = String(total);
    data.firstRun = rows.length ? rowName(rows[0]) : '';
    data.selectedCount = String(this._selected.size);
    data.sort = this._sort ? `${this._sort.key} ${this._sort.direction}` : '';
    // The grid is a canvas: where each column's header is, for UI tests.
    data.columns = JSON.stringify(this.columns.map(c => c.key));
    // And what the first row shows, cell by cell (the canvas has no text).
    data.firstRow = JSON.stringify(
      Object.fromEntries(
        this.columns.map((c, i) => [c.key, this._model.data('body', 0, i)])
      )
    );
    // The grid sizes a new column set by posted messages: read after them.
    requestAnimationFrame(() => {
      data.columnWidths = JSON.stringify(this._grid.columnWidths());
    });
  }

  private _act(action: TableAction): void {
    if (action === 'csv') {
      const blob = new Blob([this.toCsv()], { type: 'text/csv' });
      (this._options.download ?? download)(blob, 'runwatch-runs.csv');
      return;
    }
    const runs = this.selectedRuns();
    if (runs.length === 0 || (action === 'monitor' && runs.length !== 1)) {
      return;
    }
    this._options.open(action === 'compare' ? 'review' : action, runs);
  }

  private readonly _trans: TranslationBundle;
  private readonly _toolbar: TableToolbar;
  private readonly _model = new RunsDataModel();
  private readonly _grid: ITableGrid;
  private _reply: ITableReply | null = null;
  private _query: IRowQuery | null = null;
  private _sort: ITableSort | null = null;
  private _selected = new Set<string>();
  private _queryError = '';
  private _fetchError = '';
  private _request = 0;
  private _timer: ReturnType<typeof setInterval> | undefined = undefined;
}

/** `GET runwatch/api/table` with the request's `stat=` keys. */
function fetchTable(request: ITableRequest): Promise<unknown> {
  const params = new URLSearchParams();
  for (const stat of request.stats ?? []) {
    params.append('stat', stat);
  }
  const query = params.toString();
  return requestAPI<unknown>(query ? `table?${query}` : 'table');
}
