/**
 * The monitor of one run: header, stats tree and log tails over a live
 * `RunModel`.
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { Panel } from '@lumino/widgets';
import { IRunChange, IWatchSource, RunModel } from '../runs';
import { IRunwatchAPI } from '../client';
import { MonitorHeader } from './header';
import { LogTails } from './logTail';
import { StatsTree } from './statsTree';
import { ParamsPanel } from '../steering/paramsPanel';

/** Options for a `MonitorWidget`. */
export interface IMonitorWidgetOptions {
  /** The run's name (already resolved). */
  run: string;
  /**
   * The store root the kernel saw (from the MIME bundle); a different root
   * on the server is reported with both paths.
   */
  expectedRoot?: string;
  api: IRunwatchAPI;
  /** The page's shared watch socket. */
  socket: IWatchSource;
  /** Passed to the model (tests run frames synchronously). */
  scheduleFrame?: (callback: () => void) => () => void;
  /** The clock, in ms since the epoch. */
  now?: () => number;
  /** The language of the monitor's texts (English without one). */
  translator?: ITranslator;
}

/** How often the age and bucket boundaries are re-checked. */
const TICK_MS = 1000;

/**
 * A live monitor of one run.
 *
 * #### Notes
 * Disposing it disposes the model, which releases the socket subscription
 * (the socket sends `unwatch` when no one else watches the run).
 */
export class MonitorWidget extends Panel {
  constructor(options: IMonitorWidgetOptions) {
    super();
    this.addClass('jp-runwatch-monitor');
    const api = options.api;
    const now = options.now ?? Date.now;
    const translator = options.translator;
    this._trans = (translator ?? nullTranslator).load('runwatch');
    this.model = new RunModel({
      run: options.run,
      api,
      socket: options.socket,
      scheduleFrame: options.scheduleFrame
    });
    this.header = new MonitorHeader(this.model, now, translator);
    this._banner = document.createElement('div');
    this._banner.className = 'jp-runwatch-banner';
    this._banner.hidden = true;
    const body = new Panel();
    body.addClass('jp-runwatch-monitor-body');
    this.logs = new LogTails(this.model, translator);
    this.stats = new StatsTree(this.model, now, translator);
    this.stats.onRuleChanged(rule => (this.header.rule = rule));
    this.header.rule = this.stats.rule;
    body.addWidget(this.logs);
    body.addWidget(this.stats);
    this.params = new ParamsPanel(options.run, translator);
    this.addWidget(this.header);
    this.node.appendChild(this._banner);
    this.addWidget(this.params);
    this.addWidget(body);
    this.model.changed.connect(this._onChange, this);
    this._timer = setInterval(() => this._onChange(), TICK_MS);
    if (options.expectedRoot) {
      void this._checkRoot(api, options.run, options.expectedRoot);
    }
  }

  /** The run followed. */
  readonly model: RunModel;
  readonly header: MonitorHeader;
  readonly stats: StatsTree;
  readonly logs: LogTails;
  /** The run's steerable params (hidden when it declared none). */
  readonly params: ParamsPanel;

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    clearInterval(this._timer);
    this.model.dispose();
    super.dispose();
  }

  private _onChange(_sender?: RunModel, change?: IRunChange): void {
    if (this.isDisposed) {
      return;
    }
    this.header.refresh();
    // A tick recomputes only when a bucket boundary passed.
    this.stats.refresh(change ?? NOTHING_CHANGED);
    if (change) {
      this.logs.refresh(change);
    }
    this.toggleClass('jp-mod-deleted', this.model.state === 'deleted');
  }

  /** Compare the kernel's store root with the server's. */
  private async _checkRoot(
    api: IRunwatchAPI,
    run: string,
    expected: string
  ): Promise<void> {
    let root: string;
    try {
      root = (await api.listRuns(escapeGlob(run))).root;
    } catch {
      return; // The model reports server errors itself.
    }
    if (this.isDisposed || sameRoot(root, expected)) {
      return;
    }
    this._banner.textContent = this._trans.__(
      "The kernel's run store is %1, but the Jupyter server reads %2. Set RUNWATCH_ROOT to the same folder for both (or the server setting), then restart the one that differs.",
      expected,
      root
    );
    this._banner.hidden = false;
  }

  private readonly _trans: TranslationBundle;
  private readonly _banner: HTMLElement;
  private readonly _timer: ReturnType<typeof setInterval>;
}

const NOTHING_CHANGED: IRunChange = {
  channels: new Set(),
  logs: new Set(),
  header: false
};

/** Escape fnmatch's special characters so a glob matches `name` only. */
export function escapeGlob(name: string): string {
  return name.replace(/[[*?]/g, c => `[${c}]`);
}

function sameRoot(a: string, b: string): boolean {
  const clean = (path: string) => path.replace(/[\\/]+$/, '');
  return clean(a) === clean(b);
}
