/**
 * runwatch against TensorBoard 2.21 on the same data (issue 10, "Against
 * TensorBoard"): 60 channels × 100 k rows with a planted 10-row spike of 1e4,
 * in Debian's headless Chromium, from "show me the run" to every chart drawn.
 *
 *     node bench/tensorboard_bench.js [--reps 3] [--root /tmp/runwatch-tensorboard-bench]
 *         [--width 1600] [--height 19000] [--timeout-min 30]
 *
 * 1. The data, made once and reused: a runwatch run by bench/big_store.py
 *    (60 channels × 100 k rows over a day; 10 rows of 1e4 in g08.a), and the
 *    same rows as a TensorBoard event file by bench/tensorboard_store.py
 *    (tags g00/a … g19/c, step = row, TF2 tensor scalars).
 * 2. TensorBoard lives in its own venv, bench/.tensorboard-venv (made here
 *    with `pip install tensorboard==2.21.*`; never a project dependency).
 * 3. Each repetition:
 *    - TensorBoard: a fresh `tensorboard --logdir` that has read the whole
 *      file (its ingestion is not timed), a fresh browser context (empty HTTP
 *      cache), the Time Series dashboard, timed from navigation start to
 *      every one of the 60 cards holding its data and drawn, with no spinner
 *      (bench/tensorboard_page.js), once with its default WebGL renderer and
 *      once with its SVG one (`?forceSVG=true`), each in a fresh browser
 *      context (empty HTTP cache); its best case is the faster. Its cards
 *      load only when visible, so the viewport is tall enough to show all 60
 *      at once (no scrolling), and the 18 groups it opens collapsed are
 *      expanded by script as soon as they appear.
 *    - runwatch: a fresh `jupyter lab` with an empty summary cache
 *      (XDG_CACHE_HOME in a fresh folder), a fresh browser context, a
 *      notebook whose kernel is up, and `%review '<run>'` timed from the cell's
 *      run to every plot drawn (bench/notebook_review.js; plotly's first load
 *      and the kernel round trip included): cold. Then the same cell again: warm.
 * 4. Whether the spike reached each browser: the largest value TensorBoard
 *    sent for g08/a, and the largest y runwatch drew in g08's plot.
 * Prints every repetition, the medians and the ratios, and `uptime`.
 * Asserts nothing. Stops its servers at the end or at the timeout.
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
  waitExit,
  waitForServer
} = require('./harness');
const {
  notebookJson,
  openNotebook,
  reviewInCell
} = require('./notebook_review');
const {
  TENSORBOARD,
  VENV,
  recordTimeSeries,
  spawnTensorBoard,
  timeDashboard,
  waitLoaded
} = require('./tensorboard_page');

const CHANNELS = 60;
// The servers running now: stopped at the deadline or on Ctrl-C too.
const live = new Set();
const ROWS = 100_000;
const USAGE =
  'usage: node bench/tensorboard_bench.js [--reps 3] [--root DIR] ' +
  '[--width 1600] [--height 19000] [--timeout-min 30]';

function parseArgs(argv) {
  const options = {
    reps: 3,
    root: path.join(os.tmpdir(), 'runwatch-tensorboard-bench'),
    width: 1600,
    height: 19000,
    'timeout-min': 30
  };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key in options && i + 1 < argv.length) {
      options[key] = key === 'root' ? argv[++i] : Number(argv[++i]);
    } else {
      throw new Error(USAGE);
    }
  }
  return options;
}

/** TensorBoard 2.21 in bench/.tensorboard-venv; false if it can't be installed here. */
function ensureTensorBoard() {
  if (fs.existsSync(TENSORBOARD)) {
    return true;
  }
  try {
    execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(
      path.join(VENV, 'bin', 'pip'),
      [
        'install',
        '--quiet',
        '--disable-pip-version-check',
        'tensorboard==2.21.*'
      ],
      { stdio: 'inherit' }
    );
    return fs.existsSync(TENSORBOARD);
  } catch (error) {
    console.error(`tensorboard_bench: could not install TensorBoard: ${error}`);
    return false;
  }
}

/** The runwatch run (big_store.py's manifest) and the event file beside it. */
function makeData(root) {
  const manifest = JSON.parse(
    execFileSync(
      PYTHON,
      [
        path.join(__dirname, 'big_store.py'),
        path.join(root, 'store'),
        '--runs',
        '1',
        '--channels',
        String(CHANNELS),
        '--rows',
        String(ROWS),
        '--json'
      ],
      { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] }
    )
  );
  const logdir = path.join(root, 'tensorboard');
  const events = JSON.parse(
    execFileSync(
      path.join(VENV, 'bin', 'python'),
      [
        path.join(__dirname, 'tensorboard_store.py'),
        path.join(manifest.root, manifest.runs[0]),
        logdir
      ],
      { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] }
    )
  );
  return { manifest, logdir, eventBytes: events.size };
}

/** The channel names of big_store.py's run as TensorBoard tags (g00.a → g00/a). */
function tagsOf(manifest) {
  return Object.keys(manifest.files[manifest.runs[0]])
    .filter(name => /^stats\..*\.0\.npr$/.test(name))
    .map(name => name.slice('stats.'.length, -'.0.npr'.length))
    .map(channel => channel.replace('.', '/'));
}

/**
 * One fresh TensorBoard; for each of its renderers ('webgl', its default, and
 * 'svg') a fresh browser context (empty HTTP cache) and the dashboard's first
 * load, with the largest value it was sent for the spike's tag.
 */
async function tensorBoardRep({ browser, options, logdir, tags, spikeTag }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { child, log } = spawnTensorBoard({ logdir, port });
  live.add(child);
  let context;
  try {
    await waitLoaded(base, tags, ROWS - 1, Date.now() + 300000, child);
    const out = {};
    for (const renderer of ['webgl', 'svg']) {
      context = await browser.newContext({
        viewport: { width: options.width, height: options.height }
      });
      await context.addInitScript(recordTimeSeries);
      const page = await context.newPage();
      const timeoutMs = options['timeout-min'] * 60000;
      const load = await timeDashboard(page, base, renderer, tags, timeoutMs);
      const sent = load.series[spikeTag];
      out[renderer] = { ...load, spikeSent: sent?.max, points: sent?.points };
      await context.close();
      context = undefined;
    }
    return out;
  } catch (error) {
    console.error(
      `tensorboard_bench: tensorboard log tail:\n${log().slice(-3000)}`
    );
    throw error;
  } finally {
    await context?.close();
    killGroup(child);
    await waitExit(child, 10000);
    killGroup(child, 'SIGKILL');
    live.delete(child);
  }
}

/** One fresh jupyter lab (empty summary cache) and browser context: cold and warm %review. */
async function runwatchRep({ browser, options, manifest, tmp, rep }) {
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const cache = fs.mkdtempSync(path.join(tmp, 'cache-'));
  const env = {
    ...process.env,
    RUNWATCH_ROOT: manifest.root,
    XDG_CACHE_HOME: cache
  };
  const { child, log } = spawnLab({ port, token, root: tmp, env });
  live.add(child);
  let context;
  try {
    await waitForServer(
      `http://127.0.0.1:${port}/api/status?token=${token}`,
      Date.now() + 120000,
      child
    );
    context = await browser.newContext({
      viewport: { width: options.width, height: options.height }
    });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/lab?token=${token}`, {
      timeout: 120000
    });
    const notebook = `review-${rep}.ipynb`;
    fs.writeFileSync(path.join(tmp, notebook), notebookJson());
    await openNotebook(page, notebook, 120000);
    await sleep(1000); // the lab's start-up traffic settles
    const magic = `%review '${manifest.runs[0]}'`;
    const plots = CHANNELS / 3;
    const timeoutMs = options['timeout-min'] * 60000;
    const cold = await reviewInCell(page, magic, plots, timeoutMs);
    await sleep(2000); // the first review's after-work (its PNG snapshot)
    const warm = await reviewInCell(page, magic, plots, timeoutMs);
    return { cold, warm };
  } catch (error) {
    console.error(
      `tensorboard_bench: jupyter lab log tail:\n${log().slice(-3000)}`
    );
    throw error;
  } finally {
    await context?.close();
    killGroup(child);
    await waitExit(child, 10000);
    killGroup(child, 'SIGKILL');
    live.delete(child);
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

const median = values => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
};
const seconds = ms => `${(ms / 1000).toFixed(2)} s`;
const each = samples =>
  samples.map(s => (s.timedOut ? 'timed out' : seconds(s.ms))).join(', ');
const medianMs = samples => median(samples.map(s => (s.timedOut ? NaN : s.ms)));

function report({ tensorboard, runwatch, manifest, spikeTag }) {
  const spikeGroup = manifest.spike.channel.split('.')[0];
  const value = manifest.spike.value;
  const rows = {
    'TensorBoard, WebGL (default)': tensorboard.map(r => r.webgl),
    'TensorBoard, SVG (?forceSVG)': tensorboard.map(r => r.svg),
    'runwatch %review, cold cache': runwatch.map(r => r.cold),
    'runwatch %review, warm': runwatch.map(r => r.warm)
  };
  console.log(
    `\nmedians of ${tensorboard.length} (to every chart drawn; target: runwatch ≥ 5× faster):`
  );
  for (const [label, samples] of Object.entries(rows)) {
    console.log(
      `  ${label.padEnd(30)} ${seconds(medianMs(samples)).padStart(8)}  (each: ${each(samples)})`
    );
  }
  // From the tag groups shown (the app booted, its tag list in): the
  // counterpart of runwatch's clock, which starts in a lab already loaded.
  const booted = samples =>
    median(samples.map(s => (s.timedOut ? NaN : s.ms - s.expandedAt)));
  for (const renderer of ['webgl', 'svg']) {
    console.log(
      `  TensorBoard ${renderer}, from its groups shown: ${seconds(booted(tensorboard.map(r => r[renderer])))}`
    );
  }
  const bestBooted = Math.min(
    booted(tensorboard.map(r => r.webgl)),
    booted(tensorboard.map(r => r.svg))
  );
  // TensorBoard's best case: the faster of its two renderers.
  const best = Math.min(
    medianMs(rows['TensorBoard, WebGL (default)']),
    medianMs(rows['TensorBoard, SVG (?forceSVG)'])
  );
  const cold = medianMs(rows['runwatch %review, cold cache']);
  const warm = medianMs(rows['runwatch %review, warm']);
  console.log(
    `  TensorBoard's best (${seconds(best)}) / runwatch cold: ${(best / cold).toFixed(2)}×; ` +
      `/ runwatch warm: ${(best / warm).toFixed(2)}× (target ≥ 5×)`
  );
  console.log(
    `  from its groups shown (${seconds(bestBooted)}) / runwatch cold: ${(bestBooted / cold).toFixed(2)}×; ` +
      `/ runwatch warm: ${(bestBooted / warm).toFixed(2)}×`
  );
  const sent = tensorboard.flatMap(r => [r.webgl.spikeSent, r.svg.spikeSent]);
  const points = tensorboard.flatMap(r => [r.webgl.points, r.svg.points]);
  const drawn = runwatch.flatMap(r => [
    r.cold.maxY?.[spikeGroup],
    r.warm.maxY?.[spikeGroup]
  ]);
  console.log(
    `\nthe spike (${value} in ${manifest.spike.channel}, rows ${manifest.spike.rows[0]}–${manifest.spike.rows[1] - 1}):`
  );
  console.log(
    `  TensorBoard sent ${[...new Set(points)].join(', ')} of ${ROWS} points for ${spikeTag}; ` +
      `largest value sent, each load: ${sent.map(v => v?.toFixed(3)).join(', ')}; ` +
      `spike reached the browser: ${sent.filter(v => v >= value).length} of ${sent.length} loads`
  );
  console.log(
    `  runwatch drew up to ${runwatch.map(r => r.cold.points).join(', ')} points a trace; largest y in ${spikeGroup}, each review: ` +
      `${drawn.join(', ')}; spike drawn: ${drawn.filter(v => v >= value).length} of ${drawn.length} reviews`
  );
  console.log(
    `\nmachine: ${execFileSync('uptime', { encoding: 'utf-8' }).trim()}`
  );
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runwatch-tb-bench-'));
  let browser;
  const stopNow = (why, code) => {
    console.error(`tensorboard_bench: ${why}, stopping`);
    live.forEach(child => killGroup(child, 'SIGKILL'));
    void browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(code);
  };
  const deadline = setTimeout(
    () => stopNow(`no result after ${options['timeout-min']} min`, 2),
    options['timeout-min'] * 60000
  );
  process.once('SIGINT', () => stopNow('interrupted', 130));
  try {
    if (!ensureTensorBoard()) {
      console.log(
        'tensorboard_bench: TensorBoard 2.21 cannot be installed here; nothing compared'
      );
      return;
    }
    const { manifest, logdir, eventBytes } = makeData(options.root);
    const tags = tagsOf(manifest);
    const spikeTag = manifest.spike.channel.replace('.', '/');
    console.log(
      `TensorBoard vs runwatch: ${tags.length} tags × ${ROWS} points (event file ${(eventBytes / 1e6).toFixed(0)} MB), ` +
        `viewport ${options.width}×${options.height}; ${options.reps} repetition(s)`
    );
    console.log(
      `  machine: ${execFileSync('uptime', { encoding: 'utf-8' }).trim()}`
    );
    browser = await launchChromium();
    const results = { tensorboard: [], runwatch: [] };
    for (let rep = 0; rep < options.reps; rep++) {
      // Alternate which goes first, so neither always meets the busier moment.
      const order =
        rep % 2 === 0
          ? ['tensorboard', 'runwatch']
          : ['runwatch', 'tensorboard'];
      for (const which of order) {
        if (which === 'tensorboard') {
          const r = await tensorBoardRep({
            browser,
            options,
            logdir,
            tags,
            spikeTag
          });
          results.tensorboard.push(r);
          for (const renderer of ['webgl', 'svg']) {
            const load = r[renderer];
            console.log(
              `  rep ${rep + 1} TensorBoard ${renderer.padEnd(5)}: ${load.timedOut ? 'timed out' : seconds(load.ms)} ` +
                `(${load.cards} cards; groups expanded at ${seconds(load.expandedAt)}, last data at ` +
                `${seconds(load.lastDataAt)}; dashboard ${load.scroll.join(' px tall, shown ')} px)`
            );
          }
        } else {
          const r = await runwatchRep({ browser, options, manifest, tmp, rep });
          results.runwatch.push(r);
          console.log(
            `  rep ${rep + 1} runwatch: cold ${r.cold.timedOut ? 'timed out' : seconds(r.cold.ms)} ` +
              `(${r.cold.plots} plots, ${r.cold.traces} traces, ≤ ${r.cold.points} points at ` +
              `${r.cold.widthPx?.toFixed(0)} px), warm ${r.warm.timedOut ? 'timed out' : seconds(r.warm.ms)}`
          );
        }
      }
    }
    report({ ...results, manifest, spikeTag });
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    clearTimeout(deadline);
    await browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
