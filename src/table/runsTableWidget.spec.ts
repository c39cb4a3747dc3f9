import { Widget } from '@lumino/widgets';
import { MarkingTranslator } from '../testing';
import { OpenKind, ITableRequest, RunsTableWidget } from './runsTableWidget';
import { FakeGrid, fakeReply, fakeRow } from './testing';
import { ITableReply } from './tableRows';

const DAY = 86_400_000;

function sweepReply(): ITableReply {
  return fakeReply(
    [
      fakeRow('2024-01-03 00-00-00 c-run', 2 * DAY, {
        status: 'running',
        'params.lr': 1e-2,
        'loss.last': 0.2
      }),
      fakeRow('2024-01-02 00-00-00 b-run', DAY, {
        'params.lr': 1e-4,
        'loss.last': 0.1
      }),
      fakeRow('2024-01-01 00-00-00 a-run', 0, {
        status: 'crashed',
        'params.lr': 1e-3,
        'loss.last': 0.4
      })
    ],
    ['lr'],
    ['loss.last']
  );
}

/** A table over a fake server and grid; `reply` is what the next fetch gets. */
function makeTable(options: { query?: string } = {}) {
  const state = {
    reply: sweepReply() as unknown,
    requests: [] as ITableRequest[],
    opened: [] as Array<[OpenKind, string[]]>,
    downloads: [] as Array<[Blob, string]>,
    grid: undefined as unknown as FakeGrid
  };
  const table = new RunsTableWidget({
    open: (kind, runs) => state.opened.push([kind, runs]),
    query: options.query,
    fetchTable: async request => {
      state.requests.push(request);
      if (state.reply instanceof Error) {
        throw state.reply;
      }
      return state.reply;
    },
    createGrid: model => (state.grid = new FakeGrid(model)),
    download: (blob, name) => state.downloads.push([blob, name])
  });
  return { table, state };
}

const $ = (table: Widget, selector: string) =>
  table.node.querySelector(selector) as HTMLElement;
const names = (table: RunsTableWidget) =>
  table.visibleRows().map(row => row.name);
const button = (table: Widget, action: string) =>
  $(table, `[data-action="${action}"]`) as HTMLButtonElement;

function typeQuery(table: Widget, text: string): void {
  const input = $(table, '.jp-runwatch-table-query') as HTMLInputElement;
  input.value = text;
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
}

const settle = () => new Promise(resolve => setTimeout(resolve, 0));

describe('RunsTableWidget', () => {
  it('shows the runs with a count and data attributes for UI tests', async () => {
    const { table } = makeTable();
    expect(table.node.dataset.state).toBe('loading');
    await table.refresh();
    expect(names(table)).toEqual([
      '2024-01-03 00-00-00 c-run',
      '2024-01-02 00-00-00 b-run',
      '2024-01-01 00-00-00 a-run'
    ]);
    expect($(table, '.jp-runwatch-table-count').textContent).toBe(
      '3 of 3 runs'
    );
    expect(table.node.dataset).toMatchObject({
      state: 'ready',
      visibleCount: '3',
      totalCount: '3',
      firstRun: '2024-01-03 00-00-00 c-run'
    });
    expect(table.columns.map(c => c.key).slice(2, 4)).toEqual([
      'params.lr',
      'loss.last'
    ]);
  });

  it('applies a query on Enter, and shows a bad one’s error inline', async () => {
    const { table } = makeTable();
    await table.refresh();
    typeQuery(table, 'lr < 5e-3 and loss.last < 0.3');
    await settle();
    expect(names(table)).toEqual(['2024-01-02 00-00-00 b-run']);
    expect($(table, '.jp-runwatch-table-count').textContent).toBe(
      '1 of 3 runs'
    );
    expect(table.node.dataset.firstRun).toBe('2024-01-02 00-00-00 b-run');

    typeQuery(table, 'lr < and x');
    await settle();
    const error = $(table, '.jp-runwatch-table-error');
    expect(error.hidden).toBe(false);
    expect(error.textContent).toMatch(/^query: .*column/);
    expect(
      $(table, '.jp-runwatch-table-query').classList.contains('jp-mod-error')
    ).toBe(true);
    // The last good query still holds.
    expect(names(table)).toEqual(['2024-01-02 00-00-00 b-run']);

    typeQuery(table, 'a-run');
    await settle();
    expect(error.hidden).toBe(true);
    expect(names(table)).toEqual(['2024-01-01 00-00-00 a-run']);
  });

  it('starts from the query it is given', async () => {
    const { table } = makeTable({ query: '* [ab]-run' });
    await table.refresh();
    expect(names(table)).toEqual([
      '2024-01-02 00-00-00 b-run',
      '2024-01-01 00-00-00 a-run'
    ]);
  });

  it('sorts on a header click, toggling, with the arrow in the header', async () => {
    const { table, state } = makeTable();
    await table.refresh();
    const loss = table.columns.findIndex(c => c.key === 'loss.last');
    state.grid.clickHeader(loss);
    expect(names(table)).toEqual([
      '2024-01-02 00-00-00 b-run',
      '2024-01-03 00-00-00 c-run',
      '2024-01-01 00-00-00 a-run'
    ]);
    expect(state.grid.model.data('column-header', 0, loss)).toBe('loss.last ▲');
    expect(table.node.dataset.sort).toBe('loss.last asc');
    state.grid.clickHeader(loss);
    expect(table.node.dataset.firstRun).toBe('2024-01-01 00-00-00 a-run');
    expect(state.grid.model.data('column-header', 0, loss)).toBe('loss.last ▼');
  });

  it('opens the selected runs; compare needs two, monitor exactly one', async () => {
    const { table, state } = makeTable();
    await table.refresh();
    for (const action of ['review', 'view', 'compare', 'monitor']) {
      expect(button(table, action).disabled).toBe(true);
    }
    state.grid.userSelects([0, 2]);
    expect(table.node.dataset.selectedCount).toBe('2');
    expect(button(table, 'monitor').disabled).toBe(true);
    button(table, 'compare').click();
    button(table, 'view').click();
    button(table, 'monitor').click();
    state.grid.userSelects([1]);
    expect(button(table, 'compare').disabled).toBe(true);
    button(table, 'monitor').click();
    button(table, 'review').click();
    expect(state.opened).toEqual([
      ['review', ['2024-01-03 00-00-00 c-run', '2024-01-01 00-00-00 a-run']],
      ['view', ['2024-01-03 00-00-00 c-run', '2024-01-01 00-00-00 a-run']],
      ['monitor', ['2024-01-02 00-00-00 b-run']],
      ['review', ['2024-01-02 00-00-00 b-run']]
    ]);
  });

  it('keeps the selection by run name when a refresh reorders the rows', async () => {
    const { table, state } = makeTable();
    await table.refresh();
    table.sortBy('loss.last', 'asc');
    state.grid.userSelects([0]); // b-run, loss 0.1
    const moved = sweepReply();
    (moved.runs[1] as Record<string, unknown>)['loss.last'] = 0.9;
    state.reply = moved;
    await table.refresh();
    expect(names(table)[2]).toBe('2024-01-02 00-00-00 b-run');
    expect(state.grid.selected).toEqual([2]);
    expect(table.selectedRuns()).toEqual(['2024-01-02 00-00-00 b-run']);
  });

  it('exports the rows shown as CSV', async () => {
    const { table, state } = makeTable();
    await table.refresh();
    await table.setQuery('c-run');
    button(table, 'csv').click();
    const [blob, filename] = state.downloads[0];
    expect(filename).toBe('runwatch-runs.csv');
    expect(blob.type).toBe('text/csv');
    const lines = table.toCsv().split('\r\n');
    // One run shown: no param differs, so lr goes with the run's facts.
    expect(lines[0]).toBe(
      'status,name,loss.last,reason,created,duration,host,sweep,description,params.lr'
    );
    expect(lines[1]).toMatch(
      /^running,2024-01-03 00-00-00 c-run,0\.2,.*,0\.01$/
    );
    expect(lines).toHaveLength(3);
  });

  it('asks for the chosen summaries, and for those a filter names', async () => {
    const { table, state } = makeTable();
    await table.refresh();
    expect(state.requests).toEqual([{ stats: null }]);
    const [, kind] = Array.from(
      table.node.querySelectorAll<HTMLSelectElement>(
        '.jp-runwatch-table-stat select'
      )
    );
    kind.value = 'max';
    kind.dispatchEvent(new Event('change'));
    await settle();
    expect(state.requests[1]).toEqual({ stats: ['loss.max'] });
    await table.setQuery('loss.min < 1');
    expect(state.requests[2]).toEqual({ stats: ['loss.max', 'loss.min'] });
  });

  it('shows a failed fetch and keeps the rows it had', async () => {
    const { table, state } = makeTable();
    await table.refresh();
    state.reply = new Error('GET table: 500 Internal Server Error');
    await table.refresh();
    expect($(table, '.jp-runwatch-table-error').textContent).toBe(
      'GET table: 500 Internal Server Error'
    );
    expect(table.node.dataset.state).toBe('error');
    expect(names(table)).toHaveLength(3);
  });

  it('refreshes every 5 s only while shown', async () => {
    jest.useFakeTimers();
    try {
      const { table, state } = makeTable();
      jest.advanceTimersByTime(10_000);
      expect(state.requests).toHaveLength(0);
      Widget.attach(table, document.body);
      expect(state.requests).toHaveLength(1);
      jest.advanceTimersByTime(5_000);
      expect(state.requests).toHaveLength(2);
      table.hide();
      jest.advanceTimersByTime(20_000);
      expect(state.requests).toHaveLength(2);
      table.show();
      expect(state.requests).toHaveLength(3);
      Widget.detach(table);
      jest.advanceTimersByTime(20_000);
      expect(state.requests).toHaveLength(3);
      table.dispose();
    } finally {
      jest.useRealTimers();
    }
  });

  it('translates its texts', async () => {
    const table = new RunsTableWidget({
      open: () => undefined,
      translator: new MarkingTranslator(),
      fetchTable: async () => sweepReply(),
      createGrid: model => new FakeGrid(model)
    });
    await table.refresh();
    expect($(table, '.jp-runwatch-table-count').textContent).toMatch(/^«/);
    expect(button(table, 'review').textContent).toMatch(/^«/);
    expect(table.columns[0].label).toMatch(/^«/);
  });
});
