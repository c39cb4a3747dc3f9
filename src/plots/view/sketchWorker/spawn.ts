/**
 * Starts the sketch worker. Its own module, loaded only where workers and
 * `OffscreenCanvas` exist: `import.meta` is the bundler's cue (rspack emits
 * the worker as its own chunk under the labextension's public path).
 */
export function spawnSketchWorker(): Worker {
  return new Worker(new URL('./sketch.worker.js', import.meta.url), {
    name: 'runwatch-sketch'
  });
}
