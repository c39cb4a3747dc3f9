/**
 * The runs panel in the left sidebar.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { CommandIDs } from '../tokens';
import { runsIcon } from '../icons';
import { RunsPanel } from './panel';

const PLUGIN_ID = 'runwatch:runs-panel';

export const runsPanelPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: "A sidebar listing the run store's runs, newest first.",
  autoStart: true,
  optional: [ICommandPalette],
  activate: (app: JupyterFrontEnd, palette: ICommandPalette | null) => {
    const panel = new RunsPanel({
      open: run => void app.commands.execute(CommandIDs.monitorRun, { run })
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
  }
};
