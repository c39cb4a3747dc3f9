/**
 * runwatch: every JupyterLab plugin of the extension, one feature per file.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { kernelChordsPlugin } from './workflow/kernelChordsPlugin';
import { pastePlugin } from './workflow/pastePlugin';
import { scratchPlugin } from './workflow/scratchPlugin';
import { startupPlugin } from './workflow/startupPlugin';
import { clientPlugin } from './client/plugin';
import { monitorPlugin } from './monitor/plugin';
import { runsPanelPlugin } from './runsPanel/plugin';
import { plotsPlugin } from './plots/plugin';
import { runsTablePlugin } from './table/plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [
  scratchPlugin,
  kernelChordsPlugin,
  pastePlugin,
  startupPlugin,
  clientPlugin,
  monitorPlugin,
  runsPanelPlugin,
  plotsPlugin,
  runsTablePlugin
];

export default plugins;
