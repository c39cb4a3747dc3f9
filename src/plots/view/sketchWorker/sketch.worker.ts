/**
 * The sketch worker: paints plot sketches on canvases the page handed over,
 * so rasterising their lines (on the CPU without a GPU: 40-100 ms a plot of
 * a 20-run glob) is off the page's thread.
 */
import { SketchPainter } from './painter';
import { SketchReply, SketchRequest } from './protocol';

/** The worker's global scope, typed without the WebWorker lib. */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<SketchRequest>) => void) | null;
  postMessage(message: SketchReply): void;
};

const painter = new SketchPainter();

scope.onmessage = event => {
  const reply = painter.handle(event.data);
  if (reply) {
    scope.postMessage(reply);
  }
};
