/**
 * What one plot of the grid draws: its channels' series at the current rule
 * and range, each unreadable channel's error, and its CSV export.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { IPlotsData } from '../data/plotsData';
import { IGridMember, shortRunName } from '../series/grid';
import { IChannelSeries, PlotRule } from '../series/series';
import { IPlotEntry } from '../series/traces';
import { IPlotMark } from '../series/steerMarks';

/** What a cell draws: its plot entries and every channel's error. */
export interface ICellContent {
  readonly entries: readonly IPlotEntry[];
  /** `run: channel: reason` for each channel that can't be drawn. */
  readonly errors: readonly string[];
  /** Every row of the cell's channels and runs, as CSV. */
  readonly csv: () => Promise<Blob>;
  /** Where the server streams that CSV as a download, if it can. */
  readonly csvUrl?: () => string | undefined;
  readonly runs: readonly string[];
  /** The x range the grid's plots share when not zoomed (`gridSpan`). */
  readonly xSpan?: readonly [number, number];
  /** The channel x is (a step or counter); none: time. */
  readonly xChannel?: string;
  /** The EMA weight drawn over each line (0 or none: off). */
  readonly smoothing?: number;
  /** Legend entries (runs, or labels) hidden in every plot of the grid. */
  readonly hidden?: ReadonlySet<string>;
  /** Params changed while the runs trained: a dotted line each. */
  readonly marks?: readonly IPlotMark[];
  /** The grid shows one legend for all plots (the params table). */
  readonly sharedLegend?: boolean;
}

/** The part of `IPlotsData` a plot's content is read from. */
export type ICellData = Pick<
  IPlotsData,
  'sources' | 'series' | 'csv' | 'csvUrl'
>;

/** A plot as its content needs it. */
export interface ICellRequest {
  readonly group: string;
  readonly members: readonly IGridMember[];
  readonly rule: PlotRule;
  /** The zoomed x range, or none. */
  readonly range: readonly [number, number] | undefined;
  /** Every run shown (errors name the run when there are several). */
  readonly runs: readonly string[];
}

/**
 * A group's entries at `rule`, and its channels' errors.
 *
 * #### Notes
 * A channel that can't be drawn (listed with an error, or its series
 * throws) becomes one `channel: reason` line, run-qualified when comparing,
 * while the rest draw. When every channel is readable but none has a row,
 * the plot says "no rows yet" rather than stay blank. The CSV leaves out
 * the channels with errors.
 */
export function cellContent(
  data: ICellData,
  request: ICellRequest,
  trans: TranslationBundle
): ICellContent {
  const { group, members, rule, range, runs } = request;
  const error = (member: IGridMember) =>
    data.sources.find(s => s.run === member.run)!.channels.get(member.channel)!
      .error;
  const entries: IPlotEntry[] = [];
  const errors: string[] = [];
  let empty = 0;
  for (const member of members) {
    const listed = error(member);
    const where =
      runs.length > 1
        ? `${shortRunName(member.run)}: ${member.channel}`
        : member.channel;
    let series: IChannelSeries | undefined;
    try {
      if (listed) {
        throw new Error(listed);
      }
      series = data.series(group, member, rule, range);
    } catch (failure) {
      errors.push(`${where}: ${(failure as Error).message}`);
      continue;
    }
    if (!series || series.x.length === 0) {
      empty++;
      continue;
    }
    entries.push({ ...member, series });
  }
  if (entries.length === 0 && errors.length === 0 && empty > 0) {
    errors.push(trans.__('no rows yet'));
  }
  const readable = members.filter(member => !error(member));
  return {
    entries,
    errors,
    csv: () => data.csv(readable),
    csvUrl: () => data.csvUrl(readable),
    runs
  };
}
