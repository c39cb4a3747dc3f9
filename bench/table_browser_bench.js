/**
 * The runs table in the browser over 10,000 runs (issue 12's targets: first
 * paint ≤ 500 ms, sort or filter ≤ 100 ms, no long task on the UI thread).
 *
 *     node bench/table_browser_bench.js [--reps 5] [--runs 10000]
 *         [--store /tmp/runwatch-table-browser-store] [--profile 1]
 *
 * The store is table_bench.py's (its builder, run once and reused: 3 params,
 * 4 channels of 100 rows, lifecycle records). A fresh `jupyter lab` over it
 * and Debian's headless Chromium, then, timed in the page:
 * - first paint: `runwatch:open-runs-table` executed from
 *   `window.jupyterapp.commands` until the widget says `data-state="ready"`
 *   and `data-visible-count` = every run, and one animation frame more.
 *   The first open after the server's start (its cold `GET table`) apart,
 *   then `--reps` opens, each closed before the next;
 * - sort: a click on a param's header on the grid's canvas (where
 *   `data-columns` and `data-column-widths` put it, y = 14), from its
 *   pointerdown until `data-sort` changes, and a frame (lr and seed in turn,
 *   so each click sorts anew);
 * - filter: a query typed in the query box and Enter, from the keydown until
 *   `data-visible-count` changes, and a frame (queries in turn, each keeping
 *   another count).
 * Each sort and filter starts just after the table's 5 s refresh has landed
 * and the page is idle, so a refresh never falls inside one. Long tasks
 * (PerformanceObserver 'longtask') inside each timed window are counted.
 * Baselines in the same page: `GET runwatch/api/runs` fetched and parsed
 * (fetch + json), and `Array.prototype.sort` of 10,000 random numbers.
 * `--profile 1` then profiles one more open, sort and filter (CDP) and
 * prints where their time went, by function.
 */
'use strict';

const path = require('path');
const { execFileSync } = require('child_process');
const { PYTHON, launchChromium } = require('./harness');
const {
  duration,
  figureLine,
  median,
  profileOf,
  recordLongTasks,
  withLab
} = require('./lab_harness');

const OPEN_TABLE = 'runwatch:open-runs-table';
const SORT_KEYS = ['params.lr', 'params.seed'];
const QUERIES = [
  'lr < 2e-3',
  'seed == 1',
  'lr > 1e-3 and loss.val.last < 50',
  'lr >= 5e-3'
];

function parseArgs(argv) {
  const options = {
    reps: 5,
    runs: 10000,
    profile: 0,
    store: '/tmp/runwatch-table-browser-store'
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    options[key] = key === 'store' ? argv[i + 1] : Number(argv[i + 1]);
  }
  return options;
}

/** table_bench.py's store of `runs` runs in `store` (reused if there). */
function makeStore(store, runs) {
  const code = [
    'import sys',
    `sys.path.insert(0, ${JSON.stringify(__dirname)})`,
    'from pathlib import Path',
    'import table_bench',
    'table_bench.make_store(Path(sys.argv[1]), int(sys.argv[2]), 2)'
  ].join('\n');
  execFileSync(PYTHON, ['-c', code, store, String(runs)], {
    stdio: ['ignore', 'inherit', 'inherit']
  });
}

/**
 * Open the table and time it to its first paint of `runs` rows; the
 * widget stays open (as `window.__table`) unless `close`.
 */
function openTable(page, runs, close) {
  return page.evaluate(
    async ({ command, runs, close }) => {
      const app = window.jupyterapp;
      window.__table?.dispose();
      performance.clearResourceTimings();
      const t0 = performance.now();
      const widget = await app.commands.execute(command);
      const data = widget.content.node.dataset;
      await new Promise((resolve, reject) => {
        const frame = () => {
          if (data.state === 'ready' && data.visibleCount === String(runs)) {
            requestAnimationFrame(resolve);
          } else if (data.state === 'error') {
            reject(new Error('the table says error'));
          } else if (performance.now() - t0 > 120000) {
            reject(new Error(`no ${runs} rows after 120 s: ${data.state}`));
          } else {
            requestAnimationFrame(frame);
          }
        };
        frame();
      });
      const ms = performance.now() - t0;
      const answer = performance
        .getEntriesByType('resource')
        .find(e => e.name.includes('/runwatch/api/table'));
      window.__table = close ? undefined : widget;
      if (close) {
        widget.dispose();
      }
      return {
        ms,
        answerMs: answer ? answer.responseEnd - t0 : NaN,
        bytes: answer?.encodedBodySize ?? NaN
      };
    },
    { command: OPEN_TABLE, runs, close }
  );
}

/**
 * Wait until the open table's next refresh has landed and the page is idle
 * (three frames in a row within 40 ms of each other).
 */
function afterRefresh(page) {
  return page.evaluate(async () => {
    const count = () =>
      performance
        .getEntriesByType('resource')
        .filter(e => e.name.includes('/runwatch/api/table')).length;
    const before = count();
    const deadline = performance.now() + 20000;
    while (count() === before && performance.now() < deadline) {
      await new Promise(r => setTimeout(r, 20));
    }
    let calm = 0;
    let last = performance.now();
    while (calm < 3 && performance.now() < deadline) {
      await new Promise(r => requestAnimationFrame(r));
      const now = performance.now();
      calm = now - last < 40 ? calm + 1 : 0;
      last = now;
    }
  });
}

/**
 * Arm the page: on the next `event` (captured on the document), note the
 * time; resolve `window.__action` with the ms from it until the table's
 * `attribute` differs from now, plus a frame, and the long tasks between.
 */
function arm(page, event, attribute) {
  return page.evaluate(
    ({ event, attribute }) => {
      const data = window.__table.content.node.dataset;
      const before = data[attribute];
      window.__action = new Promise((resolve, reject) => {
        document.addEventListener(
          event,
          () => {
            const t0 = performance.now();
            const frame = () => {
              if (data[attribute] !== before) {
                requestAnimationFrame(() => {
                  const end = performance.now();
                  // Long task entries arrive after the task: read them later.
                  setTimeout(() => {
                    const tasks = window.__longTasks.filter(
                      t => t.start + t.ms > t0 && t.start < end
                    );
                    resolve({
                      ms: end - t0,
                      value: data[attribute],
                      longTasks: tasks.map(t => t.ms)
                    });
                  }, 100);
                });
              } else if (performance.now() - t0 > 10000) {
                reject(new Error(`${attribute} unchanged after 10 s`));
              } else {
                requestAnimationFrame(frame);
              }
            };
            frame();
          },
          { capture: true, once: true }
        );
      });
    },
    { event, attribute }
  );
}

/** Where the header of column `key` is on the page. */
function headerPoint(page, key) {
  return page.evaluate(key => {
    const node = window.__table.content.node;
    const keys = JSON.parse(node.dataset.columns);
    const widths = JSON.parse(node.dataset.columnWidths ?? '[]');
    const index = keys.indexOf(key);
    if (index < 0 || widths.length !== keys.length) {
      throw new Error(`no header for ${key} in ${node.dataset.columns}`);
    }
    const grid = node.querySelector('.jp-runwatch-table-grid');
    const box = grid.getBoundingClientRect();
    const left = widths.slice(0, index).reduce((a, b) => a + b, 0);
    const x = box.left + left + widths[index] / 2;
    if (x > box.right) {
      throw new Error(`the ${key} header is off the grid (x ${x})`);
    }
    return { x, y: box.top + 14 };
  }, key);
}

async function timeSort(page, key) {
  await afterRefresh(page);
  const { x, y } = await headerPoint(page, key);
  await arm(page, 'pointerdown', 'sort');
  await page.mouse.click(x, y);
  return page.evaluate(() => window.__action);
}

async function timeFilter(page, query) {
  await afterRefresh(page);
  const input = page.locator('.jp-runwatch-table .jp-runwatch-table-query');
  await input.fill(query);
  await arm(page, 'keydown', 'visibleCount');
  await input.press('Enter');
  return page.evaluate(() => window.__action);
}

/** The baselines, in the page: GET runs (fetch + json), and a plain sort. */
function baselines(page, token, reps) {
  return page.evaluate(
    async ({ token, reps }) => {
      const fetchMs = [];
      const sortMs = [];
      let runs = 0;
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        const response = await fetch('/runwatch/api/runs', {
          headers: { Authorization: `token ${token}` }
        });
        const json = await response.json();
        fetchMs.push(performance.now() - t0);
        runs = Array.isArray(json) ? json.length : (json.runs?.length ?? 0);
        const numbers = Array.from({ length: 10000 }, Math.random);
        const t1 = performance.now();
        numbers.sort((a, b) => a - b);
        sortMs.push(performance.now() - t1);
      }
      return { fetchMs, sortMs, runs };
    },
    { token, reps }
  );
}

function longTaskNote(samples) {
  const tasks = samples.flatMap(s => s.longTasks);
  return tasks.length
    ? `${tasks.length} long task(s), longest ${duration(Math.max(...tasks))}`
    : 'no long task';
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  makeStore(options.store, options.runs);
  const browser = await launchChromium();
  try {
    await withLab(
      {
        browser,
        store: options.store,
        viewport: { width: 1600, height: 1000 },
        prefix: 'runwatch-table-browser-bench'
      },
      async ({ page, token }) => {
        await page.evaluate(() => performance.setResourceTimingBufferSize(1e5));
        await recordLongTasks(page);
        const cold = await openTable(page, options.runs, true);
        const opens = [];
        for (let i = 0; i < options.reps; i++) {
          opens.push(await openTable(page, options.runs, i < options.reps - 1));
        }
        const sorts = [];
        for (let i = 0; i < options.reps; i++) {
          sorts.push(await timeSort(page, SORT_KEYS[i % SORT_KEYS.length]));
        }
        const filters = [];
        for (let i = 0; i < options.reps; i++) {
          filters.push(await timeFilter(page, QUERIES[i % QUERIES.length]));
        }
        const base = await baselines(page, token, options.reps);
        const paint = median(opens.map(o => o.ms));
        const sort = median(sorts.map(s => s.ms));
        const filter = median(filters.map(s => s.ms));
        const fetchRuns = median(base.fetchMs);
        const plainSort = median(base.sortMs);
        console.log(
          `runs table over ${options.runs.toLocaleString('en')} runs, medians of ${options.reps}:`
        );
        console.log(
          figureLine(
            'first open after the server start (cold)',
            [cold.ms],
            `GET table answered at ${duration(cold.answerMs)}`
          )
        );
        console.log(
          figureLine(
            'first paint (open -> ready + a frame)',
            opens.map(o => o.ms),
            `GET table answered at ${duration(median(opens.map(o => o.answerMs)))}, ${(median(opens.map(o => o.bytes)) / 1e6).toFixed(2)} MB; target <= 500 ms`
          )
        );
        console.log(
          figureLine(
            `sort (header click: ${SORT_KEYS.join(', ')})`,
            sorts.map(s => s.ms),
            `${longTaskNote(sorts)}; target <= 100 ms`
          )
        );
        console.log(
          figureLine(
            'filter (query + Enter)',
            filters.map(s => s.ms),
            `${longTaskNote(filters)}; target <= 100 ms`
          )
        );
        console.log(
          `    kept: ${filters.map((f, i) => `'${QUERIES[i % QUERIES.length]}' ${f.value}`).join(', ')}`
        );
        console.log(
          figureLine(
            `baseline: GET runs fetch + json (${base.runs} runs)`,
            base.fetchMs
          )
        );
        console.log(
          figureLine('baseline: Array.prototype.sort of 10,000', base.sortMs)
        );
        console.log(
          `  ratios: first paint / GET runs ${(paint / fetchRuns).toFixed(1)}x; ` +
            `sort / plain sort ${(sort / plainSort).toFixed(0)}x; filter / plain sort ${(filter / plainSort).toFixed(0)}x`
        );
        if (options.profile) {
          await profileOf(page, 'an open', () =>
            openTable(page, options.runs, false)
          );
          await profileOf(page, 'a sort', () => timeSort(page, SORT_KEYS[0]));
          await profileOf(page, 'a filter', () => timeFilter(page, QUERIES[1]));
        }
      }
    );
  } finally {
    await browser.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
