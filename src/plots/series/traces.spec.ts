import { IColumnSet } from '../../store';
import { planGrid, shortRunName } from './grid';
import { channelSeries, IChannelSeries, rawColumns } from './series';
import { IRunBand } from './runsEnvelope';
import {
  appendedPoints,
  bandOutline,
  buildPlot,
  DENSE_LINES,
  ENVELOPE_FILL,
  IPlotEntry,
  maxPointsFor,
  mergeBands,
  percentRange
} from './traces';

/** `n` rows, one per `dt` seconds, with the given fields. */
function rows(
  n: number,
  fields: Record<string, (i: number) => number>,
  dt = 1
): IColumnSet {
  const columns: Record<string, Float64Array> = {
    _time: Float64Array.from({ length: n }, (_, i) => (i + 1) * dt)
  };
  for (const [name, f] of Object.entries(fields)) {
    columns[name] = Float64Array.from({ length: n }, (_, i) => f(i));
  }
  return { length: n, columns };
}

function entry(
  kind: string,
  data: IColumnSet,
  rule: 'raw' | number,
  channel = 'g.a'
): IPlotEntry {
  return {
    run: 'r',
    channel,
    label: channel.split('.').slice(1).join('.'),
    series: channelSeries(kind, data, rule),
    colour: '#1f77b4',
    legend: 'a',
    showLegend: false
  };
}

const lines = (traces: Record<string, any>[]) =>
  traces.filter(t => t.hoverinfo !== 'skip');
const bands = (traces: Record<string, any>[]) =>
  traces.filter(t => t.hoverinfo === 'skip');
const max = (a: ArrayLike<number>) =>
  Math.max(...Array.from(a).filter(Number.isFinite));

describe('buildPlot', () => {
  it('draws the lines of a plot of many 1 px wide, of a few wider', () => {
    const data = rows(600, { total: i => i % 7 });
    const widths = (count: number) => {
      const entries = Array.from({ length: count }, (_, i) =>
        entry('mean', data, 60, `g.c${i}`)
      );
      const plot = buildPlot({ entries, widthPx: 300 });
      return new Set(lines(plot.traces).map(t => t.line.width));
    };
    expect(widths(DENSE_LINES)).toEqual(new Set([1.75]));
    expect(widths(DENSE_LINES + 1)).toEqual(new Set([1]));
  });

  it('draws percent kinds on a 0–100 % axis', () => {
    const data = rows(600, { total: i => (i % 10) / 10 });
    const plot = buildPlot({
      entries: [entry('mean_percent', data, 60)],
      widthPx: 300
    });
    expect(plot.style).toBe('percent');
    expect(plot.yTicks.text[0]).toBe('0%');
    expect(plot.yTicks.text[plot.yTicks.text.length - 1]).toBe('100%');
    expect(percentRange(plot.yExtent)).toEqual([0, 1]);
    expect(percentRange([0, 1.5])).toEqual([0, 1.5]);
    expect(lines(plot.traces)[0].hovertemplate).toContain('%{y:.4%}');
  });

  it('gives percent and plain kinds of one group their own axes', () => {
    const data = rows(600, { total: i => 5 + (i % 10) });
    const duty = rows(600, { duration: i => (i % 10) / 100 });
    const plot = buildPlot({
      entries: [
        entry('duty', duty, 60, 'g.busy'),
        entry('mean', data, 60, 'g.queue')
      ],
      widthPx: 300
    });
    expect(plot.axes.map(a => a.style)).toEqual(['percent', 'line']);
    expect(plot.axes[0].yTicks.text).toContain('100%');
    expect(plot.axes[1].yTicks.text.some(t => t.endsWith('%'))).toBe(false);
    expect(plot.axes.map(a => a.labels)).toEqual([['busy'], ['queue']]);
    const [busy, queue] = lines(plot.traces);
    expect([busy.yaxis, queue.yaxis]).toEqual(['y', 'y2']);
    expect(busy.hovertemplate).toContain('%{y:.4%}');
    expect(queue.hovertemplate).not.toContain('%{y:.4%}');
  });

  it('draws mean_std as a ±2σ band behind μ', () => {
    const data = rows(600, { μ: () => 1, σ: () => 0.25 });
    const plot = buildPlot({
      entries: [entry('mean_std', data, 60)],
      widthPx: 300
    });
    const [band] = bands(plot.traces);
    expect(bands(plot.traces)).toHaveLength(1);
    expect(band.fill).toBe('toself');
    // The outline: the lows left to right, then the highs back.
    const n = band.y.length;
    expect(band.y[1]).toBeCloseTo(0.5);
    expect(band.y[n - 2]).toBeCloseTo(1.5);
    expect(band.x[n - 1]).toBe(band.x[0]);
    expect(lines(plot.traces)).toHaveLength(1);
    expect(plot.traces.indexOf(lines(plot.traces)[0])).toBe(1); // on top
    // Named as any line is (the run, or the label), not "… mu".
    expect(lines(plot.traces)[0].name).toBe('a');
  });

  it('draws quantiles as a fan with a bold median', () => {
    const qs = Object.fromEntries(
      [0, 1, 2, 3, 4].map(q => [`qs.${q}`, () => q])
    );
    const plot = buildPlot({
      entries: [entry('quantiles', rows(600, qs), 60)],
      widthPx: 300
    });
    expect(bands(plot.traces)).toHaveLength(2); // 0–100, 25–75
    const [median] = lines(plot.traces);
    expect(median.name).toBe('a 50');
    expect(median.line.width).toBeGreaterThan(2);
    expect(median.y[1]).toBe(2);
  });

  it('draws other kinds as lines; bucketed ones over a min–max band', () => {
    const data = rows(600, { x: i => i });
    const raw = buildPlot({
      entries: [entry('last', data, 'raw')],
      widthPx: 300
    });
    expect(bands(raw.traces)).toHaveLength(0);
    const bucketed = buildPlot({
      entries: [entry('last', data, 60)],
      widthPx: 300
    });
    expect(bands(bucketed.traces)).toHaveLength(1);
    expect(bucketed.xTicks.text).toContain('5m');
  });

  it('breaks lines at NaN and Inf and plots the finite values', () => {
    const data = rows(100, {
      x: i => (i === 50 ? NaN : i === 60 ? Infinity : i)
    });
    const plot = buildPlot({
      entries: [entry('last', data, 'raw')],
      widthPx: 300
    });
    const y = Array.from(lines(plot.traces)[0].y as Float64Array);
    expect(y.length).toBe(100);
    expect(Number.isNaN(y[50])).toBe(true);
    expect(plot.yExtent).toEqual([0, 99]);
  });
});

describe('never hiding a spike', () => {
  const n = 1_000_000;
  const data = rows(n, { total: i => Math.sin(i / 1000) }, 0.01);
  data.columns.total[654_321] = 1e6;

  it('keeps a one-row spike among 1 M rows in ≤ 4 points per pixel', () => {
    const plot = buildPlot({
      entries: [entry('mean', data, 'raw')],
      widthPx: 500
    });
    const [line] = lines(plot.traces);
    expect(max(line.y)).toBe(1e6);
    expect(line.x.length).toBeLessThanOrEqual(maxPointsFor(500));
    expect(line.x[0]).toBe(data.columns._time[0]);
    expect(line.x[line.x.length - 1]).toBe(data.columns._time[n - 1]);
  });

  it('shows it as a band excursion when 60 s means average it away', () => {
    const plot = buildPlot({
      entries: [entry('mean', data, 60)],
      widthPx: 500
    });
    expect(max(lines(plot.traces)[0].y)).toBeLessThan(1000);
    expect(max(bands(plot.traces)[0].y)).toBe(1e6);
  });

  it('draws a band with one point per pixel per edge, spike kept', () => {
    // 1 s buckets: 10,000 of them over 500 pixels.
    const plot = buildPlot({
      entries: [entry('mean', data, 1)],
      widthPx: 500
    });
    const [band] = bands(plot.traces);
    expect(max(band.y)).toBe(1e6);
    expect(band.x.length).toBeLessThanOrEqual(2 * (500 + 4));
  });

  it('draws a line already at the pixels as it is, and thins a longer one', () => {
    // 60 s means: 167 buckets, under M4's bound at 100 pixels.
    const few = entry('mean', data, 60);
    const [kept] = lines(buildPlot({ entries: [few], widthPx: 100 }).traces);
    expect(Array.from(kept.y)).toEqual(Array.from(few.series.columns.value));
    expect(kept.x).toBe(few.series.x);
    // 10 s means: 1,000 buckets, over it.
    const many = entry('mean', data, 10);
    const [thinned] = lines(
      buildPlot({ entries: [many], widthPx: 100 }).traces
    );
    expect(thinned.x.length).toBeLessThanOrEqual(maxPointsFor(100));
    expect(thinned.x.length).toBeLessThan(many.series.x.length);
  });

  it('re-resolves a zoomed range from the full rows', () => {
    const x0 = data.columns._time[654_000];
    const x1 = data.columns._time[655_000];
    const plot = buildPlot({
      entries: [entry('mean', data, 'raw')],
      widthPx: 2000,
      xRange: [x0, x1]
    });
    const [line] = lines(plot.traces);
    // Every row in range fits: all 1000 are there, not a coarse subset.
    expect(line.x.length).toBeGreaterThan(1000);
    expect(max(line.y)).toBe(1e6);
    expect(plot.xExtent).toEqual([x0, x1]);
  });
});

describe('many runs in one plot', () => {
  const data = rows(6000, { total: i => Math.sin(i / 300) });
  const spiked = rows(6000, {
    total: i => (i === 4321 ? 1e4 : Math.sin(i / 300))
  });
  const runs = (count: number, channels = ['g.a']) =>
    Array.from({ length: count }, (_, r) =>
      channels.map(channel => ({
        ...entry('mean', r === count - 1 ? spiked : data, 60, channel),
        run: `run${r}`,
        legend: `run${r}`,
        colour: `#${String(r).padStart(2, '0')}77b4`
      }))
    ).flat();

  it('keeps each run its own band up to four runs', () => {
    const plot = buildPlot({ entries: runs(4), widthPx: 300 });
    const drawn = bands(plot.traces);
    expect(drawn).toHaveLength(4);
    expect(new Set(drawn.map(t => t.fillcolor)).size).toBe(4);
    expect(drawn.some(t => t.fillcolor === ENVELOPE_FILL)).toBe(false);
  });

  it("gives five runs' channel one grey band, their spike still in it", () => {
    const plot = buildPlot({ entries: runs(5), widthPx: 300 });
    const drawn = bands(plot.traces);
    expect(drawn).toHaveLength(1);
    expect(drawn[0].fillcolor).toBe(ENVELOPE_FILL);
    expect(drawn[0].showlegend).toBe(false);
    // The 60 s means average the spike away; the shared band keeps it.
    expect(max(lines(plot.traces)[4].y)).toBeLessThan(1e3);
    expect(max(drawn[0].y)).toBe(1e4);
    expect(plot.yExtent![1]).toBe(1e4);
    // Every run's line is still drawn, in its colour.
    expect(lines(plot.traces).map(t => t.line.color)).toEqual(
      runs(5).map(e => e.colour)
    );
  });

  it("draws the server's fold of the runs' bands as their shared band", () => {
    // The server sends each run's line without its band, and the runs'
    // bands folded into one: every run's points, as far as this plot goes.
    const own = runs(5);
    const all = own.map(e => e.series);
    const concat = (pick: (s: IChannelSeries) => Float64Array) =>
      Float64Array.from(all.flatMap(s => Array.from(pick(s))));
    const fold: IRunBand = {
      x: concat(s => s.x),
      lo: concat(s => s.band!.lo),
      hi: concat(s => s.band!.hi)
    };
    const folded = own.map(e => ({
      ...e,
      series: { ...e.series, band: undefined, sharedBand: fold }
    }));
    const plot = buildPlot({ entries: folded, widthPx: 300 });
    const drawn = bands(plot.traces);
    expect(drawn).toHaveLength(1);
    expect(drawn[0].meta).toEqual({ channel: 'g.a', runs: 5 });
    expect(max(drawn[0].y)).toBe(1e4);
    // The same band as folding each run's own in the page.
    const fromOwn = bands(buildPlot({ entries: own, widthPx: 300 }).traces);
    expect(Array.from(drawn[0].y)).toEqual(Array.from(fromOwn[0].y));
    expect(Array.from(drawn[0].x)).toEqual(Array.from(fromOwn[0].x));
  });

  it("leaves a hidden run's band out of the shared one", () => {
    // The last run holds the spike; hiding it (the params table) takes its
    // excursion out of the grey band, which the shown runs keep sharing.
    const hidden = new Set(['run5']);
    const plot = buildPlot({ entries: runs(6), widthPx: 300, hidden });
    const shared = bands(plot.traces).filter(
      t => t.fillcolor === ENVELOPE_FILL
    );
    expect(shared).toHaveLength(1);
    expect(max(shared[0].y)).toBeLessThan(2);
    // Its own band is there, for the plot to keep hidden with its line.
    const own = bands(plot.traces).filter(t => t.legendgroup === 'run5');
    expect(own).toHaveLength(1);
    expect(max(own[0].y)).toBe(1e4);
    // With two hidden, four are shown: each keeps its own band.
    const four = buildPlot({
      entries: runs(6),
      widthPx: 300,
      hidden: new Set(['run4', 'run5'])
    });
    expect(
      bands(four.traces).filter(t => t.fillcolor === ENVELOPE_FILL)
    ).toHaveLength(0);
  });

  it("keeps each group's band, its runs' spread, however many groups", () => {
    const groups = runs(6).map(e => ({
      ...e,
      series: { ...e.series, groupBand: true }
    }));
    const drawn = bands(buildPlot({ entries: groups, widthPx: 300 }).traces);
    expect(drawn).toHaveLength(6);
    expect(drawn.some(t => t.fillcolor === ENVELOPE_FILL)).toBe(false);
  });

  it('shares a band per channel: three labels, three outlines in one trace', () => {
    const entries = runs(20, ['g.a', 'g.b', 'g.c']);
    const plot = buildPlot({ entries, widthPx: 300 });
    const drawn = bands(plot.traces);
    expect(drawn).toHaveLength(1);
    // The labels' outlines, NaN between them.
    const gaps = Array.from(drawn[0].y as Float64Array).filter(Number.isNaN);
    expect(gaps).toHaveLength(2);
    expect(drawn[0].meta.channels).toEqual(['g.a', 'g.b', 'g.c']);
    expect(lines(plot.traces)).toHaveLength(60);
  });
});

describe('rawColumns', () => {
  it("gives each row's own value", () => {
    const data = rows(3, { total: i => i * 2, count: () => 2 });
    expect(Array.from(rawColumns('mean', data).value)).toEqual([0, 1, 2]);
    expect(Array.from(rawColumns('cumsum', data).value)).toEqual([0, 2, 6]);
    const nested = rows(2, { 'x.a': i => i, 'x.b': i => -i });
    expect(Object.keys(rawColumns('last', nested))).toEqual(['a', 'b']);
  });
});

describe('planGrid', () => {
  const refs = [
    { run: 'r1', channel: 'loss.train', kind: 'mean' },
    { run: 'r1', channel: 'loss.eval', kind: 'mean' },
    { run: 'r1', channel: 'hidden', kind: 'silent' },
    { run: 'r1', channel: 'lr', kind: 'last' },
    { run: 'r2', channel: 'loss.train', kind: 'mean' }
  ];

  it('makes one plot per group, hides silent kinds', () => {
    const plan = planGrid(refs.slice(0, 4), ['r1']);
    expect([...plan.keys()]).toEqual(['loss', 'lr']);
    const loss = plan.get('loss')!;
    expect(loss.map(m => m.legend)).toEqual(['eval', 'train']);
    expect(new Set(loss.map(m => m.colour)).size).toBe(2);
    expect(plan.get('lr')![0].showLegend).toBe(false);
  });

  it('colours by run when comparing, legend once per run', () => {
    const plan = planGrid(refs, ['r1', 'r2']);
    const loss = plan.get('loss')!;
    expect(loss.map(m => [m.run, m.label, m.showLegend])).toEqual([
      ['r1', 'eval', true],
      ['r1', 'train', false],
      ['r2', 'train', true]
    ]);
    expect(loss[0].colour).toBe(loss[1].colour);
    expect(loss[0].colour).not.toBe(loss[2].colour);
    expect(loss[0].dash).not.toBe(loss[1].dash);
  });

  it('shortens run names to their words', () => {
    expect(shortRunName('2024-01-02 03-04-05 neat-river lr-sweep')).toBe(
      'neat-river lr-sweep'
    );
    expect(shortRunName('odd')).toBe('odd');
  });
});

describe('appendedPoints', () => {
  const trace = (x: number[], y: number[], colour = 'red') => ({
    type: 'scatter',
    line: { color: colour },
    x: Float64Array.from(x),
    y: Float64Array.from(y)
  });

  it('gives the new points of each trace that grew', () => {
    const before = [trace([0, 1], [5, 6]), trace([0], [1])];
    const after = [trace([0, 1, 2, 3], [5, 6, 7, 8]), trace([0], [1])];
    const appended = appendedPoints(before, after)!;
    expect(appended.indices).toEqual([0]);
    expect(Array.from(appended.x[0])).toEqual([2, 3]);
    expect(Array.from(appended.y[0])).toEqual([7, 8]);
  });

  it('treats NaN gaps as equal and nothing new as an empty append', () => {
    const before = [trace([0, 1], [NaN, 6])];
    expect(appendedPoints(before, [trace([0, 1], [NaN, 6])])).toEqual({
      x: [],
      y: [],
      indices: []
    });
  });

  it('asks for a redraw when an old point changed, a trace was restyled or added', () => {
    const before = [trace([0, 1], [5, 6])];
    // A partial bucket's value was revised.
    expect(appendedPoints(before, [trace([0, 1, 2], [5, 6.5, 7])])).toBe(
      undefined
    );
    // Downsampling dropped an old point.
    expect(appendedPoints(before, [trace([0, 2], [5, 7])])).toBe(undefined);
    expect(appendedPoints(before, [trace([0, 1, 2], [5, 6, 7], 'blue')])).toBe(
      undefined
    );
    expect(
      appendedPoints(before, [trace([0, 1], [5, 6]), trace([0], [1])])
    ).toBe(undefined);
  });
});

describe('bandOutline', () => {
  const f = (...v: number[]) => Float64Array.from(v);

  it('goes along the lows, then back along the highs', () => {
    const outline = bandOutline(
      { x: f(0, 1, 2), y: f(1, 2, 3) },
      { x: f(0, 1, 2), y: f(4, 5, 6) }
    );
    expect(Array.from(outline.x)).toEqual([0, 1, 2, 2, 1, 0]);
    expect(Array.from(outline.y)).toEqual([1, 2, 3, 6, 5, 4]);
  });

  it('bridges empty buckets and keeps each edge’s own x', () => {
    const outline = bandOutline(
      { x: f(0, 1, 2), y: f(1, NaN, 3) },
      { x: f(0, 1.5, 2), y: f(4, 5, NaN) }
    );
    expect(Array.from(outline.x)).toEqual([0, 2, 1.5, 0]);
    expect(Array.from(outline.y)).toEqual([1, 3, 5, 4]);
  });

  it('takes only the rows given, when given', () => {
    const x = f(0, 1, 2, 3);
    const outline = bandOutline(
      { x, y: f(1, 9, NaN, 2), rows: Int32Array.from([0, 2, 3]) },
      { x, y: f(5, 0, 6, 7), rows: Int32Array.from([0, 2]) }
    );
    expect(Array.from(outline.x)).toEqual([0, 3, 2, 0]);
    expect(Array.from(outline.y)).toEqual([1, 2, 6, 5]);
  });

  it('is empty when no bucket has a min or max', () => {
    const none = { x: f(0, 1), y: f(NaN, NaN) };
    expect(bandOutline(none, none).x.length).toBe(0);
  });
});

describe('mergeBands', () => {
  const band = (fill: string, group: string, y: number[]) => ({
    x: Float64Array.from(y.map((_, i) => i)),
    y: Float64Array.from(y),
    fill: 'toself',
    fillcolor: fill,
    legendgroup: group,
    hoverinfo: 'skip',
    meta: { run: group, channel: `${group}.${y[0]}` }
  });

  it('joins one run’s bands into one trace, outlines split by a gap', () => {
    const merged = mergeBands([
      band('red', 'run-a', [1, 2]),
      band('blue', 'run-b', [5]),
      band('red', 'run-a', [3, 4, 3])
    ]);
    expect(merged).toHaveLength(2);
    const [a, b] = merged;
    expect(Array.from(a.y as Float64Array)).toEqual([1, 2, NaN, 3, 4, 3]);
    expect(Array.from(a.x as Float64Array)).toEqual([0, 1, NaN, 0, 1, 2]);
    expect(a.meta).toEqual({ run: 'run-a', channels: ['run-a.1', 'run-a.3'] });
    expect(Array.from(b.y as Float64Array)).toEqual([5]);
  });

  it('keeps runs apart when the palette repeats a colour', () => {
    const merged = mergeBands([
      band('red', 'run-a', [1]),
      band('red', 'run-k', [2])
    ]);
    expect(merged).toHaveLength(2);
  });

  it('merges a comparison’s bands per run in buildPlot', () => {
    const data = rows(600, { x: i => i % 7 });
    const entries = ['a', 'b'].flatMap(run =>
      ['g.x', 'g.y'].map(channel => ({
        ...entry('last', data, 60, channel),
        run,
        legend: run,
        colour: run === 'a' ? '#111111' : '#222222'
      }))
    );
    const plot = buildPlot({ entries, widthPx: 300 });
    expect(bands(plot.traces)).toHaveLength(2);
    expect(lines(plot.traces)).toHaveLength(4);
  });
});

describe('single points', () => {
  /** A channel logged once, at `t` seconds. */
  const once = (t: number): IColumnSet => ({
    length: 1,
    columns: { _time: Float64Array.of(t), x: Float64Array.of(0.93) }
  });
  const markerSizes = (trace: Record<string, any>): number[] =>
    Array.from(trace.marker?.size ?? []);

  it.each(['raw', 1, 60, 600] as const)(
    'draws a channel logged once as a marker at rule %s',
    rule => {
      const plot = buildPlot({
        entries: [entry('last', once(100), rule)],
        widthPx: 300
      });
      const [line] = lines(plot.traces);
      expect(line.mode).toBe('lines+markers');
      const at = Array.from(line.y as Float64Array).findIndex(v => v === 0.93);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(markerSizes(line)[at]).toBeGreaterThan(0);
    }
  );

  it('marks only the points with no neighbour to draw a line to', () => {
    // 0, 1, NaN, 3, NaN, 5, 6: the 3 is alone between gaps.
    const y = [0, 1, NaN, 3, NaN, 5, 6];
    const data = rows(y.length, { x: i => y[i] });
    const [line] = lines(
      buildPlot({ entries: [entry('last', data, 'raw')], widthPx: 300 }).traces
    );
    expect(line.mode).toBe('lines+markers');
    expect(markerSizes(line).map(s => s > 0)).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
      false
    ]);
  });

  it('leaves a connected line without markers', () => {
    const data = rows(100, { x: i => i });
    const [line] = lines(
      buildPlot({ entries: [entry('last', data, 'raw')], widthPx: 300 }).traces
    );
    expect(line.mode).toBe('lines');
    expect(line.marker).toBeUndefined();
  });
});

describe('smoothing', () => {
  const data = rows(600, { x: i => (i === 300 ? 100 : i % 2) });

  it('draws the smoothed line over the line as it is, faint', () => {
    const plain = buildPlot({
      entries: [entry('last', data, 'raw')],
      widthPx: 2000
    });
    const smoothed = buildPlot({
      entries: [entry('last', data, 'raw')],
      widthPx: 2000,
      smoothing: 0.9
    });
    expect(plain.traces).toHaveLength(1);
    expect(smoothed.traces).toHaveLength(2);
    const [under, over] = smoothed.traces as Record<string, any>[];
    // Beneath: every value as it is, the spike included; no hover, no legend.
    expect(max(under.y)).toBe(100);
    expect(under.opacity).toBeLessThan(1);
    expect(under.hoverinfo).toBe('skip');
    expect(under.showlegend).toBe(false);
    // On top: the EMA, which the spike only nudges, with the hover.
    expect(max(over.y)).toBeLessThan(20);
    expect(over.hovertemplate).toBeDefined();
    expect(Array.from(over.x)).toEqual(Array.from(under.x));
    expect(smoothed.yExtent).toEqual(plain.yExtent);
  });

  it('is off at 0', () => {
    const plot = buildPlot({
      entries: [entry('last', data, 'raw')],
      widthPx: 2000,
      smoothing: 0
    });
    expect(plot.traces).toHaveLength(1);
  });
});

describe('buildPlot axes', () => {
  const counter = rows(600, { x: i => i * 400 }); // up to 240 k
  const latency = rows(600, { total: i => 0.2 + (i % 7) / 100 });

  it('draws a group of one scale on one axis, with no yaxis key', () => {
    const plot = buildPlot({
      entries: [
        entry('mean', latency, 60, 'perf.latency'),
        entry('mean', rows(600, { total: () => 0.3 }), 60, 'perf.wait')
      ],
      widthPx: 300
    });
    expect(plot.axes).toHaveLength(1);
    expect(plot.traces.some(t => 'yaxis' in t)).toBe(false);
    expect(plot.axes[0].labels).toEqual(['latency', 'wait']);
    expect(plot.yTicks).toBe(plot.axes[0].yTicks);
  });

  it('gives a counter its own axis, each axis its own extent and ticks', () => {
    const plot = buildPlot({
      entries: [
        entry('last', counter, 60, 'perf.samples'),
        entry('mean', latency, 60, 'perf.latency')
      ],
      widthPx: 300
    });
    expect(plot.axes).toHaveLength(2);
    const [samples, lat] = plot.axes;
    expect(samples.yExtent![1]).toBeGreaterThan(200_000);
    expect(lat.yExtent![1]).toBeLessThan(1);
    expect(lat.yTicks.vals.every(v => Math.abs(v) < 1)).toBe(true);
    expect(plot.yExtent).toEqual(samples.yExtent);
    // Each line and its min–max band on its channel's axis.
    for (const trace of plot.traces) {
      const channel = (trace.meta as { channel: string }).channel;
      expect(trace.yaxis).toBe(channel === 'perf.samples' ? 'y' : 'y2');
    }
    expect(bands(plot.traces)).toHaveLength(2); // not merged across axes
  });

  it('applies the y zoom to the first axis only', () => {
    const plot = buildPlot({
      entries: [
        entry('last', counter, 60, 'perf.samples'),
        entry('mean', latency, 60, 'perf.latency')
      ],
      widthPx: 300,
      yRange: [1000, 2000]
    });
    expect(plot.axes[0].yTicks.vals.every(v => v >= 1000 && v <= 2000)).toBe(
      true
    );
    expect(plot.axes[1].yTicks.vals.every(v => Math.abs(v) < 1)).toBe(true);
  });

  it('keeps a channel of compared runs on one axis', () => {
    const lr = (v: number) => rows(600, { x: () => v });
    const run = (e: IPlotEntry, name: string) => ({ ...e, run: name });
    const plot = buildPlot({
      entries: [
        run(entry('last', lr(1e-3), 60, 'opt.lr'), 'a'),
        run(entry('mean', rows(600, { total: () => 2 }), 60, 'opt.gn'), 'a'),
        run(entry('last', lr(1e-4), 60, 'opt.lr'), 'b'),
        run(entry('mean', rows(600, { total: () => 3 }), 60, 'opt.gn'), 'b')
      ],
      widthPx: 300
    });
    expect(plot.axes.map(a => a.labels)).toEqual([['lr'], ['gn']]);
    const axisOf = (run: string, channel: string) =>
      new Set(
        lines(plot.traces)
          .filter(t => t.meta.run === run && t.meta.channel === channel)
          .map(t => t.yaxis)
      );
    expect(axisOf('a', 'opt.lr')).toEqual(new Set(['y']));
    expect(axisOf('b', 'opt.lr')).toEqual(new Set(['y']));
    expect(axisOf('b', 'opt.gn')).toEqual(new Set(['y2']));
  });
});
