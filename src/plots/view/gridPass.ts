/**
 * One draw pass over a plots widget's grid: plan the plots from the runs'
 * channels, add the plots whose channels are all in, compute every due
 * plot's content (so the grid's shared x span is known first), then draw
 * them top first, giving the page a turn after each.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { IPlotsData } from '../data/plotsData';
import { planGrid } from '../series/grid';
import { seriesSpan } from '../series/gridSpan';
import { PlotRule } from '../series/series';
import { IPlotMark } from '../series/steerMarks';
import { runsWithout } from '../series/xAxis';
import { cellContent } from './cellContent';
import { renderDashLegend } from './dashLegend';
import { IDrawPass } from './drawScheduler';
import { PlotCell } from './plotCell';
import { PlotGrid } from './plotGrid';
import { IPlotTheme } from './theme';
import { yieldToBrowser } from './yieldToBrowser';

/** What a pass reads of its widget, as it is when the pass starts. */
export interface IGridPassState {
  readonly data: IPlotsData;
  readonly runs: readonly string[];
  readonly live: boolean;
  readonly rule: PlotRule;
  /** The channel x is (none: time). */
  readonly x: string | undefined;
  readonly channelFilter: (channel: string) => boolean;
  readonly smoothing: number;
  readonly hidden: ReadonlySet<string>;
  readonly sharedLegend: boolean;
  readonly theme: IPlotTheme;
  readonly trans: TranslationBundle;
  /** Each run's applied param changes, on the grid's x. */
  marks(xChannel: string | undefined): IPlotMark[];
  /** A new plot for `group` (not yet in the grid). */
  createCell(group: string): PlotCell;
  /** The widget is gone: draw no more. */
  disposed(): boolean;
  /** A plot was drawn (the first one times the bench's first plot). */
  drawn(): void;
}

/** The parts of the widget a pass lays out and draws into. */
export interface IGridParts {
  readonly grid: PlotGrid;
  /** The line under the params table that says which dash is which label. */
  readonly dashes: HTMLElement;
}

/** Each grid's last plan, and the channels and runs it was made from. */
const plans = new WeakMap<
  PlotGrid,
  { key: string; plan: ReturnType<typeof planGrid> }
>();

/**
 * `planGrid`'s plan, kept while the channels and runs are the same: a review
 * passes over its grid at every batch of frames, and a glob's 1,200
 * channels took 3 ms to plan each time.
 */
function plannedFor(
  grid: PlotGrid,
  refs: readonly { run: string; channel: string; kind: string }[],
  runs: readonly string[]
): ReturnType<typeof planGrid> {
  const key = JSON.stringify([runs, refs.map(r => [r.run, r.channel, r.kind])]);
  const kept = plans.get(grid);
  if (kept?.key === key) {
    return kept.plan;
  }
  const plan = planGrid(refs, runs);
  plans.set(grid, { key, plan });
  return plan;
}

/**
 * Draw one pass; resolves to the groups drawn before the grid's span grew
 * (to draw again with it), none once the widget is disposed.
 */
export async function drawGridPass(
  state: IGridPassState,
  parts: IGridParts,
  { all, groups }: IDrawPass
): Promise<string[]> {
  const { data, rule, x } = state;
  const { grid } = parts;
  const { spans } = grid;
  // On a counter x, the runs that don't log it are left out (and named).
  const leftOut = new Set(runsWithout(x, data.sources));
  const refs = data.sources
    .filter(({ run }) => !leftOut.has(run))
    .flatMap(({ run, channels }) =>
      [...channels.values()].map(c => ({ run, channel: c.name, kind: c.kind }))
    )
    .filter(ref => state.channelFilter(ref.channel));
  const plan = plannedFor(grid, refs, state.runs);
  renderDashLegend(
    parts.dashes,
    [...plan.values()].flat(),
    state.runs.length > 1
  );
  spans.retain(new Set(plan.keys()));
  const due = grid.layout(plan, {
    // A plot is drawn once all its channels are in.
    drawable: members => !data.waiting(members, rule),
    redraw: group => all || groups.has(group),
    create: group => state.createCell(group)
  });
  // Every due plot's series first, so the grid's shared x span is known
  // before any is drawn (a turn for the page after each).
  const contents = [];
  for (const [cell, members] of due) {
    const content = cellContent(
      data,
      {
        group: cell.group,
        range: cell.xRange,
        members,
        rule,
        runs: state.runs
      },
      state.trans
    );
    if (!cell.xRange) {
      spans.update(cell.group, seriesSpan(content.entries, rule, x));
    }
    contents.push({ ...content, xChannel: x });
    await yieldToBrowser();
  }
  // Every plot's width read at once: read in each plot's own task, after
  // the one before had changed the page, each read laid the page out again
  // (24 forced layouts, ~75 ms of a glob's first review). A grid's columns
  // keep their widths as plots are drawn; a resize draws every plot again.
  const widths = due.map(([cell]) => cell.node.clientWidth);
  // One plotly draw costs 20-40 ms: give the page a turn after each,
  // never one long task.
  for (const [i, [cell]] of due.entries()) {
    if (state.disposed() || !grid.holds(cell)) {
      continue;
    }
    await cell.render(
      {
        ...contents[i],
        xSpan: spans.drawWith(cell.group),
        smoothing: state.smoothing,
        hidden: state.hidden,
        sharedLegend: state.sharedLegend,
        marks: state.marks(contents[i].xChannel)
      },
      state.theme,
      widths[i]
    );
    state.drawn();
    await yieldToBrowser();
  }
  if (state.disposed()) {
    return [];
  }
  // Plots drawn before the span grew are drawn again with it (a live
  // view's at every 1 % it grows, not every row).
  return spans
    .stale(state.live ? 0.01 : 0)
    .filter(group => !grid.cells.get(group)?.xRange);
}
