/**
 * The tree of a run's latest stat values, split on dots, formatted by kind.
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { IRunChange, RunModel, StatsChannel } from '../runs';
import { statKind } from '../store';
import { BucketRule, ILatestText, latestText } from './latest';

export type { BucketRule } from './latest';

/** The rules offered, pavlov's 60 s first among equals as the default. */
export const BUCKET_RULES: readonly BucketRule[] = ['raw', 1, 10, 60];

/** pavlov's monitor rule. */
export const DEFAULT_RULE: BucketRule = 60;

/** The label of a rule in the control and the header. */
export function ruleLabel(
  rule: BucketRule,
  trans: TranslationBundle = nullTranslator.load('runwatch')
): string {
  return rule === 'raw' ? trans.__('raw') : trans.__('%1s', rule);
}

interface IStatRow {
  readonly complete: HTMLElement;
  readonly partial: HTMLElement;
  version: number;
}

/**
 * The latest values of every visible channel, as a two-column tree.
 *
 * Each value is the last complete bucket at the chosen rule, followed by
 * the still-filling bucket marked partial. Only channels named in a change
 * are recomputed, plus all of them when a bucket boundary passes.
 */
export class StatsTree extends Widget {
  constructor(
    private readonly _model: RunModel,
    private readonly _now: () => number = Date.now,
    translator?: ITranslator
  ) {
    super();
    const trans = (translator ?? nullTranslator).load('runwatch');
    this._trans = trans;
    this.addClass('jp-runwatch-stats');
    this._controls = document.createElement('div');
    this._controls.className = 'jp-runwatch-rule-control';
    this._controls.setAttribute('role', 'radiogroup');
    this._controls.setAttribute('aria-label', trans.__('bucket rule'));
    for (const rule of BUCKET_RULES) {
      const button = document.createElement('button');
      button.className = 'jp-runwatch-rule-button';
      button.textContent = ruleLabel(rule, trans);
      button.dataset.rule = String(rule);
      button.setAttribute('role', 'radio');
      button.title =
        rule === 'raw'
          ? trans.__('each channel’s last row')
          : trans.__(
              '%1-second buckets (last complete, then the partial one)',
              rule
            );
      button.onclick = () => (this.rule = rule);
      this._controls.appendChild(button);
    }
    this._grid = document.createElement('div');
    this._grid.className = 'jp-runwatch-stats-grid';
    this.node.append(this._controls, this._grid);
    this._syncControls();
    this.refresh();
  }

  /** The bucket rule; setting it recomputes every value. */
  get rule(): BucketRule {
    return this._rule;
  }

  set rule(rule: BucketRule) {
    if (rule === this._rule) {
      return;
    }
    this._rule = rule;
    this._syncControls();
    this._rows.forEach(row => (row.version = -1));
    this.refresh();
    this._ruleChanged?.(rule);
  }

  /** Called when the user picks a rule (the header shows it). */
  onRuleChanged(callback: (rule: BucketRule) => void): void {
    this._ruleChanged = callback;
  }

  /**
   * Bring the tree up to date.
   *
   * @param change - what the model reported; `undefined` recomputes all.
   */
  refresh(change?: IRunChange): void {
    const visible = this._visibleChannels();
    const names = visible.map(c => c.name).join('\n');
    const rebuild = names !== this._shownNames;
    if (rebuild) {
      this._shownNames = names;
      this._build(visible);
    }
    const nowS = this._nowS();
    const bucket = this._rule === 'raw' ? 0 : Math.floor(nowS / this._rule);
    const allDue = rebuild || change === undefined || bucket !== this._bucket;
    this._bucket = bucket;
    for (const channel of visible) {
      const row = this._rows.get(channel.name)!;
      if (!allDue && !change?.channels.has(channel.name)) {
        continue;
      }
      if (row.version === channel.version && !allDue) {
        continue;
      }
      row.version = channel.version;
      this._render(channel, row, nowS);
    }
  }

  private _nowS(): number {
    const created = this._model.createdMs;
    return created === undefined ? 0 : (this._now() - created) / 1000;
  }

  private _visibleChannels(): StatsChannel[] {
    return [...this._model.channels.values()]
      .filter(c => c.error || !statKind(c.kind)?.silent)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Lay out one row per tree node: groups, then their labels' parts. */
  private _build(channels: StatsChannel[]): void {
    this._grid.textContent = '';
    this._rows.clear();
    if (channels.length === 0) {
      const empty = document.createElement('div');
      empty.className = 'jp-runwatch-empty';
      empty.textContent = this._trans.__('No stats yet');
      this._grid.appendChild(empty);
      return;
    }
    let previous: string[] = [];
    for (const channel of channels) {
      const parts = channel.name.split('.');
      // Emit the ancestors this channel doesn't share with the previous one.
      let shared = 0;
      while (
        shared < parts.length - 1 &&
        shared < previous.length &&
        parts[shared] === previous[shared]
      ) {
        shared++;
      }
      for (let depth = shared; depth < parts.length - 1; depth++) {
        this._appendLabel(parts[depth], depth, true);
        this._appendCell('', 'jp-runwatch-stat-value');
        this._appendCell('', 'jp-runwatch-stat-partial');
      }
      const label = this._appendLabel(
        parts[parts.length - 1],
        parts.length - 1,
        false
      );
      label.title = `${channel.name} (${channel.kind})`;
      this._rows.set(channel.name, {
        complete: this._appendCell('', 'jp-runwatch-stat-value'),
        partial: this._appendCell('', 'jp-runwatch-stat-partial'),
        version: -1
      });
      previous = parts;
    }
  }

  private _appendLabel(
    text: string,
    depth: number,
    isGroup: boolean
  ): HTMLElement {
    const label = this._appendCell(text, 'jp-runwatch-stat-label');
    label.style.paddingLeft = `${depth * 1.2}em`;
    if (isGroup) {
      label.classList.add('jp-runwatch-stat-group');
    }
    return label;
  }

  private _appendCell(text: string, className: string): HTMLElement {
    const cell = document.createElement('span');
    cell.className = className;
    cell.textContent = text;
    this._grid.appendChild(cell);
    return cell;
  }

  private _render(channel: StatsChannel, row: IStatRow, nowS: number): void {
    row.complete.classList.toggle('jp-runwatch-stat-error', !!channel.error);
    // The error spans both value columns: take the partial cell out.
    row.partial.hidden = !!channel.error;
    if (channel.error) {
      row.complete.textContent = channel.error;
      row.complete.title = channel.error;
      row.partial.textContent = '';
      return;
    }
    let text: ILatestText | undefined;
    try {
      text = latestText(channel.kind, channel.data, this._rule, nowS);
    } catch (error) {
      row.complete.textContent = (error as Error).message;
      row.complete.classList.add('jp-runwatch-stat-error');
      row.partial.hidden = true;
      return;
    }
    row.complete.textContent = text?.complete ?? '';
    row.complete.title = '';
    const partial = text?.partial ?? '';
    row.partial.textContent = partial
      ? this._trans.__('%1 (partial)', partial)
      : '';
    row.partial.title = partial
      ? this._trans.__('the still-filling bucket')
      : '';
  }

  private _syncControls(): void {
    for (const button of Array.from(this._controls.children) as HTMLElement[]) {
      const selected = button.dataset.rule === String(this._rule);
      button.classList.toggle('jp-mod-selected', selected);
      button.setAttribute('aria-checked', String(selected));
    }
  }

  private readonly _trans: TranslationBundle;
  private readonly _controls: HTMLElement;
  private readonly _grid: HTMLElement;
  private readonly _rows = new Map<string, IStatRow>();
  private _rule: BucketRule = DEFAULT_RULE;
  private _shownNames: string | undefined = undefined;
  private _bucket = -1;
  private _ruleChanged: ((rule: BucketRule) => void) | undefined = undefined;
}
