/**
 * The runs table: a main-area DataGrid of runs (status, params, channel
 * summaries) with the one query language, sorting and selection.
 */
export * from './runsTableWidget';
export * from './runsDataModel';
export * from './statChooser';
export * from './tableCsv';
export * from './tableGrid';
export * from './tableRows';
export * from './tableView';
