/**
 * The run picker of "Monitor Run…", "Review Run…" and "View Run (live)…":
 * lists the store's runs and asks for one in a dialog.
 */
import { InputDialog, Notification } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import type { IRunwatchAPI } from '../client/api';

/** What the picker asks with. */
export interface IPickRunOptions {
  /** The dialog's title. */
  title: string;
  /** The label above the list. */
  label: string;
  /** Whether a value other than a listed run may be typed. */
  editable?: boolean;
  /** The API to list runs with. */
  api: IRunwatchAPI;
  /** The language of the notifications (English without one). */
  translator?: ITranslator;
}

/** The picker's answer and the run names it offered. */
export interface IPickedRun {
  /** The chosen (or, if editable, typed) value, as the dialog gave it. */
  value: string;
  /** The runs listed, newest first. */
  names: string[];
}

/**
 * List the runs (newest first) and ask for one: `undefined` if listing
 * failed or found no run (both said in a notification) or if cancelled.
 */
export async function pickRun(
  options: IPickRunOptions
): Promise<IPickedRun | undefined> {
  const trans = (options.translator ?? nullTranslator).load('runwatch');
  let names: string[];
  try {
    names = (await options.api.listRuns()).runs.map(r => r.name);
  } catch (error) {
    Notification.error(
      trans.__('Could not list runs: %1', (error as Error).message),
      { autoClose: false }
    );
    return undefined;
  }
  if (names.length === 0) {
    Notification.info(trans.__('There are no runs in the store yet.'));
    return undefined;
  }
  const result = await InputDialog.getItem({
    title: options.title,
    label: options.label,
    items: names,
    current: 0,
    editable: options.editable
  });
  return result.button.accept && result.value !== null
    ? { value: result.value, names }
    : undefined;
}
