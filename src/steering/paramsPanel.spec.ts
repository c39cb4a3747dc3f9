import { Widget } from '@lumino/widgets';
import { ISteerClient, ParamsPanel } from './paramsPanel';
import { ISteerState, parseSteerValue } from './steerState';

function state(extra: Partial<ISteerState> = {}): ISteerState {
  return {
    run: 'r',
    status: 'running',
    declared: true,
    steerable: true,
    keys: {
      lr: { type: 'float', bounds: [1e-6, 1e-2] },
      layers: { type: 'int', bounds: null }
    },
    values: { lr: 3e-4, layers: 2 },
    stop_requested: false,
    pending: [],
    log: [],
    ...extra
  };
}

class FakeClient implements ISteerClient {
  answer: ISteerState = state();
  posted: Record<string, unknown>[] = [];
  refuse: string | undefined;
  async get(): Promise<ISteerState> {
    return this.answer;
  }
  async post(_run: string, body: Record<string, unknown>): Promise<unknown> {
    if (this.refuse) {
      throw new Error(this.refuse);
    }
    this.posted.push(body);
    return {};
  }
}

const settle = () => new Promise(resolve => setTimeout(resolve, 0));

describe('parseSteerValue', () => {
  const lr = { type: 'float', bounds: [1e-6, 1e-2] } as const;
  it('takes a number inside the bounds', () => {
    expect(parseSteerValue('lr', lr, ' 1e-4 ')).toEqual({ value: 1e-4 });
  });
  it('says why it refuses', () => {
    expect(parseSteerValue('lr', lr, '1')).toEqual({
      error: 'lr: 1 is outside 0.000001 … 0.01'
    });
    expect(parseSteerValue('lr', lr, 'fast')).toEqual({
      error: 'lr: a number, not "fast"'
    });
    expect(parseSteerValue('n', { type: 'int', bounds: null }, '2.5')).toEqual({
      error: 'n: a whole number, not 2.5'
    });
    expect(
      parseSteerValue('on', { type: 'bool', bounds: null }, 'maybe')
    ).toEqual({ error: 'on: true or false, not "maybe"' });
  });
});

describe('ParamsPanel', () => {
  it('stays hidden for a run without steerable params', async () => {
    const client = new FakeClient();
    client.answer = state({ declared: false, keys: {}, values: {} });
    const panel = new ParamsPanel('r', undefined, client, 60_000);
    Widget.attach(panel, document.body);
    await settle();
    expect(panel.isHidden).toBe(true);
    panel.dispose();
  });

  it('lists the keys with their values and sends what was typed', async () => {
    const client = new FakeClient();
    const panel = new ParamsPanel('r', undefined, client, 60_000);
    Widget.attach(panel, document.body);
    await settle();
    expect(panel.isHidden).toBe(false);
    const row = panel.node.querySelector<HTMLElement>('tr[data-key="lr"]')!;
    expect(row.dataset.value).toBe('0.0003');
    row.querySelector('input')!.value = '1e-4';
    panel.node.querySelector<HTMLElement>('[data-action="apply"]')!.click();
    await settle();
    expect(client.posted).toEqual([{ changes: { lr: 1e-4 } }]);
    expect(row.querySelector('input')!.value).toBe('');
    panel.dispose();
  });

  it('refuses a bad value before asking, and shows the server’s refusal', async () => {
    const client = new FakeClient();
    const panel = new ParamsPanel('r', undefined, client, 60_000);
    Widget.attach(panel, document.body);
    await settle();
    const input = panel.node.querySelector<HTMLInputElement>(
      'tr[data-key="lr"] input'
    )!;
    const apply = panel.node.querySelector<HTMLElement>(
      '[data-action="apply"]'
    )!;
    const message = panel.node.querySelector('.jp-runwatch-params-message')!;
    input.value = '1';
    apply.click();
    await settle();
    expect(client.posted).toEqual([]);
    expect(message.textContent).toContain('outside');
    client.refuse = 'run r: finished, it takes no requests';
    input.value = '1e-3';
    apply.click();
    await settle();
    expect(message.textContent).toBe('run r: finished, it takes no requests');
    panel.dispose();
  });

  it('shows the job’s answers, newest first, and disables a finished run', async () => {
    const client = new FakeClient();
    client.answer = state({
      steerable: false,
      status: 'finished',
      log: [
        {
          id: 'a',
          time: '2026-11-28 12:03:05.1+00:00',
          step: 120,
          key: 'lr',
          old: 3e-4,
          new: 1e-4,
          status: 'applied',
          reason: null
        },
        {
          id: 'b',
          time: '2026-11-28 12:03:06.1+00:00',
          key: 'layers',
          old: 2,
          new: 3,
          status: 'rejected',
          reason: 'layers: not steerable after step 100'
        }
      ]
    });
    const panel = new ParamsPanel('r', undefined, client, 60_000);
    Widget.attach(panel, document.body);
    await settle();
    const items = Array.from(
      panel.node.querySelectorAll('.jp-runwatch-params-log li'),
      li => li.textContent
    );
    expect(items).toEqual([
      'layers 2 → 3 rejected: layers: not steerable after step 100',
      'lr 0.0003 → 0.0001 applied at 12:03:05 (step 120)'
    ]);
    expect(
      panel.node.querySelector<HTMLButtonElement>('[data-action="apply"]')!
        .disabled
    ).toBe(true);
    panel.dispose();
  });
});
