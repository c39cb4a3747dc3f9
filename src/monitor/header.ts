/**
 * The monitor's header: run name, age, bucket rule, size and status.
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { badgeText, RunModel, runBadge, showsReason } from '../runs';
import { formatAge, formatSize } from '../store/format';
import { BucketRule, ruleLabel } from './statsTree';

/** One line of facts about the run; `refresh()` re-reads the model. */
export class MonitorHeader extends Widget {
  constructor(
    private readonly _model: RunModel,
    private readonly _now: () => number = Date.now,
    translator?: ITranslator
  ) {
    super();
    this._trans = (translator ?? nullTranslator).load('runwatch');
    this.addClass('jp-runwatch-header');
    this._name = this._span('jp-runwatch-run-name');
    this._name.textContent = _model.run;
    this._badge = this._span('jp-runwatch-badge');
    this._facts = this._span('jp-runwatch-facts');
    this._message = document.createElement('div');
    this._message.className = 'jp-runwatch-message';
    this.node.appendChild(this._message);
    this.refresh();
  }

  /** The rule shown among the facts. */
  set rule(rule: BucketRule) {
    this._rule = rule;
    this.refresh();
  }

  /** Re-read state, status, size and age (age ticks, so call it often). */
  refresh(): void {
    const model = this._model;
    const trans = this._trans;
    const badge = runBadge(model);
    if (this._shownBadge !== badge) {
      this._shownBadge = badge;
      this._badge.textContent = badgeText(badge, trans);
      this._badge.className = `jp-runwatch-badge jp-runwatch-badge-${badge}`;
    }
    const reason = model.reason ?? '';
    if (this._badge.title !== reason) {
      this._badge.title = reason;
    }
    const facts: string[] = [];
    if (model.createdMs !== undefined) {
      const age = formatAge((this._now() - model.createdMs) / 1000);
      facts.push(trans.__('%1 old', age));
    }
    if (model.lastWriteMs !== undefined) {
      const ago = Math.max(0, (this._now() - model.lastWriteMs) / 1000);
      facts.push(trans.__('last write %1 ago', formatAge(ago)));
    }
    facts.push(trans.__('%1 rule', ruleLabel(this._rule, trans)));
    if (model.state !== 'loading' && model.state !== 'error') {
      facts.push(trans.__('%1 on disk', formatSize(model.size)));
    }
    setText(this._facts, facts.join(' · '));
    const message =
      model.state === 'deleted'
        ? trans.__('run deleted')
        : (model.message ??
          (showsReason(badge) && model.reason ? model.reason : ''));
    setText(this._message, message);
    this._message.hidden = !message;
    this._message.classList.toggle(
      'jp-runwatch-message-error',
      model.state === 'error' ||
        model.state === 'deleted' ||
        badge === 'crashed' ||
        badge === 'failed'
    );
  }

  private _span(className: string): HTMLElement {
    const span = document.createElement('span');
    span.className = className;
    this.node.appendChild(span);
    return span;
  }

  private readonly _trans: TranslationBundle;
  private readonly _name: HTMLElement;
  private readonly _badge: HTMLElement;
  private readonly _facts: HTMLElement;
  private readonly _message: HTMLElement;
  private _rule: BucketRule = 60;
  private _shownBadge: string | undefined = undefined;
}

function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) {
    node.textContent = text;
  }
}
