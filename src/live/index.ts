/**
 * The live client: server calls, the shared watch socket and run models.
 * Lumino signals, no widgets.
 */
export * from './api';
export * from './requestAPI';
export * from './watchSocket';
export * from './logLines';
export * from './fileFollower';
export * from './columnBuffer';
export * from './statsChannel';
export * from './changeBatch';
export * from './runModel';
export * from './runBadge';
