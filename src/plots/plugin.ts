/**
 * Review and view plots in the main area ("Review Run…", "View Run
 * (live)…"), the runs panel's row buttons, and theme changes for plots.
 * The plots' code and plotly.js load on first use.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  IThemeManager,
  MainAreaWidget,
  Notification
} from '@jupyterlab/apputils';
import type { IRunwatchAPI } from '../client';
import { CommandIDs, IRunsPanel, IRunwatchClient } from '../tokens';
import { runsIcon } from '../icons';
import { pickRun } from '../runsPanel/runPicker';
import type { PlotsWidget } from './view/plotsWidget';
import { plotThemeChanged } from './view/themeEvents';

const PLUGIN_ID = 'runwatch:plots';

/** Ask for a run (or a glob, to compare); `undefined` if cancelled. */
async function pickRuns(
  title: string,
  api: IRunwatchAPI
): Promise<string[] | undefined> {
  const picked = await pickRun({
    title,
    label: 'Run (newest first), or type a glob to compare runs',
    editable: true,
    api
  });
  const query = picked?.value.trim();
  if (!picked || !query) {
    return undefined;
  }
  if (picked.names.includes(query)) {
    return [query];
  }
  try {
    return await api.resolve(query);
  } catch (error) {
    Notification.error((error as Error).message, { autoClose: false });
    return undefined;
  }
}

export const plotsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Plots of runs: review (a snapshot) and view (live), in outputs and tabs.',
  autoStart: true,
  requires: [IRunwatchClient],
  optional: [ICommandPalette, IThemeManager, IRunsPanel],
  activate: (
    app: JupyterFrontEnd,
    client: IRunwatchClient,
    palette: ICommandPalette | null,
    themes: IThemeManager | null,
    runsPanel: IRunsPanel | null
  ) => {
    themes?.themeChanged.connect(() => plotThemeChanged.emit());

    const open = async (runs: string[], live: boolean) => {
      const { PlotsWidget } = await import('./view/plotsWidget');
      const content: PlotsWidget = new PlotsWidget({ runs, live, ...client });
      const widget = new MainAreaWidget({ content });
      const what = runs.length === 1 ? runs[0] : `${runs.length} runs`;
      widget.id = `runwatch-plots-${Date.now()}`;
      widget.title.label = `${live ? 'View' : 'Review'}: ${what}`;
      widget.title.caption = runs.join('\n');
      widget.title.icon = runsIcon;
      widget.title.closable = true;
      widget.addClass('jp-runwatch-plots-panel');
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      return widget;
    };

    const command = (id: string, live: boolean) => {
      const verb = live ? 'View' : 'Review';
      app.commands.addCommand(id, {
        label: args =>
          args.run
            ? `${verb} ${args.run}`
            : `${verb} Run${live ? ' (live)' : ''}…`,
        caption: live
          ? 'Live plots of a run (or of runs matching a glob)'
          : 'Plots of every stat of a run (or of runs matching a glob)',
        icon: runsIcon,
        describedBy: {
          args: {
            type: 'object',
            properties: {
              run: {
                type: 'string',
                description: 'The run; asks with a picker if omitted'
              }
            }
          }
        },
        execute: async args => {
          const runs =
            typeof args.run === 'string' && args.run
              ? [args.run]
              : await pickRuns(`${verb} Run`, client.api);
          return runs ? open(runs, live) : undefined;
        }
      });
      palette?.addItem({ command: id, category: 'runwatch' });
    };
    command(CommandIDs.reviewRun, false);
    command(CommandIDs.viewRun, true);

    // The runs panel's row buttons (the monitor adds its own).
    const run = (id: string) => (name: string) =>
      void app.commands.execute(id, { run: name });
    runsPanel?.addAction('review', {
      label: 'review',
      title: 'Plot every stat of this run',
      rank: 10,
      run: run(CommandIDs.reviewRun)
    });
    runsPanel?.addAction('view', {
      label: 'view',
      title: 'Live plots of this run',
      rank: 20,
      run: run(CommandIDs.viewRun)
    });
  }
};
