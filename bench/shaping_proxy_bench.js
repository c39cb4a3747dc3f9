/**
 * Checks the shaping proxy's link against its arithmetic, with figures:
 *
 *     node bench/shaping_proxy_bench.js [--mbit 100] [--rtt-ms 20] [--mb 10]
 *
 * Against a local TCP server in this process, direct and through
 * `bench/shaping_proxy.js`: a ping round trip (1 byte echoed, median of
 * 20), a 10 MB download (expected 10e6 × 8 / 100e6 = 0.80 s plus the 10 ms
 * one-way delay), the same upload, and two downloads at once (they share
 * the link: ≈ 1.6 s for both). Prints; asserts nothing.
 */
'use strict';

const net = require('net');
const { start } = require('./shaping_proxy');

const HARD_TIMEOUT_MS = 120 * 1000;

function parseArgs(argv) {
  const options = { mbit: 100, 'rtt-ms': 20, mb: 10 };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in options) || i + 1 >= argv.length) {
      throw new Error(
        'usage: node bench/shaping_proxy_bench.js [--mbit 100] [--rtt-ms 20] [--mb 10]'
      );
    }
    options[key] = Number(argv[++i]);
  }
  return options;
}

/**
 * A server that answers the first byte a client sends: 'p' echoes it,
 * 'd' sends `size` bytes and ends, 'u' reads until the client ends and
 * answers 'k'.
 */
function startServer(size) {
  const payload = Buffer.alloc(size, 7);
  const server = net.createServer({ allowHalfOpen: true }, socket => {
    let mode;
    socket.on('data', chunk => {
      if (mode === undefined) {
        mode = String.fromCharCode(chunk[0]);
        if (mode === 'd') {
          socket.end(payload);
        }
      }
      if (mode === 'p') {
        socket.write(chunk);
      }
    });
    socket.on('end', () => {
      if (mode === 'u') {
        socket.end('k');
      } else if (mode === 'p') {
        socket.end();
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(server))
  );
}

function connect(port) {
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

/** Median round trip of one byte, over one connection. */
async function ping(port, times = 20) {
  const socket = await connect(port);
  socket.write('p');
  await new Promise(resolve => socket.once('data', resolve));
  const rtts = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    socket.write('x');
    await new Promise(resolve => socket.once('data', resolve));
    rtts.push(performance.now() - t0);
  }
  socket.end();
  rtts.sort((a, b) => a - b);
  return rtts[Math.floor(rtts.length / 2)];
}

/** Seconds from asking to the last of `size` bytes downloaded. */
async function download(port, size) {
  const socket = await connect(port);
  const t0 = performance.now();
  socket.write('d');
  let got = 0;
  await new Promise((resolve, reject) => {
    socket.on('data', chunk => (got += chunk.length));
    socket.on('end', resolve);
    socket.on('error', reject);
  });
  socket.end();
  if (got !== size) {
    throw new Error(`downloaded ${got} bytes, expected ${size}`);
  }
  return (performance.now() - t0) / 1000;
}

/** Seconds from the first of `size` bytes sent to the server's answer. */
async function upload(port, size) {
  const socket = await connect(port);
  const t0 = performance.now();
  socket.write('u');
  socket.end(Buffer.alloc(size - 1, 3));
  await new Promise((resolve, reject) => {
    socket.on('data', resolve);
    socket.on('error', reject);
  });
  return (performance.now() - t0) / 1000;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const size = Math.round(options.mb * 1e6);
  const timer = setTimeout(() => {
    console.error('shaping_proxy_bench: hard timeout');
    process.exit(2);
  }, HARD_TIMEOUT_MS);
  const server = await startServer(size);
  const target = server.address().port;
  const proxy = await start({
    targetPort: target,
    mbit: options.mbit,
    rttMs: options['rtt-ms']
  });
  const seconds = (size * 8) / (options.mbit * 1e6);
  const oneWay = options['rtt-ms'] / 2000;
  const row = (what, direct, proxied, expected, unit = 's') => {
    const f = v => (unit === 'ms' ? `${v.toFixed(1)} ms` : `${v.toFixed(3)} s`);
    console.log(
      `  ${what.padEnd(34)} direct ${f(direct).padStart(9)}   proxied ${f(proxied).padStart(9)}   expected ${f(expected)}`
    );
  };
  console.log(
    `shaping proxy: ${options.mbit} Mbit/s per direction, +${options['rtt-ms']} ms round trip, ${options.mb} MB transfers`
  );
  row(
    'ping (1 byte, median of 20)',
    await ping(target),
    await ping(proxy.port),
    options['rtt-ms'],
    'ms'
  );
  const before = proxy.bytes();
  row(
    'download',
    await download(target, size),
    await download(proxy.port, size),
    seconds + oneWay
  );
  const after = proxy.bytes();
  console.log(
    `    proxy counted ${((after.down - before.down) / 1e6).toFixed(3)} MB down, ${after.up - before.up} B up`
  );
  row(
    'upload',
    await upload(target, size),
    await upload(proxy.port, size),
    seconds + 2 * oneWay
  );
  const both = async port => {
    const t0 = performance.now();
    await Promise.all([download(port, size), download(port, size)]);
    return (performance.now() - t0) / 1000;
  };
  row(
    'two downloads at once (shared)',
    await both(target),
    await both(proxy.port),
    2 * seconds + oneWay
  );
  clearTimeout(timer);
  await proxy.close();
  server.close();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
