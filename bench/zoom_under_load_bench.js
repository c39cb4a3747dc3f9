/**
 * A zoom while a big review is loading, at the server: how long one zoom
 * request takes alone (the baseline) and while a 20-run glob's whole-span
 * requests stream, as the browser sends them (6 at a time, HTTP/1.1's limit).
 *
 *     node bench/zoom_under_load_bench.js [--store /tmp/runwatch-big-store] [--zooms 5]
 *
 * A real `jupyter lab` with a cold summary cache, the stores of
 * bench/big_store.py (the glob: 20 runs × 60 channels × 100 k rows; the big
 * run: 60 channels × 1 M rows). The glob's 80 requests (5 plots' 15 channels
 * each, rule 60 s, 366 px, in grid order) are fetched by 6 workers; every
 * 700 ms a zoom asks for one channel of the big run at the raw rule over
 * a new 3,000 s range. Prints the zooms' median alone, then under load (cold
 * server, then warm), and the glob's own time.
 */
'use strict';

const { execFileSync } = require('child_process');
const os = require('os');
const path = require('path');
const { PYTHON, sleep } = require('./harness');
const { startLab } = require('./lab_harness');

function parseArgs(argv) {
  const options = {
    store: path.join(os.tmpdir(), 'runwatch-big-store'),
    zooms: 5
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in options) || i + 1 >= argv.length) {
      throw new Error(
        'usage: node bench/zoom_under_load_bench.js [--store DIR] [--zooms 5]'
      );
    }
    options[key] = key === 'store' ? argv[i + 1] : Number(argv[i + 1]);
  }
  return options;
}

/** The store's manifest for `runs` × `channels` × `rows` (made if missing). */
function manifest(store, runs, channels, rows) {
  const args = [path.join(__dirname, 'big_store.py'), store, '--json'];
  args.push('--runs', String(runs), '--channels', String(channels));
  args.push('--rows', String(rows));
  const out = execFileSync(PYTHON, args, {
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20
  });
  return JSON.parse(out);
}

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const glob = manifest(options.store, 20, 60, 100_000);
  const big = manifest(options.store, 1, 60, 1_000_000).runs[0];
  const { port, token, stop } = await startLab({
    store: options.store,
    prefix: 'zoom-load'
  });
  try {
    const api = `http://127.0.0.1:${port}/runwatch/api/runs`;
    const headers = {
      Authorization: `token ${token}`,
      'Accept-Encoding': 'gzip'
    };
    const get = async url => {
      const response = await fetch(url, { headers });
      const body = await response.arrayBuffer();
      if (response.status !== 200) {
        throw new Error(`${response.status} ${Buffer.from(body)}`);
      }
    };
    const spans = [];
    for (let batch = 0; batch < 4; batch++) {
      for (const run of glob.runs) {
        const channels = [];
        for (let g = batch * 5; g < batch * 5 + 5; g++) {
          for (const label of 'abc') {
            channels.push(`channel=g${String(g).padStart(2, '0')}.${label}`);
          }
        }
        spans.push(
          `${api}/${encodeURIComponent(run)}/series?${channels.join('&')}&rule=60&width=366`
        );
      }
    }
    let zoomed = 0;
    const zoom = async () => {
      const from = 1000 + 500 * zoomed;
      const channel = `g${String(zoomed % 20).padStart(2, '0')}.a`;
      zoomed++;
      const t0 = performance.now();
      await get(
        `${api}/${encodeURIComponent(big)}/series?channel=${channel}&rule=raw&width=800&x0=${from}&x1=${from + 3000}`
      );
      return performance.now() - t0;
    };
    const underLoad = async () => {
      const t0 = performance.now();
      let next = 0;
      const worker = async () => {
        while (next < spans.length) {
          await get(spans[next++]);
        }
      };
      const zooms = [];
      const zoomer = async () => {
        for (let k = 0; k < options.zooms; k++) {
          await sleep(700);
          zooms.push(await zoom());
        }
      };
      await Promise.all([...Array.from({ length: 6 }, worker), zoomer()]);
      return { zooms, globMs: performance.now() - t0 };
    };
    const cold = await underLoad();
    const warm = await underLoad();
    const alone = [];
    for (let k = 0; k < options.zooms; k++) {
      await sleep(200);
      alone.push(await zoom());
    }
    const ms = v => `${Math.round(v)} ms`;
    console.log('zoom under load: one raw-rule zoom of a 1 M-row channel');
    console.log(
      `  alone (baseline):        ${ms(median(alone))} median of ${alone.length}`
    );
    console.log(
      `  while a glob loads cold: ${ms(median(cold.zooms))} (${(median(cold.zooms) / median(alone)).toFixed(1)}x); the glob took ${ms(cold.globMs)}`
    );
    console.log(
      `  while a glob loads warm: ${ms(median(warm.zooms))} (${(median(warm.zooms) / median(alone)).toFixed(1)}x); the glob took ${ms(warm.globMs)}`
    );
  } finally {
    await stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
