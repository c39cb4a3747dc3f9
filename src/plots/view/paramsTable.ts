/**
 * The table of params that differ between compared runs, with each run's
 * colour swatch, above the grid.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { differingParams, runColours } from '../series/compare';
import { drawnFrom } from './drawnFrom';
import { shortRunName } from '../series/grid';
import { ITableData } from './pngLayout';

/** The shared legend's state: which runs are hidden, and a row's click. */
export interface IRunToggles {
  /** Legend keys (`shortRunName(run)`) hidden in every plot. */
  readonly hidden: ReadonlySet<string>;
  /** A run's row was clicked: hide it everywhere, or show it again. */
  readonly toggle: (key: string) => void;
  readonly trans: TranslationBundle;
}

/**
 * Fill `table` for `runs` (hidden when no param differs). With `toggles`,
 * it is the grid's shared legend: a click on a run's row hides or shows
 * the run in every plot.
 */
export function renderParamsTable(
  table: HTMLTableElement,
  runs: readonly { run: string; params: unknown }[],
  toggles?: IRunToggles
): void {
  if (drawnFrom(table, JSON.stringify([runs, [...(toggles?.hidden ?? [])]]))) {
    return;
  }
  const differing = differingParams(runs);
  table.hidden = differing.keys.length === 0;
  table.textContent = '';
  if (differing.keys.length === 0) {
    return;
  }
  const colours = runColours(runs.map(r => r.run));
  const head = table.createTHead().insertRow();
  for (const text of ['run', ...differing.keys]) {
    const th = document.createElement('th');
    th.textContent = text;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of differing.rows) {
    const tr = body.insertRow();
    const name = tr.insertCell();
    const swatch = document.createElement('span');
    swatch.className = 'jp-runwatch-swatch';
    swatch.style.background = colours.get(row.run) ?? '';
    const key = shortRunName(row.run);
    name.append(swatch, key);
    name.title = row.run;
    tr.dataset.run = row.run;
    if (toggles) {
      tr.classList.add('jp-mod-toggle');
      tr.classList.toggle('jp-runwatch-run-off', toggles.hidden.has(key));
      tr.title = toggles.hidden.has(key)
        ? toggles.trans.__('%1: hidden in every plot (click to show)', row.run)
        : toggles.trans.__('%1 (click to hide in every plot)', row.run);
      tr.addEventListener('click', () => toggles.toggle(key));
    }
    for (const value of row.values) {
      tr.insertCell().textContent = value;
    }
  }
}

/**
 * The table as `renderParamsTable` filled it, for an export: its head, and
 * each run row's swatch colour and cell texts.
 */
export function paramsTableData(table: HTMLTableElement): ITableData {
  const texts = (row: HTMLTableRowElement) =>
    Array.from(row.cells, cell => cell.textContent ?? '');
  const head = table.tHead?.rows[0];
  const rows = Array.from(table.tBodies[0]?.rows ?? [], row => ({
    colour:
      row.querySelector<HTMLElement>('.jp-runwatch-swatch')?.style.background ??
      '',
    cells: texts(row)
  }));
  return { head: head ? texts(head) : [], rows };
}
