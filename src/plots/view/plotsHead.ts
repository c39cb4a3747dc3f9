/**
 * Everything above a plots widget's grid, filled from its runs: the header
 * (its notes, x choices, badge, status line and a live view's pause), the
 * params table and the line that says which dash is which label.
 */
import { IPlotsData } from '../data/plotsData';
import { PlotRule } from '../series/series';
import { leftOutNote, runsWithout, xChoices } from '../series/xAxis';
import { Backlog } from './backlog';
import { headerLines } from './headerLines';
import { renderParamsTable } from './paramsTable';
import { PlotChoices } from './plotChoices';
import { IPlotsHeaderOptions, PlotsHeader } from './plotsHeader';

export interface IPlotsHeadOptions extends Omit<
  IPlotsHeaderOptions,
  'smoothing' | 'onSmoothing' | 'onFilter' | 'xDisabled'
> {
  readonly data: IPlotsData;
  /** Set by the header's search and smoothing, and the params table. */
  readonly choices: PlotChoices;
  /** The x a live view was asked for (it draws against time). */
  readonly xAsked: string | undefined;
}

export class PlotsHead {
  constructor(options: IPlotsHeadOptions) {
    const { choices, trans } = options;
    this._options = options;
    this._header = new PlotsHeader({
      ...options,
      onFilter: text => choices.filter(text),
      smoothing: choices.smoothing,
      onSmoothing: weight => (choices.smoothing = weight),
      xDisabled: options.live
        ? trans.__(
            'A live view draws against time; %review --x CHANNEL draws against a step or counter'
          )
        : undefined
    });
    this._params.className = 'jp-runwatch-plots-params';
    this._params.hidden = true;
    this.dashes.className = 'jp-runwatch-plots-dashes';
    this.dashes.hidden = true;
    this.nodes = [
      this._header.node,
      this._params,
      this.dashes,
      this._header.message
    ];
    // The head shows what is hidden and searched, not the smoothing.
    choices.changed.connect((_, choice) => {
      if (choice !== 'smoothing') {
        this.markDirty();
      }
    }, this);
  }

  /** The head's nodes, in page order. */
  readonly nodes: readonly HTMLElement[];

  /** The line under the params table (a draw pass fills it). */
  readonly dashes = document.createElement('div');

  /** Comparing runs whose params differ: their table is the one legend. */
  get sharedLegend(): boolean {
    return this._options.runs.length > 1 && !this._params.hidden;
  }

  set rule(rule: PlotRule) {
    this._header.rule = rule;
  }

  get paused(): boolean {
    return this._paused;
  }

  /**
   * Pause or resume a live view: the status counts the rows that arrive
   * while paused, then, for a while, how many it caught up.
   */
  set paused(paused: boolean) {
    if (paused !== this._paused) {
      const rows = this._options.data.rowsHeld();
      if (paused) {
        this._backlog.pause(rows);
      } else {
        this._backlog.resume(rows, Date.now());
      }
    }
    this._paused = paused;
    this._header.paused = paused;
    this.markDirty();
  }

  setStatus(text: string): void {
    this._header.setStatus(text);
  }

  /** What the head shows changed: the next `render` fills it again. */
  markDirty(): void {
    this._dirty = true;
  }

  /** Fill the head for x `x`, if it changed since last filled or `always`. */
  render(x: string | undefined, always: boolean): void {
    if (!this._dirty && !always) {
      return;
    }
    this._dirty = false;
    const { data, choices, runs, xAsked, trans } = this._options;
    const backlog = this._options.live
      ? this._backlog.note(data.rowsHeld(), Date.now())
      : '';
    const head = headerLines(data, runs, backlog, trans);
    const leftOut = leftOutNote(x, runsWithout(x, data.sources), trans);
    const liveOnTime =
      xAsked !== undefined
        ? trans.__(
            "A live view draws against time, not '%1': %review --x %1 draws against it",
            xAsked
          )
        : undefined;
    this._header.setMessage(
      [...head.notes, leftOut, liveOnTime].filter(
        (line): line is string => line !== undefined
      )
    );
    this._header.setXChoices(xChoices(data.sources), x);
    if (head.badge) {
      this._header.setBadge(head.badge.text, head.badge.mixed);
    }
    const filtered =
      choices.filterText &&
      !data.sources.some(({ channels }) =>
        [...channels.keys()].some(choices.channelFilter)
      );
    this._header.setStatus(
      filtered
        ? trans.__('no channel matches %1', choices.filterText)
        : head.status
    );
    renderParamsTable(
      this._params,
      data.sources.map(s => ({ run: s.run, params: s.info.params })),
      { hidden: choices.hidden, toggle: key => choices.toggle(key), trans }
    );
  }

  private readonly _options: IPlotsHeadOptions;
  private readonly _header: PlotsHeader;
  private readonly _params = document.createElement('table');
  private readonly _backlog = new Backlog();
  private _paused = false;
  private _dirty = true;
}
