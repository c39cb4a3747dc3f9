/**
 * The plots' header: the runs' title, each run's state, the rule and x
 * controls, Pause (live views) and a status line; and the message line
 * under it.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { PLOT_RULES, PlotRule, plotRuleLabel } from '../series/series';

export interface IPlotsHeaderOptions {
  readonly runs: readonly string[];
  /** The title, when not the runs' (a grouped review's groups). */
  readonly title?: string;
  readonly query?: string;
  readonly live: boolean;
  readonly rule: PlotRule;
  readonly onRule: (rule: PlotRule) => void;
  readonly onPause: () => void;
  /** The channel search text changed. */
  readonly onFilter?: (text: string) => void;
  /** The smoothing to start with, and its changes (this review only). */
  readonly smoothing?: number;
  readonly onSmoothing?: (weight: number) => void;
  /** The channel x starts on (none: time), and the user's choices. */
  readonly x?: string;
  readonly onX?: (x: string | undefined) => void;
  /** Why x can only be time here (a live view); the control is disabled. */
  readonly xDisabled?: string;
  readonly trans: TranslationBundle;
}

/** The x control's value for time: no channel is named ''. */
const TIME = '';

export class PlotsHeader {
  constructor(options: IPlotsHeaderOptions) {
    const { runs, query, live, trans } = options;
    this._trans = trans;
    this.node = element('div', 'jp-runwatch-plots-head');
    const title = element('span', 'jp-runwatch-plots-title');
    title.textContent = options.title
      ? options.title
      : runs.length === 1
        ? runs[0]
        : query
          ? trans._n(
              '%1 run matching %2',
              '%1 runs matching %2',
              runs.length,
              query
            )
          : trans._n('%1 run', '%1 runs', runs.length);
    title.title = runs.join('\n');
    this._badge = element('span', 'jp-runwatch-plots-mode');
    this._badge.textContent = live ? trans.__('loading') : trans.__('snapshot');
    const ruleLabel = element('label', 'jp-runwatch-plots-rule');
    ruleLabel.textContent = trans.__('rule') + ' ';
    this._rule = document.createElement('select');
    this._rule.className = 'jp-runwatch-plots-select';
    this._rule.setAttribute('aria-label', trans.__('bucket rule'));
    for (const { rule } of PLOT_RULES) {
      const option = document.createElement('option');
      option.value = String(rule);
      option.textContent = plotRuleLabel(rule, trans);
      this._rule.appendChild(option);
    }
    this._rule.value = String(options.rule);
    this._rule.addEventListener('change', () => {
      const value = this._rule.value;
      options.onRule(value === 'raw' ? 'raw' : Number(value));
    });
    ruleLabel.appendChild(this._rule);
    const xLabel = element('label', 'jp-runwatch-plots-x');
    xLabel.textContent = trans.__('x') + ' ';
    this._x = document.createElement('select');
    this._x.className = 'jp-runwatch-plots-select';
    this._x.setAttribute('aria-label', trans.__('x axis'));
    this._x.title = options.xDisabled
      ? options.xDisabled
      : trans.__(
          'Draw against the time since the run started, or a step or counter the runs log (a last or cumsum channel), so runs of different speeds line up'
        );
    this._x.disabled = options.xDisabled !== undefined;
    this._x.addEventListener('change', () => {
      const value = this._x.value;
      options.onX?.(value === TIME ? undefined : value);
    });
    xLabel.appendChild(this._x);
    this.setXChoices([], options.x);
    this._pause = element(
      'button',
      'jp-runwatch-plot-button jp-runwatch-plots-pause'
    );
    this._pause.textContent = trans.__('Pause');
    this._pause.hidden = !live;
    this._pause.addEventListener('click', () => options.onPause());
    this._search = element('input', 'jp-runwatch-plots-search');
    this._search.type = 'search';
    this._search.placeholder = trans.__('filter channels');
    this._search.setAttribute(
      'aria-label',
      trans.__('Filter the plots by channel name: a word or a glob')
    );
    this._search.title = trans.__(
      'A word keeps the channels that contain it; a glob (loss.*, *.val) matches whole names'
    );
    this._search.addEventListener('input', () =>
      options.onFilter?.(this._search.value)
    );
    const smoothLabel = element('label', 'jp-runwatch-plots-smoothing');
    smoothLabel.textContent = trans.__('smooth') + ' ';
    smoothLabel.title = trans.__(
      'Exponential moving average over each line, debiased as TensorBoard does (0: off); the line as it is stays faint beneath. Exports are never smoothed.'
    );
    const smooth = element('input', 'jp-runwatch-plots-smoothing-input');
    smooth.type = 'number';
    smooth.min = '0';
    smooth.max = '0.99';
    smooth.step = '0.05';
    smooth.value = String(options.smoothing ?? 0);
    smooth.setAttribute('aria-label', trans.__('smoothing'));
    smooth.addEventListener('input', () =>
      options.onSmoothing?.(Number(smooth.value))
    );
    smoothLabel.appendChild(smooth);
    this._status = element('span', 'jp-runwatch-plots-status');
    this.node.append(
      title,
      this._badge,
      ruleLabel,
      xLabel,
      smoothLabel,
      this._search,
      this._pause,
      this._status
    );
    this.message = element('div', 'jp-runwatch-plots-message');
  }

  readonly node: HTMLElement;
  /** The line under the header: runs that can't be shown, or no stats yet. */
  readonly message: HTMLElement;

  set rule(rule: PlotRule) {
    setValue(this._rule, String(rule));
  }

  /**
   * The x control's choices: time, then `channels` (step-like first, see
   * `xChoices`); `current` is selected (and listed even if no run has it).
   */
  setXChoices(channels: readonly string[], current: string | undefined): void {
    const names = [
      ...channels,
      ...(current !== undefined && !channels.includes(current) ? [current] : [])
    ];
    const values = [TIME, ...names];
    const shown = Array.from(this._x.options, o => o.value);
    if (shown.join('\n') !== values.join('\n')) {
      this._x.replaceChildren(
        ...values.map(value => {
          const option = document.createElement('option');
          option.value = value;
          option.textContent = value === TIME ? this._trans.__('time') : value;
          return option;
        })
      );
    }
    setValue(this._x, current ?? TIME);
  }

  set paused(paused: boolean) {
    this._pause.textContent = paused
      ? this._trans.__('Resume')
      : this._trans.__('Pause');
    this._pause.classList.toggle('jp-mod-active', paused);
  }

  /** The runs' state; `mixed` styles several differing ones. */
  // The setters run at every draw pass: the DOM is touched only on a change.
  setBadge(text: string, mixed: boolean): void {
    setText(this._badge, text);
    const badge = mixed ? 'mixed' : text;
    if (this._badge.dataset.badge !== badge) {
      this._badge.dataset.badge = badge;
    }
  }

  setStatus(text: string): void {
    setText(this._status, text);
  }

  setMessage(lines: readonly string[]): void {
    setText(this.message, lines.join('\n'));
    this.message.hidden = lines.length === 0;
  }

  private readonly _trans: TranslationBundle;
  private readonly _badge: HTMLElement;
  private readonly _rule: HTMLSelectElement;
  private readonly _x: HTMLSelectElement;
  private readonly _pause: HTMLElement;
  private readonly _status: HTMLElement;
  private readonly _search: HTMLInputElement;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

/**
 * Select `value` only if it isn't: a browser's form tracking (Chrome's
 * autofill) handles every assignment, at a forced layout each, and the
 * header is filled again at every draw pass.
 */
function setValue(select: HTMLSelectElement, value: string): void {
  if (select.value !== value) {
    select.value = value;
  }
}

function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) {
    node.textContent = text;
  }
}
