/**
 * `%review` from far away: a real `jupyter lab`, Debian's headless
 * Chromium, and the shaping proxy (bench/shaping_proxy.js: 100 Mbit/s per
 * direction, +20 ms round trip, one link shared by every connection) between
 * them, beside the same review over plain loopback as the baseline.
 *
 *     node bench/remote_review_bench.js [--quick] [--glob] [--ahead] [--attached] [--reps 3]
 *         [--store /tmp/runwatch-big-store] [--mbit 100] [--rtt-ms 20] [--timeout-min 45]
 *
 * The store is issue 10's shape, made once by bench/big_store.py and reused:
 * 60 channels × 1 M rows (`--quick`: 6 channels × 1 M rows; `--glob`: the
 * glob of 20 runs × 60 channels × 100 k rows). Each repetition, for each
 * path (proxied, then local; the order alternates), starts a FRESH server
 * (so the server's summary cache, if any, is cold; the OS page cache is
 * warm after the first), opens a fresh browser context (empty HTTP cache:
 * plotly.js loads over the link), opens a notebook, waits for its kernel,
 * and runs `%review '<run>'` in a cell:
 * - first review: from the cell's run to every plot drawn and the review's
 *   status settled (bench/notebook_review.js), plotly's first load and the
 *   kernel round trip included; bytes server → browser through the proxy in
 *   that interval; the server's resident memory above idle at its peak;
 * - later review: the same cell run again in the same page.
 * With `--ahead` the servers summarise the newest runs in the background
 * (docs/server-api.md, "Summaries built ahead") and the page opens once
 * the server's log says that pass is done: "first" is then a fresh page
 * (empty HTTP cache) on a server whose summaries were built before anyone
 * asked, the usual case for runs written while the server ran.
 * The page is measured as a user's browser runs it: Chromium is the
 * bench's own (a fresh profile per page), and Playwright, which opens the
 * lab and the notebook, lets go of it before the reviews start; the page
 * reports each review by a beacon (bench/detached_page.js). `--attached`
 * measures as before, with Playwright's DevTools session on the page
 * throughout (its network agent copies and decodes every response body).
 * Prints the median of the repetitions, and the targets. Stops everything
 * at the end or at the timeout.
 */
'use strict';

const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  PYTHON,
  freePort,
  killGroup,
  launchChromium,
  sleep,
  spawnLab,
  summarisedAhead,
  waitExit,
  waitForServer
} = require('./harness');
const {
  notebookJson,
  openNotebook,
  reviewInCell
} = require('./notebook_review');
const shapingProxy = require('./shaping_proxy');
const {
  beaconSink,
  nextReview,
  ownChromium,
  reviewDetached
} = require('./detached_page');

const VIEWPORT = { width: 1600, height: 1000 };

const USAGE =
  'usage: node bench/remote_review_bench.js [--quick] [--glob] [--ahead] [--attached] [--reps 3] ' +
  '[--store DIR] [--mbit 100] [--rtt-ms 20] [--timeout-min 45]';

function parseArgs(argv) {
  const options = {
    quick: false,
    glob: false,
    ahead: false,
    attached: false,
    reps: 3,
    store: path.join(os.tmpdir(), 'runwatch-big-store'),
    mbit: 100,
    'rtt-ms': 20,
    'timeout-min': NaN
  };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (['quick', 'glob', 'ahead', 'attached'].includes(key)) {
      options[key] = true;
    } else if (key in options && i + 1 < argv.length) {
      options[key] = key === 'store' ? argv[++i] : Number(argv[++i]);
    } else {
      throw new Error(USAGE);
    }
  }
  if (Number.isNaN(options['timeout-min'])) {
    options['timeout-min'] = options.quick ? 12 : 45;
  }
  return options;
}

/** The store's spec for these options: [runs, channels, rows]. */
function storeShape(options) {
  if (options.glob) {
    return [20, options.quick ? 6 : 60, 100_000];
  }
  return [1, options.quick ? 6 : 60, 1_000_000];
}

/** Make (or reuse) the store with bench/big_store.py; its manifest. */
function bigStore(options) {
  const [runs, channels, rows] = storeShape(options);
  const out = execFileSync(
    PYTHON,
    [
      path.join(__dirname, 'big_store.py'),
      options.store,
      '--runs',
      String(runs),
      '--channels',
      String(channels),
      '--rows',
      String(rows),
      '--json'
    ],
    { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] }
  );
  return JSON.parse(out);
}

/** Resident memory of `pid` in bytes (0 once it is gone). */
function rss(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf-8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * One fresh server, one fresh page (through a proxy or not): the first
 * review and a later one, each with bytes and the server's peak RSS.
 */
async function onePage({
  browser,
  options,
  store,
  magic,
  plots,
  proxied,
  tmp
}) {
  const port = await freePort();
  const attached = options.attached;
  const token = crypto.randomBytes(16).toString('hex');
  // A cache folder of its own: the server's summaries on disk
  // (`$XDG_CACHE_HOME/runwatch/lod`) start empty, so "first" is cold.
  const cache = fs.mkdtempSync(path.join(tmp, 'cache-'));
  const env = { ...process.env, RUNWATCH_ROOT: store, XDG_CACHE_HOME: cache };
  const { child: server, log } = spawnLab({
    port,
    token,
    root: tmp,
    env,
    ahead: options.ahead
  });
  let proxy;
  let context;
  let own;
  let sink;
  let aheadS;
  try {
    await waitForServer(
      `http://127.0.0.1:${port}/api/status?token=${token}`,
      Date.now() + 90000,
      server
    );
    if (options.ahead) {
      aheadS = await summarisedAhead(log, Date.now() + 300000);
    }
    if (proxied) {
      proxy = await shapingProxy.start({
        targetPort: port,
        mbit: options.mbit,
        rttMs: options['rtt-ms']
      });
    }
    const base = `http://127.0.0.1:${proxied ? proxy.port : port}`;
    let driver;
    if (attached) {
      context = await browser.newContext({ viewport: VIEWPORT });
      driver = { page: await context.newPage() };
    } else {
      own = await ownChromium(VIEWPORT);
      driver = await own.connect();
    }
    const { page } = driver;
    await page.goto(`${base}/lab?token=${token}`, { timeout: 120000 });
    const notebook = `review-${proxied ? 'proxied' : 'local'}.ipynb`;
    fs.writeFileSync(path.join(tmp, notebook), notebookJson());
    await openNotebook(page, notebook, 120000);
    await sleep(1000); // let the lab's start-up traffic settle
    // The server's peak RSS above idle and the bytes to the browser, from a
    // review's start to its result.
    let idle = 0;
    let peak = 0;
    let before = 0;
    const sampler = setInterval(
      () => (peak = Math.max(peak, rss(server.pid))),
      100
    );
    const started = () => {
      idle = peak = rss(server.pid);
      before = proxy?.bytes().down ?? 0;
    };
    const ended = result => ({
      ...result,
      down: (proxy?.bytes().down ?? before) - before,
      rssAbove: peak - idle
    });
    const timeoutMs = options['timeout-min'] * 60000;
    try {
      if (attached) {
        const measure = async () => {
          started();
          return ended(await reviewInCell(page, magic, plots, timeoutMs));
        };
        const first = await measure();
        await sleep(2000); // the first review's PNG snapshot and other after-work
        const later = first.timedOut ? first : await measure();
        return { first, later, aheadS };
      }
      sink = await beaconSink();
      const letGo = await reviewDetached(driver, {
        sinkUrl: sink.url,
        magic,
        plots,
        timeoutMs,
        reviews: 2,
        pauseMs: 2000
      });
      const results = [];
      for (let review = 0; review < 2; review++) {
        const result = await nextReview(
          sink,
          review,
          letGo,
          timeoutMs + 60000,
          started
        );
        results.push(ended(result));
      }
      return { first: results[0], later: results[1], aheadS };
    } finally {
      clearInterval(sampler);
    }
  } catch (error) {
    console.error(
      `remote_review_bench: server log tail:\n${log().slice(-3000)}`
    );
    throw error;
  } finally {
    await context?.close();
    await own?.stop();
    await sink?.close();
    await proxy?.close();
    killGroup(server);
    await waitExit(server, 10000);
    killGroup(server, 'SIGKILL');
  }
}

const median = values => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
};
const seconds = ms => `${(ms / 1000).toFixed(2)} s`;
const mb = bytes => `${(bytes / 1e6).toFixed(1)} MB`;

function report(label, samples, target) {
  const ms = samples.map(s => (s.timedOut ? NaN : s.ms));
  const line =
    `  ${label.padEnd(30)} ${seconds(median(ms)).padStart(9)}` +
    ` (each: ${samples.map(s => (s.timedOut ? 'timed out' : seconds(s.ms))).join(', ')})` +
    `, the window's plots ${seconds(median(samples.map(s => (s.timedOut ? NaN : s.viewMs))))}` +
    `, plotly built ${seconds(median(samples.map(s => (s.timedOut ? NaN : s.interactiveMs))))}`;
  const bytes = samples.some(s => s.down > 0)
    ? `, ${mb(median(samples.map(s => s.down)))} to the browser`
    : '';
  console.log(
    `${line}${bytes}; server +${mb(median(samples.map(s => s.rssAbove)))} RSS${target ? `; ${target}` : ''}`
  );
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const deadline = setTimeout(() => {
    console.error(
      `remote_review_bench: no result after ${options['timeout-min']} min, stopping`
    );
    stop();
    process.exit(2);
  }, options['timeout-min'] * 60000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runwatch-remote-bench-'));
  let browser;
  const stop = () => {
    void browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const manifest = bigStore(options);
    const [runs, channels, rows] = storeShape(options);
    const target = options.glob ? manifest.glob : manifest.runs[0];
    const magic = `%review '${target}'`;
    const plots = Math.ceil(channels / 3); // one plot per group
    const size = Object.values(manifest.files)
      .flatMap(sizes => Object.values(sizes))
      .reduce((a, b) => a + b, 0);
    console.log(
      `remote review: ${magic}: ${runs} run(s) × ${channels} channels × ${rows} rows, ${mb(size)} on disk, ${plots} plots; ` +
        `link ${options.mbit} Mbit/s, +${options['rtt-ms']} ms round trip; ${options.reps} repetition(s)`
    );
    browser = options.attached ? await launchChromium() : undefined;
    const samples = { proxied: [], local: [] };
    for (let rep = 0; rep < options.reps; rep++) {
      const order = rep % 2 === 0 ? [true, false] : [false, true];
      for (const proxied of order) {
        const result = await onePage({
          browser,
          options,
          store: options.store,
          magic,
          plots,
          proxied,
          tmp
        });
        samples[proxied ? 'proxied' : 'local'].push(result);
        const { first, later, aheadS } = result;
        const ahead =
          aheadS === undefined ? '' : ` (summarised ahead in ${aheadS} s)`;
        console.log(
          `  rep ${rep + 1} ${proxied ? 'proxied' : 'local  '}${ahead}: first ${first.timedOut ? 'timed out' : seconds(first.ms)}` +
            ` (window ${seconds(first.viewMs)})` +
            (proxied ? ` ${mb(first.down)}` : '') +
            `, later ${later.timedOut ? 'timed out' : seconds(later.ms)}` +
            (proxied ? ` ${mb(later.down)}` : '') +
            ` (${first.plots} plots, ${first.traces} traces, ≤ ${first.points} points at ${first.widthPx?.toFixed(0)} px; ` +
            `spike drawn: ${manifest.spike.run === manifest.runs[0] && first.maxY?.[manifest.spike.channel.split('.')[0]] >= manifest.spike.value})`
        );
      }
    }
    const glob =
      (options.glob ? 'glob ' : '') + (options.ahead ? 'ahead, ' : '');
    // The issue's targets; a glob has one (first complete render, local).
    const targets = options.glob
      ? ['', '', 'target ≤ 1.5 s', '']
      : [
          'target ≤ 2 s and ≤ 8 MB',
          '',
          options.ahead
            ? 'target ≤ 1.5 s, with cold summaries: run without --ahead'
            : 'target ≤ 1.5 s (cold summary cache)',
          'target ≤ 0.5 s'
        ];
    console.log(
      `\nmedians of ${options.reps}, ${options.attached ? 'Playwright attached' : 'no automation attached while measuring'}` +
        ` (from the cell's run to every plot painted;` +
        ` to the window's plots painted down to its bottom;` +
        ` then to every plot built by plotly, hover and zoom ready):`
    );
    report(
      `${glob}first review, proxied`,
      samples.proxied.map(s => s.first),
      targets[0]
    );
    report(
      `${glob}later review, proxied`,
      samples.proxied.map(s => s.later),
      targets[1]
    );
    report(
      `${glob}first review, local`,
      samples.local.map(s => s.first),
      targets[2]
    );
    report(
      `${glob}later review, local`,
      samples.local.map(s => s.later),
      targets[3]
    );
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    clearTimeout(deadline);
    await browser?.close();
    stop();
  }
}

void main();
