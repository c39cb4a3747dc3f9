/**
 * The runs side panel: the store's runs, newest first, with a filter that
 * matches as the magics resolve (docs/run-store.md, "Resolving runs").
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { IRunSummary, IRunwatchAPI, WatchSocket } from '../client';
import { IRunAction, IRunsPanel } from '../tokens';
import { matchRuns } from './panelQuery';
import { formatAge, formatSize } from '../store/format';
import { badgeText, isUnsettled, showsReason } from '../runs/runBadge';

/** Runs listed at most; the filter narrows the rest. */
export const MAX_LISTED_RUNS = 200;

/**
 * How often a shown panel fetches the list again while a run is live:
 * sizes, "wrote … ago" and statuses change without any new run folder.
 */
export const LIVE_REFRESH_MS = 5_000;

/** How often ages are redrawn when no run is live. */
const AGE_REDRAW_MS = 30_000;

/** Options for a `RunsPanel`. */
export interface IRunsPanelOptions {
  /** Opens a monitor of `run` (the panel's click action). */
  open: (run: string) => void;
  api: IRunwatchAPI;
  socket: WatchSocket;
  now?: () => number;
  /** The language of the panel's texts (English without one). */
  translator?: ITranslator;
  /** Opens the runs table with the panel's filter as its query. */
  openTable?: (query: string) => void;
}

/**
 * Lists the store's runs and opens a monitor on click.
 *
 * #### Notes
 * It watches the store (`watch-store`) only while shown, so a closed
 * sidebar costs the server nothing.
 */
export class RunsPanel extends Widget implements IRunsPanel {
  constructor(private readonly _options: IRunsPanelOptions) {
    super();
    this.addClass('jp-runwatch-runs');
    this._api = _options.api;
    const trans = (_options.translator ?? nullTranslator).load('runwatch');
    this._trans = trans;
    const head = document.createElement('div');
    head.className = 'jp-runwatch-runs-head';
    const title = document.createElement('span');
    title.className = 'jp-runwatch-runs-title';
    title.textContent = trans.__('Runs');
    this._filter = document.createElement('input');
    this._filter.className = 'jp-runwatch-runs-filter jp-mod-styled';
    this._filter.placeholder = trans.__('filter: word, glob or lr < 1e-3');
    this._filter.setAttribute('aria-label', trans.__('filter runs'));
    this._filter.addEventListener('input', () => this._render());
    head.append(title);
    if (_options.openTable) {
      const table = document.createElement('button');
      table.className = 'jp-runwatch-runs-table-button jp-mod-styled';
      table.textContent = trans.__('table');
      table.title = trans.__(
        'Open these runs in a table: sort, filter, select and compare'
      );
      table.addEventListener('click', () =>
        _options.openTable?.(this._filter.value.trim())
      );
      head.append(table);
    }
    head.append(this._filter);
    this._root = document.createElement('div');
    this._root.className = 'jp-runwatch-runs-root';
    this._list = document.createElement('ul');
    this._list.className = 'jp-runwatch-runs-list';
    this._list.addEventListener('click', event => this._onClick(event));
    this.node.append(head, this._root, this._list);
  }

  /** The runs last fetched. */
  get runs(): readonly IRunSummary[] {
    return this._runs;
  }

  /**
   * Add a button to every row (the plots add `review` and `view`, the
   * monitor `monitor`), in rank order. The row itself opens a monitor.
   */
  addAction(name: string, action: IRunAction): void {
    this._actions.set(name, action);
    const ranked = [...this._actions].sort((a, b) => a[1].rank - b[1].rank);
    this._actions.clear();
    ranked.forEach(([key, value]) => this._actions.set(key, value));
    this._render();
  }

  /** Fetch the list again. */
  async refresh(): Promise<void> {
    const request = ++this._request;
    try {
      const list = await this._api.listRuns();
      if (request === this._request && !this.isDisposed) {
        this._runs = list.runs;
        this._root.textContent = list.root;
        this._root.title = this._trans.__('store root: %1', list.root);
        this._render();
      }
    } catch (error) {
      if (request === this._request && !this.isDisposed) {
        this._showMessage((error as Error).message, true);
      }
    }
  }

  dispose(): void {
    this._stopWatching();
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    this._startWatching();
  }

  protected onAfterAttach(msg: Message): void {
    if (this.isVisible) {
      this._startWatching();
    }
  }

  protected onAfterHide(msg: Message): void {
    this._stopWatching();
  }

  protected onBeforeDetach(msg: Message): void {
    this._stopWatching();
  }

  private _startWatching(): void {
    if (this._subscription) {
      return;
    }
    const socket = this._options.socket;
    this._subscription = socket.subscribeStore(() => this._refreshSoon(300));
    this._ageTimer = setInterval(() => this._tick(), LIVE_REFRESH_MS);
    void this.refresh();
  }

  private _stopWatching(): void {
    this._subscription?.dispose();
    this._subscription = undefined;
    clearInterval(this._ageTimer);
    this._ageTimer = undefined;
    clearTimeout(this._debounce);
  }

  /** Fetch again while a run is live; else only redraw the ages now and then. */
  private _tick(): void {
    if (this._runs.some(run => isUnsettled(run.status))) {
      void this.refresh();
      return;
    }
    this._sinceRedraw += LIVE_REFRESH_MS;
    if (this._sinceRedraw >= AGE_REDRAW_MS) {
      this._sinceRedraw = 0;
      this._render();
    }
  }

  private _refreshSoon(delayMs: number): void {
    clearTimeout(this._debounce);
    this._debounce = setTimeout(() => void this.refresh(), delayMs);
  }

  private _render(): void {
    this._list.textContent = '';
    const { runs: shown, error } = matchRuns(this._filter.value, this._runs);
    this._filter.classList.toggle('jp-mod-error', !!error);
    this._filter.title = error ?? '';
    if (shown.length === 0) {
      this._showMessage(
        error ??
          (this._filter.value.trim()
            ? this._trans.__('No run matches the filter')
            : this._trans.__('No runs yet')),
        !!error
      );
      return;
    }
    const now = (this._options.now ?? Date.now)();
    for (const run of shown.slice(0, MAX_LISTED_RUNS)) {
      this._list.appendChild(runItem(run, now, this._actions, this._trans));
    }
    const more = shown.length - MAX_LISTED_RUNS;
    if (more > 0) {
      this._showMessage(
        this._trans._n(
          '… %1 more: filter to narrow',
          '… %1 more: filter to narrow',
          more
        ),
        false
      );
    }
  }

  private _showMessage(text: string, isError: boolean): void {
    const item = document.createElement('li');
    item.className = isError
      ? 'jp-runwatch-runs-note jp-runwatch-stat-error'
      : 'jp-runwatch-runs-note';
    item.textContent = text;
    this._list.appendChild(item);
  }

  private _onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    const item = target.closest<HTMLElement>('.jp-runwatch-run');
    const button = target.closest<HTMLElement>('.jp-runwatch-run-action');
    const action = this._actions.get(button?.dataset.action ?? '');
    if (item?.dataset.run && action) {
      event.stopPropagation();
      action.run(item.dataset.run);
    } else if (item?.dataset.run) {
      this._options.open(item.dataset.run);
    }
  }

  private readonly _api: IRunwatchAPI;
  private readonly _trans: TranslationBundle;
  private readonly _filter: HTMLInputElement;
  private readonly _root: HTMLElement;
  private readonly _list: HTMLElement;
  private _runs: IRunSummary[] = [];
  private readonly _actions = new Map<string, IRunAction>();
  private _request = 0;
  private _subscription: IDisposable | undefined = undefined;
  private _debounce: ReturnType<typeof setTimeout> | undefined = undefined;
  private _ageTimer: ReturnType<typeof setInterval> | undefined = undefined;
  private _sinceRedraw = 0;
}

/** One run's list item: name, badge, size, age, actions, and any error. */
function runItem(
  run: IRunSummary,
  now: number,
  actions: ReadonlyMap<string, IRunAction>,
  trans: TranslationBundle
): HTMLElement {
  const item = document.createElement('li');
  item.className = 'jp-runwatch-run';
  item.dataset.run = run.name;
  item.title = trans.__('Monitor %1', run.name);
  const name = document.createElement('div');
  name.className = 'jp-runwatch-run-name';
  name.textContent = run.name;
  const facts = document.createElement('div');
  facts.className = 'jp-runwatch-run-facts';
  const badge = document.createElement('span');
  badge.className = `jp-runwatch-badge jp-runwatch-badge-${run.status}`;
  badge.textContent = badgeText(run.status, trans);
  if (run.reason) {
    badge.title = run.reason;
  }
  const details: string[] = [formatSize(run.size)];
  if (run.created_ms !== null && run.created_ms !== undefined) {
    const age = formatAge((now - run.created_ms) / 1000);
    details.push(trans.__('%1 old', age));
  }
  if (run.last_write_ms !== null && run.last_write_ms !== undefined) {
    const ago = formatAge((now - run.last_write_ms) / 1000);
    details.push(trans.__('wrote %1 ago', ago));
  }
  const text = document.createElement('span');
  text.textContent = details.filter(Boolean).join(' · ');
  facts.append(badge, text);
  if (actions.size > 0) {
    const buttons = document.createElement('span');
    buttons.className = 'jp-runwatch-run-actions';
    for (const [key, action] of actions) {
      const button = document.createElement('button');
      button.className = 'jp-runwatch-run-action';
      button.dataset.action = key;
      button.textContent = action.label;
      button.title = action.title;
      buttons.appendChild(button);
    }
    facts.appendChild(buttons);
  }
  item.append(name, facts);
  if (run.reason && showsReason(run.status)) {
    const reason = document.createElement('div');
    reason.className = 'jp-runwatch-run-reason';
    reason.textContent = run.reason;
    item.appendChild(reason);
  }
  if (typeof run.description === 'string' && run.description) {
    const description = document.createElement('div');
    description.className = 'jp-runwatch-run-description';
    description.textContent = run.description;
    item.appendChild(description);
  }
  if (run.error) {
    const error = document.createElement('div');
    error.className = 'jp-runwatch-run-error';
    error.textContent = run.error;
    item.appendChild(error);
  }
  return item;
}
