import { IChannelSeries } from './series';
import { buildPlot, IPlotEntry } from './traces';

/** The channel's label after its group (a test value, not UI text). */
const LABEL = 'loss.train'.slice('loss.'.length);

/** A group of 3 runs over x 0..9; one run ends at x 5 (n 3 → 2). */
function groupSeries(members: boolean): IChannelSeries {
  const x = Float64Array.from({ length: 10 }, (_, i) => i);
  const n = Float64Array.from(x, v => (v <= 5 ? 3 : 2));
  const value = Float64Array.from(x, v => v * 2);
  return {
    x,
    columns: { value },
    band: {
      lo: Float64Array.from(value, v => v - 1),
      hi: Float64Array.from(value, v => v + 1)
    },
    n,
    ...(members
      ? {
          members: [0, 1, 2].map(k =>
            Float64Array.from(x, v => (k === 2 && v > 5 ? NaN : v * 2 + k - 1))
          )
        }
      : {}),
    style: 'line'
  };
}

function entry(series: IChannelSeries): IPlotEntry {
  return {
    run: 'lr=0.001',
    channel: 'loss.train',
    label: LABEL,
    series,
    colour: '#1f77b4',
    legend: 'lr=0.001',
    showLegend: true
  };
}

describe('a group line', () => {
  it('says n at every point in its hover', () => {
    const plot = buildPlot({
      entries: [entry(groupSeries(false))],
      widthPx: 400
    });
    const line = plot.traces.find(t => t.name === 'lr=0.001')!;
    expect(String(line.hovertemplate)).toContain('(n=%{customdata})');
    expect(Array.from(line.customdata as Float64Array)).toEqual([
      3, 3, 3, 3, 3, 3, 2, 2, 2, 2
    ]);
  });

  it('marks where n drops, saying how many runs remain', () => {
    const plot = buildPlot({
      entries: [entry(groupSeries(false))],
      widthPx: 400
    });
    const drops = plot.traces.filter(t => t.mode === 'markers');
    expect(drops).toHaveLength(1);
    expect(drops[0].x).toEqual([6]);
    expect(drops[0].y).toEqual([12]);
    expect(drops[0].customdata).toEqual([2]);
    expect(String(drops[0].hovertemplate)).toContain('n drops to');
  });

  it('draws its runs faintly, behind the line, only when given', () => {
    const without = buildPlot({
      entries: [entry(groupSeries(false))],
      widthPx: 400
    });
    const withRuns = buildPlot({
      entries: [entry(groupSeries(true))],
      widthPx: 400
    });
    const faint = withRuns.traces.filter(t => t.opacity === 0.25);
    expect(without.traces.filter(t => t.opacity === 0.25)).toHaveLength(0);
    expect(faint.length).toBeGreaterThan(0);
    // Every run's points are there (merged into one trace, NaN between).
    const ys = faint.flatMap(t => Array.from(t.y as Float64Array));
    expect(ys.filter(Number.isFinite)).toHaveLength(10 + 10 + 6);
    const lineIndex = withRuns.traces.findIndex(t => t.name === 'lr=0.001');
    expect(withRuns.traces.indexOf(faint[0])).toBeLessThan(lineIndex);
  });

  it('a plain run has no n in its hover and no drop markers', () => {
    const series = groupSeries(false);
    const plain: IChannelSeries = {
      x: series.x,
      columns: series.columns,
      style: 'line'
    };
    const plot = buildPlot({ entries: [entry(plain)], widthPx: 400 });
    expect(plot.traces.some(t => String(t.hovertemplate).includes('n='))).toBe(
      false
    );
    expect(plot.traces.filter(t => t.mode === 'markers')).toHaveLength(0);
  });
});
