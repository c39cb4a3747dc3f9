/**
 * Command ids, service tokens and metadata keys shared across runwatch's
 * plugins.
 */
import { Token } from '@lumino/coreutils';
import type { IRunwatchAPI, WatchSocket } from './client';

export namespace CommandIDs {
  export const newScratch = 'runwatch:new-scratch-notebook';
  export const discardScratch = 'runwatch:discard-scratch-notebook';
  export const interruptKernel = 'runwatch:interrupt-kernel';
  export const restartKernel = 'runwatch:restart-kernel';
  export const monitorRun = 'runwatch:monitor-run';
  export const openRunsPanel = 'runwatch:open-runs-panel';
  export const openRunsTable = 'runwatch:open-runs-table';
  export const reviewRun = 'runwatch:review-run';
  export const viewRun = 'runwatch:view-run';
}

/** The page's connection to runwatch's server extension. */
export interface IRunwatchClient {
  /** HTTP calls under `runwatch/api/`. */
  readonly api: IRunwatchAPI;
  /** The one watch socket every live widget of the page shares. */
  readonly socket: WatchSocket;
}

export const IRunwatchClient = new Token<IRunwatchClient>(
  'runwatch:IRunwatchClient',
  "The page's runwatch server client: HTTP API and shared watch socket."
);

/** A button on each row of the runs panel: `review`, `view`, `monitor`. */
export interface IRunAction {
  readonly label: string;
  readonly title: string;
  /** Buttons are ordered by rank, lowest first. */
  readonly rank: number;
  readonly run: (run: string) => void;
}

/** The runs panel, to which other features add their row buttons. */
export interface IRunsPanel {
  addAction(name: string, action: IRunAction): void;
}

export const IRunsPanel = new Token<IRunsPanel>(
  'runwatch:IRunsPanel',
  "The runs sidebar: other plugins add a button to each run's row."
);

/**
 * The notebook metadata key under which runwatch marks scratch notebooks.
 *
 * `t q` deletes a notebook only when `metadata.runwatch.scratch` is true; the
 * file name plays no part in that decision.
 */
export const SCRATCH_METADATA_KEY = 'runwatch';
