/**
 * The renderer of runwatch's MIME bundle, which `%monitor` and
 * `runwatch.monitor()` display in notebook outputs.
 */
import { IRenderMime } from '@jupyterlab/rendermime';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Panel, Widget } from '@lumino/widgets';
import type { IRunwatchClient } from '../tokens';
import { OutputModel } from './outputModel';

/** The MIME type of runwatch's widget bundles. */
export const RUNWATCH_MIME_TYPE = 'application/vnd.runwatch.v1+json';

/** The data of a runwatch bundle, as the kernel emits it. */
export interface IRunwatchBundle {
  /** Which widget: `monitor`, `review` or `view` (others may follow). */
  readonly widget: string;
  /** The resolved run name (`monitor`). */
  readonly run?: string;
  /** The resolved run names (`review`, `view`). */
  readonly runs?: string[];
  /** The sweep's name (`sweep`). */
  readonly name?: string;
  /** What the user asked for, e.g. `-1`. */
  readonly query?: string;
  /** The store root as the kernel saw it. */
  readonly root?: string;
}

/**
 * Hosts the live widget a bundle names.
 *
 * #### Notes
 * The output area disposes its renderers when the output is cleared or the
 * cell re-runs; disposing this disposes the monitor and so releases its
 * subscription. The widget talks only to the server, so it keeps working
 * while the kernel restarts or after it dies.
 */
export class RunwatchRenderer extends Panel implements IRenderMime.IRenderer {
  constructor(
    private readonly _client: IRunwatchClient,
    private readonly _translator?: ITranslator,
    private readonly _commands?: CommandRegistry
  ) {
    super();
    this.addClass('jp-runwatch-output');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const bundle = model.data[RUNWATCH_MIME_TYPE] as unknown as
      IRunwatchBundle | undefined;
    const key = JSON.stringify(bundle ?? null);
    if (key === this._key) {
      // The same bundle again (its text came after it): the widget stays,
      // and writes to the new model. Restarting would redo its work.
      this._model?.replace(model);
      return;
    }
    this._key = key;
    this._content?.dispose();
    this._model = new OutputModel(model);
    const content = await this._create(bundle, this._model);
    if (this.isDisposed || key !== this._key) {
      content.dispose(); // Cleared or replaced while the code loaded.
      return;
    }
    this._content = content;
    this.addWidget(content);
  }

  private async _create(
    bundle: IRunwatchBundle | undefined,
    model: OutputModel
  ): Promise<Widget> {
    if (bundle?.widget === 'monitor' && typeof bundle.run === 'string') {
      // Loaded on first use, to keep JupyterLab's start-up chunk small.
      const { MonitorWidget } = await import('../monitor/monitorWidget');
      return new MonitorWidget({
        run: bundle.run,
        expectedRoot: bundle.root,
        ...this._client,
        translator: this._translator
      });
    }
    if (
      (bundle?.widget === 'review' || bundle?.widget === 'view') &&
      Array.isArray(bundle.runs)
    ) {
      // plotly.js comes with it, in its own chunk, on first use.
      const { createPlotsOutput } = await import('../plots/output');
      return createPlotsOutput(
        { ...bundle, widget: bundle.widget, runs: bundle.runs },
        model,
        this._client,
        this._translator
      );
    }
    if (bundle?.widget === 'table' && this._commands) {
      // The datagrid comes with the table, on first use.
      const { RunsTableWidget } = await import('../table/runsTableWidget');
      const { openRunsWith } = await import('../table/openRuns');
      const table = new RunsTableWidget({
        open: openRunsWith(this._commands),
        query: bundle.query,
        translator: this._translator,
        fitRows: 12
      });
      table.addClass('jp-runwatch-table-output');
      return table;
    }
    if (bundle?.widget === 'sweep' && typeof bundle.name === 'string') {
      const { SweepWidget } = await import('../sweeps/sweepWidget');
      const commands = this._commands;
      const open = commands
        ? (await import('../table/openRuns')).openRunsWith(commands)
        : undefined;
      return new SweepWidget({
        name: bundle.name,
        open: open && ((kind, run) => open(kind, [run])),
        translator: this._translator
      });
    }
    const fallback = model.data['text/plain'];
    const trans = (this._translator ?? nullTranslator).load('runwatch');
    // An unknown widget (e.g. from a newer runwatch): show the snapshot.
    const pre = document.createElement('pre');
    pre.textContent =
      trans.__("runwatch can't show a '%1' widget.", String(bundle?.widget)) +
      '\n' +
      (typeof fallback === 'string' ? fallback : '');
    return new Widget({ node: pre });
  }

  dispose(): void {
    this._key = undefined;
    super.dispose();
  }

  private _content: Widget | undefined = undefined;
  private _key: string | undefined = undefined;
  private _model: OutputModel | undefined = undefined;
}

/**
 * The renderer factory for runwatch bundles, whose widgets use `client`.
 *
 * `safe`: the bundle is only names, which are shown as text, so untrusted
 * notebooks render it too. Rank 40 puts it ahead of `text/plain` (120).
 */
export function runwatchRendererFactory(
  client: IRunwatchClient,
  commands?: CommandRegistry
): IRenderMime.IRendererFactory {
  return {
    safe: true,
    mimeTypes: [RUNWATCH_MIME_TYPE],
    defaultRank: 40,
    // JupyterLab passes the app's translator in the renderer options.
    createRenderer: options =>
      new RunwatchRenderer(client, options.translator, commands)
  };
}
