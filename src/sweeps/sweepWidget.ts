/**
 * The sweep widget that `runwatch.launch(...)` and `%sweep NAME` show: one
 * row per variant with its status, run, elapsed time and last metrics, and
 * buttons to stop and relaunch variants through the server.
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { requestAPI } from '../client/requestAPI';
import { button, element, fillSweepRow, newSweepRow } from './sweepRowView';
import {
  canRelaunch,
  canStop,
  countsText,
  ISweepReply,
  ISweepRow,
  parseSweepReply,
  statusCounts
} from './sweepRows';

/** How often a shown sweep asks the server again. */
export const SWEEP_REFRESH_MS = 2_000;

/** A call to runwatch's server: `requestAPI`'s shape. */
export type SweepRequest = (
  endPoint: string,
  init?: RequestInit
) => Promise<unknown>;

/** What a row's or the header's button asks the server to do. */
export type SweepAction = 'stop' | 'relaunch';

/** Options for a `SweepWidget`. */
export interface ISweepWidgetOptions {
  /** The sweep's name. */
  name: string;
  /** Open a run's monitor; without it run names are plain text. */
  open?: (kind: 'monitor', run: string) => void;
  /** The language of the widget's texts (English without one). */
  translator?: ITranslator;
  /** Calls the server (default: `requestAPI`, with Jupyter's auth and XSRF). */
  request?: SweepRequest;
  /** How often a shown sweep refreshes, in ms (default 2 s). */
  refreshMs?: number;
}

/**
 * A sweep's variants, live while shown.
 *
 * #### Notes
 * Rows are updated in place (keyed by variant), so a button under the mouse
 * survives a refresh. Hooks for UI tests: the node's `data-counts` (JSON,
 * status → count) and `data-state` (`loading`, `ready`, `error`); each row
 * `tr[data-variant]` with `data-status`, `data-run`, `data-pid`; buttons
 * `[data-action=stop|relaunch]` per row and
 * `[data-action=stop-all|relaunch-failed]` in the header.
 */
export class SweepWidget extends Widget {
  constructor(private readonly _options: ISweepWidgetOptions) {
    super();
    this.addClass('jp-runwatch-sweep');
    this.node.dataset.sweep = _options.name;
    this.node.dataset.state = 'loading';
    this._trans = (_options.translator ?? nullTranslator).load('runwatch');
    this.title.label = this._trans.__('Sweep %1', _options.name);

    const header = element('div', 'jp-runwatch-sweep-header');
    const name = element('span', 'jp-runwatch-sweep-name');
    name.textContent = _options.name;
    this._counts = element('span', 'jp-runwatch-sweep-counts');
    this._counts.textContent = this._trans.__('loading…');
    this._relaunchFailed = button(
      'relaunch-failed',
      this._trans.__('Relaunch failed'),
      this._trans.__(
        'Start the crashed and failed variants again, each in a new run'
      )
    );
    this._stopAll = button(
      'stop-all',
      this._trans.__('Stop all'),
      this._trans.__('Stop every running variant and unqueue the rest')
    );
    header.append(name, this._counts, this._relaunchFailed, this._stopAll);
    this._message = element('div', 'jp-runwatch-sweep-message');
    this._message.hidden = true;

    const table = element('table', 'jp-runwatch-sweep-table');
    const head = table.createTHead().insertRow();
    for (const label of [
      this._trans.__('Status'),
      this._trans.__('Params'),
      this._trans.__('Run'),
      this._trans.__('Elapsed'),
      this._trans.__('Metrics'),
      ''
    ]) {
      const th = document.createElement('th');
      th.textContent = label;
      head.appendChild(th);
    }
    this._body = table.createTBody();
    this.node.append(header, this._message, table);
    this.node.addEventListener('click', this);
    this._update();
  }

  /** The rows shown, in the sweep's order. */
  get rows(): readonly ISweepRow[] {
    return this._reply?.rows ?? [];
  }

  /** Ask the server for the sweep again and show it. */
  async refresh(): Promise<void> {
    const request = ++this._request;
    try {
      const json = await this._call(
        `sweeps/${encodeURIComponent(this._options.name)}`
      );
      if (request !== this._request || this.isDisposed) {
        return;
      }
      this._reply = parseSweepReply(json);
      this._fetchError = '';
    } catch (error) {
      if (request !== this._request || this.isDisposed) {
        return;
      }
      this._fetchError = (error as Error).message;
    }
    this._update();
  }

  /**
   * POST `stop` or `relaunch` for one variant, or all (`null`), then show
   * the sweep as it is after. A refusal shows the server's message.
   */
  async act(action: SweepAction, variant: string | null): Promise<void> {
    const endPoint = `sweeps/${encodeURIComponent(this._options.name)}/${action}`;
    try {
      await this._call(endPoint, {
        method: 'POST',
        body: JSON.stringify({ variant })
      });
      this._actionError = '';
    } catch (error) {
      this._actionError = (error as Error).message;
    }
    if (!this.isDisposed) {
      await this.refresh();
    }
  }

  handleEvent(event: Event): void {
    if (event.type !== 'click') {
      return;
    }
    const target = event.target as HTMLElement;
    const control = target.closest<HTMLElement>('[data-action]');
    const row = target.closest<HTMLElement>('tr[data-variant]');
    switch (control?.dataset.action) {
      case 'stop-all':
        void this.act('stop', null);
        return;
      case 'relaunch-failed':
        void this.act('relaunch', null);
        return;
      case 'stop':
      case 'relaunch':
        if (row?.dataset.variant) {
          void this.act(control.dataset.action, row.dataset.variant);
        }
        return;
      case 'open':
        if (row?.dataset.run) {
          this._options.open?.('monitor', row.dataset.run);
        }
        return;
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._stopPolling();
    this.node.removeEventListener('click', this);
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    this._startPolling();
  }

  protected onAfterAttach(msg: Message): void {
    if (this.isVisible) {
      this._startPolling();
    }
  }

  protected onAfterHide(msg: Message): void {
    this._stopPolling();
  }

  protected onBeforeDetach(msg: Message): void {
    this._stopPolling();
  }

  private _startPolling(): void {
    if (this._polling) {
      return;
    }
    this._polling = true;
    void this._poll();
  }

  /** Fetch, then wait: a slow server is never asked twice at once. */
  private async _poll(): Promise<void> {
    await this.refresh();
    if (this._polling && !this.isDisposed && this._timer === undefined) {
      this._timer = setTimeout(() => {
        this._timer = undefined;
        if (this._polling) {
          void this._poll();
        }
      }, this._options.refreshMs ?? SWEEP_REFRESH_MS);
    }
  }

  private _stopPolling(): void {
    this._polling = false;
    clearTimeout(this._timer);
    this._timer = undefined;
  }

  private _call(endPoint: string, init?: RequestInit): Promise<unknown> {
    return (this._options.request ?? requestAPI)(endPoint, init);
  }

  private _update(): void {
    const rows = this.rows;
    const data = this.node.dataset;
    data.state =
      this._fetchError && !this._reply
        ? 'error'
        : this._reply
          ? 'ready'
          : 'loading';
    data.counts = JSON.stringify(Object.fromEntries(statusCounts(rows)));
    if (this._reply) {
      this._counts.textContent = countsText(rows, this._trans);
    }
    this._relaunchFailed.disabled = !rows.some(r => canRelaunch(r.status));
    this._stopAll.disabled = !rows.some(r => canStop(r.status));
    const message = [this._actionError, this._fetchError].filter(Boolean);
    this._message.textContent = message.join('\n');
    this._message.hidden = message.length === 0;
    this._updateRows(rows);
  }

  /** Update each variant's row in place; add new ones, drop gone ones. */
  private _updateRows(rows: readonly ISweepRow[]): void {
    const seen = new Set<string>();
    rows.forEach((row, index) => {
      seen.add(row.variant);
      let tr = this._rows.get(row.variant);
      if (!tr) {
        tr = newSweepRow(row.variant, this._trans, !!this._options.open);
        this._rows.set(row.variant, tr);
      }
      if (this._body.rows[index] !== tr) {
        this._body.insertBefore(tr, this._body.rows[index] ?? null);
      }
      fillSweepRow(tr, row, this._trans);
    });
    for (const [variant, tr] of this._rows) {
      if (!seen.has(variant)) {
        tr.remove();
        this._rows.delete(variant);
      }
    }
  }

  private readonly _trans: TranslationBundle;
  private readonly _counts: HTMLElement;
  private readonly _relaunchFailed: HTMLButtonElement;
  private readonly _stopAll: HTMLButtonElement;
  private readonly _message: HTMLElement;
  private readonly _body: HTMLTableSectionElement;
  private readonly _rows = new Map<string, HTMLTableRowElement>();
  private _reply: ISweepReply | null = null;
  private _fetchError = '';
  private _actionError = '';
  private _request = 0;
  private _polling = false;
  private _timer: ReturnType<typeof setTimeout> | undefined = undefined;
}
