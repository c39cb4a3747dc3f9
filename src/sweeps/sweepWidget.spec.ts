import { Widget } from '@lumino/widgets';
import { MarkingTranslator } from '../testing';
import { SweepWidget } from './sweepWidget';
import { FakeSweepServer, replyRow } from './testing';

/** Let pending promises (the fake server's replies) settle. */
const settle = () => new Promise(resolve => setTimeout(resolve, 0));

function sixVariants(): Record<string, unknown>[] {
  return [
    replyRow('a', { params: { lr: 0.001, seed: 0 } }),
    replyRow('b', { params: { lr: 0.001, seed: 1 } }),
    replyRow('c', {
      status: 'crashed',
      reason: 'pid 7 gone without an exit record',
      pid: 7
    }),
    replyRow('d', { status: 'queued', run: null, pid: null, elapsed_s: null }),
    replyRow('e', { status: 'queued', run: null, pid: null, elapsed_s: null }),
    replyRow('f', { status: 'queued', run: null, pid: null, elapsed_s: null })
  ];
}

describe('SweepWidget', () => {
  let server: FakeSweepServer;
  let widget: SweepWidget;
  let opened: string[];

  async function show(options: { translator?: MarkingTranslator } = {}) {
    widget = new SweepWidget({
      name: 'lr-sweep',
      request: server.request,
      open: (kind, run) => opened.push(`${kind} ${run}`),
      ...options
    });
    Widget.attach(widget, document.body);
    await settle();
  }

  const row = (variant: string) =>
    widget.node.querySelector<HTMLTableRowElement>(
      `tr[data-variant="${variant}"]`
    )!;
  const click = (node: Element | null) => (node as HTMLElement).click();

  beforeEach(() => {
    server = new FakeSweepServer();
    server.rows = sixVariants();
    opened = [];
  });

  afterEach(() => {
    widget.dispose();
    jest.useRealTimers();
  });

  it('shows one row per variant with its status, run and counts', async () => {
    await show();
    expect(server.calls[0]).toEqual({
      endPoint: 'sweeps/lr-sweep',
      method: 'GET',
      body: null
    });
    expect(
      widget.node.querySelector('.jp-runwatch-sweep-counts')!.textContent
    ).toBe('6 variants: 2 running, 1 crashed, 3 queued');
    expect(JSON.parse(widget.node.dataset.counts!)).toEqual({
      running: 2,
      crashed: 1,
      queued: 3
    });
    const rows = widget.node.querySelectorAll<HTMLElement>('tr[data-variant]');
    expect(Array.from(rows).map(r => r.dataset.status)).toEqual([
      'running',
      'running',
      'crashed',
      'queued',
      'queued',
      'queued'
    ]);
    const first = row('a');
    expect(first.dataset.run).toBe('2026-11-28 14-45-09 sleek-a lr-sweep');
    expect(first.dataset.pid).toBe('18489');
    expect(Array.from(first.cells).map(c => c.textContent)).toEqual([
      'runningpid 18489: heartbeat declared every 5 s',
      'lr=0.001 seed=0',
      'sleek-a lr-sweep',
      '12m 05s',
      'loss 0.25',
      'StopRelaunch'
    ]);
    // A running row shows only Stop, its reason only on hover.
    const visible = (r: HTMLElement, selector: string) =>
      !r.querySelector<HTMLElement>(selector)!.hidden;
    expect(visible(first, '[data-action="stop"]')).toBe(true);
    expect(visible(first, '[data-action="relaunch"]')).toBe(false);
    expect(visible(first, '.jp-runwatch-sweep-reason')).toBe(false);
    // A crashed one shows Relaunch and why it crashed.
    expect(visible(row('c'), '[data-action="stop"]')).toBe(false);
    expect(visible(row('c'), '[data-action="relaunch"]')).toBe(true);
    expect(visible(row('c'), '.jp-runwatch-sweep-reason')).toBe(true);
    expect(row('c').querySelector('.jp-runwatch-badge')!.className).toBe(
      'jp-runwatch-badge jp-runwatch-badge-crashed'
    );
    // A queued one has no run yet.
    expect(row('d').dataset.run).toBeUndefined();
    expect(visible(row('d'), '[data-action="stop"]')).toBe(true);
  });

  it('posts each button with the right body, then shows the sweep again', async () => {
    await show();
    click(row('a').querySelector('[data-action="stop"]'));
    await settle();
    click(row('c').querySelector('[data-action="relaunch"]'));
    await settle();
    click(widget.node.querySelector('[data-action="relaunch-failed"]'));
    await settle();
    click(widget.node.querySelector('[data-action="stop-all"]'));
    await settle();
    expect(server.posts()).toEqual([
      ['sweeps/lr-sweep/stop', { variant: 'a' }],
      ['sweeps/lr-sweep/relaunch', { variant: 'c' }],
      ['sweeps/lr-sweep/relaunch', { variant: null }],
      ['sweeps/lr-sweep/stop', { variant: null }]
    ]);
    // Every action is followed by a fetch: the user sees its effect.
    expect(server.calls.map(c => c.method)).toEqual([
      'GET',
      'POST',
      'GET',
      'POST',
      'GET',
      'POST',
      'GET',
      'POST',
      'GET'
    ]);
  });

  it('updates rows in place, so a button under the mouse stays', async () => {
    jest.useFakeTimers();
    widget = new SweepWidget({ name: 'lr-sweep', request: server.request });
    Widget.attach(widget, document.body);
    await jest.advanceTimersByTimeAsync(0);
    const stop = row('a').querySelector('[data-action="stop"]');
    server.rows = [
      replyRow('a', { elapsed_s: 731, metrics: { loss: 0.2 } }),
      ...server.rows.slice(1)
    ];
    await jest.advanceTimersByTimeAsync(2000);
    expect(row('a').querySelector('[data-action="stop"]')).toBe(stop);
    expect(row('a').cells[3].textContent).toBe('12m 11s');
    expect(row('a').cells[4].textContent).toBe('loss 0.2');
  });

  it('opens a run in a monitor when its name is clicked', async () => {
    await show();
    click(row('b').querySelector('[data-action="open"]'));
    expect(opened).toEqual(['monitor 2026-11-28 14-45-09 sleek-b lr-sweep']);
  });

  it('polls every 2 s while shown, and stops when disposed', async () => {
    jest.useFakeTimers();
    widget = new SweepWidget({ name: 'lr-sweep', request: server.request });
    Widget.attach(widget, document.body);
    await jest.advanceTimersByTimeAsync(0);
    expect(server.gets()).toBe(1);
    await jest.advanceTimersByTimeAsync(4000);
    expect(server.gets()).toBe(3);
    widget.dispose();
    await jest.advanceTimersByTimeAsync(10000);
    expect(server.gets()).toBe(3);
  });

  it('stops polling while hidden and resumes when shown', async () => {
    jest.useFakeTimers();
    widget = new SweepWidget({ name: 'lr-sweep', request: server.request });
    Widget.attach(widget, document.body);
    await jest.advanceTimersByTimeAsync(0);
    widget.hide();
    await jest.advanceTimersByTimeAsync(10000);
    expect(server.gets()).toBe(1);
    widget.show();
    await jest.advanceTimersByTimeAsync(0);
    expect(server.gets()).toBe(2);
  });

  it("shows the server's refusal and keeps the rows it had", async () => {
    await show();
    server.fail('sweeps/lr-sweep/stop', 'permission denied: write on contents');
    click(widget.node.querySelector('[data-action="stop-all"]'));
    await settle();
    const message = widget.node.querySelector<HTMLElement>(
      '.jp-runwatch-sweep-message'
    )!;
    expect(message.hidden).toBe(false);
    expect(message.textContent).toBe('permission denied: write on contents');
    expect(widget.node.querySelectorAll('tr[data-variant]')).toHaveLength(6);
    // A later action that works clears it.
    server.fail('sweeps/lr-sweep/stop');
    click(widget.node.querySelector('[data-action="stop-all"]'));
    await settle();
    expect(message.hidden).toBe(true);
  });

  it("shows why the sweep can't be read", async () => {
    server.fail('sweeps/lr-sweep', 'no sweep lr-sweep in /store', 404);
    await show();
    expect(widget.node.dataset.state).toBe('error');
    expect(
      widget.node.querySelector('.jp-runwatch-sweep-message')!.textContent
    ).toBe('no sweep lr-sweep in /store');
  });

  it('disables the header buttons with nothing to do', async () => {
    server.rows = [replyRow('a', { status: 'finished' })];
    await show();
    const header = (action: string) =>
      widget.node.querySelector<HTMLButtonElement>(
        `[data-action="${action}"]`
      )!;
    expect(header('stop-all').disabled).toBe(true);
    expect(header('relaunch-failed').disabled).toBe(true);
  });

  it('translates its texts', async () => {
    await show({ translator: new MarkingTranslator() });
    expect(
      widget.node.querySelector('[data-action="stop-all"]')!.textContent
    ).toBe('«Stop all»');
    expect(row('d').querySelector('.jp-runwatch-badge')!.textContent).toBe(
      '«queued»'
    );
    expect(
      Array.from(widget.node.querySelectorAll('th')).map(th => th.textContent)
    ).toEqual(['«Status»', '«Params»', '«Run»', '«Elapsed»', '«Metrics»', '']);
  });
});
