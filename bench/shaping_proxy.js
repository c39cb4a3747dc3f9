/**
 * A TCP proxy that makes loopback look far away: every connection (HTTP
 * and websockets alike) goes through ONE shared link with a bandwidth cap
 * and a latency, and bytes are counted per direction.
 *
 *     node bench/shaping_proxy.js --target 8888 [--listen 0] [--mbit 100] [--rtt-ms 20] [--burst-kb 64]
 *
 *     const { start } = require('./shaping_proxy');
 *     const proxy = await start({ targetPort: 8888, mbit: 100, rttMs: 20 });
 *     proxy.port; proxy.bytes(); // { up, down }
 *     await proxy.close();
 *
 * The link model, per direction (browser → server "up", server → browser
 * "down"), each direction independent, as on a full-duplex line:
 * - a token bucket of `mbit` Mbit/s (10^6 bits), at most `burstKb` KiB of
 *   credit, shared by every connection in arrival order (one FIFO, like a
 *   bottleneck router's queue): a chunk leaves when the bucket holds its
 *   size;
 * - then a fixed one-way delay of `rttMs / 2`. "20 ms" is therefore what
 *   the link adds to a round trip — a request's first byte reaches the
 *   server 10 ms after the browser sent it, and the first byte of the answer
 *   reaches the browser 10 ms after the server sent it — on top of the time
 *   the bytes take at the link's rate. Like `ping` over the link with
 *   nothing else queued: ≥ 20 ms.
 * - Opening a connection is free (no handshake round trip): as through an
 *   SSH tunnel, whose TCP connection to the far side already exists.
 *
 * Backpressure: each direction of each connection holds at most 1 MiB plus
 * twice the link's bandwidth-delay product (its window) in the link before
 * its source socket is paused, so a server streaming 1 GB never piles it up
 * in the proxy's memory, and one connection alone can still fill the link.
 * `bytes()` counts the bytes delivered out of the link (that crossed it).
 */
'use strict';

const net = require('net');

/**
 * One direction of the shared link: a token bucket (virtual clock), then
 * a fixed delay, delivering chunks in FIFO order from one timer.
 */
class LinkDirection {
  constructor({ bytesPerMs, delayMs, burstBytes }) {
    this.bytesPerMs = bytesPerMs;
    this.delayMs = delayMs;
    this.burstBytes = burstBytes;
    // Enough in flight per connection to keep the link busy through the
    // delay (a TCP window over this link would need the same).
    this.window = 1024 * 1024 + 2 * bytesPerMs * delayMs * 2;
    this.freeAt = 0; // when the bucket's debt is paid (ms, performance clock)
    this.queue = []; // { at, deliver } in arrival order (and time order)
    this.head = 0;
    this.timer = undefined;
    this.delivered = 0;
  }

  /** Send `size` bytes; `deliver` runs when they come out of the far end. */
  send(size, deliver) {
    const now = performance.now();
    // A full bucket lends at most `burstBytes` of credit at line rate.
    const earliest = now - this.burstBytes / this.bytesPerMs;
    const leaves = Math.max(this.freeAt, earliest) + size / this.bytesPerMs;
    this.freeAt = leaves;
    const at = Math.max(now, leaves) + this.delayMs;
    this.queue.push({ at, size, deliver });
    if (this.queue.length - this.head === 1) {
      this._arm();
    }
  }

  _arm() {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
      return;
    }
    const wait = this.queue[this.head].at - performance.now();
    this.timer = setTimeout(() => this._flush(), Math.max(0, Math.ceil(wait)));
  }

  _flush() {
    const now = performance.now();
    // A timer may fire a little early (libuv's ms clock): never deliver
    // before time, so the delay is a floor; _arm waits for the rest.
    while (this.head < this.queue.length && this.queue[this.head].at <= now) {
      const { size, deliver } = this.queue[this.head];
      this.queue[this.head++] = undefined;
      this.delivered += size;
      deliver();
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this._arm();
  }

  close() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * Pipe `from` into `to` through `link`, pausing `from` while this pipe has
 * more than the link's window in the link or in `to`'s write buffer.
 */
function shapePipe(from, to, link) {
  const high = link.window;
  const low = high / 2;
  let inLink = 0;
  const maybeResume = () => {
    if (from.isPaused() && inLink < low && to.writableLength < high) {
      from.resume();
    }
  };
  from.on('data', chunk => {
    inLink += chunk.length;
    link.send(chunk.length, () => {
      inLink -= chunk.length;
      if (!to.destroyed) {
        to.write(chunk);
      }
      maybeResume();
    });
    if (inLink >= high) {
      from.pause();
    }
  });
  to.on('drain', maybeResume);
  // The end travels behind the data, with the same delay.
  from.on('end', () => link.send(0, () => to.end()));
}

/**
 * Start the proxy on 127.0.0.1:`listenPort` (0: any free port) in front of
 * `targetHost`:`targetPort`. Resolves to `{ port, bytes(), close() }`.
 */
function start({
  listenPort = 0,
  targetPort,
  targetHost = '127.0.0.1',
  mbit = 100,
  rttMs = 20,
  burstKb = 64
}) {
  if (!Number.isInteger(targetPort) || targetPort <= 0) {
    throw new Error(
      `shaping_proxy: targetPort must be a port, got ${targetPort}`
    );
  }
  const options = {
    bytesPerMs: (mbit * 1e6) / 8 / 1000,
    delayMs: rttMs / 2,
    burstBytes: burstKb * 1024
  };
  const up = new LinkDirection(options);
  const down = new LinkDirection(options);
  const sockets = new Set();
  // Half-open sockets: a side's end travels through the link behind its
  // data (shapePipe), so a server that answers and closes is not cut off
  // while its last bytes are still on the way.
  const server = net.createServer({ allowHalfOpen: true }, client => {
    const upstream = net.connect({
      port: targetPort,
      host: targetHost,
      allowHalfOpen: true
    });
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    // A side that fails (refused, reset) takes the other down with it.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    shapePipe(client, upstream, up);
    shapePipe(upstream, client, down);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => {
      server.off('error', reject);
      resolve({
        port: server.address().port,
        /** Bytes out of the link so far: up (to the server), down (to the browser). */
        bytes: () => ({ up: up.delivered, down: down.delivered }),
        close: () =>
          new Promise(done => {
            up.close();
            down.close();
            sockets.forEach(socket => socket.destroy());
            server.close(() => done());
          })
      });
    });
  });
}

function parseArgs(argv) {
  const options = {
    listen: 0,
    target: NaN,
    mbit: 100,
    'rtt-ms': 20,
    'burst-kb': 64
  };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in options) || i + 1 >= argv.length) {
      throw new Error(
        'usage: node bench/shaping_proxy.js --target PORT [--listen 0] [--mbit 100] [--rtt-ms 20] [--burst-kb 64]'
      );
    }
    options[key] = Number(argv[++i]);
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const proxy = await start({
    listenPort: options.listen,
    targetPort: options.target,
    mbit: options.mbit,
    rttMs: options['rtt-ms'],
    burstKb: options['burst-kb']
  });
  console.log(
    `shaping proxy on 127.0.0.1:${proxy.port} -> 127.0.0.1:${options.target}: ` +
      `${options.mbit} Mbit/s per direction, +${options['rtt-ms']} ms round trip (Ctrl-C prints the bytes)`
  );
  const report = () => {
    const { up, down } = proxy.bytes();
    console.log(
      `bytes: to the server ${(up / 1e6).toFixed(2)} MB, to the browser ${(down / 1e6).toFixed(2)} MB`
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      report();
      void proxy.close().then(() => process.exit(0));
    });
  }
}

module.exports = { start };

if (require.main === module) {
  main().catch(error => {
    console.error(error.message);
    process.exit(2);
  });
}
