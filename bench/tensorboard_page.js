/**
 * Driving TensorBoard 2.21's Time Series dashboard from Playwright, for
 * bench/tensorboard_bench.js: a `tensorboard` of its own, and the time from
 * navigation to every scalar card drawn, with what each card was sent.
 */
'use strict';

const { spawn } = require('child_process');
const path = require('path');
const { sleep } = require('./harness');

const VENV = path.join(__dirname, '.tensorboard-venv');
const TENSORBOARD = path.join(VENV, 'bin', 'tensorboard');

/** `tensorboard --logdir` on 127.0.0.1:`port`, detached (stop it with killGroup). */
function spawnTensorBoard({ logdir, port }) {
  const child = spawn(
    TENSORBOARD,
    ['--logdir', logdir, '--host', '127.0.0.1', '--port', String(port)],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] }
  );
  let log = '';
  child.stderr.on('data', chunk => {
    log = (log + String(chunk)).slice(-20000);
  });
  return { child, log: () => log };
}

/**
 * Wait until TensorBoard has read the whole event file: every one of `tags`
 * listed, and each one's last sampled step is `lastStep` (its reservoir
 * always keeps the newest point). Timing starts after this, so TensorBoard's
 * ingestion is not counted against it.
 */
async function waitLoaded(base, tags, lastStep, deadlineMs, child) {
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`tensorboard exited with ${child.exitCode}`);
    }
    try {
      const listed = await (
        await fetch(`${base}/data/plugin/scalars/tags`)
      ).json();
      const run = Object.keys(listed)[0];
      if (run && tags.every(tag => tag in listed[run])) {
        const lasts = await Promise.all(
          tags.map(async tag => {
            const url = `${base}/data/plugin/scalars/scalars?run=${encodeURIComponent(run)}&tag=${encodeURIComponent(tag)}`;
            const points = await (await fetch(url)).json();
            return points[points.length - 1][1];
          })
        );
        if (lasts.every(step => step === lastStep)) {
          return run;
        }
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadlineMs) {
      throw new Error(`tensorboard at ${base} did not load every tag`);
    }
    await sleep(1000);
  }
}

/**
 * Record every Time Series data response in the page (TensorBoard fetches
 * through XMLHttpRequest): per tag, when it arrived, how many points and
 * their largest value. Runs before the app's own scripts.
 */
function recordTimeSeries() {
  window.benchSeries = {};
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (String(url).includes('/data/plugin/timeseries/timeSeries')) {
      this.addEventListener('load', () => {
        const at = performance.now();
        for (const item of JSON.parse(this.responseText)) {
          for (const series of Object.values(item.runToSeries ?? {})) {
            const values = series.map(point => point.value);
            window.benchSeries[item.tag] = {
              at,
              points: values.length,
              max: Math.max(...values)
            };
          }
        }
      });
    }
    return open.call(this, method, url, ...rest);
  };
}

/**
 * In a page opened on TensorBoard's Time Series dashboard: expand every
 * collapsed tag group as soon as it appears (TensorBoard opens only the
 * first two; a user clicks the rest), and resolve at the first animation
 * frame after every one of `tags` has its data and its card shows a drawn
 * chart with no loading spinner. With `renderer` 'svg' (`?forceSVG=true`)
 * a drawn chart is a line path with points in the card's SVG; with 'webgl'
 * (the default) the line is drawn on an OffscreenCanvas by TensorBoard's
 * chart worker, out of the DOM's sight, so it is a canvas, plus one frame
 * after the data. Times are from navigation start.
 */
function waitAllCardsDrawn({ tags, renderer, timeoutMs }) {
  return new Promise(resolve => {
    const cardTag = card =>
      card.querySelector('tb-truncated-path')?.getAttribute('title');
    const chartDrawn = card =>
      renderer === 'svg'
        ? [...card.querySelectorAll('line-chart svg > path')].some(
            line => (line.getAttribute('d') ?? '').split('L').length > 100
          )
        : Boolean(card.querySelector('line-chart canvas'));
    let expandedAt = NaN;
    const frame = () => {
      const toolbars = [
        ...document.querySelectorAll('metrics-card-group-toolbar button')
      ];
      for (const button of toolbars) {
        const icon = button.querySelector('mat-icon');
        if (
          icon?.dataset.matIconName === 'expand_more_24px' &&
          !button.dataset.benchClicked
        ) {
          button.dataset.benchClicked = '1';
          button.click();
        }
      }
      if (toolbars.length && Number.isNaN(expandedAt)) {
        expandedAt = performance.now();
      }
      const drawn = [...document.querySelectorAll('scalar-card')].filter(
        card =>
          window.benchSeries[cardTag(card)] &&
          chartDrawn(card) &&
          !card.querySelector('mat-spinner')
      );
      const done =
        drawn.length >= tags.length &&
        tags.every(tag => window.benchSeries[tag]);
      if (done || performance.now() > timeoutMs) {
        // One more frame: the chart worker draws what the main thread posted.
        requestAnimationFrame(() =>
          resolve({
            ms: performance.now(),
            timedOut: !done,
            cards: drawn.length,
            expandedAt,
            lastDataAt: Math.max(
              ...Object.values(window.benchSeries).map(s => s.at)
            ),
            series: window.benchSeries,
            scroll: (() => {
              const main = document.querySelector('metrics-main-view .main');
              return main ? [main.scrollHeight, main.clientHeight] : [];
            })()
          })
        );
      } else {
        requestAnimationFrame(frame);
      }
    };
    requestAnimationFrame(frame);
  });
}

/**
 * Open TensorBoard's dashboard at `base` in `page` with `renderer` ('webgl',
 * its default, or 'svg') and time it to every card drawn. Returns
 * waitAllCardsDrawn's result.
 */
async function timeDashboard(page, base, renderer, tags, timeoutMs) {
  const query = renderer === 'svg' ? '?forceSVG=true' : '';
  await page.goto(`${base}/${query}#timeseries`, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.readyState !== 'loading', null, {
    timeout: timeoutMs
  });
  return page.evaluate(waitAllCardsDrawn, { tags, renderer, timeoutMs });
}

module.exports = {
  TENSORBOARD,
  VENV,
  recordTimeSeries,
  spawnTensorBoard,
  timeDashboard,
  waitLoaded
};
