/**
 * The runs panel in the left sidebar; other features add their buttons to
 * its rows through `IRunsPanel`.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { CommandIDs, IRunsPanel, IRunwatchClient } from '../tokens';
import { runsIcon } from '../icons';
import { RunsPanel } from './panel';

const PLUGIN_ID = 'runwatch:runs-panel';

export const runsPanelPlugin: JupyterFrontEndPlugin<IRunsPanel> = {
  id: PLUGIN_ID,
  description: "A sidebar listing the run store's runs, newest first.",
  autoStart: true,
  requires: [IRunwatchClient],
  optional: [ICommandPalette],
  provides: IRunsPanel,
  activate: (
    app: JupyterFrontEnd,
    client: IRunwatchClient,
    palette: ICommandPalette | null
  ): IRunsPanel => {
    const panel = new RunsPanel({
      open: run => void app.commands.execute(CommandIDs.monitorRun, { run }),
      api: client.api,
      socket: client.socket
    });
    panel.id = 'runwatch-runs-panel';
    panel.title.icon = runsIcon;
    panel.title.caption = 'runwatch: runs';
    app.shell.add(panel, 'left', { rank: 600 });

    app.commands.addCommand(CommandIDs.openRunsPanel, {
      label: 'Open Runs Panel',
      describedBy: { args: { type: 'object', properties: {} } },
      caption: "Show the run store's runs in the left sidebar",
      execute: () => app.shell.activateById(panel.id)
    });
    palette?.addItem({
      command: CommandIDs.openRunsPanel,
      category: 'runwatch'
    });
    return panel;
  }
};
