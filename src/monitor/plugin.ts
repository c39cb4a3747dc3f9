/**
 * The monitor: renders `%monitor` outputs and opens monitors of runs in the
 * main area ("Monitor Run…").
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget } from '@jupyterlab/apputils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import type { MonitorWidget } from './monitorWidget';
import { CommandIDs, IRunsPanel, IRunwatchClient } from '../tokens';
import { runsIcon } from '../icons';
import { runwatchRendererFactory } from '../outputs/mimeRenderer';
import { pickRun } from '../runsPanel/runPicker';

const PLUGIN_ID = 'runwatch:monitor';

export const monitorPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Live run monitors: in notebook outputs (%monitor) and in the main area.',
  autoStart: true,
  requires: [IRenderMimeRegistry, IRunwatchClient],
  optional: [ICommandPalette, IRunsPanel, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    rendermime: IRenderMimeRegistry,
    client: IRunwatchClient,
    palette: ICommandPalette | null,
    runsPanel: IRunsPanel | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('runwatch');
    // Notebooks clone the app's registry, so this reaches every output.
    const factory = runwatchRendererFactory(client, app.commands);
    rendermime.addFactory(factory, factory.defaultRank);
    const open = new Map<string, MainAreaWidget<MonitorWidget>>();

    app.commands.addCommand(CommandIDs.monitorRun, {
      label: args =>
        args.run
          ? trans.__('Monitor %1', String(args.run))
          : trans.__('Monitor Run…'),
      caption: trans.__(
        'Open a live monitor of a run: log tails and latest stats'
      ),
      icon: runsIcon,
      describedBy: {
        args: {
          type: 'object',
          properties: {
            run: {
              type: 'string',
              description: trans.__(
                'The run to monitor; asks with a picker if omitted'
              )
            }
          }
        }
      },
      execute: async args => {
        const run =
          typeof args.run === 'string' && args.run
            ? args.run
            : (
                await pickRun({
                  title: trans.__('Monitor Run'),
                  label: trans.__('Run (newest first)'),
                  api: client.api,
                  translator: translator ?? undefined
                })
              )?.value;
        if (!run) {
          return;
        }
        const existing = open.get(run);
        if (existing && !existing.isDisposed) {
          app.shell.activateById(existing.id);
          return existing;
        }
        const { MonitorWidget } = await import('./monitorWidget');
        const widget = new MainAreaWidget({
          content: new MonitorWidget({
            run,
            ...client,
            translator: translator ?? undefined
          })
        });
        widget.id = `runwatch-monitor-${Date.now()}`;
        widget.title.label = run;
        widget.title.caption = trans.__('runwatch monitor: %1', run);
        widget.title.icon = runsIcon;
        widget.title.closable = true;
        widget.addClass('jp-runwatch-monitor-panel');
        open.set(run, widget);
        widget.disposed.connect(() => open.delete(run));
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
        return widget;
      }
    });

    palette?.addItem({
      command: CommandIDs.monitorRun,
      category: trans.__('runwatch')
    });
    runsPanel?.addAction('monitor', {
      label: trans.__('monitor'),
      title: trans.__('Monitor this run: logs and latest stats'),
      rank: 30,
      run: run => void app.commands.execute(CommandIDs.monitorRun, { run })
    });
  }
};
