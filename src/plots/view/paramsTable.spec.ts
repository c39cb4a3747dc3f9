import { nullTranslator } from '@jupyterlab/translation';
import { paramsTableData, renderParamsTable } from './paramsTable';

describe('paramsTableData', () => {
  it('reads back the table the review shows, for the PNG', () => {
    const table = document.createElement('table');
    renderParamsTable(table, [
      { run: '2024-01-01 00-00-00 neat-river sweep', params: { lr: 0.1 } },
      { run: '2024-01-01 00-05-00 calm-sea sweep', params: { lr: 0.01 } }
    ]);
    const data = paramsTableData(table);
    expect(data.head).toEqual(['run', 'lr']);
    expect(data.rows.map(r => r.cells)).toEqual([
      ['neat-river sweep', '0.1'],
      ['calm-sea sweep', '0.01']
    ]);
    expect(data.rows.every(r => r.colour !== '')).toBe(true);
  });
});

describe('the params table as the shared legend', () => {
  it('hides a run everywhere on a click, and says it is hidden', () => {
    const table = document.createElement('table');
    const runs = [
      { run: '2024-01-01 00-00-00 neat-river sweep', params: { lr: 0.1 } },
      { run: '2024-01-01 00-05-00 calm-sea sweep', params: { lr: 0.01 } }
    ];
    const hidden = new Set<string>();
    const trans = nullTranslator.load('runwatch');
    const toggle = (key: string) => {
      if (!hidden.delete(key)) {
        hidden.add(key);
      }
      renderParamsTable(table, runs, { hidden, toggle, trans });
    };
    renderParamsTable(table, runs, { hidden, toggle, trans });
    const row = () =>
      table.querySelector<HTMLElement>(`tr[data-run="${runs[1].run}"]`)!;
    row().click();
    expect([...hidden]).toEqual(['calm-sea sweep']);
    expect(row().classList.contains('jp-runwatch-run-off')).toBe(true);
    expect(row().title).toContain('hidden in every plot');
    row().click();
    expect(hidden.size).toBe(0);
    expect(row().classList.contains('jp-runwatch-run-off')).toBe(false);
  });
});
