/**
 * Scratch notebooks: throwaway notebooks opened with `t t`, discarded with `t q`.
 *
 * Stateless actions in the style of `@jupyterlab/notebook`'s `actions.tsx`:
 * each takes the services it needs and the notebook it acts on.
 */
import { PathExt } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { NotebookPanel } from '@jupyterlab/notebook';
import { Contents, ServerConnection } from '@jupyterlab/services';
import { SCRATCH_METADATA_KEY } from '../tokens';
import { scratchName } from './scratchName';

/**
 * Where a scratch notebook opens relative to the notebook it came from.
 */
export type ScratchOpenMode = 'split-right' | 'split-bottom' | 'tab-after';

/**
 * The kernelspec a scratch notebook runs, as stored in notebook metadata.
 */
export interface IKernelspec {
  name: string;
  display_name: string;
  language?: string;
}

/**
 * True when a notebook carries runwatch's scratch marker in its metadata.
 *
 * #### Notes
 * Only metadata decides: a scratch notebook renamed to anything stays
 * scratch, and a notebook merely named `scratch-*.ipynb` is not.
 */
export function isScratch(metadata: unknown): boolean {
  if (!metadata || typeof metadata !== 'object') {
    return false;
  }
  const marker = (metadata as Record<string, unknown>)[SCRATCH_METADATA_KEY];
  return (
    !!marker &&
    typeof marker === 'object' &&
    (marker as Record<string, unknown>).scratch === true
  );
}

/**
 * The nbformat 4 content of an empty scratch notebook.
 */
export function scratchContent(kernelspec: IKernelspec): Record<string, any> {
  return {
    cells: [
      {
        cell_type: 'code',
        execution_count: null,
        metadata: {},
        outputs: [],
        source: ''
      }
    ],
    metadata: {
      kernelspec,
      [SCRATCH_METADATA_KEY]: { scratch: true }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
}

async function exists(contents: Contents.IManager, path: string) {
  try {
    await contents.get(path, { content: false });
    return true;
  } catch (error) {
    if (
      error instanceof ServerConnection.ResponseError &&
      error.response.status === 404
    ) {
      return false;
    }
    throw error;
  }
}

/**
 * Create a scratch notebook file in `folder` and return its path.
 *
 * #### Notes
 * The contents API's `save` overwrites, so a free name is found first. Server
 * errors (an unwritable folder, a missing one) propagate with the server's
 * reason in their message.
 */
export async function createScratchFile(
  contents: Contents.IManager,
  folder: string,
  kernelspec: IKernelspec,
  random: () => number = Math.random
): Promise<string> {
  let path = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    path = PathExt.join(folder, scratchName(random));
    if (!(await exists(contents, path))) {
      break;
    }
  }
  await contents.save(path, {
    type: 'notebook',
    format: 'json',
    content: scratchContent(kernelspec)
  });
  return path;
}

/**
 * Open a scratch notebook beside `ref`, start its kernel and focus its first cell.
 */
export async function openScratch(
  docManager: IDocumentManager,
  path: string,
  kernelspec: IKernelspec,
  mode: ScratchOpenMode,
  ref?: string
): Promise<NotebookPanel> {
  const options: DocumentRegistry.IOpenOptions = { mode, ref, activate: true };
  const widget = docManager.open(
    path,
    'Notebook',
    { name: kernelspec.name },
    options
  );
  if (!(widget instanceof NotebookPanel)) {
    throw new Error(`Could not open ${path} as a notebook`);
  }
  await widget.context.ready;
  const notebook = widget.content;
  notebook.activeCellIndex = 0;
  notebook.mode = 'edit';
  notebook.activeCell?.editor?.focus();
  return widget;
}

/**
 * Shut a scratch notebook's kernel down, close it unsaved and delete its file.
 *
 * #### Notes
 * The server's `delete` removes the file's checkpoints too. The caller must
 * have checked `isScratch` first: this function deletes unconditionally.
 */
export async function discardScratch(
  contents: Contents.IManager,
  panel: NotebookPanel
): Promise<string> {
  const path = panel.context.path;
  await panel.sessionContext.shutdown();
  // Marking the model clean makes closing skip the "save changes?" dialog.
  panel.context.model.dirty = false;
  panel.dispose();
  await contents.delete(path);
  return path;
}
