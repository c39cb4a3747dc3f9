import { nullTranslator } from '@jupyterlab/translation';
import { IPlotsData } from '../data/plotsData';
import { PlotChoices } from './plotChoices';
import { IPlotsHeadOptions, PlotsHead } from './plotsHead';

const trans = nullTranslator.load('runwatch');

/** Runs with the channels named and params given. */
function fakeData(
  runs: Record<string, { channels: string[]; params: object }>
): { data: IPlotsData; channels: Map<string, unknown>[]; rows: number[] } {
  const channels = Object.values(runs).map(
    run => new Map(run.channels.map(name => [name, { name, kind: 'mean' }]))
  );
  const sources = Object.entries(runs).map(([run, { params }], i) => ({
    run,
    channels: channels[i],
    info: { params }
  }));
  // The rows the runs hold: the last one pushed.
  const rows = [0];
  const data = {
    sources,
    busy: false,
    badges: () => [],
    rowsHeld: () => rows[rows.length - 1]
  } as unknown as IPlotsData;
  return { data, channels, rows };
}

function head(
  data: IPlotsData,
  options: Partial<IPlotsHeadOptions> = {}
): { head: PlotsHead; choices: PlotChoices; status: () => string } {
  const choices = new PlotChoices(0);
  const made = new PlotsHead({
    data,
    choices,
    runs: data.sources.map(s => s.run),
    live: false,
    rule: 60,
    onRule: () => undefined,
    onPause: () => undefined,
    xAsked: undefined,
    trans,
    ...options
  });
  const status = made.nodes[0].querySelector('.jp-runwatch-plots-status')!;
  return { head: made, choices, status: () => status.textContent ?? '' };
}

describe('PlotsHead', () => {
  it('fills again only once marked dirty, or when told to always', () => {
    const { data, channels } = fakeData({
      a: { channels: ['loss'], params: {} }
    });
    const { head: made, status } = head(data);
    made.render(undefined, false);
    expect(status()).toBe('1 channel');
    channels[0].set('lr', { name: 'lr', kind: 'mean' });
    made.render(undefined, false);
    expect(status()).toBe('1 channel');
    made.render(undefined, true);
    expect(status()).toBe('2 channels');
    channels[0].delete('lr');
    made.markDirty();
    made.render(undefined, false);
    expect(status()).toBe('1 channel');
  });

  it('says a search that matches no channel, and is not touched by smoothing', () => {
    const { data } = fakeData({ a: { channels: ['loss'], params: {} } });
    const { head: made, choices, status } = head(data);
    made.render(undefined, false);
    choices.filter('zzz');
    made.render(undefined, false);
    expect(status()).toBe('no channel matches zzz');
    choices.filter('');
    made.render(undefined, false);
    made.setStatus('something else');
    choices.smoothing = 0.5;
    made.render(undefined, false);
    expect(status()).toBe('something else');
  });

  it("counts a paused live view's waiting rows, then those caught up", () => {
    const { data, rows } = fakeData({ a: { channels: ['loss'], params: {} } });
    const { head: made, status } = head(data, { live: true });
    rows.push(10);
    made.paused = true;
    rows.push(13);
    made.render(undefined, false);
    expect(made.paused).toBe(true);
    expect(status()).toBe('1 channel · paused · 3 new rows not drawn');
    rows.push(15);
    made.paused = false;
    made.render(undefined, false);
    expect(status()).toBe('1 channel · caught up 5 rows');
  });

  it('says a live view draws against time, not the x it was asked for', () => {
    const { data } = fakeData({ a: { channels: ['loss'], params: {} } });
    const { head: made } = head(data, { live: true, xAsked: 'step' });
    made.render(undefined, false);
    const message = made.nodes[3];
    expect(message.hidden).toBe(false);
    expect(message.textContent).toContain(
      "A live view draws against time, not 'step'"
    );
    const x = made.nodes[0].querySelector<HTMLSelectElement>(
      'select[aria-label="x axis"]'
    )!;
    expect(x.disabled).toBe(true);
  });

  it("shows differing params as the runs' one legend, a row's click hiding its run", () => {
    const { data } = fakeData({
      a: { channels: ['loss'], params: { lr: 0.1 } },
      b: { channels: ['loss'], params: { lr: 0.2 } }
    });
    const { head: made, choices } = head(data);
    expect(made.sharedLegend).toBe(false);
    made.render(undefined, false);
    expect(made.sharedLegend).toBe(true);
    made.nodes[1].querySelector<HTMLElement>('tr[data-run="b"]')!.click();
    expect([...choices.hidden]).toEqual(['b']);
  });
});
