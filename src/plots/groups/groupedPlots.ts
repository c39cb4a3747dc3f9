/**
 * A review of several runs that can group them: the grouping bar, then the
 * plots of the runs (no grouping) or of their groups (one line each, with
 * a band and n, aggregated by the server). Changing the grouping draws the
 * plots again; the runs' listings are kept.
 */
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Panel, Widget } from '@lumino/widgets';
import { IRunwatchAPI } from '../../client';
import { IWatchSource } from '../../runs';
import { SnapshotRun } from '../data/sources';
import { differingParams } from '../series/compare';
import { PlotsWidget } from '../view/plotsWidget';
import { groupBar } from './groupBar';
import {
  autoGroupKeys,
  DEFAULT_GROUP_OPTIONS,
  DEFAULT_SEED_PARAMS,
  GroupBy,
  groupKeys,
  groupRuns,
  groupsByDefault,
  IGroupOptions,
  splitRuns
} from './grouping';
import { GroupRun } from './groupRun';
import { GroupSeriesReader } from './groupSeriesReader';

export interface IGroupedPlotsOptions {
  readonly runs: readonly string[];
  readonly query?: string;
  /** `--group`: absent lets the runs decide (`groupsByDefault`). */
  readonly group?: GroupBy;
  /** `--split`: one column of plots per value of this param. */
  readonly split?: string;
  /** `--x`: the channel x starts on (a step or counter); absent: time. */
  readonly x?: string;
  readonly api: IRunwatchAPI;
  readonly socket: IWatchSource;
  readonly translator?: ITranslator;
  readonly seedParams?: readonly string[];
}

export class GroupedPlots extends Panel {
  constructor(private readonly _options: IGroupedPlotsOptions) {
    super();
    this.addClass('jp-runwatch-grouped');
    this._members = _options.runs.map(
      run => new SnapshotRun(run, _options.api)
    );
    this.ready = this._start();
  }

  /** Settles once the first plots are ready. */
  readonly ready: Promise<void>;

  /** The plots shown now (the first column's, when split). */
  get plots(): PlotsWidget | undefined {
    return this._all[0];
  }

  /** The grouping in use. */
  get grouping(): IGroupOptions {
    return this._grouping;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    super.dispose();
    this._members.forEach(m => m.dispose());
  }

  private async _start(): Promise<void> {
    await Promise.all(this._members.map(m => m.ready));
    if (this.isDisposed) {
      return;
    }
    const seeds = this._options.seedParams ?? DEFAULT_SEED_PARAMS;
    const params = this._params();
    const by =
      this._options.group ?? (groupsByDefault(params, seeds) ? 'auto' : 'none');
    this._grouping = {
      ...DEFAULT_GROUP_OPTIONS,
      by,
      split: this._options.split
    };
    const trans = (this._options.translator ?? nullTranslator).load('runwatch');
    const bar = groupBar({
      keys: differingParams(params).keys,
      autoKeys: autoGroupKeys(params, seeds),
      initial: this._grouping,
      onChange: grouping => {
        this._grouping = grouping;
        void this._show();
      },
      trans
    });
    this.insertWidget(0, new Widget({ node: bar }));
    await this._show();
  }

  private _params() {
    return this._members.map(m => ({ run: m.run, params: m.info.params }));
  }

  /** Replace the plots with the grouping's: one column per split value. */
  private async _show(): Promise<void> {
    const split = this._grouping.split;
    const columns = split
      ? splitRuns(this._params(), split)
      : [{ label: '', runs: [...this._options.runs] }];
    const shown = new Panel();
    shown.addClass('jp-runwatch-split');
    const plots = columns.map(column => {
      const widget = this._plotsOf(column.runs, column.label);
      if (column.label) {
        widget.node.dataset.split = column.label;
      }
      shown.addWidget(widget);
      return widget;
    });
    this._shown?.dispose();
    this._shown = shown;
    this._all = plots;
    this.addWidget(shown);
    await Promise.all(plots.map(p => p.ready));
  }

  /** The plots of `runs`, grouped as the bar says; `label` heads a split column. */
  private _plotsOf(runs: readonly string[], label: string): PlotsWidget {
    const seeds = this._options.seedParams ?? DEFAULT_SEED_PARAMS;
    const { api, socket, translator } = this._options;
    const query = label || this._options.query;
    // A new grouping keeps the x the user chose.
    const x = this._all.length > 0 ? this._all[0].x : this._options.x;
    const params = this._params().filter(p => runs.includes(p.run));
    const keys = groupKeys(params, this._grouping.by, seeds);
    const byRun = new Map(this._members.map(m => [m.run, m]));
    if (keys === undefined) {
      return new PlotsWidget({
        runs,
        live: false,
        query,
        api,
        socket,
        translator,
        x,
        listed: runs.map(run => byRun.get(run)!)
      });
    }
    const groups = groupRuns(params, keys);
    const trans = (translator ?? nullTranslator).load('runwatch');
    const title = trans._n(
      '%1 group of %2 runs',
      '%1 groups of %2 runs',
      groups.length,
      runs.length
    );
    const plots = new PlotsWidget({
      title: query ? trans.__('%1 · %2', title, query) : title,
      runs: groups.map(g => g.label),
      live: false,
      query,
      api,
      socket,
      translator,
      x,
      sources: {
        sources: groups.map(
          g =>
            new GroupRun(
              g,
              g.runs.map(run => byRun.get(run)!)
            )
        ),
        reader: new GroupSeriesReader(
          new Map(groups.map(g => [g.label, g.runs])),
          () => this._grouping
        )
      }
    });
    plots.node.dataset.groups = String(groups.length);
    return plots;
  }

  private readonly _members: SnapshotRun[];
  private _shown: Panel | undefined = undefined;
  private _all: PlotsWidget[] = [];
  private _grouping: IGroupOptions = DEFAULT_GROUP_OPTIONS;
}
