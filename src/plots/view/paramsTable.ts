/**
 * The table of params that differ between compared runs, with each run's
 * colour swatch, above the grid.
 */
import { differingParams, runColours } from '../series/compare';
import { shortRunName } from '../series/grid';
import { ITableData } from './pngLayout';

/** Fill `table` for `runs` (hidden when no param differs). */
export function renderParamsTable(
  table: HTMLTableElement,
  runs: readonly { run: string; params: unknown }[]
): void {
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
    name.append(swatch, shortRunName(row.run));
    name.title = row.run;
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
