/**
 * What one plot of the grid draws: its channels' series at the current rule
 * and range, each unreadable channel's error, and its CSV export.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { IPlotsData } from '../data/plotsData';
import { IGridMember, shortRunName } from '../series/grid';
import { IChannelSeries, PlotRule } from '../series/series';
import { IPlotEntry } from '../series/traces';
import { ICellContent } from './plotCell';

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
