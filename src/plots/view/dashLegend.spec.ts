import { planGrid } from '../series/grid';
import { plotlyDash } from './canvasTraces';
import { dashKey, renderDashLegend } from './dashLegend';

const refs = (runs: string[], channels: string[]) =>
  runs.flatMap(run =>
    channels.map(channel => ({ run, channel, kind: 'last' }))
  );

describe('the dash legend', () => {
  const runs = ['2024-01-01 00-00-00 a-run', '2024-01-01 00-01-00 b-run'];
  // `acc` has only `val`; `loss` has `train` and `val`.
  const plan = planGrid(
    refs(runs, ['acc.val', 'loss.train', 'loss.val']),
    runs
  );
  const members = [...plan.values()].flat();

  it('gives a label one dash in every plot of the grid', () => {
    const dashOf = (group: string, label: string) =>
      plan.get(group)!.find(m => m.label === label)!.dash;
    expect(dashOf('acc', 'val')).toBe(dashOf('loss', 'val'));
    expect(dashOf('loss', 'train')).not.toBe(dashOf('loss', 'val'));
    expect(dashKey(members).map(k => [k.label, k.dash])).toEqual([
      ['train', dashOf('loss', 'train')],
      ['val', dashOf('loss', 'val')]
    ]);
  });

  it('explains the dashes once when comparing, and not for one run', () => {
    const node = document.createElement('div');
    renderDashLegend(node, members, true);
    expect(node.hidden).toBe(false);
    expect(
      Array.from(node.querySelectorAll('.jp-runwatch-dash-item')).map(
        i => `${i.textContent}:${(i as HTMLElement).dataset.dash}`
      )
    ).toEqual(['train:solid', 'val:dash']);
    // Each sample in the dash its lines are drawn with (2 px wide, as styled).
    expect(
      Array.from(node.querySelectorAll('line')).map(l =>
        l.getAttribute('stroke-dasharray')
      )
    ).toEqual(['', plotlyDash('dash', 2).join(',')]);
    renderDashLegend(node, members, false);
    expect(node.hidden).toBe(true);
  });
});
