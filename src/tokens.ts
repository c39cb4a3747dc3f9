/**
 * Command ids and metadata keys shared across runwatch's plugins.
 */
export namespace CommandIDs {
  export const newScratch = 'runwatch:new-scratch-notebook';
  export const discardScratch = 'runwatch:discard-scratch-notebook';
  export const interruptKernel = 'runwatch:interrupt-kernel';
  export const restartKernel = 'runwatch:restart-kernel';
  export const monitorRun = 'runwatch:monitor-run';
  export const openRunsPanel = 'runwatch:open-runs-panel';
  export const reviewRun = 'runwatch:review-run';
  export const viewRun = 'runwatch:view-run';
}

/**
 * The notebook metadata key under which runwatch marks scratch notebooks.
 *
 * `t q` deletes a notebook only when `metadata.runwatch.scratch` is true; the
 * file name plays no part in that decision.
 */
export const SCRATCH_METADATA_KEY = 'runwatch';
