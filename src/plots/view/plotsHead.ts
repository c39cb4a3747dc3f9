/**
 * Everything above a plots widget's grid, filled from its runs: the header's
 * notes, x choices, badge and status line, and the params table.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { IPlotsData } from '../data/plotsData';
import { leftOutNote, runsWithout, xChoices } from '../series/xAxis';
import { headerLines } from './headerLines';
import { renderParamsTable } from './paramsTable';
import { PlotsHeader } from './plotsHeader';

/** What the head shows, as the widget holds it now. */
export interface IPlotsHeadState {
  readonly data: IPlotsData;
  readonly runs: readonly string[];
  /** A live view's paused or caught-up note, or ''. */
  readonly backlog: string;
  /** The channel x is (none: time). */
  readonly x: string | undefined;
  /** The x a live view was asked for (it draws against time). */
  readonly xAsked: string | undefined;
  /** The channel search as typed, and the filter it makes. */
  readonly filterText: string;
  readonly channelFilter: (channel: string) => boolean;
  /** Runs (legend keys) hidden in every plot, and how to toggle one. */
  readonly hidden: ReadonlySet<string>;
  toggle(key: string): void;
  readonly trans: TranslationBundle;
}

/** Fill `header` and the params `table` from `state`. */
export function renderPlotsHead(
  header: PlotsHeader,
  table: HTMLTableElement,
  state: IPlotsHeadState
): void {
  const { data, x, trans } = state;
  const head = headerLines(data, state.runs, state.backlog, trans);
  const leftOut = leftOutNote(x, runsWithout(x, data.sources), trans);
  const liveOnTime =
    state.xAsked !== undefined
      ? trans.__(
          "A live view draws against time, not '%1': %review --x %1 draws against it",
          state.xAsked
        )
      : undefined;
  header.setMessage(
    [...head.notes, leftOut, liveOnTime].filter(
      (line): line is string => line !== undefined
    )
  );
  header.setXChoices(xChoices(data.sources), x);
  if (head.badge) {
    header.setBadge(head.badge.text, head.badge.mixed);
  }
  const filtered =
    state.filterText &&
    !data.sources.some(({ channels }) =>
      [...channels.keys()].some(state.channelFilter)
    );
  header.setStatus(
    filtered ? trans.__('no channel matches %1', state.filterText) : head.status
  );
  renderParamsTable(
    table,
    data.sources.map(s => ({ run: s.run, params: s.info.params })),
    { hidden: state.hidden, toggle: state.toggle, trans }
  );
}
