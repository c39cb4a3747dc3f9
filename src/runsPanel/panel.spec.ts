import { Widget } from '@lumino/widgets';
import { FakeRunwatchAPI, FakeWebSocket } from '../client/testing';
import { WatchSocket } from '../client';
import { MarkingTranslator } from '../testing';
import { LIVE_REFRESH_MS, RunsPanel } from './panel';

/** Every run `api` lists carries `fields()` as it is at each listing. */
function listWith(
  api: FakeRunwatchAPI,
  fields: () => Record<string, unknown>
): void {
  const base = api.listRuns.bind(api);
  api.listRuns = async () => {
    const list = await base();
    return {
      ...list,
      runs: list.runs.map(run => ({ ...run, ...fields() }) as any)
    };
  };
}

describe('RunsPanel', () => {
  it('lists runs newest first, refreshes on runs-changed, opens on click', async () => {
    FakeWebSocket.instances = [];
    const api = new FakeRunwatchAPI();
    api.addRun('2024-01-01 00-00-00 old-run');
    api.addRun('2024-01-02 00-00-00 new-run');
    const socket = new WatchSocket({ createSocket: () => new FakeWebSocket() });
    const opened: string[] = [];
    const panel = new RunsPanel({ api, socket, open: run => opened.push(run) });
    Widget.attach(panel, document.body);
    await new Promise(resolve => setTimeout(resolve, 0));
    const names = () =>
      Array.from(panel.node.querySelectorAll('.jp-runwatch-run-name')).map(
        n => n.textContent
      );
    expect(names()).toEqual([
      '2024-01-02 00-00-00 new-run',
      '2024-01-01 00-00-00 old-run'
    ]);
    expect(
      panel.node.querySelector('.jp-runwatch-runs-root')!.textContent
    ).toBe('/store');

    const ws = FakeWebSocket.instances[0];
    ws.open();
    expect(ws.sent).toEqual([{ op: 'watch-store' }]);
    api.addRun('2024-01-03 00-00-00 newer-run');
    jest.useFakeTimers();
    ws.receive({ type: 'runs-changed' });
    jest.advanceTimersByTime(300);
    jest.useRealTimers();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(names()[0]).toBe('2024-01-03 00-00-00 newer-run');

    (panel.node.querySelector('.jp-runwatch-run') as HTMLElement).click();
    expect(opened).toEqual(['2024-01-03 00-00-00 newer-run']);

    panel.hide();
    expect(ws.sent[ws.sent.length - 1]).toEqual({ op: 'unwatch-store' });
    panel.dispose();
    socket.dispose();
  });

  it('filters as the magics resolve: a word, a glob, an index', async () => {
    const api = new FakeRunwatchAPI();
    api.addRun('2024-01-01 00-00-00 old-run lr-sweep');
    api.addRun('2024-01-02 00-00-00 mid-run lr-sweep');
    api.addRun('2024-01-03 00-00-00 new-run');
    const listed = (await api.listRuns()).runs.map((run, i) => ({
      ...run,
      created_ms: 1704240000000 - i * 86400000
    }));
    api.listRuns = async () => ({ root: '/store', runs: listed });
    const socket = new WatchSocket({ createSocket: () => new FakeWebSocket() });
    const panel = new RunsPanel({ api, socket, open: () => undefined });
    Widget.attach(panel, document.body);
    await new Promise(resolve => setTimeout(resolve, 0));
    const filter = panel.node.querySelector('input')!;
    const shown = (text: string) => {
      filter.value = text;
      filter.dispatchEvent(new Event('input'));
      return Array.from(panel.node.querySelectorAll('li')).map(
        n =>
          n.querySelector('.jp-runwatch-run-name')?.textContent ?? n.textContent
      );
    };
    expect(shown('lr-sweep')).toEqual([
      '2024-01-02 00-00-00 mid-run lr-sweep',
      '2024-01-01 00-00-00 old-run lr-sweep'
    ]);
    expect(shown('*new*')).toEqual(['2024-01-03 00-00-00 new-run']);
    expect(shown('new*')).toEqual(['No run matches the filter']);
    expect(shown('-1')).toEqual(['2024-01-03 00-00-00 new-run']);
    expect(shown(' ')).toHaveLength(3);
    panel.dispose();
    socket.dispose();
  });

  it('opens the runs table with its filter as the query', async () => {
    const api = new FakeRunwatchAPI();
    api.addRun('2024-01-01 00-00-00 old-run lr-sweep');
    const socket = new WatchSocket({ createSocket: () => new FakeWebSocket() });
    const queries: string[] = [];
    const panel = new RunsPanel({
      api,
      socket,
      open: () => undefined,
      openTable: query => queries.push(query)
    });
    Widget.attach(panel, document.body);
    const filter = panel.node.querySelector('input')!;
    filter.value = ' lr < 1e-3 ';
    filter.dispatchEvent(new Event('input'));
    panel.node
      .querySelector<HTMLButtonElement>('.jp-runwatch-runs-table-button')!
      .click();
    expect(queries).toEqual(['lr < 1e-3']);
    panel.dispose();
    socket.dispose();
  });

  it('keeps the size, last write and status of a live run current', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const api = new FakeRunwatchAPI();
    api.addRun('2024-01-02 00-00-00 live-run');
    let listed = { size: 1000, last_write_ms: 995_000, status: 'live' };
    listWith(api, () => listed);
    const socket = new WatchSocket({ createSocket: () => new FakeWebSocket() });
    const panel = new RunsPanel({ api, socket, open: () => undefined });
    Widget.attach(panel, document.body);
    const facts = () =>
      panel.node.querySelector('.jp-runwatch-run-facts')!.textContent;
    await jest.advanceTimersByTimeAsync(0);
    expect(facts()).toContain('1.0 kB');
    expect(facts()).toContain('wrote 5s ago');

    // The run writes; no run folder appears, so no runs-changed arrives.
    listed = { size: 2_000_000, last_write_ms: 1_004_000, status: 'live' };
    await jest.advanceTimersByTimeAsync(LIVE_REFRESH_MS);
    expect(facts()).toContain('2.0 MB');
    expect(facts()).toContain('wrote 1s ago');

    // It is killed: the server calls it stale, and the panel says so.
    listed = { size: 2_000_000, last_write_ms: 1_004_000, status: 'stale' };
    await jest.advanceTimersByTimeAsync(LIVE_REFRESH_MS);
    expect(panel.node.querySelector('.jp-runwatch-badge')!.textContent).toBe(
      'stale'
    );
    panel.dispose();
    socket.dispose();
    jest.useRealTimers();
  });

  it('follows a running run until it crashes, and says why', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const api = new FakeRunwatchAPI();
    api.addRun('2024-01-02 00-00-00 train-run');
    let listed: Record<string, unknown> = {
      status: 'running',
      reason: 'heartbeat 12:00:01 UTC'
    };
    listWith(api, () => listed);
    const socket = new WatchSocket({ createSocket: () => new FakeWebSocket() });
    const panel = new RunsPanel({ api, socket, open: () => undefined });
    Widget.attach(panel, document.body);
    const badge = () =>
      panel.node.querySelector('.jp-runwatch-badge') as HTMLElement;
    const reason = () =>
      panel.node.querySelector('.jp-runwatch-run-reason')?.textContent;
    await jest.advanceTimersByTimeAsync(0);
    expect(badge().textContent).toBe('running');
    expect(badge().title).toBe('heartbeat 12:00:01 UTC');
    expect(reason()).toBeUndefined(); // a healthy run needs no line

    // kill -9: no file changes, no runs-changed; the next fetch shows it.
    listed = {
      status: 'crashed',
      reason: 'pid 4242 gone without a recorded exit'
    };
    await jest.advanceTimersByTimeAsync(LIVE_REFRESH_MS);
    expect(badge().textContent).toBe('crashed');
    expect(badge().className).toContain('jp-runwatch-badge-crashed');
    expect(reason()).toBe('pid 4242 gone without a recorded exit');
    panel.dispose();
    socket.dispose();
    jest.useRealTimers();
  });

  it("speaks the user's language when given a translator", async () => {
    jest.useFakeTimers({ now: Date.UTC(2024, 0, 2, 1) });
    const api = new FakeRunwatchAPI();
    api.addRun('2024-01-02 00-00-00 new-run');
    const base = api.listRuns.bind(api);
    api.listRuns = async () => {
      const list = await base();
      const created_ms = Date.UTC(2024, 0, 2);
      return { ...list, runs: list.runs.map(run => ({ ...run, created_ms })) };
    };
    const socket = new WatchSocket({ createSocket: () => new FakeWebSocket() });
    const panel = new RunsPanel({
      api,
      socket,
      open: () => undefined,
      translator: new MarkingTranslator()
    });
    Widget.attach(panel, document.body);
    await jest.advanceTimersByTimeAsync(0);
    const text = (selector: string) =>
      panel.node.querySelector(selector)!.textContent;
    expect(text('.jp-runwatch-runs-title')).toBe('«Runs»');
    expect(panel.node.querySelector('input')!.placeholder).toBe(
      '«filter: word, glob or lr < 1e-3»'
    );
    expect(text('.jp-runwatch-badge')).toMatch(/^«\w+»$/);
    expect(text('.jp-runwatch-run-facts')).toContain('«1h00 old»');
    panel.dispose();
    socket.dispose();
    jest.useRealTimers();
  });
});
