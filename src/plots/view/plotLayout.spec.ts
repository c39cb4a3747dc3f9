import { channelSeries } from '../series/series';
import { buildPlot, IPlotEntry } from '../series/traces';
import { ICellContent } from './cellContent';
import { PLOT_HEIGHT, plotLayout } from './plotLayout';
import { plotTheme } from './theme';

const theme = plotTheme(() => '');

function entry(channel: string, scale: number, legend?: string): IPlotEntry {
  const n = 100;
  const series = channelSeries(
    'last',
    {
      length: n,
      columns: {
        _time: Float64Array.from({ length: n }, (_, i) => i + 1),
        x: Float64Array.from({ length: n }, (_, i) => scale * (1 + (i % 7)))
      }
    },
    'raw'
  );
  return {
    run: 'r',
    channel,
    label: channel,
    series,
    colour: '#1f77b4',
    legend: legend ?? channel,
    showLegend: legend !== undefined
  };
}

function content(entries: IPlotEntry[], more = {}): ICellContent {
  return {
    entries,
    errors: [],
    csv: async () => new Blob([]),
    runs: ['r'],
    ...more
  };
}

const state = { group: 'loss', logY: false, xRevision: 0 };

describe('plotLayout', () => {
  it("titles the plot with its group and shows the grid's span", () => {
    const entries = [
      entry('loss.train', 1, 'train'),
      entry('loss.test', 1, 'test')
    ];
    const plot = buildPlot({ entries, widthPx: 300, xSpan: [0, 200] });
    const layout = plotLayout(plot, theme, content(entries), state) as any;
    expect(layout.title.text).toBe('loss');
    expect(layout.showlegend).toBe(true);
    expect(layout.height).toBe(PLOT_HEIGHT);
    expect(layout.xaxis.range).toEqual([0, 200]);
    expect(layout.xaxis.autorange).toBe(false);
    const shared = plotLayout(
      plot,
      theme,
      content(entries, { sharedLegend: true }),
      state
    ) as any;
    expect(shared.showlegend).toBe(false); // the grid's params table names them
  });

  it('keeps the y zoom, and logs the axis when asked', () => {
    const entries = [entry('loss.train', 1)];
    const plot = buildPlot({ entries, widthPx: 300 });
    const zoomed = plotLayout(plot, theme, content(entries), {
      ...state,
      yZoom: [2, 3]
    }) as any;
    expect(zoomed.yaxis.range).toEqual([2, 3]);
    expect(zoomed.yaxis.autorange).toBe(false);
    const log = plotLayout(plot, theme, content(entries), {
      ...state,
      logY: true
    }) as any;
    expect(log.yaxis.type).toBe('log');
    expect(log.yaxis.autorange).toBe(true);
  });

  it('stacks unrelated scales as sub-plots, taller, each labelled', () => {
    const entries = [entry('loss', 1, 'loss'), entry('lr', 1e-6, 'lr')];
    const plot = buildPlot({ entries, widthPx: 300 });
    expect(plot.axes.length).toBe(2);
    const layout = plotLayout(plot, theme, content(entries), state) as any;
    expect(layout.height).toBeGreaterThan(PLOT_HEIGHT);
    expect(layout.yaxis2.domain[1]).toBeLessThan(layout.yaxis.domain[0]);
    expect(layout.annotations.map((a: any) => a.text)).toEqual(
      plot.axes.map(a => a.labels.join(', '))
    );
  });

  it('adds a dotted line and a label for each steering mark', () => {
    const entries = [entry('loss', 1)];
    const plot = buildPlot({ entries, widthPx: 300, xSpan: [0, 200] });
    const marks = [{ x: 50, text: 'lr=0.1' }];
    const layout = plotLayout(
      plot,
      theme,
      content(entries, { marks }),
      state
    ) as any;
    expect(layout.shapes).toHaveLength(1);
    expect(layout.annotations.some((a: any) => /lr=0\.1/.test(a.text))).toBe(
      true
    );
  });
});
