/**
 * The run store's pure logic: `.npr` decoding, stat kinds, bucket
 * aggregation, run resolution and downsampling. No DOM, no Lumino, so it
 * runs in a Web Worker too.
 */
export * from './errors';
export * from './pyLiteral';
export * from './dtype';
export * from './npyHeader';
export * from './decode';
export * from './incremental';
export * from './merge';
export * from './kinds';
export * from './buckets';
export * from './reductions';
export * from './aggregate';
export * from './glob';
export * from './resolve';
export * from './runName';
export * from './info';
export * from './downsample';
export * from './time';
