/**
 * The benches' shaping proxy (bench/shaping_proxy.js): every byte arrives,
 * in order, and is counted per direction; the configured delay is a floor
 * on a round trip; connections share one link. Bounds are lower bounds
 * only (a loaded machine makes things slower, never faster); the timings
 * themselves are in bench/shaping_proxy_bench.js.
 */
import * as net from 'net';

interface IProxy {
  port: number;
  bytes(): { up: number; down: number };
  close(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { start } = require('../bench/shaping_proxy') as {
  start(options: {
    targetPort: number;
    mbit?: number;
    rttMs?: number;
    burstKb?: number;
  }): Promise<IProxy>;
};

/** An echo server: every byte it gets goes back; it ends when the client does. */
function echoServer(): Promise<net.Server> {
  const server = net.createServer({ allowHalfOpen: true }, socket => {
    socket.on('data', chunk => socket.write(chunk));
    socket.on('end', () => socket.end());
    socket.on('error', () => undefined);
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(server))
  );
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({
      port,
      host: '127.0.0.1',
      allowHalfOpen: true
    });
    socket.setNoDelay(true);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Send `payload`, end, and collect everything echoed until the server ends. */
async function echo(port: number, payload: Buffer): Promise<Buffer> {
  const socket = await connect(port);
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve());
    socket.on('error', reject);
  });
  socket.end(payload);
  await done;
  socket.destroy();
  return Buffer.concat(chunks);
}

describe('shaping proxy', () => {
  let server: net.Server;
  let proxy: IProxy | undefined;

  beforeEach(async () => {
    server = await echoServer();
  });

  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await new Promise(resolve => server.close(resolve));
  });

  it('delivers every byte in order and counts each direction', async () => {
    const target = (server.address() as net.AddressInfo).port;
    proxy = await start({ targetPort: target, mbit: 1000, rttMs: 2 });
    const payload = Buffer.alloc(3_000_000);
    for (let i = 0; i < payload.length; i++) {
      payload[i] = (i * 7919) % 251;
    }
    const back = await echo(proxy.port, payload);
    expect(back.equals(payload)).toBe(true);
    expect(proxy.bytes()).toEqual({ up: 3_000_000, down: 3_000_000 });
  });

  it('adds at least the configured round trip to a ping', async () => {
    const target = (server.address() as net.AddressInfo).port;
    proxy = await start({ targetPort: target, rttMs: 40 });
    const socket = await connect(proxy.port);
    const rtts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const answer = new Promise(resolve => socket.once('data', resolve));
      socket.write('x');
      await answer;
      rtts.push(performance.now() - t0);
    }
    socket.destroy();
    expect(Math.min(...rtts)).toBeGreaterThanOrEqual(40);
    expect(proxy.bytes()).toEqual({ up: 5, down: 5 });
  });

  it('makes two connections share one link', async () => {
    const target = (server.address() as net.AddressInfo).port;
    // 8 Mbit/s = 1 MB/s; 64 KiB of burst credit per direction.
    proxy = await start({ targetPort: target, mbit: 8, rttMs: 0, burstKb: 64 });
    const port = proxy.port;
    const t0 = performance.now();
    const [a, b] = await Promise.all([
      echo(port, Buffer.alloc(400_000, 1)),
      echo(port, Buffer.alloc(400_000, 2))
    ]);
    const seconds = (performance.now() - t0) / 1000;
    expect(a.length + b.length).toBe(800_000);
    // 800 kB through a 1 MB/s link, less the burst: two links would take half.
    expect(seconds).toBeGreaterThanOrEqual((800_000 - 65_536) / 1e6);
  });
});
