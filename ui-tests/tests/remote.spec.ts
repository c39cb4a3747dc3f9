/**
 * `%review` from far away: the page reaches the Galata server only through
 * the benches' shaping proxy (bench/shaping_proxy.js: one shared link of
 * 100 Mbit/s per direction, +20 ms round trip), and the bytes the proxy
 * carries to the browser during a review must be what the pixels need, not
 * the rows.
 */
import { expect, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PYTHON, writeNotebook } from './helpers';
import { STORE_ROOT } from './writer';

const BENCH = path.resolve(__dirname, '..', '..', 'bench');

interface IProxy {
  port: number;
  bytes(): { up: number; down: number };
  close(): Promise<void>;
}

interface IReview {
  ms: number;
  timedOut: boolean;
  status: string;
  plots: number;
  maxWidthPx: number;
  maxY: Record<string, number>;
}

/* eslint-disable @typescript-eslint/no-require-imports */
const shapingProxy = require(path.join(BENCH, 'shaping_proxy.js')) as {
  start(options: {
    targetPort: number;
    mbit: number;
    rttMs: number;
  }): Promise<IProxy>;
};
const notebookReview = require(path.join(BENCH, 'notebook_review.js')) as {
  openNotebook(page: unknown, path: string, timeoutMs?: number): Promise<void>;
  reviewInCell(
    page: unknown,
    magic: string,
    plots: number,
    timeoutMs: number
  ): Promise<IReview>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface IManifest {
  runs: string[];
  spike: { channel: string; value: number; t_s: [number, number] };
}

/** Issue 10's quick run, with bench/big_store.py: 6 channels × 1 M rows. */
function bigRun(): IManifest {
  const out = execFileSync(
    PYTHON,
    [path.join(BENCH, 'big_store.py'), STORE_ROOT, '--channels', '6', '--json'],
    { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] }
  );
  return JSON.parse(out) as IManifest;
}

/**
 * Date every file of `run` two minutes back: a finished run, not one being
 * written (whose series answers are `no-store`).
 */
function ageRun(run: string): void {
  const folder = path.join(STORE_ROOT, run);
  const when = new Date(Date.now() - 120_000);
  for (const name of fs.readdirSync(folder)) {
    fs.utimesSync(path.join(folder, name), when, when);
  }
}

/** A tiny run, to load plotly and the review's code before measuring. */
function smallRun(): string {
  const spec = {
    channels: [{ name: 'warm.up', kind: 'last', rows: 100 }],
    suffix: 'warm-up'
  };
  return execFileSync(
    PYTHON,
    [path.join(BENCH, 'review_bench.py'), JSON.stringify(spec)],
    { encoding: 'utf-8', env: { ...process.env, RUNWATCH_ROOT: STORE_ROOT } }
  ).trim();
}

const CHANNELS = 6;
const PLOTS = 2; // g00 (last × 3), g01 (mean × 3, with the spike in g01.a)

// Before %review read the series endpoint (e99a641) every row crossed the
// link: 120.1 MB for this run against a 0.63 MB budget.
test('a review through a 100 Mbit/s, 20 ms link moves pixels, not rows', async ({
  browser,
  baseURL
}) => {
  test.setTimeout(240000);
  const manifest = bigRun();
  ageRun(manifest.runs[0]);
  const warmUp = smallRun();
  const proxy = await shapingProxy.start({
    targetPort: Number(new URL(baseURL!).port),
    mbit: 100,
    rttMs: 20
  });
  // Galata's `page` is bound to the server itself: a plain Playwright
  // context on the proxy's address instead (the test server has no token).
  const context = await browser.newContext({
    baseURL: `http://127.0.0.1:${proxy.port}`,
    viewport: { width: 1280, height: 1000 }
  });
  try {
    const page = await context.newPage();
    await page.goto('/lab');
    writeNotebook('remote/review.ipynb', {}, '');
    await notebookReview.openNotebook(page, 'remote/review.ipynb', 60000);

    // plotly.js (1.2 MB) and the review's code load once per page: not
    // the review's data, so they cross the link before the measure. A
    // second review of the tiny run then gives what any review costs
    // besides its series (kernel messages, the run's info, HTTP headers).
    /** `%review` of `run` in the cell, and the bytes it brought down. */
    const reviewed = async (run: string, plots: number, timeoutMs: number) => {
      const start = proxy.bytes().down;
      const review = await notebookReview.reviewInCell(
        page,
        `%review '${run}'`,
        plots,
        timeoutMs
      );
      expect(review.timedOut).toBe(false);
      return { review, down: proxy.bytes().down - start };
    };
    await reviewed(warmUp, 1, 60000);
    const overhead = (await reviewed(warmUp, 1, 60000)).down;

    const { review, down } = await reviewed(manifest.runs[0], PLOTS, 180000);
    expect(review.plots).toBe(PLOTS);

    // What the pixels need: per pixel column, M4 keeps at most 4 rows
    // (first, min, max, last) of each channel, each row sent as x, value
    // and the band's lo and hi: 4 float64s. With every plot as wide as
    // the widest (W), for 6 channels: 4 × W × 6 × 4 × 8 bytes (0.27 MB at
    // 350 px). Slack × 2 for frame headers and rows kept at both edges,
    // plus the tiny review's overhead. The rows themselves would be
    // 6 × 1 M × 16–24 bytes = 120 MB.
    const pixels = 4 * review.maxWidthPx * CHANNELS * 4 * 8;
    const budget = 2 * pixels + overhead;
    console.log(
      `remote review: ${(review.ms / 1000).toFixed(2)} s, ${(down / 1e6).toFixed(2)} MB to the browser ` +
        `(budget ${(budget / 1e6).toFixed(2)} MB at ${review.maxWidthPx} px, of which ` +
        `${(overhead / 1e6).toFixed(3)} MB a 100-row review's overhead)`
    );
    expect(down).toBeGreaterThan(0);
    expect(down).toBeLessThanOrEqual(budget);

    // The planted spike (10 rows of 1e4 at 43200 s) is drawn.
    const group = manifest.spike.channel.split('.')[0];
    expect(review.maxY[group]).toBe(manifest.spike.value);

    // The same review again: the finished run's series are the browser's
    // to keep, so the server answers each request with a 304 and no body.
    const { review: again, down: againDown } = await reviewed(
      manifest.runs[0],
      PLOTS,
      180000
    );
    console.log(
      `the same review again: ${(againDown / 1e6).toFixed(3)} MB to the browser`
    );
    expect(again.maxY[group]).toBe(manifest.spike.value);
    expect(againDown).toBeLessThan(overhead + pixels / 10);
  } finally {
    await context.close();
    await proxy.close();
  }
});
