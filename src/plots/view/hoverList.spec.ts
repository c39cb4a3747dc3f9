import { HoverList, hoverRows, hoverValue, IHoverPoint } from './hoverList';

const point = (
  curveNumber: number,
  name: string,
  channel: string,
  y: number,
  percent = false
): IHoverPoint => ({
  curveNumber,
  x: 12.5,
  y,
  data: { name, line: { color: '#123456' }, meta: { channel, percent } }
});

describe('hoverRows', () => {
  it('lists each line once, run · label, highest first, NaN last', () => {
    const rows = hoverRows([
      point(0, 'run-a', 'acc.val', 0.5),
      point(1, 'run-b', 'acc.val', NaN),
      point(2, 'run-c', 'acc.val', 0.9),
      point(2, 'run-c', 'acc.val', 0.1) // a second point of the same line
    ]);
    expect(rows.map(r => [r.name, r.value])).toEqual([
      ['run-c · val', 0.9],
      ['run-a · val', 0.5],
      ['run-b · val', NaN]
    ]);
  });

  it('names a single run’s lines by label alone', () => {
    expect(hoverRows([point(0, 'train', 'loss.train', 1)])[0].name).toBe(
      'train'
    );
  });

  it('formats percents and plain values', () => {
    const [row] = hoverRows([point(0, 'r', 'gpu.util', 0.4567, true)]);
    expect(hoverValue(row)).toBe('45.67%');
    expect(hoverValue({ ...row, percent: false, value: 1 / 3 })).toBe(
      '0.33333333'
    );
  });
});

describe('HoverList', () => {
  it('shows every one of 20 runs, not clipped by the plot', () => {
    const list = new HoverList();
    const rows = hoverRows(
      Array.from({ length: 20 }, (_, i) => point(i, `run-${i}`, 'acc.val', i))
    );
    list.show(rows, 12.5, 100, 100);
    expect(list.node.hidden).toBe(false);
    expect(list.node.parentElement).toBe(document.body);
    expect(list.node.querySelectorAll('.jp-runwatch-hover-row')).toHaveLength(
      20
    );
    expect(list.node.textContent).toContain('t = 12.5 s');
    list.hide();
    expect(list.node.hidden).toBe(true);
    list.dispose();
    expect(list.node.isConnected).toBe(false);
  });

  it('heads the list with the step, not a time, on a counter x', () => {
    const list = new HoverList();
    const rows = hoverRows([point(0, 'run-0', 'acc.val', 1)]);
    list.show(rows, 12345, 100, 100, 'step');
    const head = list.node.querySelector('.jp-runwatch-hover-head')!;
    expect(head.textContent).toBe('step 12.3k');
    list.show(rows, 39, 100, 100, 'step');
    expect(head.isConnected).toBe(false);
    expect(
      list.node.querySelector('.jp-runwatch-hover-head')!.textContent
    ).toBe('step 39');
    list.dispose();
  });
});
