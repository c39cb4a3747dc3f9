/**
 * What the plots widget draws from, behind one interface: a review's
 * series, reduced by the server per rule, range and pixel width
 * (`ReviewData`); or a live view's rows, followed through the watch socket
 * and resolved in the page (`LiveData`).
 */
import { ISignal } from '@lumino/signaling';
import { IGridMember } from '../series/grid';
import { IChannelSeries, PlotRule } from '../series/series';
import { IPlotRun } from './sources';

/** A plot the user zoomed: its group, x range (or none) and width. */
export interface IPlotView {
  readonly group: string;
  readonly range: readonly [number, number] | undefined;
  /** Device pixels across the plot. */
  readonly bins: number;
}

export interface IPlotsData {
  /** Follows the runs as they are written. */
  readonly live: boolean;
  /** The runs, in the order the kernel gave them. */
  readonly sources: readonly IPlotRun[];
  /** Settles once every run is listed (review) or loaded (view). */
  readonly ready: Promise<void>;
  /** The groups whose plots changed; `[]` when only the header did. */
  readonly changed: ISignal<IPlotsData, readonly string[]>;
  /** Requests under way. */
  readonly busy: boolean;
  /** Settles once no request is under way. */
  idle(): Promise<void>;
  /** Draw at `rule`; `zoomed` are the plots the user zoomed in. */
  setRule(rule: PlotRule, zoomed: readonly IPlotView[]): void;
  /** A plot was zoomed (or reset, with no range). */
  zoom(view: IPlotView, rule: PlotRule): void;
  /**
   * Whether plots of many runs may take their bands folded into one by the
   * server: not while some runs are hidden, whose bands the fold holds
   * (`zoomed`: the plots the user zoomed in, asked for again then).
   */
  setShareBands?(share: boolean, zoomed: readonly IPlotView[]): void;
  /**
   * A channel's series for a plot of `group` at `rule` over `range`;
   * `undefined` while there is none yet.
   *
   * @throws an Error with the reason it can't be drawn.
   */
  series(
    group: string,
    member: IGridMember,
    rule: PlotRule,
    range: readonly [number, number] | undefined
  ): IChannelSeries | undefined;
  /** A plot must wait: some of its channels are still coming at `rule`. */
  waiting(members: readonly IGridMember[], rule: PlotRule): boolean;
  /** Every row of `members` as CSV. */
  csv(members: readonly IGridMember[]): Promise<Blob>;
  /** Where the server streams that CSV as a download, if it can. */
  csvUrl(members: readonly IGridMember[]): string | undefined;
  /** Rows the runs hold now (a live view's backlog counts them). */
  rowsHeld(): number;
  /** Each run's state (`live`, `finished`, …); none for a snapshot. */
  badges(): readonly string[];
  dispose(): void;
}
