import type { ISteerLogEntry } from '../../steering/steerState';
import { entryMs, markLayout, steerMarks } from './steerMarks';

const created = Date.UTC(2026, 10, 28, 12, 0, 0);

const entries: ISteerLogEntry[] = [
  {
    id: 'a',
    time: '2026-11-28 12:00:30.250000+00:00',
    step: 300,
    key: 'lr',
    old: 3e-4,
    new: 1e-4,
    status: 'applied',
    reason: null
  },
  {
    id: 'b',
    time: '2026-11-28 12:00:40.000000+00:00',
    step: 400,
    key: 'momentum',
    old: null,
    new: 0.9,
    status: 'rejected',
    reason: 'undeclared'
  },
  {
    id: 'c',
    time: '2026-11-28 12:01:00.000000+00:00',
    key: null,
    stop: true,
    status: 'applied',
    reason: null
  }
];

describe('steerMarks', () => {
  it('reads the server’s times', () => {
    expect(entryMs('2026-11-28 12:00:30.250000+00:00')).toBe(created + 30250);
  });

  it('marks each applied change at seconds since the run began', () => {
    expect(steerMarks('r', entries, created, undefined, false)).toEqual([
      { x: 30.25, text: 'lr=0.0001' },
      { x: 60, text: 'stop' }
    ]);
  });

  it('marks at the step on a step x, and names the run when comparing', () => {
    expect(
      steerMarks(
        '2026-11-28 12-00-00 neat-river',
        entries,
        created,
        'step',
        true
      )
    ).toEqual([{ x: 300, text: 'neat-river: lr=0.0001' }]);
  });

  it('lays out a dotted line and a label for the marks in range', () => {
    const layout = markLayout(
      [
        { x: 30, text: 'lr=0.0001' },
        { x: 500, text: 'out of range' }
      ],
      0,
      100,
      '#888'
    );
    expect(layout.shapes).toEqual([
      expect.objectContaining({ x0: 30, x1: 30, yref: 'paper' })
    ]);
    expect(layout.annotations.map(a => a.text)).toEqual(['lr=0.0001']);
  });
});
