/**
 * Run configured code silently in every Python kernel on start and restart.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ISessionContext, Notification } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { Kernel, KernelMessage } from '@jupyterlab/services';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import {
  composeStartupCode,
  DEFAULT_STARTUP_CODE,
  startupErrorMessage
} from './startupCode';
import { followSettings } from '../settings';

const PLUGIN_ID = 'runwatch:startup';

/**
 * Execute `code` silently in `kernel` if it is a Python kernel.
 *
 * #### Notes
 * `silent` keeps the code out of every output area; the reply still carries
 * the error, which is how failures reach the user as a notification.
 */
export async function runStartupCode(
  kernel: Kernel.IKernelConnection,
  code: string,
  trans: TranslationBundle = nullTranslator.load('runwatch')
): Promise<void> {
  if (!code) {
    return;
  }
  const info = await kernel.info;
  if (info.language_info.name !== 'python') {
    return;
  }
  const future = kernel.requestExecute({
    code,
    silent: true,
    store_history: false,
    stop_on_error: false,
    allow_stdin: false
  });
  let reply: KernelMessage.IExecuteReplyMsg;
  try {
    reply = await future.done;
  } catch {
    return; // The kernel went away (shut down or restarted) mid-run.
  }
  const content = reply.content;
  if (content.status === 'error') {
    Notification.error(
      startupErrorMessage(kernel.name, content.ename, content.evalue, trans),
      { autoClose: false }
    );
  }
}

/**
 * Call `onStart` with the kernel whenever a session's kernel starts or restarts.
 */
export function watchKernelStarts(
  context: ISessionContext,
  onStart: (kernel: Kernel.IKernelConnection) => void
): void {
  let restarting = false;
  context.kernelChanged.connect((_, change) => {
    if (change.newValue) {
      onStart(change.newValue);
    }
  });
  context.statusChanged.connect((_, status) => {
    if (status === 'restarting' || status === 'autorestarting') {
      restarting = true;
    } else if (restarting && status === 'idle') {
      restarting = false;
      const kernel = context.session?.kernel;
      if (kernel) {
        onStart(kernel);
      }
    }
  });
  const existing = context.session?.kernel;
  if (existing) {
    onStart(existing);
  }
}

export const startupPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Run start-up code (autoreload, runwatch magics) in Python kernels.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ISettingRegistry, ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('runwatch');
    let code = composeStartupCode(DEFAULT_STARTUP_CODE, true);
    const loaded = followSettings(settingRegistry, PLUGIN_ID, settings => {
      const enabled = settings.get('enabled').composite as boolean;
      code = enabled
        ? composeStartupCode(
            settings.get('code').composite as string,
            settings.get('loadRunwatch').composite as boolean
          )
        : '';
    });
    tracker.widgetAdded.connect((_, panel) => {
      watchKernelStarts(panel.sessionContext, kernel => {
        // Settings must be read before the first kernel runs anything.
        void Promise.resolve(loaded).then(() =>
          runStartupCode(kernel, code, trans)
        );
      });
    });
  }
};
