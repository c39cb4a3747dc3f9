import { IPlotly, lazyPlotly } from './plotly';

/** A plotly whose calls are noted. */
function fakePlotly(calls: string[]): IPlotly {
  const note = (name: string) => async () => {
    calls.push(name);
    return {} as any;
  };
  return {
    newPlot: note('newPlot'),
    react: note('react'),
    relayout: note('relayout'),
    extendTraces: note('extendTraces'),
    toImage: async () => (calls.push('toImage'), 'data:'),
    downloadImage: async () => (calls.push('downloadImage'), ''),
    purge: () => void calls.push('purge'),
    Plots: { resize: () => void calls.push('resize') }
  };
}

describe('lazyPlotly', () => {
  it('loads plotly only at the first call, once, and passes every call on', async () => {
    const calls: string[] = [];
    const load = jest.fn(async () => fakePlotly(calls));
    const plotly = lazyPlotly(load);
    const div = document.createElement('div');
    plotly.purge(div); // nothing drawn, nothing loaded
    expect(load).not.toHaveBeenCalled();
    await plotly.react(div, [], {});
    await plotly.relayout(div, {});
    expect(await plotly.toImage(div, { format: 'png' })).toBe('data:');
    await plotly.Plots.resize(div);
    plotly.purge(div);
    expect(calls).toEqual(['react', 'relayout', 'toImage', 'resize', 'purge']);
    expect(load).toHaveBeenCalled();
  });

  it('purges a div drawn while plotly was loading, once it has loaded', async () => {
    const calls: string[] = [];
    let loaded: (plotly: IPlotly) => void = () => undefined;
    // One module, however often it is asked for (as `loadPlotly`).
    const module = new Promise<IPlotly>(resolve => (loaded = resolve));
    const plotly = lazyPlotly(() => module);
    const div = document.createElement('div');
    const drawn = plotly.react(div, [], {});
    plotly.purge(div);
    expect(calls).toEqual([]);
    loaded(fakePlotly(calls));
    await drawn;
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(calls).toEqual(['react', 'purge']);
  });
});
