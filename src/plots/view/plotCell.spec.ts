import { channelSeries } from '../series/series';
import { IPlotEntry } from '../series/traces';
import { ICellContent } from './cellContent';
import { PlotCell } from './plotCell';
import { IPlotly, IPlotlyDiv } from './plotly';
import { plotTheme } from './theme';

/** A plotly that records each drawn layout and the relayout handler. */
function fakePlotly() {
  const drawn: Record<string, any>[] = [];
  let relayout: (event: Record<string, unknown>) => void = () => undefined;
  const plotly = {
    react: async (root: IPlotlyDiv, _data: unknown, layout: any) => {
      drawn.push(layout);
      root.on = (event, handler) => {
        if (event === 'plotly_relayout') {
          relayout = handler;
        }
      };
      return root;
    },
    relayout: async (root: IPlotlyDiv) => root,
    purge: () => undefined
  } as unknown as IPlotly;
  return { plotly, drawn, user: (e: Record<string, unknown>) => relayout(e) };
}

/** A plotly that keeps the traces drawn and every event handler. */
function tracingPlotly() {
  const traces: Record<string, any>[][] = [];
  const handlers = new Map<string, (event: any) => unknown>();
  const plotly = {
    react: async (root: IPlotlyDiv, data: any) => {
      traces.push(data);
      root.data = data;
      root.on = (event, handler) => void handlers.set(event, handler);
      return root;
    },
    relayout: async (root: IPlotlyDiv) => root,
    purge: () => undefined
  } as unknown as IPlotly;
  return { plotly, traces, handlers };
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

describe('PlotCell width', () => {
  it('draws at the width it is given, without reading its own', async () => {
    const { plotly, drawn } = fakePlotly();
    const cell = new PlotCell('acc', plotly, () => undefined);
    const read = jest.spyOn(cell.node, 'clientWidth', 'get');
    await cell.render(content(120), theme, 512);
    expect(drawn[0].width).toBe(512);
    expect(read).not.toHaveBeenCalled();
    // Not given: its own, as laid out (none in jsdom: 400).
    await cell.render(content(120), theme);
    expect(read).toHaveBeenCalled();
    expect(drawn[1].width).toBe(400);
  });
});

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

describe('PlotCell y axis', () => {
  it("puts a flat channel at the range its ticks are for, not plotly's ±1", async () => {
    const { plotly, drawn } = fakePlotly();
    const cell = new PlotCell('steer', plotly, () => undefined);
    const flat = content(1);
    const series = channelSeries(
      'last',
      {
        length: 1,
        columns: {
          _time: Float64Array.from([1]),
          x: Float64Array.from([0.0005])
        }
      },
      'raw'
    );
    await cell.render(
      { ...flat, entries: [{ ...flat.entries[0], series }] },
      theme
    );
    const yaxis = drawn[0].yaxis;
    expect(yaxis.autorange).toBe(false);
    const [lo, hi] = yaxis.range as number[];
    expect(lo).toBeLessThan(0.0005);
    expect(hi).toBeGreaterThan(0.0005);
    // Every tick inside the range, and its labels tell them apart.
    expect((yaxis.tickvals as number[]).every(v => v >= lo && v <= hi)).toBe(
      true
    );
    const labels = yaxis.ticktext as string[];
    expect(labels.length).toBeGreaterThan(2);
    expect(new Set(labels).size).toBe(labels.length);
    // A channel that varies still autoranges.
    await cell.render(content(120), theme);
    expect(drawn[1].yaxis.autorange).toBe(true);
  });
});

describe('PlotCell legend', () => {
  it('hands a legend click to the grid and stops plotly hiding it here only', async () => {
    const { plotly, handlers } = tracingPlotly();
    const clicked: string[] = [];
    const cell = new PlotCell(
      'acc',
      plotly,
      () => undefined,
      () => undefined,
      key => clicked.push(key)
    );
    await cell.render(content(120), theme);
    const result = handlers.get('plotly_legendclick')!({ curveNumber: 0 });
    expect(result).toBe(false);
    expect(clicked).toEqual(['val']);
    expect(handlers.get('plotly_legenddoubleclick')!({})).toBe(false);
  });

  it('draws hidden runs or labels invisible, greyed in its own legend', async () => {
    const { plotly, traces } = tracingPlotly();
    const cell = new PlotCell('acc', plotly, () => undefined);
    const hidden = new Set(['val']);
    await cell.render({ ...content(120), hidden }, theme);
    expect(traces[0].map(t => t.visible)).toEqual(['legendonly']);
    await cell.render({ ...content(120), hidden, sharedLegend: true }, theme);
    expect(traces[1].map(t => t.visible)).toEqual([false]);
    await cell.render({ ...content(120), hidden: new Set() }, theme);
    expect(traces[2].map(t => t.visible)).toEqual([undefined]);
  });
});

describe('PlotCell axes of unrelated scales', () => {
  /** `perf.samples` (a counter to 240 k) beside `perf.latency` (≈ 0.2 s). */
  function scales(): ICellContent {
    const n = 600;
    const time = Float64Array.from({ length: n }, (_, i) => i + 1);
    const entry = (channel: string, f: (i: number) => number): IPlotEntry => ({
      run: 'r',
      channel,
      label: channel.slice(5),
      series: channelSeries(
        'last',
        { length: n, columns: { _time: time, x: time.map((_, i) => f(i)) } },
        'raw'
      ),
      colour: '#1f77b4',
      legend: channel.slice(5),
      showLegend: true
    });
    return {
      ...content(n),
      entries: [
        entry('perf.samples', i => i * 400),
        entry('perf.latency', i => 0.2 + (i % 7) / 100)
      ]
    };
  }

  it('stacks a sub-plot per axis on the shared x axis, labelled', async () => {
    const { plotly, drawn } = fakePlotly();
    const cell = new PlotCell('perf', plotly, () => undefined);
    await cell.render(scales(), theme);
    const layout = drawn[0];
    expect(layout.height).toBe(400);
    expect(layout.yaxis.domain[1]).toBe(1);
    expect(layout.yaxis2.domain[0]).toBe(0);
    expect(layout.yaxis2.domain[1]).toBeLessThan(layout.yaxis.domain[0]);
    expect(layout.yaxis2.anchor).toBe('x');
    expect(layout.xaxis.anchor).toBe('y2'); // x ticks under the bottom one
    expect(layout.yaxis.ticktext).toContain('200k');
    expect(layout.yaxis2.ticktext.every((t: string) => !t.endsWith('k'))).toBe(
      true
    );
    expect(layout.annotations.map((a: any) => a.text)).toEqual([
      'samples',
      'latency'
    ]);
  });

  it('keeps one axis, as before, when the scales agree', async () => {
    const { plotly, drawn } = fakePlotly();
    const cell = new PlotCell('acc', plotly, () => undefined);
    await cell.render(content(120), theme);
    expect(drawn[0].height).toBe(250);
    expect(drawn[0].yaxis2).toBeUndefined();
    expect(drawn[0].annotations).toBeUndefined();
    expect(drawn[0].yaxis.domain).toBeUndefined();
  });

  it('logs every axis, and zooms x from any sub-plot', async () => {
    const { plotly, drawn, user } = fakePlotly();
    const changed: PlotCell[] = [];
    const cell = new PlotCell('perf', plotly, c => changed.push(c));
    await cell.render(scales(), theme);
    user({
      'xaxis.range[0]': 100,
      'xaxis.range[1]': 200,
      'yaxis2.range[0]': 0.2,
      'yaxis2.range[1]': 0.3
    });
    expect(changed).toHaveLength(1);
    await cell.setLogY(true);
    await cell.render(scales(), theme);
    const layout = drawn[1];
    expect(layout.xaxis.range).toEqual([100, 200]);
    expect([layout.yaxis.type, layout.yaxis2.type]).toEqual(['log', 'log']);
    await cell.setLogY(false);
  });
});

/** A 2D context enough for a sketch, counting what it paints. */
function sketchContext() {
  const calls = { stroke: 0, fillText: 0 };
  const context = new Proxy(
    {
      measureText: (text: string) => ({ width: 6 * text.length }),
      stroke: () => void calls.stroke++,
      fillText: () => void calls.fillText++
    } as Record<string, unknown>,
    {
      get: (target, key: string) =>
        key in target ? target[key] : () => undefined,
      set: (target, key: string, value) => {
        target[key] = value;
        return true;
      }
    }
  );
  return { context, calls };
}

describe('PlotCell sketch first', () => {
  const getContext = HTMLCanvasElement.prototype.getContext;
  let calls: { stroke: number; fillText: number };
  beforeEach(() => {
    const sketch = sketchContext();
    calls = sketch.calls;
    HTMLCanvasElement.prototype.getContext = (() =>
      sketch.context) as unknown as typeof getContext;
  });
  afterEach(() => {
    HTMLCanvasElement.prototype.getContext = getContext;
  });

  it('paints a sketch, and plotly draws it when asked', async () => {
    const { plotly, drawn } = fakePlotly();
    const later: PlotCell[] = [];
    const cell = new PlotCell(
      'acc',
      plotly,
      () => undefined,
      () => undefined,
      () => undefined,
      c => later.push(c)
    );
    await cell.render(content(100), theme);
    expect(cell.node.dataset.painted).toBe('sketch');
    expect(cell.area.querySelector('canvas.jp-runwatch-plot-sketch')).not.toBe(
      null
    );
    expect(calls.stroke).toBeGreaterThan(0);
    expect(drawn).toHaveLength(0);
    expect(later).toEqual([cell]);
    // Drawn again before plotly came: still one build asked for.
    await cell.render(content(120), theme);
    expect(later).toHaveLength(1);
    await cell.interactive();
    expect(drawn).toHaveLength(1);
    expect(drawn[0].xaxis.range[1]).toBeGreaterThanOrEqual(120);
    expect(cell.node.dataset.painted).toBe('plotly');
    expect(cell.area.querySelector('canvas.jp-runwatch-plot-sketch')).toBe(
      null
    );
  });

  it('never draws an old sketch over what plotly drew since (log y)', async () => {
    const { plotly, drawn } = fakePlotly();
    // The log toggle redraws the plot, as the grid does.
    const redraw = (c: PlotCell) => void c.render(content(100), theme);
    const cell = new PlotCell(
      'acc',
      plotly,
      () => undefined,
      redraw,
      () => undefined,
      () => undefined
    );
    await cell.render(content(100), theme);
    expect(cell.node.dataset.painted).toBe('sketch');
    await cell.setLogY(true);
    await new Promise(resolve => setTimeout(resolve, 0));
    // A log axis is plotly's to draw at once.
    expect(drawn.map(l => l.yaxis.type)).toStrictEqual(['log']);
    await cell.interactive();
    expect(drawn.map(l => l.yaxis.type)).toStrictEqual(['log']);
    expect(cell.node.dataset.painted).toBe('plotly');
  });
});
