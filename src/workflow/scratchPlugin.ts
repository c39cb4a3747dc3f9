/**
 * `t t` opens a scratch notebook; `t q` discards one.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandIDs } from '../tokens';
// Types only: the code (and its word lists) loads on the first `t t` or `t q`.
import type { IKernelspec, ScratchOpenMode } from './scratch';
import { followSettings } from '../settings';

const PLUGIN_ID = 'runwatch:scratch';

export const scratchPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Throwaway scratch notebooks: t t to open, t q to discard.',
  autoStart: true,
  requires: [INotebookTracker, IDocumentManager],
  optional: [
    ISettingRegistry,
    ICommandPalette,
    IDefaultFileBrowser,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    docManager: IDocumentManager,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    fileBrowser: IDefaultFileBrowser | null,
    translator: ITranslator | null
  ) => {
    const { commands, serviceManager } = app;
    const trans = (translator ?? nullTranslator).load('runwatch');
    let openMode: ScratchOpenMode = 'split-right';

    void followSettings(settingRegistry, PLUGIN_ID, settings => {
      openMode = settings.get('openMode').composite as ScratchOpenMode;
    });

    /** The notebook the user is in, if the main area shows one. */
    const focusedNotebook = (): NotebookPanel | null => {
      const current = tracker.currentWidget;
      return current && current === app.shell.currentWidget ? current : null;
    };

    const defaultKernelspec = async (): Promise<IKernelspec> => {
      await serviceManager.kernelspecs.ready;
      const specs = serviceManager.kernelspecs.specs;
      const name = specs?.default ?? 'python3';
      const spec = specs?.kernelspecs[name];
      return {
        name,
        display_name: spec?.display_name ?? name,
        language: spec?.language
      };
    };

    const parentKernelspec = (panel: NotebookPanel): IKernelspec | null => {
      const stored = panel.model?.getMetadata('kernelspec') as
        IKernelspec | undefined;
      if (stored?.name) {
        return stored;
      }
      const kernel = panel.sessionContext.session?.kernel;
      return kernel
        ? {
            name: kernel.name,
            display_name: panel.sessionContext.kernelDisplayName
          }
        : null;
    };

    commands.addCommand(CommandIDs.newScratch, {
      label: trans.__('New Scratch Notebook'),
      caption: trans.__(
        'Create a throwaway notebook beside the current one, with the same kernel'
      ),
      describedBy: {
        args: {
          type: 'object',
          properties: {
            source: {
              type: 'string',
              description: trans.__(
                '"filebrowser" to create it in the browsed folder'
              )
            }
          }
        }
      },
      execute: async args => {
        const fromBrowser = args.source === 'filebrowser';
        const parent = fromBrowser ? null : focusedNotebook();
        const folder = parent
          ? PathExt.dirname(parent.context.path)
          : (fileBrowser?.model.path ?? '');
        const kernelspec =
          (parent && parentKernelspec(parent)) ?? (await defaultKernelspec());
        const { createScratchFile, openScratch } = await import('./scratch');
        let path: string;
        try {
          path = await createScratchFile(
            serviceManager.contents,
            folder,
            kernelspec
          );
        } catch (error) {
          Notification.error(
            trans.__(
              'Could not create a scratch notebook in "%1": %2',
              folder || '/',
              (error as Error).message
            ),
            { autoClose: false }
          );
          return;
        }
        return openScratch(docManager, path, kernelspec, openMode, parent?.id);
      }
    });

    commands.addCommand(CommandIDs.discardScratch, {
      label: trans.__('Discard Scratch Notebook'),
      caption: trans.__(
        'Shut down, close and delete the current notebook if it is a scratch notebook'
      ),
      describedBy: { args: { type: 'object', properties: {} } },
      isEnabled: () => tracker.currentWidget !== null,
      execute: async () => {
        const panel = tracker.currentWidget;
        if (!panel) {
          return;
        }
        const { discardScratch, isScratch } = await import('./scratch');
        const name = PathExt.basename(panel.context.path);
        if (!isScratch(panel.model?.metadata)) {
          Notification.warning(
            trans.__(
              '"%1" is not a scratch notebook, so nothing was deleted. Only notebooks created with "New Scratch Notebook" (t t) can be discarded.',
              name
            ),
            { autoClose: 8000 }
          );
          return;
        }
        try {
          await discardScratch(serviceManager.contents, panel);
        } catch (error) {
          Notification.error(
            trans.__(
              'Could not discard "%1": %2',
              name,
              (error as Error).message
            ),
            { autoClose: false }
          );
        }
      }
    });

    app.contextMenu.addItem({
      command: CommandIDs.newScratch,
      args: { source: 'filebrowser' },
      selector: '.jp-DirListing-content',
      rank: 52
    });

    if (palette) {
      const category = trans.__('runwatch');
      palette.addItem({ command: CommandIDs.newScratch, category });
      palette.addItem({ command: CommandIDs.discardScratch, category });
    }
  }
};
