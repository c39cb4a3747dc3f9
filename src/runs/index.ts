/**
 * Runs followed live: run models, their channels, file followers and log
 * tails, kept current from the server client. Lumino signals, no widgets.
 */
export * from './logLines';
export * from './fileFollower';
export * from './columnBuffer';
export * from './statsChannel';
export * from './changeBatch';
export * from './runModel';
export * from './runBadge';
