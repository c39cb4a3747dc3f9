import { nullTranslator } from '@jupyterlab/translation';
import { GridSpans, seriesSpan } from './gridSpan';
import { buildPlot, IPlotEntry } from './traces';
import { xTicksFor } from './ticks';
import { leftOutNote, runsWithout, xChoices } from './xAxis';

/** The channel's label after its group (a test value, not UI text). */
const LABEL = 'loss.train'.slice('loss.'.length);

const trans = nullTranslator.load('runwatch');

/** A run listing `channels` as name → kind. */
const run = (name: string, channels: Record<string, string>) => ({
  run: name,
  channels: new Map(Object.entries(channels).map(([c, kind]) => [c, { kind }]))
});

/** A line over `x` (steps) of one run. */
const entry = (x: number[]): IPlotEntry => ({
  run: 'r',
  channel: 'loss.train',
  label: LABEL,
  series: {
    x: Float64Array.from(x),
    columns: { value: Float64Array.from(x, v => 1 / (1 + v)) },
    style: 'line'
  },
  colour: '#000',
  legend: 'train',
  showLegend: true
});

describe('x by step', () => {
  it("offers the runs' last and cumsum channels, step-like counters first", () => {
    const choices = xChoices([
      run('a', {
        'loss.train': 'mean',
        'opt.lr': 'last',
        step: 'last',
        'perf.samples': 'cumsum',
        'gpu.util': 'max_percent'
      }),
      run('b', { frames: 'cumsum', 'env.step': 'last', step: 'last' })
    ]);
    expect(choices).toEqual([
      'env.step',
      'frames',
      'perf.samples',
      'step',
      'opt.lr'
    ]);
  });

  it("leaves out a channel listed with an error: it can't be x", () => {
    const broken = {
      run: 'a',
      channels: new Map([['step', { kind: 'last', error: 'bad header' }]])
    };
    expect(xChoices([broken])).toEqual([]);
  });

  it('names, in one note, the runs that log no such channel', () => {
    const runs = [run('fast', { step: 'last' }), run('old', { loss: 'mean' })];
    expect(runsWithout(undefined, runs)).toEqual([]);
    expect(runsWithout('step', runs)).toEqual(['old']);
    expect(leftOutNote('step', ['old'], trans)).toBe(
      "old: left out: it logs no channel 'step' to draw it against (runs written by pavlov log no step); pick x: time to see it"
    );
    expect(leftOutNote('step', ['p1', 'p2'], trans)).toBe(
      "2 runs left out: they log no channel 'step' to draw them against (runs written by pavlov log no step); pick x: time to see them: p1, p2"
    );
    expect(leftOutNote(undefined, ['old'], trans)).toBeUndefined();
    expect(leftOutNote('step', [], trans)).toBeUndefined();
  });

  it('ticks a counter with SI numbers, never clock times', () => {
    expect(xTicksFor('step', 0, 20000, 5).text).toEqual([
      '0',
      '5k',
      '10k',
      '15k',
      '20k'
    ]);
    expect(xTicksFor(undefined, 0, 120, 3).text).toEqual(['0m', '1m', '2m']);
  });

  it('draws a plot on steps with SI ticks and a "step 12.3k" hover', () => {
    const plot = buildPlot({
      entries: [entry([0, 6000, 12300])],
      widthPx: 300,
      xChannel: 'step'
    });
    expect(plot.xExtent).toEqual([0, 12300]);
    expect(plot.xTicks.text).toContain('10k');
    expect(plot.xTicks.text.some(t => /[smhd]$/.test(t))).toBe(false);
    expect(plot.xHoverTitle).toBe('step %{x:.4~s}');
    const onTime = buildPlot({ entries: [entry([0, 60, 120])], widthPx: 300 });
    expect(onTime.xHoverTitle).toBeUndefined();
    expect(onTime.xTicks.text).toContain('1m00');
  });

  it("spans a grid on steps without adding a bucket's seconds", () => {
    // Bucketed at 60 s, a run that reached step 30 spans 0-30, not 0-60.
    expect(seriesSpan([entry([0, 10, 30])], 60, 'step')).toEqual([0, 30]);
    expect(seriesSpan([entry([0, 10, 30])], 60)).toEqual([0, 60]);
    // A new x starts the grid's span afresh: seconds and steps never mix.
    const spans = new GridSpans();
    spans.update('loss', [0, 3600]);
    spans.clear();
    spans.update('loss', seriesSpan([entry([0, 500])], 60, 'step'));
    expect(spans.span).toEqual([0, 500]);
  });
});
