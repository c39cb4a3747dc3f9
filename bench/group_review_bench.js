/**
 * A grouped review of 30 runs × 20 channels × 100 k rows in the browser
 * (issue 12's target: ≤ 1.5 s to a complete render).
 *
 *     node bench/group_review_bench.js [--reps 3] [--timeout-min 20] [--ahead 1]
 *
 * The runs are bench/group_review_store.py's (group_bench.py's writer, with
 * params lr (3 values) × seed (10); made once and reused). Each repetition
 * starts two fresh `jupyter lab`s, each with its own empty summary cache
 * (XDG_CACHE_HOME) and a fresh Chromium context, in turn (the order
 * alternates):
 * - grouped: a notebook runs `%review '*<suffix>*' --group auto --limit 30`
 *   (3 groups of 10 seeds; without `--limit` the magic refuses over 20): cold; then a second, new notebook runs it again: warm; then a restarted server (a new lab over the same disk cache) runs it once more;
 * - baseline: the same with `--group none` (the 30 runs overlaid).
 * Timed in the page from the cell's run to the frame where the review's
 * status is settled and every `.jp-runwatch-plot` has drawn
 * (bench/notebook_review.js: the kernel round trip and, cold, plotly's
 * first load included). Where the time went, from the page's resource
 * timing of `runwatch/api` requests by kind (a run's listing, `group`, a
 * run's `series`): when the first started and the last answer ended, and
 * the longest time from a request sent to its last byte (the server's part).
 * With `--ahead 1` the labs summarise the newest runs in the background
 * (docs/server-api.md, "Summaries built ahead") and each notebook opens
 * once that pass is done: "cold" is then a first review of runs the server
 * summarised before anyone asked.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { PYTHON, launchChromium } = require('./harness');
const {
  notebookJson,
  openNotebook,
  reviewInCell
} = require('./notebook_review');
const { duration, figureLine, median, withLab } = require('./lab_harness');

function parseArgs(argv) {
  const options = { reps: 3, 'timeout-min': 20, ahead: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    options[argv[i].replace(/^--/, '')] = Number(argv[i + 1]);
  }
  return options;
}

/** The sweep's store: { root, suffix, runs } (built once, then reused). */
function sweep() {
  const out = execFileSync(
    PYTHON,
    [path.join(__dirname, 'group_review_store.py')],
    { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] }
  );
  return JSON.parse(out.trim().split('\n').pop());
}

/** In the page: note when `notebook:run-cell` runs, as reviewInCell's clock. */
function markRunCell(page) {
  return page.evaluate(() => {
    performance.setResourceTimingBufferSize(1e5);
    performance.clearResourceTimings();
    window.__runAt = undefined;
    if (!window.__runCellHooked) {
      window.__runCellHooked = true;
      window.jupyterapp.commands.commandExecuted.connect((_, args) => {
        if (args.id === 'notebook:run-cell' && window.__runAt === undefined) {
          window.__runAt = performance.now();
        }
      });
    }
  });
}

/**
 * The runwatch API requests since the cell ran, by kind (`group`, a run's
 * `series`, a run's listing, ...): how many, when the first started and the
 * last ended (from the cell's run), the longest times from sent to the
 * first byte and to the last (answers stream: frames come as the server
 * computes them), and the bytes.
 */
function apiTimings(page) {
  return page.evaluate(() => {
    const t0 = window.__runAt;
    const kinds = {};
    for (const e of performance.getEntriesByType('resource')) {
      if (!e.name.includes('/runwatch/api/') || e.startTime < t0) {
        continue;
      }
      const route = new URL(e.name).pathname.split('/runwatch/api/')[1];
      const parts = route.split('/');
      const kind =
        parts[0] === 'runs' && parts.length > 2
          ? `runs/*/${parts[2]}`
          : parts[0] === 'runs' && parts.length === 2
            ? 'runs/*'
            : parts[0];
      const k = (kinds[kind] ??= {
        n: 0,
        start: Infinity,
        end: 0,
        wait: 0,
        took: 0,
        bytes: 0
      });
      k.n++;
      k.start = Math.min(k.start, e.startTime - t0);
      k.end = Math.max(k.end, e.responseEnd - t0);
      k.wait = Math.max(k.wait, e.responseStart - e.requestStart);
      k.took = Math.max(k.took, e.responseEnd - e.requestStart);
      k.bytes += e.encodedBodySize || 0;
    }
    return kinds;
  });
}

/**
 * Reject if the current notebook's cell prints to stderr (the magic said
 * why it draws nothing) before `done` settles.
 */
async function failOnStderr(page, done) {
  let settled = false;
  done.then(
    () => (settled = true),
    () => (settled = true)
  );
  while (!settled) {
    const text = await page
      .evaluate(() => {
        const cell = window.jupyterapp.shell.currentWidget.content.widgets[0];
        const err = cell.node.querySelector(
          '[data-mime-type="application/vnd.jupyter.stderr"], [data-mime-type="application/vnd.jupyter.error"]'
        );
        return err?.textContent ?? '';
      })
      .catch(() => '');
    if (text) {
      throw new Error(`the cell says: ${text.slice(0, 500)}`);
    }
    await new Promise(r => setTimeout(r, 500));
  }
  return done;
}

/**
 * One lab: the magic cold in one notebook, then warm in a new one; then a
 * second lab over the first one's disk cache (a server restart): the magic
 * once more. [cold, warm, after a restart].
 */
async function coldAndWarm(browser, store, magic, timeoutMs, ahead) {
  const cacheHome = fs.mkdtempSync(
    path.join(os.tmpdir(), 'runwatch-group-review-cache-')
  );
  try {
    const [cold, warm] = await reviewsInLab(
      browser,
      store,
      cacheHome,
      magic,
      ['cold.ipynb', 'warm.ipynb'],
      timeoutMs,
      ahead
    );
    const [restart] = await reviewsInLab(
      browser,
      store,
      cacheHome,
      magic,
      ['restart.ipynb'],
      timeoutMs,
      ahead
    );
    return [cold, warm, restart];
  } finally {
    fs.rmSync(cacheHome, { recursive: true, force: true });
  }
}

/** A fresh lab over `cacheHome`: the magic in each of `notebooks`, in turn. */
async function reviewsInLab(
  browser,
  store,
  cacheHome,
  magic,
  notebooks,
  timeoutMs,
  ahead
) {
  return withLab(
    {
      browser,
      store,
      cacheHome,
      ahead,
      viewport: { width: 1600, height: 1000 },
      prefix: 'runwatch-group-review-bench'
    },
    async ({ page, tmp }) => {
      const results = [];
      for (const name of notebooks) {
        fs.writeFileSync(path.join(tmp, name), notebookJson());
        await openNotebook(page, name, 120000);
        await markRunCell(page);
        const review = await failOnStderr(
          page,
          reviewInCell(page, magic, 1, timeoutMs)
        );
        if (review.timedOut) {
          throw new Error(`${magic}: no complete render in ${timeoutMs} ms`);
        }
        results.push({ ...review, api: await apiTimings(page) });
        await new Promise(r => setTimeout(r, 2000)); // its PNG snapshot
      }
      return results;
    }
  );
}

/** Where the time went: each kind of request, medians over `samples`. */
function where(samples) {
  const kinds = [...new Set(samples.flatMap(s => Object.keys(s.api)))];
  return kinds.map(kind => {
    const of = field => median(samples.map(s => s.api[kind]?.[field]));
    return (
      `      ${kind.padEnd(14)} x${String(of('n')).padEnd(3)} ` +
      `from ${duration(of('start'))} to ${duration(of('end'))}, ` +
      `the longest: first byte ${duration(of('wait'))}, last ${duration(of('took'))} after sent; ` +
      `${(of('bytes') / 1e6).toFixed(2)} MB`
    );
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const timeoutMs = options['timeout-min'] * 60000;
  const { root, suffix, runs } = sweep();
  const glob = `'*${suffix}*'`;
  const cases = {
    // The magic draws at most 20 runs unless told (--limit).
    grouped: `%review ${glob} --group auto --limit ${runs.length}`,
    baseline: `%review ${glob} --group none --limit ${runs.length}`
  };
  const samples = { grouped: [], baseline: [] };
  const browser = await launchChromium();
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      const order = rep % 2 ? ['baseline', 'grouped'] : ['grouped', 'baseline'];
      for (const which of order) {
        samples[which].push(
          await coldAndWarm(
            browser,
            root,
            cases[which],
            timeoutMs,
            options.ahead > 0
          )
        );
      }
    }
  } finally {
    await browser.close();
  }
  const shape = s => `${s.plots} plots, ${s.traces} traces`;
  console.log(
    `grouped review of ${runs.length} runs x 20 channels x 100 k rows (lr x seed), medians of ${options.reps}` +
      (options.ahead
        ? ', summarised ahead ("cold": the first review after the background pass):'
        : ':')
  );
  const rows = [
    ['grouped (--group auto), cold', samples.grouped.map(([cold]) => cold)],
    ['grouped (--group auto), warm', samples.grouped.map(([, warm]) => warm)],
    [
      'grouped, after a server restart',
      samples.grouped.map(([, , restart]) => restart)
    ],
    ['baseline (--group none), cold', samples.baseline.map(([cold]) => cold)],
    ['baseline (--group none), warm', samples.baseline.map(([, warm]) => warm)]
  ];
  for (const [label, each] of rows) {
    const target = label.startsWith('grouped') ? '; target <= 1.5 s' : '';
    console.log(
      figureLine(
        label,
        each.map(s => s.ms),
        `${shape(each[0])}${target}`
      )
    );
    console.log(where(each).join('\n'));
  }
  const ms = each => median(each.map(s => s.ms));
  console.log(
    `  ratio grouped / baseline: cold ${(ms(rows[0][1]) / ms(rows[3][1])).toFixed(2)}, ` +
      `warm ${(ms(rows[1][1]) / ms(rows[4][1])).toFixed(2)}`
  );
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
