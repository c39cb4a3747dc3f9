/**
 * The code run silently in every Python kernel on start and restart.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

export const DEFAULT_STARTUP_CODE = '%load_ext autoreload\n%autoreload 2';

/**
 * Loads runwatch's magics only where the `runwatch` package is importable,
 * so kernels in other environments don't see an error at every start.
 */
export const LOAD_RUNWATCH_CODE = [
  'import importlib.util as _runwatch_util',
  "if _runwatch_util.find_spec('runwatch') is not None:",
  "    get_ipython().run_line_magic('load_ext', 'runwatch')",
  'del _runwatch_util'
].join('\n');

/**
 * The full start-up code for the given settings; empty when there is nothing to run.
 */
export function composeStartupCode(
  userCode: string,
  loadRunwatch: boolean
): string {
  const parts = [userCode.trim()];
  if (loadRunwatch) {
    parts.push(LOAD_RUNWATCH_CODE);
  }
  return parts.filter(part => part !== '').join('\n');
}

/**
 * The user-facing message for a failed start-up execution.
 */
export function startupErrorMessage(
  kernelName: string,
  ename: string,
  evalue: string,
  trans: TranslationBundle
): string {
  return trans.__(
    'Kernel start-up code failed in %1: %2: %3',
    kernelName,
    ename,
    evalue
  );
}
