/**
 * The server client: HTTP calls and the shared watch socket. No widgets.
 */
export * from './api';
export * from './requestAPI';
export * from './watchSocket';
