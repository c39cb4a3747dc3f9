/**
 * A grouped review of 30 runs × 20 channels × 100 k rows in the browser
 * (issue 12's target: ≤ 1.5 s to a complete render).
 *
 *     node bench/group_review_bench.js [--reps 3] [--timeout-min 20]
 *
 * The runs are bench/group_review_store.py's (group_bench.py's writer, with
 * params lr (3 values) × seed (10); made once and reused). Each repetition
 * starts two fresh `jupyter lab`s, each with its own empty summary cache
 * (XDG_CACHE_HOME) and a fresh Chromium context, in turn (the order
 * alternates):
 * - grouped: a notebook runs `%review '*<suffix>*' --group auto` (3 groups
 *   of 10 seeds): cold; then a second, new notebook runs it again: warm;
 * - baseline: the same with `--group none` (the 30 runs overlaid).
 * Timed in the page from the cell's run to the frame where the review's
 * status is settled and every `.jp-runwatch-plot` has drawn
 * (bench/notebook_review.js: the kernel round trip and, cold, plotly's
 * first load included). Where the time went, from the page's resource
 * timing of `runwatch/api` requests: when the first one started, when the
 * last answer ended, and the longest wait for a first byte (the server).
 */
'use strict';

const fs = require('fs');
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
  const options = { reps: 3, 'timeout-min': 20 };
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

/** The runwatch API requests since the cell ran, relative to its run. */
function apiTimings(page) {
  return page.evaluate(() => {
    const t0 = window.__runAt;
    const api = performance
      .getEntriesByType('resource')
      .filter(e => e.name.includes('/runwatch/api/') && e.startTime >= t0);
    if (api.length === 0) {
      return { requests: 0 };
    }
    const slowest = api.reduce((a, b) =>
      b.responseStart - b.requestStart > a.responseStart - a.requestStart
        ? b
        : a
    );
    return {
      requests: api.length,
      firstStart: Math.min(...api.map(e => e.startTime)) - t0,
      lastEnd: Math.max(...api.map(e => e.responseEnd)) - t0,
      slowestWait: slowest.responseStart - slowest.requestStart,
      slowest: new URL(slowest.name).pathname.replace(/^.*runwatch\/api\//, ''),
      bytes: api.reduce((sum, e) => sum + (e.encodedBodySize || 0), 0)
    };
  });
}

/** One lab: the magic cold in one notebook, then warm in a new one. */
async function coldAndWarm(browser, store, magic, timeoutMs) {
  return withLab(
    {
      browser,
      store,
      viewport: { width: 1600, height: 1000 },
      prefix: 'runwatch-group-review-bench'
    },
    async ({ page, tmp }) => {
      const results = [];
      for (const name of ['cold.ipynb', 'warm.ipynb']) {
        fs.writeFileSync(path.join(tmp, name), notebookJson());
        await openNotebook(page, name, 120000);
        await markRunCell(page);
        const review = await reviewInCell(page, magic, 1, timeoutMs);
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

function where(samples) {
  const api = samples.map(s => s.api);
  return (
    `first API request at ${duration(median(api.map(a => a.firstStart)))}, ` +
    `last answer at ${duration(median(api.map(a => a.lastEnd)))} ` +
    `(${median(api.map(a => a.requests))} requests, ${(median(api.map(a => a.bytes)) / 1e6).toFixed(2)} MB; ` +
    `longest server wait ${duration(median(api.map(a => a.slowestWait)))}, ${api[0].slowest})`
  );
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const timeoutMs = options['timeout-min'] * 60000;
  const { root, suffix, runs } = sweep();
  const glob = `'*${suffix}*'`;
  const cases = {
    grouped: `%review ${glob} --group auto`,
    baseline: `%review ${glob} --group none`
  };
  const samples = { grouped: [], baseline: [] };
  const browser = await launchChromium();
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      const order = rep % 2 ? ['baseline', 'grouped'] : ['grouped', 'baseline'];
      for (const which of order) {
        samples[which].push(
          await coldAndWarm(browser, root, cases[which], timeoutMs)
        );
      }
    }
  } finally {
    await browser.close();
  }
  const shape = s => `${s.plots} plots, ${s.traces} traces`;
  console.log(
    `grouped review of ${runs.length} runs x 20 channels x 100 k rows (lr x seed), medians of ${options.reps}:`
  );
  const rows = [
    ['grouped (--group auto), cold', samples.grouped.map(([cold]) => cold)],
    ['grouped (--group auto), warm', samples.grouped.map(([, warm]) => warm)],
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
    console.log(`      ${where(each)}`);
  }
  const ms = each => median(each.map(s => s.ms));
  console.log(
    `  ratio grouped / baseline: cold ${(ms(rows[0][1]) / ms(rows[2][1])).toFixed(2)}, ` +
      `warm ${(ms(rows[1][1]) / ms(rows[3][1])).toFixed(2)}`
  );
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
