/**
 * Review and live-view plots, end to end, in Debian's headless Chromium
 * against a real `jupyter lab`.
 *
 *     node bench/review_bench.js [--channels 60] [--rows 1000000]
 *         [--live-channels 50] [--live-hz 10] [--live-seconds 10]
 *
 * 1. Writes a run of 60 channels × 1 M rows (`bench/review_bench.py`: the
 *    runwatch writer makes the run and headers, numpy the rows; 40 `last`,
 *    20 `mean`, ~1.1 GB) under a temporary RUNWATCH_ROOT.
 * 2. Starts `jupyter lab` on a free 127.0.0.1 port (random token, the app
 *    exposed to the page) and opens it, recording which runwatch chunks
 *    load at start-up.
 * 3. Runs "Review Run…" (`runwatch:review-run`) and times it until every
 *    plot is drawn (`PlotsWidget.ready`), including plotly's first load;
 *    then the JS heap (CDP `Runtime.getHeapUsage` after a GC, and typed
 *    array backing stores), and points per trace vs the plot's pixel width.
 * 4. Starts a writer of 50 `last` channels at 10 Hz, opens "View Run (live)"
 *    at the raw rule and records animation-frame times for 10 s.
 *
 * Loopback only; stops everything at the end or after a hard timeout.
 */
'use strict';

const { spawn, execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  PYTHON,
  clockTicksPerSecond,
  cpuTicks,
  firstLine,
  freePort,
  killGroup,
  launchChromium,
  sleep,
  spawnLab,
  waitForServer
} = require('./harness');

const HARD_TIMEOUT_MS = 8 * 60 * 1000;

const LIVE_WRITER = `
import sys, time, runwatch
channels, hz, seconds = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
run = runwatch.new_run('live-bench')
print(run, flush=True)
with runwatch.to_run(run):
    end = time.time() + seconds
    step = 0
    while time.time() < end:
        for c in range(channels):
            runwatch.stats.last(f'live{c // 5}.c{c}', step + c)
        step += 1
        time.sleep(1 / hz)
`;

/**
 * `Runtime.getHeapUsage` of the review worker, through a browser-level CDP
 * session (Playwright opens CDP sessions on pages, not on workers).
 */
async function reviewWorkerHeap(browser) {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const worker = targetInfos.find(
      t => t.type === 'worker' && t.url.includes('runwatch-review')
    );
    if (!worker) {
      return undefined;
    }
    const { sessionId } = await cdp.send('Target.attachToTarget', {
      targetId: worker.targetId,
      flatten: false
    });
    const replies = new Map();
    cdp.on('Target.receivedMessageFromTarget', event => {
      const message = JSON.parse(event.message);
      if (event.sessionId === sessionId) {
        replies.get(message.id)?.(message.result);
      }
    });
    const call = (id, method) => {
      const reply = new Promise(resolve => replies.set(id, resolve));
      void cdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id, method })
      });
      return Promise.race([reply, sleep(5000).then(() => undefined)]);
    };
    // After a GC, as for the page: what the worker keeps, not its garbage.
    await call(1, 'HeapProfiler.collectGarbage');
    return await call(2, 'Runtime.getHeapUsage');
  } catch (error) {
    console.error(`review_bench: no worker heap: ${error.message}`);
    return undefined;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** CPU seconds so far of the server and of Chromium's processes by type. */
function cpuByProcess(serverPid) {
  const out = {};
  const hz = clockTicksPerSecond();
  for (const pid of fs.readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf-8');
      let what;
      if (Number(pid) === serverPid) {
        what = 'jupyter server';
      } else if (cmd.includes('chromium')) {
        const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
        const service = /--utility-sub-type=([\w.]+)/.exec(cmd)?.[1];
        what = `chromium ${service ? service.split('.').pop() : type}`;
      } else {
        continue;
      }
      const ticks = cpuTicks(pid);
      if (Number.isFinite(ticks)) {
        out[what] = (out[what] ?? 0) + ticks / hz;
      }
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

/** Resident memory of every Chromium renderer process (bytes), from /proc. */
function rendererRss() {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf-8');
      if (cmd.includes('chromium') && cmd.includes('--type=renderer')) {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf-8');
        total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      }
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

function parseArgs(argv) {
  const options = {
    channels: 60,
    rows: 1_000_000,
    'live-channels': 50,
    'live-hz': 10,
    'live-seconds': 10
  };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in options) || i + 1 >= argv.length) {
      throw new Error(
        'usage: node bench/review_bench.js [--channels 60] [--rows 1000000] ' +
          '[--live-channels 50] [--live-hz 10] [--live-seconds 10]'
      );
    }
    options[key] = Number(argv[++i]);
  }
  return options;
}

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
};
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
    : NaN;
};
const mb = bytes => `${(bytes / 1e6).toFixed(1)} MB`;
const kb = bytes => `${(bytes / 1e3).toFixed(1)} kB`;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runwatch-review-bench-'));
  const store = path.join(tmp, 'runs');
  fs.mkdirSync(store);
  const env = { ...process.env, RUNWATCH_ROOT: store };
  const children = [];
  let browser;
  const stop = () => {
    children.forEach(child => killGroup(child, 'SIGTERM'));
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  const timer = setTimeout(() => {
    console.error('review_bench: hard timeout, stopping');
    void browser?.close();
    stop();
    process.exit(2);
  }, HARD_TIMEOUT_MS);

  try {
    // 1. The big run.
    let started = Date.now();
    const channels = Array.from({ length: options.channels }, (_, i) => ({
      name: `g${Math.floor(i / 4)}.c${i}`,
      kind: i % 3 === 2 ? 'mean' : 'last',
      rows: options.rows,
      ...(i === 0 ? { spike: [Math.floor(options.rows / 2), 1e6] } : {})
    }));
    const run = execFileSync(
      PYTHON,
      [
        path.join(__dirname, 'review_bench.py'),
        JSON.stringify({ channels, suffix: 'review-bench', span_s: 86400 })
      ],
      { env, encoding: 'utf-8', maxBuffer: 1 << 20 }
    ).trim();
    const bytes = fs
      .readdirSync(path.join(store, run))
      .reduce((n, f) => n + fs.statSync(path.join(store, run, f)).size, 0);
    console.log(
      `run: ${options.channels} channels × ${options.rows} rows, ${mb(bytes)} on disk ` +
        `(written in ${((Date.now() - started) / 1000).toFixed(1)} s)`
    );

    // 2. The server and the page.
    const port = await freePort();
    const token = crypto.randomBytes(16).toString('hex');
    const { child: server } = spawnLab({ port, token, root: tmp, env });
    children.push(server);
    const base = `http://127.0.0.1:${port}`;
    await waitForServer(
      `${base}/api/status?token=${token}`,
      Date.now() + 60000,
      server
    );

    browser = await launchChromium();
    const page = await browser.newPage({
      viewport: { width: 1600, height: 1000 }
    });
    const loaded = new Map();
    page.on('response', async response => {
      const url = response.url();
      if (
        url.includes('/lab/extensions/runwatch/static/') &&
        /\.js(\?|$)/.test(url)
      ) {
        const body = await response.body().catch(() => Buffer.alloc(0));
        loaded.set(url.split('/').pop().split('?')[0], body.length);
      }
    });
    await page.goto(`${base}/lab?token=${token}`);
    await page.waitForFunction(
      () => window.jupyterapp?.commands.hasCommand('runwatch:review-run'),
      null,
      { timeout: 60000 }
    );
    await page.evaluate(() => window.jupyterapp.restored);
    await sleep(1000);
    const atStartup = new Map(loaded);
    const startupBytes = [...atStartup.values()].reduce((a, b) => a + b, 0);

    // 3. Review, with the Chromium renderers' memory sampled meanwhile.
    const cdp = await page.context().newCDPSession(page);
    const rssBefore = rendererRss();
    const cpuBefore = cpuByProcess(server.pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rendererRss());
    }, 50);
    const review = await page.evaluate(async name => {
      // Main-thread responsiveness while the review loads: long tasks
      // (> 50 ms) and the longest gap between animation frames.
      const longTasks = [];
      const observer = new PerformanceObserver(list =>
        list.getEntries().forEach(e => longTasks.push(e.duration))
      );
      observer.observe({ entryTypes: ['longtask'] });
      let maxGap = 0;
      let loading = true;
      let lastFrame = performance.now();
      const frame = now => {
        maxGap = Math.max(maxGap, now - lastFrame);
        lastFrame = now;
        if (loading) {
          requestAnimationFrame(frame);
        }
      };
      requestAnimationFrame(frame);
      const t0 = performance.now();
      const panel = await window.jupyterapp.commands.execute(
        'runwatch:review-run',
        {
          run: name
        }
      );
      window.benchReview = panel;
      await panel.content.ready;
      const t1 = performance.now();
      loading = false;
      await new Promise(r => setTimeout(r, 0));
      observer.disconnect();
      const cells = [...panel.content.cells.values()];
      const drawn = cells.filter(c => c.area.data && c.area.data.length > 0);
      const traces = drawn.flatMap(c =>
        c.area.data.map(t => ({
          points: t.x.length,
          width: c.area._fullLayout._size.w
        }))
      );
      const spike = drawn
        .find(c => c.group === 'g0')
        .area.data.some(t => Array.from(t.y).includes(1e6));
      return {
        ms: t1 - t0,
        firstPlotMs: panel.content.timings.firstPlotMs,
        loadMs: panel.content.timings.loadMs,
        renderMs: panel.content.timings.renderMs,
        plots: cells.length,
        drawn: drawn.length,
        traces: traces.length,
        maxPoints: Math.max(...traces.map(t => t.points)),
        maxRatio: Math.max(...traces.map(t => t.points / t.width)),
        width: Math.min(...traces.map(t => t.width)),
        spike,
        longTasks,
        maxGap
      };
    }, run);
    clearInterval(sampler);
    const cpuAfter = cpuByProcess(server.pid);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const workerHeap = await reviewWorkerHeap(browser);
    const rssAfter = rendererRss();
    const memory = await page.evaluate(() => ({
      used: performance.memory?.usedJSHeapSize ?? NaN
    }));
    const afterReview = [...loaded].filter(([name]) => !atStartup.has(name));

    // The transport floor: the same bytes fetched by the page, undecoded.
    const transport = await page.evaluate(
      async ({ name, files, token }) => {
        const t0 = performance.now();
        const queue = [...files];
        let total = 0;
        const next = async () => {
          for (let f = queue.shift(); f; f = queue.shift()) {
            for (let offset = 0; ; offset += 16777216) {
              const url =
                `/runwatch/api/runs/${encodeURIComponent(name)}/files/` +
                `${encodeURIComponent(f)}?offset=${offset}&length=16777216&token=${token}`;
              const response = await fetch(url);
              if (!response.ok) {
                throw new Error(`${response.status} for ${f}`);
              }
              const before = total;
              // Read as a stream, as the review worker does (about twice as
              // fast as arrayBuffer() in Chromium).
              const reader = response.body.getReader();
              for (;;) {
                const { done, value } = await reader.read();
                if (done) {
                  break;
                }
                total += value.length;
              }
              if (total - before < 16777216) {
                break;
              }
            }
          }
        };
        await Promise.all(Array.from({ length: 6 }, next));
        return { ms: performance.now() - t0, bytes: total };
      },
      {
        name: run,
        token,
        files: fs
          .readdirSync(path.join(store, run))
          .filter(f => f.endsWith('.npr'))
      }
    );

    // Raw rule over the same data: re-resolve every plot from 1 M rows.
    const raw = await page.evaluate(async () => {
      const widget = window.benchReview.content;
      const t0 = performance.now();
      widget.rule = 'raw';
      await widget.settled();
      const cells = [...widget.cells.values()];
      return {
        ms: performance.now() - t0,
        maxPoints: Math.max(...cells.map(c => c.plot?.maxPoints ?? 0)),
        width: Math.min(...cells.map(c => c.area._fullLayout._size.w))
      };
    });

    // Zoom the spike's plot to 10 minutes around the spike (raw rule): the
    // worker reads its 4 channels again and resolves that range.
    const zoom = await page.evaluate(async () => {
      const widget = window.benchReview.content;
      const cell = widget.cells.get('g0');
      const spikeX = 86400 / 2;
      const before = cell.plot.traces.find(t => t.hoverinfo !== 'skip');
      const pointsNear = trace =>
        Array.from(trace.x).filter(x => Math.abs(x - spikeX) <= 300).length;
      const nearBefore = pointsNear(before);
      const t0 = performance.now();
      await cell._plotly.relayout(cell.area, {
        'xaxis.range': [spikeX - 300, spikeX + 300]
      });
      await widget.settled();
      const line = cell.plot.traces.find(t => t.hoverinfo !== 'skip');
      return {
        ms: performance.now() - t0,
        nearBefore,
        nearAfter: pointsNear(line),
        spike: Array.from(line.y).includes(1e6),
        width: cell.area._fullLayout._size.w
      };
    });
    await page.evaluate(() => window.benchReview.dispose());

    // 4. Live view: 50 channels at 10 Hz, raw rule, frame times.
    const writer = spawn(
      PYTHON,
      [
        '-c',
        LIVE_WRITER,
        String(options['live-channels']),
        String(options['live-hz']),
        String(options['live-seconds'] + 15)
      ],
      { env, stdio: ['ignore', 'pipe', 'inherit'], detached: true }
    );
    children.push(writer);
    const liveRun = await firstLine(writer, 'live writer');
    const live = await page.evaluate(
      async ({ name, seconds }) => {
        const panel = await window.jupyterapp.commands.execute(
          'runwatch:view-run',
          {
            run: name
          }
        );
        await panel.content.ready;
        panel.content.rule = 'raw';
        await new Promise(r => setTimeout(r, 2000));
        const frames = [];
        const longTasks = [];
        const observer = new PerformanceObserver(list =>
          list.getEntries().forEach(e => longTasks.push(e.duration))
        );
        observer.observe({ entryTypes: ['longtask'] });
        const firstX = Math.max(
          ...[...panel.content.cells.values()].map(c => c.plot?.xExtent[1] ?? 0)
        );
        await new Promise(resolve => {
          let last = performance.now();
          const end = last + seconds * 1000;
          const tick = now => {
            frames.push(now - last);
            last = now;
            if (now < end) {
              requestAnimationFrame(tick);
            } else {
              resolve();
            }
          };
          requestAnimationFrame(tick);
        });
        observer.disconnect();
        const lastX = Math.max(
          ...[...panel.content.cells.values()].map(c => c.plot?.xExtent[1] ?? 0)
        );
        const plots = panel.content.cells.size;
        panel.dispose();
        return { frames, longTasks, plots, grewBy: lastX - firstX };
      },
      { name: liveRun, seconds: options['live-seconds'] }
    );

    // Report.
    const startupList = [...atStartup]
      .map(([name, size]) => `${name} ${kb(size)}`)
      .join(', ');
    const plotlyChunk = afterReview.reduce(
      (best, entry) => (entry[1] > best[1] ? entry : best),
      ['none', 0]
    );
    console.log('\nstart-up (runwatch chunks loaded before any plot):');
    console.log(`  ${kb(startupBytes)} total: ${startupList}`);
    console.log(
      `  loaded on first review: ${afterReview.map(([n, s]) => `${n} ${kb(s)}`).join(', ')}` +
        ` (plotly: ${plotlyChunk[0]}, ${mb(plotlyChunk[1])})`
    );
    console.log(
      `\nreview of ${options.channels} channels × ${options.rows} rows:`
    );
    console.log(
      `  first complete render: ${(review.ms / 1000).toFixed(2)} s ` +
        `(${review.drawn}/${review.plots} plots, ${review.traces} traces; target ≤ 2 s)`
    );
    console.log(
      `    first plot drawn after ${(review.firstPlotMs / 1000).toFixed(2)} s; every series in ` +
        `(read, decoded, resolved in the worker; plots drawn as their groups complete) after ` +
        `${(review.loadMs / 1000).toFixed(2)} s; the last drawing ${(review.renderMs / 1000).toFixed(2)} s more`
    );
    console.log(
      `    transport floor (the page fetching every byte of the files, undecoded, measured after): ` +
        `${(transport.ms / 1000).toFixed(2)} s for ${mb(transport.bytes)} ` +
        `(${(transport.bytes / 1e6 / (transport.ms / 1000)).toFixed(0)} MB/s)`
    );
    const blocked = review.longTasks.reduce((a, b) => a + b, 0);
    console.log(
      `  main thread while loading: ${review.longTasks.length} long tasks, ` +
        `longest ${review.longTasks.length ? Math.max(...review.longTasks).toFixed(0) : 0} ms, ` +
        `${(blocked / 1000).toFixed(2)} s blocked in all; longest gap between ` +
        `animation frames ${review.maxGap.toFixed(0)} ms`
    );
    console.log(
      `  JS heap after GC: ${mb(heap.usedSize)} used of ${mb(heap.totalSize)}` +
        ` (performance.memory: ${mb(memory.used)}); typed-array backing stores: ` +
        `${heap.backingStorageSize !== undefined ? mb(heap.backingStorageSize) : 'n/a'} (target heap ≤ 300 MB)`
    );
    console.log(
      `  review worker's heap after the load: ` +
        (workerHeap
          ? `after GC ${mb(workerHeap.usedSize)} used, + ${mb(workerHeap.backingStorageSize ?? 0)} of typed-array ` +
            `backing stores (its row cache keeps up to 192 MB)`
          : 'not found')
    );
    console.log(
      `  CPU while loading (s): ` +
        Object.keys(cpuAfter)
          .map(k => `${k} ${(cpuAfter[k] - (cpuBefore[k] ?? 0)).toFixed(2)}`)
          .join(', ')
    );
    console.log(
      `  Chromium renderers' resident memory (page and its workers): ${mb(rssBefore)} before, ` +
        `peak ${mb(rssPeak)} while loading, ${mb(rssAfter)} after`
    );
    console.log(
      `  points per trace: max ${review.maxPoints} at ${review.width.toFixed(0)} px ` +
        `(${review.maxRatio.toFixed(2)} per px; target ≤ 4); spike in raw data drawn: ${review.spike}`
    );
    console.log(
      `  switch to the raw rule (re-resolve 60 × 1 M rows): ${(raw.ms / 1000).toFixed(2)} s, ` +
        `max ${raw.maxPoints} points at ${raw.width.toFixed(0)} px`
    );
    console.log(
      `  zoom one plot (4 channels) to 10 min around the spike: ${(zoom.ms / 1000).toFixed(2)} s; ` +
        `points within ±5 min of it: ${zoom.nearBefore} before, ${zoom.nearAfter} after ` +
        `(${zoom.width.toFixed(0)} px); spike drawn: ${zoom.spike}`
    );
    console.log(
      `\nlive view, ${options['live-channels']} channels × ${options['live-hz']} Hz, raw rule, ` +
        `${options['live-seconds']} s (${live.plots} plots, x grew by ${live.grewBy.toFixed(1)} s):`
    );
    console.log(
      `  frame time: median ${median(live.frames).toFixed(1)} ms, p95 ` +
        `${percentile(live.frames, 95).toFixed(1)} ms, max ${Math.max(...live.frames).toFixed(1)} ms ` +
        `over ${live.frames.length} frames; long tasks: ${live.longTasks.length}` +
        (live.longTasks.length
          ? ` (median ${median(live.longTasks).toFixed(0)} ms)`
          : '')
    );
    await browser.close();
    browser = undefined;
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    clearTimeout(timer);
    await browser?.close();
    stop();
  }
}

void main();
