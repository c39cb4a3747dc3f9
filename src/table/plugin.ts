/**
 * The runs table in the main area: from the palette, the runs panel's
 * button (with the panel's filter as its query), or `%runs` in a notebook.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { runsIcon } from '../icons';
import { CommandIDs } from '../tokens';
import { openRunsWith } from './openRuns';

const PLUGIN_ID = 'runwatch:runs-table';

export const runsTablePlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'A table of runs: status, params and summaries, to compare.',
  autoStart: true,
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('runwatch');
    app.commands.addCommand(CommandIDs.openRunsTable, {
      label: trans.__('Open Runs Table'),
      caption: trans.__(
        'A table of runs: status, params and channel summaries; sort, filter, compare'
      ),
      icon: runsIcon,
      describedBy: {
        args: {
          type: 'object',
          properties: {
            query: {
              type: 'string',
              description: trans.__(
                'A query: a word, a glob, or a filter such as lr < 1e-3'
              )
            }
          }
        }
      },
      execute: async args => {
        // The datagrid comes with the table, on first use.
        const { RunsTableWidget } = await import('./runsTableWidget');
        const content = new RunsTableWidget({
          open: openRunsWith(app.commands),
          query: typeof args.query === 'string' ? args.query : undefined,
          translator: translator ?? undefined
        });
        const widget = new MainAreaWidget({ content });
        widget.id = `runwatch-table-${Date.now()}`;
        widget.title.label = trans.__('Runs');
        widget.title.icon = runsIcon;
        widget.title.closable = true;
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
        return widget;
      }
    });
    palette?.addItem({
      command: CommandIDs.openRunsTable,
      category: trans.__('runwatch')
    });
  }
};
