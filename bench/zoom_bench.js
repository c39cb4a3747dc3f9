/**
 * Zoom from the gesture to the redrawn plot, and the page's heap, on the
 * 60 channels × 1 M rows review (issue 10's store, `bench/big_store.py`).
 *
 *     node bench/zoom_bench.js [--zooms 20] [--store /tmp/runwatch-big-store]
 *
 * A fresh `jupyter lab` (its own summary cache folder) and Chromium; `%review`
 * of the run in a notebook cell, as a user does. Then, on the plot of the
 * group with the spike, `--zooms` drag-zooms with the mouse (Playwright's
 * real pointer events) over random ranges from 12 px (plotly's least drag,
 * about 4 % of the day-long span at 320 px) to 50 % of the span, a
 * double-click back out after each. Each is timed in the page from the
 * drag's `mouseup` to the animation frame where plotly holds the new,
 * finer trace for that range (the coarse one is stretched at once; the
 * server's answer replaces it). Baseline, in the same run: the same
 * gestures' time to plotly's own first redraw of the stretched coarse
 * trace (`plotly_relayout`), which costs no request. Prints p50 / p95 of
 * both, and the page's JS heap after a GC (CDP), against the issue's
 * targets (zoom p50 ≤ 100 ms, p95 ≤ 250 ms; heap ≤ 150 MB).
 */
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const {
  PYTHON,
  freePort,
  killGroup,
  launchChromium,
  quantile,
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

function parseArgs(argv) {
  const options = { zooms: 20, store: '/tmp/runwatch-big-store' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    options[key] = key === 'store' ? argv[i + 1] : Number(argv[i + 1]);
  }
  return options;
}

/** A seeded generator, so every run zooms the same ranges. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Each of the page's workers' used JS heap, after a GC, in bytes: attached
 * through the page's CDP session (Playwright opens none for a worker).
 */
async function workerHeaps(cdp) {
  const sessions = [];
  const onAttached = event => {
    if (event.targetInfo.type === 'worker') {
      sessions.push(event.sessionId);
    }
  };
  cdp.on('Target.attachedToTarget', onAttached);
  await cdp.send('Target.setAutoAttach', {
    autoAttach: true,
    waitForDebuggerOnStart: false,
    flatten: false
  });
  await new Promise(resolve => setTimeout(resolve, 500));
  cdp.off('Target.attachedToTarget', onAttached);
  let next = 1;
  const call = (sessionId, method) =>
    new Promise((resolve, reject) => {
      const id = next++;
      const onMessage = event => {
        const message = JSON.parse(event.message);
        if (event.sessionId === sessionId && message.id === id) {
          cdp.off('Target.receivedMessageFromTarget', onMessage);
          message.error
            ? reject(new Error(message.error.message))
            : resolve(message.result);
        }
      };
      cdp.on('Target.receivedMessageFromTarget', onMessage);
      cdp
        .send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id, method })
        })
        .catch(reject);
    });
  const used = [];
  for (const sessionId of sessions) {
    await call(sessionId, 'HeapProfiler.collectGarbage');
    used.push((await call(sessionId, 'Runtime.getHeapUsage')).usedSize);
  }
  return used;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const manifest = JSON.parse(
    execFileSync(
      PYTHON,
      [path.join(__dirname, 'big_store.py'), options.store, '--json'],
      { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] }
    )
  );
  const run = manifest.runs[0];
  const group = manifest.spike.channel.split('.')[0];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runwatch-zoom-bench-'));
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const env = {
    ...process.env,
    RUNWATCH_ROOT: options.store,
    XDG_CACHE_HOME: path.join(tmp, 'cache')
  };
  const { child: server } = spawnLab({ port, token, root: tmp, env });
  let browser;
  try {
    await waitForServer(
      `http://127.0.0.1:${port}/api/status?token=${token}`,
      Date.now() + 90000,
      server
    );
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1600, height: 1000 }
    });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/lab?token=${token}`);
    fs.writeFileSync(path.join(tmp, 'zoom.ipynb'), notebookJson());
    await openNotebook(page, 'zoom.ipynb', 120000);
    const review = await reviewInCell(page, `%review '${run}'`, 20, 600000);
    console.log(
      `zoom bench: %review of ${run} drawn in ${(review.ms / 1000).toFixed(2)} s; ` +
        `${options.zooms} drag-zooms on plot '${group}' (load ${os.loadavg()[0].toFixed(1)})`
    );
    const plot = page.locator(`.jp-runwatch-plot[data-group="${group}"]`);
    await plot.scrollIntoViewIfNeeded();
    // In the page: on each mouseup, time plotly's own redraw (relayout) and
    // the frame where the line trace's data is a new array (the server's).
    await page.evaluate(g => {
      const area = document.querySelector(
        `.jp-runwatch-plot[data-group="${g}"] .jp-runwatch-plot-area`
      );
      const line = () => area.data.find(t => t.hoverinfo !== 'skip');
      window.__zoom = { samples: [] };
      area.on('plotly_relayout', () => {
        const z = window.__zoom.pending;
        if (z && z.relayoutMs === undefined) {
          z.relayoutMs = performance.now() - z.upAt;
        }
      });
      document.addEventListener(
        'mouseup',
        () => {
          if (!window.__zoom.armed) {
            return; // a double-click back out, not a zoom
          }
          window.__zoom.armed = false;
          const pending = { upAt: performance.now(), x: line().x };
          window.__zoom.pending = pending;
          const frame = () => {
            if (line().x !== pending.x) {
              pending.fineMs = performance.now() - pending.upAt;
              window.__zoom.samples.push(pending);
              window.__zoom.pending = undefined;
            } else if (performance.now() - pending.upAt < 10000) {
              requestAnimationFrame(frame);
            }
          };
          requestAnimationFrame(frame);
        },
        true
      );
    }, group);
    const box = await plot.locator('.nsewdrag').boundingBox();
    const next = random(7);
    for (let i = 0; i < options.zooms; i++) {
      // plotly takes a drag under ~8 px for a click: at least 12 px, and
      // all of it inside the plot (a drag that ends past it zooms nothing).
      const width = Math.max(
        12 / box.width,
        Math.exp(Math.log(0.0005) + next() * Math.log(0.5 / 0.0005))
      );
      const from = next() * (1 - width);
      const x0 = box.x + box.width * from;
      const x1 = box.x + box.width * (from + width);
      const y = box.y + box.height / 2;
      const before = await page.evaluate(() => {
        window.__zoom.armed = true;
        return window.__zoom.samples.length;
      });
      await page.mouse.move(x0, y);
      await page.mouse.down();
      await page.mouse.move(x1, y, { steps: 4 });
      await page.mouse.up();
      await page
        .waitForFunction(n => window.__zoom.samples.length > n, before, {
          timeout: 15000
        })
        .catch(() => undefined);
      await sleep(300);
      await page.mouse.dblclick(box.x + box.width / 2, y);
      await sleep(700);
    }
    const samples = await page.evaluate(() => window.__zoom.samples);
    const fine = samples.map(s => s.fineMs).sort((a, b) => a - b);
    const coarse = samples
      .map(s => s.relayoutMs)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const line = (label, sorted, target) =>
      console.log(
        `  ${label.padEnd(46)} n=${String(sorted.length).padStart(3)}  p50 ${quantile(sorted, 0.5).toFixed(0).padStart(4)} ms  p95 ${quantile(sorted, 0.95).toFixed(0).padStart(4)} ms${target}`
      );
    line(
      'zoom, gesture -> finer trace drawn',
      fine,
      '  (target p50 <= 100, p95 <= 250)'
    );
    line('baseline: gesture -> plotly redraws the coarse', coarse, '');
    if (samples.length < options.zooms) {
      console.log(
        `  ${options.zooms - samples.length} zoom(s) got no new trace within 15 s`
      );
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const workers = await workerHeaps(cdp);
    const workersMB = workers.reduce((sum, used) => sum + used, 0) / 1e6;
    console.log(
      `  page JS heap after GC: ${(heap.usedSize / 1e6).toFixed(1)} MB used of ${(heap.totalSize / 1e6).toFixed(1)} MB; its ${workers.length} worker(s) (the sketch workers) ${workersMB.toFixed(1)} MB more: ${(heap.usedSize / 1e6 + workersMB).toFixed(1)} MB in all (target <= 150 MB, workers included)`
    );
  } finally {
    await browser?.close();
    killGroup(server);
    await waitExit(server, 10000);
    killGroup(server, 'SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
