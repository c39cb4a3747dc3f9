/**
 * Dedent on paste in code cells, as a CodeMirror 6 editor extension.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  EditorExtensionRegistry,
  IEditorExtensionRegistry
} from '@jupyterlab/codemirror';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { EditorView } from '@codemirror/view';
import { dedentPaste } from './dedent';
import { followSettings } from '../settings';

const PLUGIN_ID = 'runwatch:paste';

/**
 * The paste handler: returns true when it inserted the text itself.
 *
 * #### Notes
 * The replacement is one transaction tagged `input.paste`, so a single undo
 * restores the cell as it was before the paste.
 */
export function handlePaste(
  event: ClipboardEvent,
  view: EditorView,
  isEnabled: () => boolean
): boolean {
  if (!isEnabled() || !view.dom.closest('.jp-CodeCell')) {
    return false;
  }
  const text = event.clipboardData?.getData('text/plain');
  if (!text) {
    return false;
  }
  const { state } = view;
  const head = state.selection.main.from;
  const line = state.doc.lineAt(head);
  const before = state.sliceDoc(line.from, head);
  const insert = dedentPaste(text, before);
  if (insert === text) {
    return false;
  }
  event.preventDefault();
  view.dispatch(state.replaceSelection(insert), {
    userEvent: 'input.paste',
    scrollIntoView: true
  });
  return true;
}

export const pastePlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Strip the common indentation of code pasted into code cells.',
  autoStart: true,
  requires: [IEditorExtensionRegistry],
  optional: [ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    extensions: IEditorExtensionRegistry,
    settingRegistry: ISettingRegistry | null
  ) => {
    let enabled = true;
    void followSettings(settingRegistry, PLUGIN_ID, settings => {
      enabled = settings.get('dedentOnPaste').composite as boolean;
    });
    const handler = EditorView.domEventHandlers({
      paste: (event, view) => handlePaste(event, view, () => enabled)
    });
    extensions.addExtension({
      name: 'runwatch:dedent-on-paste',
      factory: () => EditorExtensionRegistry.createImmutableExtension(handler)
    });
  }
};
