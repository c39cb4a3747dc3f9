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
