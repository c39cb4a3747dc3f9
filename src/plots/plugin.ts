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
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { followSettings } from '../settings';
import type { IRunwatchAPI } from '../client';
import { CommandIDs, IRunsPanel, IRunwatchClient } from '../tokens';
import { runsIcon } from '../icons';
import { pickRun } from '../runsPanel/runPicker';
import type { Widget } from '@lumino/widgets';
import { smoothingWeight } from './series/smooth';
import { plotDefaults } from './view/plotDefaults';
import { plotThemeChanged } from './view/themeEvents';

const PLUGIN_ID = 'runwatch:plots';

/** Ask for a run (or a glob, to compare); `undefined` if cancelled. */
async function pickRuns(
  title: string,
  api: IRunwatchAPI,
  translator: ITranslator | null,
  trans: TranslationBundle
): Promise<string[] | undefined> {
  const picked = await pickRun({
    title,
    label: trans.__('Run (newest first), or type a glob to compare runs'),
    editable: true,
    api,
    translator: translator ?? undefined
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
  optional: [
    ICommandPalette,
    IThemeManager,
    IRunsPanel,
    ITranslator,
    ISettingRegistry
  ],
  activate: (
    app: JupyterFrontEnd,
    client: IRunwatchClient,
    palette: ICommandPalette | null,
    themes: IThemeManager | null,
    runsPanel: IRunsPanel | null,
    translator: ITranslator | null,
    settings: ISettingRegistry | null
  ) => {
    const trans = (translator ?? nullTranslator).load('runwatch');
    void followSettings(settings, PLUGIN_ID, loaded => {
      plotDefaults.smoothing = smoothingWeight(
        loaded.get('smoothing').composite
      );
    });
    themes?.themeChanged.connect(() => plotThemeChanged.emit());

    const open = async (runs: string[], live: boolean) => {
      const options = {
        runs,
        ...client,
        translator: translator ?? undefined
      };
      // A review of several runs can group them (grouped by default for
      // seeds of a sweep); a view follows each run.
      const content: Widget =
        !live && runs.length > 1
          ? new (await import('./groups/groupedPlots')).GroupedPlots(options)
          : new (await import('./view/plotsWidget')).PlotsWidget({
              ...options,
              live
            });
      const widget = new MainAreaWidget({ content });
      const what =
        runs.length === 1
          ? runs[0]
          : trans._n('%1 run', '%1 runs', runs.length);
      widget.id = `runwatch-plots-${Date.now()}`;
      widget.title.label = live
        ? trans.__('View: %1', what)
        : trans.__('Review: %1', what);
      widget.title.caption = runs.join('\n');
      widget.title.icon = runsIcon;
      widget.title.closable = true;
      widget.addClass('jp-runwatch-plots-panel');
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      return widget;
    };

    const command = (id: string, live: boolean) => {
      const pickerTitle = live ? trans.__('View Run') : trans.__('Review Run');
      app.commands.addCommand(id, {
        label: args => {
          const run = args.run ? String(args.run) : '';
          if (live) {
            return run
              ? trans.__('View %1', run)
              : trans.__('View Run (live)…');
          }
          return run ? trans.__('Review %1', run) : trans.__('Review Run…');
        },
        caption: live
          ? trans.__('Live plots of a run (or of runs matching a glob)')
          : trans.__(
              'Plots of every stat of a run (or of runs matching a glob)'
            ),
        icon: runsIcon,
        describedBy: {
          args: {
            type: 'object',
            properties: {
              run: {
                type: 'string',
                description: trans.__('The run; asks with a picker if omitted')
              },
              runs: {
                type: 'array',
                items: { type: 'string' },
                description: trans.__('Several runs, compared in one grid')
              }
            }
          }
        },
        execute: async args => {
          const given = Array.isArray(args.runs)
            ? args.runs.filter((r): r is string => typeof r === 'string')
            : [];
          const runs =
            given.length > 0
              ? given
              : typeof args.run === 'string' && args.run
                ? [args.run]
                : await pickRuns(pickerTitle, client.api, translator, trans);
          return runs ? open(runs, live) : undefined;
        }
      });
      palette?.addItem({ command: id, category: trans.__('runwatch') });
    };
    command(CommandIDs.reviewRun, false);
    command(CommandIDs.viewRun, true);

    // The runs panel's row buttons (the monitor adds its own).
    const run = (id: string) => (name: string) =>
      void app.commands.execute(id, { run: name });
    runsPanel?.addAction('review', {
      label: trans.__('review'),
      title: trans.__('Plot every stat of this run'),
      rank: 10,
      run: run(CommandIDs.reviewRun)
    });
    runsPanel?.addAction('view', {
      label: trans.__('view'),
      title: trans.__('Live plots of this run'),
      rank: 20,
      run: run(CommandIDs.viewRun)
    });
  }
};
