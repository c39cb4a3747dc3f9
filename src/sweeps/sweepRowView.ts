/**
 * One variant's table row in the sweep widget, built once and then updated
 * in place, so a button under the mouse survives a refresh.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { shortRunName } from '../plots/series/grid';
import { showsReason } from '../runs/runBadge';
import {
  canRelaunch,
  canStop,
  ISweepRow,
  statusClass,
  sweepStatusText
} from './sweepRows';

/**
 * A row for `variant`: status (badge and reason), params, run, elapsed,
 * metrics, and its Stop and Relaunch buttons. With `openable`, the run's
 * name is a `[data-action="open"]` button.
 */
export function newSweepRow(
  variant: string,
  trans: TranslationBundle,
  openable: boolean
): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.className = 'jp-runwatch-sweep-row';
  tr.dataset.variant = variant;
  const status = tr.insertCell();
  status.className = 'jp-runwatch-sweep-status';
  status.append(
    element('span', 'jp-runwatch-badge'),
    element('div', 'jp-runwatch-sweep-reason')
  );
  tr.insertCell().className = 'jp-runwatch-sweep-params';
  const run = tr.insertCell();
  run.className = 'jp-runwatch-sweep-run';
  if (openable) {
    const link = button('open', '', trans.__('Open the run in a monitor'));
    link.className = 'jp-runwatch-sweep-open';
    run.appendChild(link);
  }
  tr.insertCell().className = 'jp-runwatch-sweep-elapsed';
  tr.insertCell().className = 'jp-runwatch-sweep-metrics';
  const actions = tr.insertCell();
  actions.className = 'jp-runwatch-sweep-actions';
  actions.append(
    button(
      'stop',
      trans.__('Stop'),
      trans.__('Stop this variant (SIGTERM), or unqueue it')
    ),
    button(
      'relaunch',
      trans.__('Relaunch'),
      trans.__('Start this variant again, in a new run')
    )
  );
  return tr;
}

/** Show `row` in a row made by `newSweepRow`, with its `data-*` hooks. */
export function fillSweepRow(
  tr: HTMLTableRowElement,
  row: ISweepRow,
  trans: TranslationBundle
): void {
  tr.dataset.status = row.status;
  setOrDrop(tr, 'run', row.run);
  setOrDrop(tr, 'pid', row.pid === null ? null : String(row.pid));
  const [status, params, run, elapsed, metrics] = Array.from(tr.cells);
  const badge = status.firstElementChild as HTMLElement;
  badge.className = `jp-runwatch-badge jp-runwatch-badge-${statusClass(row.status)}`;
  badge.textContent = sweepStatusText(row.status, trans);
  badge.title = row.reason;
  // Why it crashed or failed is shown at once; a running one's on hover.
  const reason = status.lastElementChild as HTMLElement;
  reason.textContent = row.reason;
  reason.hidden = !(row.reason && showsReason(row.status));
  params.textContent = row.params;
  // The name without its date stamp: the row has its elapsed time.
  const shown = row.run ? shortRunName(row.run) : '';
  const runText =
    row.attempts > 1 ? trans.__('%1 (attempt %2)', shown, row.attempts) : shown;
  run.title = row.run ?? '';
  const link = run.querySelector<HTMLButtonElement>('[data-action="open"]');
  if (link) {
    link.textContent = runText;
    link.hidden = row.run === null;
  } else {
    run.textContent = runText;
  }
  elapsed.textContent = row.elapsed;
  metrics.textContent = row.metrics;
  metrics.title = row.metrics;
  const stop = tr.querySelector<HTMLElement>('[data-action="stop"]')!;
  stop.hidden = !canStop(row.status);
  const relaunch = tr.querySelector<HTMLElement>('[data-action="relaunch"]')!;
  relaunch.hidden = !canRelaunch(row.status);
}

/** A `tag` element with `className`. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

/** A button whose click the widget dispatches by its `data-action`. */
export function button(
  action: string,
  label: string,
  title: string
): HTMLButtonElement {
  const node = element('button', 'jp-runwatch-sweep-button');
  node.type = 'button';
  node.dataset.action = action;
  node.textContent = label;
  node.title = title;
  return node;
}

function setOrDrop(node: HTMLElement, key: string, value: string | null): void {
  if (value === null) {
    delete node.dataset[key];
  } else {
    node.dataset[key] = value;
  }
}
