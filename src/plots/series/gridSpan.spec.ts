import { IColumnSet } from '../../store';
import { GridSpans, gridSpan, seriesSpan } from './gridSpan';
import { channelSeries, PlotRule } from './series';
import { buildPlot, IPlotEntry } from './traces';

/** A channel of `n` rows, one a second from t = 1 s. */
function channel(n: number, rule: PlotRule, name = 'g.a'): IPlotEntry {
  const data: IColumnSet = {
    length: n,
    columns: {
      _time: Float64Array.from({ length: n }, (_, i) => i + 1),
      x: Float64Array.from({ length: n }, (_, i) => Math.sin(i))
    }
  };
  return {
    run: 'r',
    channel: name,
    label: name.split('.')[1],
    series: channelSeries('last', data, rule),
    colour: '#1f77b4',
    legend: name,
    showLegend: false
  };
}

describe('aligned x axes', () => {
  it("gives two plots of one run the run's x range and the same ticks", () => {
    // acc ends at 2m, loss at 3m: drawn alone, they disagree.
    const acc = [channel(120, 'raw', 'acc.val')];
    const loss = [channel(180, 'raw', 'loss.train')];
    const alone = [acc, loss].map(entries =>
      buildPlot({ entries, widthPx: 400 })
    );
    expect(alone[0].xTicks.text).not.toEqual(alone[1].xTicks.text);

    const xSpan = gridSpan([acc, loss].map(e => seriesSpan(e, 'raw')));
    expect(xSpan).toEqual([0, 180]);
    const [a, b] = [acc, loss].map(entries =>
      buildPlot({ entries, widthPx: 400, xSpan })
    );
    expect(a.xExtent).toEqual([0, 180]);
    expect(b.xExtent).toEqual(a.xExtent);
    expect(a.xTicks.text).toEqual(b.xTicks.text);
    expect(a.xTicks.text).toContain('3m');
  });

  it("still lets a user's zoom set that plot's range", () => {
    const plot = buildPlot({
      entries: [channel(180, 'raw')],
      widthPx: 400,
      xSpan: [0, 180],
      xRange: [30, 60]
    });
    expect(plot.xExtent).toEqual([30, 60]);
  });

  it('spans a run shorter than one bucket over that bucket, not [0, 1]', () => {
    // A 25 s killed run at 60 s: one bucket, its x at 0 (its left edge).
    const entries = [channel(25, 60)];
    const xSpan = seriesSpan(entries, 60);
    expect(xSpan).toEqual([0, 60]);
    const plot = buildPlot({ entries, widthPx: 400, xSpan });
    expect(plot.xExtent).toEqual([0, 60]);
    expect(plot.xTicks.text).not.toContain('1.0s');
    // At raw, the run's own span.
    expect(seriesSpan([channel(25, 'raw')], 'raw')).toEqual([0, 25]);
  });
});

describe('seriesSpan and gridSpan', () => {
  it('are undefined with nothing to span', () => {
    expect(seriesSpan([], 'raw')).toBeUndefined();
    expect(seriesSpan([channel(0, 'raw')], 'raw')).toBeUndefined();
    expect(gridSpan([undefined])).toBeUndefined();
  });

  it('join runs of a comparison into one range', () => {
    expect(gridSpan([[0, 120], [-5, 90], undefined])).toEqual([-5, 120]);
  });
});

describe('GridSpans', () => {
  it('names the plots drawn before the span grew, to draw them again', () => {
    const spans = new GridSpans();
    spans.update('acc', [0, 120]);
    expect(spans.drawWith('acc')).toEqual([0, 120]);
    spans.update('loss', [0, 180]);
    expect(spans.drawWith('loss')).toEqual([0, 180]);
    expect(spans.stale()).toEqual(['acc']);
    expect(spans.drawWith('acc')).toEqual([0, 180]);
    expect(spans.stale()).toEqual([]);
  });

  it('lets a live span move by the tolerance before redrawing', () => {
    const spans = new GridSpans();
    spans.update('a', [0, 1000]);
    spans.drawWith('a');
    spans.update('b', [0, 1005]);
    spans.drawWith('b');
    expect(spans.stale(0.01)).toEqual([]);
    expect(spans.stale()).toEqual(['a']);
  });

  it('forgets plots that left the grid, and everything on clear', () => {
    const spans = new GridSpans();
    spans.update('a', [0, 100]);
    spans.update('b', [0, 300]);
    spans.drawWith('a');
    spans.retain(new Set(['a']));
    expect(spans.span).toEqual([0, 100]);
    // a was drawn over b's longer span: it shrinks back to its own.
    expect(spans.stale()).toEqual(['a']);
    spans.clear();
    expect(spans.span).toBeUndefined();
  });
});
