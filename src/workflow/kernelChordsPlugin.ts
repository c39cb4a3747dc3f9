/**
 * `i i` interrupts and `0 0` restarts the notebook's kernel.
 *
 * JupyterLab binds the same chords to its kernel-menu commands. runwatch
 * declares its own commands with a more specific selector so that they win
 * in notebooks, can be remapped in the Settings Editor, and can restart
 * without the confirmation dialog when the user asks for that.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  ISessionContextDialogs,
  SessionContextDialogs
} from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandIDs } from '../tokens';
import { followSettings } from '../settings';

const PLUGIN_ID = 'runwatch:kernel-chords';

export const kernelChordsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Interrupt (i i) and restart (0 0) the kernel, optionally unconfirmed.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [
    ISettingRegistry,
    ISessionContextDialogs,
    ICommandPalette,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    settingRegistry: ISettingRegistry | null,
    dialogs: ISessionContextDialogs | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('runwatch');
    let confirmRestart = true;
    const sessionDialogs = dialogs ?? new SessionContextDialogs();

    void followSettings(settingRegistry, PLUGIN_ID, settings => {
      confirmRestart = !(settings.get('restartWithoutConfirmation')
        .composite as boolean);
    });

    const hasKernel = () =>
      !!tracker.currentWidget?.sessionContext.session?.kernel;

    app.commands.addCommand(CommandIDs.interruptKernel, {
      label: trans.__('Interrupt Notebook Kernel'),
      describedBy: { args: { type: 'object', properties: {} } },
      isEnabled: hasKernel,
      execute: async () => {
        await tracker.currentWidget?.sessionContext.session?.kernel?.interrupt();
      }
    });

    app.commands.addCommand(CommandIDs.restartKernel, {
      label: () =>
        confirmRestart
          ? trans.__('Restart Notebook Kernel…')
          : trans.__('Restart Notebook Kernel (no confirmation)'),
      describedBy: { args: { type: 'object', properties: {} } },
      isEnabled: hasKernel,
      execute: async () => {
        const context = tracker.currentWidget?.sessionContext;
        if (!context) {
          return;
        }
        if (confirmRestart) {
          await sessionDialogs.restart(context);
        } else {
          await context.restartKernel();
        }
      }
    });

    if (palette) {
      const category = trans.__('runwatch');
      palette.addItem({ command: CommandIDs.interruptKernel, category });
      palette.addItem({ command: CommandIDs.restartKernel, category });
    }
  }
};
