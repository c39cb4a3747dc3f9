import { nullTranslator } from '@jupyterlab/translation';
import { PlotsHeader } from './plotsHeader';

const trans = nullTranslator.load('runwatch');

function header(options: {
  x?: string;
  xDisabled?: string;
  onX?: (x: string | undefined) => void;
}): { head: PlotsHeader; select: HTMLSelectElement } {
  const head = new PlotsHeader({
    runs: ['a', 'b'],
    live: false,
    rule: 60,
    onRule: () => undefined,
    onPause: () => undefined,
    trans,
    ...options
  });
  const select = head.node.querySelector<HTMLSelectElement>(
    'select[aria-label="x axis"]'
  )!;
  return { head, select };
}

const shown = (select: HTMLSelectElement) =>
  Array.from(select.options, o => o.textContent);

describe('PlotsHeader x control', () => {
  it('lists time then the counters, and says which one is chosen', () => {
    const chosen: (string | undefined)[] = [];
    const { head, select } = header({ onX: x => chosen.push(x) });
    head.setXChoices(['step', 'perf.samples', 'opt.lr'], undefined);
    expect(shown(select)).toEqual(['time', 'step', 'perf.samples', 'opt.lr']);
    expect(select.selectedOptions[0].textContent).toBe('time');
    select.value = 'step';
    select.dispatchEvent(new Event('change'));
    select.value = '';
    select.dispatchEvent(new Event('change'));
    expect(chosen).toEqual(['step', undefined]);
  });

  it('starts on the x asked for (--x step), even before the runs list it', () => {
    const { head, select } = header({ x: 'step' });
    expect(shown(select)).toEqual(['time', 'step']);
    expect(select.selectedOptions[0].textContent).toBe('step');
    head.setXChoices(['frames', 'step'], 'step');
    expect(shown(select)).toEqual(['time', 'frames', 'step']);
    expect(select.value).toBe('step');
  });

  it('is disabled in a live view, with a title saying why', () => {
    const { select } = header({ xDisabled: 'A live view draws against time' });
    expect(select.disabled).toBe(true);
    expect(select.title).toBe('A live view draws against time');
    expect(header({}).select.disabled).toBe(false);
  });

  it('leaves the selects alone when what they show is unchanged', () => {
    // A browser's form tracking (Chrome's autofill) handles each value
    // assignment with a forced layout; the header is filled at every pass.
    const { head, select } = header({});
    const rule = head.node.querySelector<HTMLSelectElement>(
      'select[aria-label="bucket rule"]'
    )!;
    const setter = Object.getOwnPropertyDescriptor(
      HTMLSelectElement.prototype,
      'value'
    )!.set!;
    const assigned: string[] = [];
    const spy = jest
      .spyOn(HTMLSelectElement.prototype, 'value', 'set')
      .mockImplementation(function (this: HTMLSelectElement, value: string) {
        assigned.push(value);
        setter.call(this, value);
      });
    try {
      head.setXChoices(['step'], undefined);
      head.setXChoices(['step'], undefined);
      head.rule = 60;
      head.rule = 60;
      expect(assigned).toEqual([]);
      head.setXChoices(['step'], 'step');
      head.rule = 10;
      expect(assigned).toEqual(['step', '10']);
      expect(select.value).toBe('step');
      expect(rule.value).toBe('10');
    } finally {
      spy.mockRestore();
    }
  });
});
