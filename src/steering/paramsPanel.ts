/**
 * The monitor's "Params" panel: a running job's steerable params, their
 * current values, an editor that asks the server to change them (the job
 * applies or rejects each request and answers), the answers, and a stop.
 */
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { ITranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { requestAPI } from '../client/requestAPI';
import { describeEntry, ISteerState, parseSteerValue } from './steerState';

/** How often a shown panel asks again: the job answers within ~100 ms. */
export const STEER_REFRESH_MS = 1_000;

/** The server calls the panel makes (tests pass fakes). */
export interface ISteerClient {
  get(run: string): Promise<ISteerState>;
  post(run: string, body: Record<string, unknown>): Promise<unknown>;
}

const httpClient: ISteerClient = {
  get: run => requestAPI<ISteerState>(`runs/${encodeURIComponent(run)}/steer`),
  post: (run, body) =>
    requestAPI(`runs/${encodeURIComponent(run)}/steer`, {
      method: 'POST',
      body: JSON.stringify(body)
    })
};

/** Answers shown at most. */
const LOG_SHOWN = 8;

export class ParamsPanel extends Widget {
  constructor(
    private readonly _run: string,
    translator?: ITranslator,
    private readonly _client: ISteerClient = httpClient,
    refreshMs = STEER_REFRESH_MS
  ) {
    super();
    this.addClass('jp-runwatch-params');
    this._trans = (translator ?? nullTranslator).load('runwatch');
    this.hide(); // until the run says it declared steerable params
    this.node.addEventListener('click', event => this._onClick(event));
    this.node.addEventListener('keydown', event => {
      if (
        event.key === 'Enter' &&
        (event.target as HTMLElement).matches('.jp-runwatch-params-input')
      ) {
        void this._apply();
      }
    });
    void this.refresh();
    this._timer = setInterval(() => {
      if (this.isVisible || !this._state) {
        void this.refresh();
      }
    }, refreshMs);
  }

  /** What the server said last. */
  get state(): ISteerState | undefined {
    return this._state;
  }

  async refresh(): Promise<void> {
    let state: ISteerState;
    try {
      state = await this._client.get(this._run);
    } catch {
      return; // the monitor's header says when the server is away
    }
    if (this.isDisposed) {
      return;
    }
    this._state = state;
    this._render();
  }

  dispose(): void {
    clearInterval(this._timer);
    super.dispose();
  }

  private _render(): void {
    const state = this._state!;
    this.setHidden(!state.declared);
    if (!state.declared) {
      return;
    }
    const trans = this._trans;
    const editable = state.steerable;
    if (!this._table) {
      this.node.textContent = '';
      const title = document.createElement('div');
      title.className = 'jp-runwatch-params-title';
      title.textContent = trans.__('Params');
      this._stop = button('stop', trans.__('stop'));
      this._stop.title = trans.__(
        'Ask the job to stop gracefully (it reads should_stop)'
      );
      const head = document.createElement('div');
      head.className = 'jp-runwatch-params-head';
      head.append(title, this._stop);
      this._table = document.createElement('table');
      this._message = document.createElement('div');
      this._message.className = 'jp-runwatch-params-message';
      this._log = document.createElement('ul');
      this._log.className = 'jp-runwatch-params-log';
      const apply = button('apply', trans.__('apply'));
      apply.title = trans.__('Ask the job to take the values typed');
      this.node.append(head, this._table, apply, this._message, this._log);
      this._applyButton = apply;
    }
    this._stop!.disabled = !editable || state.stop_requested;
    this._applyButton!.disabled = !editable;
    this._renderRows(editable);
    this._log!.textContent = '';
    for (const entry of [...state.log].reverse().slice(0, LOG_SHOWN)) {
      const item = document.createElement('li');
      item.dataset.status = entry.status;
      item.dataset.key = entry.key ?? '';
      item.textContent = describeEntry(entry);
      this._log!.append(item);
    }
    if (state.pending.length > 0) {
      this._note(trans.__('waiting for the job to take the request…'), false);
    } else if (this._waiting) {
      this._note('', false);
    }
    this._waiting = state.pending.length > 0;
    this.node.dataset.pending = String(state.pending.length);
  }

  /** One row per key; inputs the user is typing in are left alone. */
  private _renderRows(editable: boolean): void {
    const state = this._state!;
    const table = this._table!;
    for (const [key, spec] of Object.entries(state.keys)) {
      let row = table.querySelector<HTMLTableRowElement>(
        `tr[data-key="${CSS.escape(key)}"]`
      );
      if (!row) {
        row = table.insertRow();
        row.dataset.key = key;
        row.insertCell().textContent = key;
        row.insertCell().className = 'jp-runwatch-params-value';
        const input = document.createElement('input');
        input.className = 'jp-runwatch-params-input jp-mod-styled';
        input.placeholder = spec.bounds
          ? `${spec.type} ${spec.bounds[0]} … ${spec.bounds[1]}`
          : spec.type;
        input.setAttribute('aria-label', this._trans.__('new %1', key));
        row.insertCell().append(input);
      }
      const value = state.values[key];
      row.cells[1].textContent = JSON.stringify(value);
      row.dataset.value = JSON.stringify(value);
      row.querySelector('input')!.disabled = !editable;
    }
  }

  private _onClick(event: MouseEvent): void {
    const action = (event.target as HTMLElement).closest<HTMLElement>(
      '[data-action]'
    )?.dataset.action;
    if (action === 'apply') {
      void this._apply();
    } else if (action === 'stop') {
      void this._send({ stop: true });
    }
  }

  /** Send what was typed, checked against the declaration first. */
  private async _apply(): Promise<void> {
    const state = this._state;
    if (!state) {
      return;
    }
    const changes: Record<string, unknown> = {};
    const inputs = Array.from(
      this._table!.querySelectorAll<HTMLInputElement>('input')
    );
    for (const input of inputs) {
      const key = input.closest('tr')!.dataset.key!;
      if (!input.value.trim()) {
        continue;
      }
      const parsed = parseSteerValue(key, state.keys[key], input.value);
      if ('error' in parsed) {
        this._note(parsed.error, true);
        input.focus();
        return;
      }
      changes[key] = parsed.value;
    }
    if (Object.keys(changes).length === 0) {
      this._note(this._trans.__('type a new value first'), true);
      return;
    }
    if (await this._send({ changes })) {
      inputs.forEach(input => (input.value = ''));
    }
  }

  private async _send(body: Record<string, unknown>): Promise<boolean> {
    try {
      await this._client.post(this._run, body);
    } catch (error) {
      this._note((error as Error).message, true);
      return false;
    }
    this._note(this._trans.__('sent: waiting for the job…'), false);
    this._waiting = true;
    await this.refresh();
    return true;
  }

  private _note(text: string, isError: boolean): void {
    if (!this._message) {
      return;
    }
    this._message.textContent = text;
    this._message.classList.toggle('jp-mod-error', isError);
  }

  private readonly _trans: TranslationBundle;
  private readonly _timer: ReturnType<typeof setInterval>;
  private _state: ISteerState | undefined = undefined;
  private _table: HTMLTableElement | undefined = undefined;
  private _message: HTMLElement | undefined = undefined;
  private _log: HTMLUListElement | undefined = undefined;
  private _stop: HTMLButtonElement | undefined = undefined;
  private _applyButton: HTMLButtonElement | undefined = undefined;
  private _waiting = false;
}

function button(action: string, text: string): HTMLButtonElement {
  const node = document.createElement('button');
  node.className = 'jp-runwatch-params-button jp-mod-styled';
  node.dataset.action = action;
  node.textContent = text;
  return node;
}
