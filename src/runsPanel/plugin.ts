/**
 * The runs panel in the left sidebar; other features add their buttons to
 * its rows through `IRunsPanel`.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandIDs, IRunsPanel, IRunwatchClient } from '../tokens';
import { runsIcon } from '../icons';
// The panel is the `IRunsPanel` service other plugins add their buttons to
// at activation, and a restored sidebar shows it at start; beyond the client
// (loaded at start anyway) it brings only ~8 kB of filtering and formatting.
// eslint-disable-next-line jupyter/prefer-lazy-imports
import { RunsPanel } from './panel';

const PLUGIN_ID = 'runwatch:runs-panel';

export const runsPanelPlugin: JupyterFrontEndPlugin<IRunsPanel> = {
  id: PLUGIN_ID,
  description: "A sidebar listing the run store's runs, newest first.",
  autoStart: true,
  requires: [IRunwatchClient],
  optional: [ICommandPalette, ITranslator],
  provides: IRunsPanel,
  activate: (
    app: JupyterFrontEnd,
    client: IRunwatchClient,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): IRunsPanel => {
    const trans = (translator ?? nullTranslator).load('runwatch');
    const panel = new RunsPanel({
      open: run => void app.commands.execute(CommandIDs.monitorRun, { run }),
      openTable: query =>
        void app.commands.execute(CommandIDs.openRunsTable, { query }),
      api: client.api,
      socket: client.socket,
      translator: translator ?? undefined
    });
    panel.id = 'runwatch-runs-panel';
    panel.title.icon = runsIcon;
    panel.title.caption = trans.__('runwatch: runs');
    app.shell.add(panel, 'left', { rank: 600 });

    app.commands.addCommand(CommandIDs.openRunsPanel, {
      label: trans.__('Open Runs Panel'),
      describedBy: { args: { type: 'object', properties: {} } },
      caption: trans.__("Show the run store's runs in the left sidebar"),
      execute: () => app.shell.activateById(panel.id)
    });
    palette?.addItem({
      command: CommandIDs.openRunsPanel,
      category: trans.__('runwatch')
    });
    return panel;
  }
};
