import { ISketchLayout } from '../plotSketch';
import {
  ISketchWorkerPort,
  SketchWorkerClient,
  sketchWorkerCount
} from './client';
import { SketchReply, SketchRequest } from './protocol';

const layout = { width: 300, height: 200 } as unknown as ISketchLayout;

/** A worker that answers paints when told to. */
function fakeWorker() {
  const posted: SketchRequest[] = [];
  const transferred: Transferable[][] = [];
  const port: ISketchWorkerPort = {
    postMessage: (message, transfer = []) => {
      posted.push(message);
      transferred.push(transfer);
    },
    onmessage: null,
    onerror: null
  };
  const answer = (reply: SketchReply) =>
    port.onmessage?.({ data: reply } as MessageEvent<SketchReply>);
  return { port, posted, transferred, answer };
}

/** A page canvas whose control can be handed over. */
function canvas(): HTMLCanvasElement {
  const offscreen = {} as OffscreenCanvas;
  return {
    transferControlToOffscreen: () => offscreen
  } as unknown as HTMLCanvasElement;
}

const settle = () => new Promise(resolve => setTimeout(resolve, 0));

describe('SketchWorkerClient', () => {
  it('hands a canvas over, then paints on it, in order', async () => {
    const worker = fakeWorker();
    const client = new SketchWorkerClient(async () => worker.port);
    const id = client.adopt(canvas());
    const done = jest.fn();
    client.paint(id, 1, layout, [{ x: [0], y: [1], hovertext: 'h' }], done);
    client.drop(id);
    await settle();
    expect(worker.posted.map(m => m.type)).toEqual(['adopt', 'paint', 'drop']);
    const paint = worker.posted[1] as Extract<SketchRequest, { type: 'paint' }>;
    expect(paint.id).toBe(id);
    expect(paint.traces.traces).toEqual([{ x: [0], y: [1] }]);
    // The packed arrays are handed over, not copied.
    expect(worker.transferred[1]).toEqual([paint.traces.values.buffer]);
    expect(done).not.toHaveBeenCalled();
    worker.answer({ type: 'painted', paint: paint.paint, ok: true });
    expect(done).toHaveBeenCalledWith(true);
  });

  it('is settled once no paint is waiting', async () => {
    const worker = fakeWorker();
    const client = new SketchWorkerClient(async () => worker.port);
    let settled = false;
    await client.settled(); // none waiting: at once
    const id = client.adopt(canvas());
    client.paint(id, 1, layout, [], () => undefined);
    client.paint(id, 1, layout, [], () => undefined);
    void client.settled().then(() => (settled = true));
    await settle();
    const [first, second] = worker.posted
      .filter(m => m.type === 'paint')
      .map(m => (m as Extract<SketchRequest, { type: 'paint' }>).paint);
    worker.answer({ type: 'painted', paint: first, ok: true });
    await settle();
    expect(settled).toBe(false);
    worker.answer({ type: 'painted', paint: second, ok: false, error: 'x' });
    await settle();
    expect(settled).toBe(true);
  });

  it('fails the paints waiting when the worker dies, and every one after', async () => {
    const worker = fakeWorker();
    const client = new SketchWorkerClient(async () => worker.port);
    const id = client.adopt(canvas());
    const done = jest.fn();
    client.paint(id, 1, layout, [], done);
    await settle();
    worker.port.onerror?.(new Event('error'));
    expect(done).toHaveBeenCalledWith(false);
    expect(client.broken).toBe(true);
    const after = jest.fn();
    client.paint(id, 1, layout, [], after);
    expect(after).toHaveBeenCalledWith(false);
  });

  it('fails a paint when the worker cannot start', async () => {
    const client = new SketchWorkerClient(() =>
      Promise.reject(new Error('chunk failed'))
    );
    const done = jest.fn();
    client.paint(client.adopt(canvas()), 1, layout, [], done);
    await settle();
    expect(done).toHaveBeenCalledWith(false);
    expect(client.broken).toBe(true);
  });
});

describe('sketchWorkerCount', () => {
  it('is two, or half the cores up to four', () => {
    expect([undefined, 1, 2, 4, 6, 8, 16, 64].map(sketchWorkerCount)).toEqual([
      2, 2, 2, 2, 3, 4, 4, 4
    ]);
  });
});
