/**
 * The server client as a service: one HTTP API and one watch socket for
 * every runwatch widget of the page.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IRunwatchClient } from '../tokens';
// The service hands out the API and the socket at activation, so they can't
// load later; the API sends nothing until asked, and the socket connects only
// on the first subscription.
// eslint-disable-next-line jupyter/prefer-lazy-imports
import { RunwatchAPI } from './api';
// eslint-disable-next-line jupyter/prefer-lazy-imports
import { WatchSocket } from './watchSocket';

export const clientPlugin: JupyterFrontEndPlugin<IRunwatchClient> = {
  id: 'runwatch:client',
  description: "runwatch's server client: HTTP API and shared watch socket.",
  autoStart: true,
  provides: IRunwatchClient,
  activate: (): IRunwatchClient => ({
    api: new RunwatchAPI(),
    // It opens on the first subscription and closes with the last.
    socket: new WatchSocket()
  })
};
