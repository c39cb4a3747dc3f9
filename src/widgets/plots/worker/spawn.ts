/**
 * Starts the review worker. Its own module, loaded only where `Worker`
 * exists: `import.meta` is the bundler's cue (rspack emits the worker as
 * its own chunk under the labextension's public path).
 */
export function spawnReviewWorker(): Worker {
  return new Worker(new URL('./review.worker.js', import.meta.url), {
    name: 'runwatch-review'
  });
}
