import { channelSeries } from '../series/series';
import { IPlotEntry } from '../series/traces';
import { ICellContent, PlotCell } from './plotCell';
import { IPlotly, IPlotlyDiv } from './plotly';
import { plotTheme } from './theme';

/** A plotly that records each drawn layout and the relayout handler. */
function fakePlotly() {
  const drawn: Record<string, any>[] = [];
  let relayout: (event: Record<string, unknown>) => void = () => undefined;
  const plotly = {
    react: async (root: IPlotlyDiv, _data: unknown, layout: any) => {
      drawn.push(layout);
      root.on = (_event, handler) => (relayout = handler);
      return root;
    },
    relayout: async (root: IPlotlyDiv) => root,
    purge: () => undefined
  } as unknown as IPlotly;
  return { plotly, drawn, user: (e: Record<string, unknown>) => relayout(e) };
}

/** A channel of one row a second up to `lastS`. */
function content(lastS: number, xSpan?: [number, number]): ICellContent {
  const n = lastS;
  const series = channelSeries(
    'last',
    {
      length: n,
      columns: {
        _time: Float64Array.from({ length: n }, (_, i) => i + 1),
        x: Float64Array.from({ length: n }, (_, i) => i % 7)
      }
    },
    'raw'
  );
  const entry: IPlotEntry = {
    run: 'r',
    channel: 'acc.val',
    label: 'acc.val'.slice(4),
    series,
    colour: '#1f77b4',
    legend: 'val',
    showLegend: false
  };
  return {
    entries: [entry],
    errors: [],
    csv: async () => new Blob([]),
    runs: ['r'],
    xSpan
  };
}

const theme = plotTheme(() => '');

describe('PlotCell x axis', () => {
  it("shows the grid's span, not its own data's end", async () => {
    const { plotly, drawn } = fakePlotly();
    const cell = new PlotCell('acc', plotly, () => undefined);
    await cell.render(content(120, [0, 180]), theme);
    const xaxis = drawn[0].xaxis;
    expect(xaxis.range).toEqual([0, 180]);
    expect(xaxis.autorange).toBe(false);
    expect(xaxis.ticktext).toContain('3m');
  });

  it('keeps a zoom, and goes back to the span on double-click', async () => {
    const { plotly, drawn, user } = fakePlotly();
    const changed: PlotCell[] = [];
    const cell = new PlotCell('acc', plotly, c => changed.push(c));
    await cell.render(content(120, [0, 180]), theme);

    user({ 'xaxis.range[0]': 30, 'xaxis.range[1]': 60 });
    expect(changed).toHaveLength(1);
    await cell.render(content(120, [0, 180]), theme);
    expect(drawn[1].xaxis.range).toEqual([30, 60]);

    user({ 'xaxis.autorange': true, 'yaxis.autorange': true });
    await cell.render(content(120, [0, 180]), theme);
    expect(drawn[2].xaxis.range).toEqual([0, 180]);
    // A new revision: plotly drops its own autorange and applies ours.
    expect(drawn[2].xaxis.uirevision).not.toBe(drawn[1].xaxis.uirevision);

    // Even unzoomed, a double-click (plotly's own fit) is undone.
    user({ 'xaxis.autorange': true });
    expect(changed).toHaveLength(3);
  });
});
