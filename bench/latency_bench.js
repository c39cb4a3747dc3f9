/**
 * Live latency, end to end: from a writer's call to the value showing in the
 * monitor's DOM, against a real `jupyter lab`, a real runwatch writer and
 * Debian's Chromium.
 *
 *     node bench/latency_bench.js [--seconds 30] [--channels 50] [--rate 100]
 *
 * 1. Starts `jupyter lab` on a free 127.0.0.1 port (random token, a temporary
 *    root, RUNWATCH_ROOT=<tmp>/runs, the app exposed to the page).
 * 2. Starts `bench/latency_writer.py`: 50 `last` channels at 100 rows/s each
 *    plus a log line every 100 ms, each value carrying its send time in ms.
 * 3. Opens the lab page, runs `runwatch:monitor-run` on the run, and records
 *    with a MutationObserver, for every value when it first appears in the
 *    DOM, `Date.now() - sentMs` (one machine, one clock).
 * 4. Half the time at the monitor's default 60 s rule (the partial bucket's
 *    value moves), half with the rule control switched to raw.
 *
 * Prints p50 / p95 / max per measure, the targets and the server's CPU share.
 * Loopback only; everything is stopped at the end, or after a hard timeout.
 */
'use strict';

const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  PYTHON,
  VENV_BIN,
  clockTicksPerSecond,
  quantile,
  cpuTicks,
  firstLine,
  freePort,
  killGroup,
  launchChromium,
  sleep,
  spawnLab,
  waitExit,
  waitForServer
} = require('./harness');

const MODULUS = 100000; // the writer's stat values are ms % MODULUS
const TARGET_P50_MS = 150;
const TARGET_P95_MS = 400;

function parseArgs(argv) {
  const options = { seconds: 30, channels: 50, rate: 100, warmup: 4 };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in options) || i + 1 >= argv.length) {
      throw new Error(
        `usage: node bench/latency_bench.js [--seconds 30] [--channels 50] [--rate 100] [--warmup 4]`
      );
    }
    options[key] = Number(argv[++i]);
  }
  return options;
}

/** Every descendant of `root` (from /proc), e.g. Chromium's renderers. */
function descendants(root) {
  const children = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    try {
      const text = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) {
        children.set(ppid, []);
      }
      children.get(ppid).push(Number(name));
    } catch {
      // gone
    }
  }
  const out = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    out.push(pid);
    stack.push(...(children.get(pid) || []));
  }
  return out;
}

/** CPU ticks of a process tree, per pid (processes may come and go). */
function treeTicks(root) {
  const ticks = new Map();
  for (const pid of descendants(root)) {
    ticks.set(pid, cpuTicks(pid));
  }
  return ticks;
}

function treeDelta(before, after) {
  let total = 0;
  for (const [pid, t] of after) {
    const t0 = before.get(pid) ?? 0;
    if (Number.isFinite(t) && Number.isFinite(t0)) {
      total += t - t0;
    }
  }
  return total;
}

function summarize(label, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = quantile(sorted, 0.5);
  const p95 = quantile(sorted, 0.95);
  const max = sorted.length ? sorted[sorted.length - 1] : NaN;
  const ok = p50 <= TARGET_P50_MS && p95 <= TARGET_P95_MS;
  const f = x => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : 'n/a');
  return (
    `  ${label.padEnd(34)} n=${String(sorted.length).padStart(5)}  ` +
    `p50 ${f(p50).padStart(7)}  p95 ${f(p95).padStart(7)}  max ${f(max).padStart(7)}  ` +
    (sorted.length ? (ok ? 'OK' : 'MISSES TARGET') : 'NO SAMPLES')
  );
}

/**
 * Runs in the page: record, for every new log line and every new stat
 * value, how old its send time is when it enters the DOM.
 */
function installObserver(modulus) {
  const record = {
    phase: 'off', // 'partial' | 'raw' | 'off'
    log: [],
    logLines: [],
    partial: [],
    raw: [],
    seenLogs: new Set()
  };
  const lastText = new WeakMap();
  const statLatency = (text, now) => {
    const match = /^(\d+)/.exec(text);
    if (!match) {
      return undefined;
    }
    return (
      ((((now % modulus) - Number(match[1])) % modulus) + modulus) % modulus
    );
  };
  const observer = new MutationObserver(mutations => {
    const now = Date.now();
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        if (
          node.nodeType === 1 &&
          node.classList.contains('jp-runwatch-log-line')
        ) {
          const match = /probe (\d+)/.exec(node.textContent || '');
          if (match && !record.seenLogs.has(match[1])) {
            record.seenLogs.add(match[1]);
            if (record.phase !== 'off') {
              record.log.push(now - Number(match[1]));
              record.logLines.push({ sent: Number(match[1]), shown: now });
            }
          }
        }
      }
      const cell =
        mutation.type === 'characterData'
          ? mutation.target.parentElement
          : mutation.target;
      if (!cell || cell.nodeType !== 1 || record.phase === 'off') {
        continue;
      }
      const wanted =
        record.phase === 'raw'
          ? 'jp-runwatch-stat-value'
          : 'jp-runwatch-stat-partial';
      if (!cell.classList.contains(wanted)) {
        continue;
      }
      const text = cell.textContent || '';
      if (!text || lastText.get(cell) === text) {
        continue;
      }
      lastText.set(cell, text);
      const latency = statLatency(text, now);
      if (latency !== undefined) {
        record[record.phase].push(latency);
      }
    }
  });
  observer.observe(document.body, {
    childList: true,
    subtree: true,
    characterData: true
  });
  window.__runwatchLatency = record;
}

/**
 * Runs in the page before JupyterLab loads: timestamps the watch socket's
 * `grew` messages and the HTTP reads of log files, to split a log line's
 * latency into stages (writer -> grew, grew -> DOM).
 */
function installTrace() {
  const trace = { grew: [], reads: [] };
  window.__runwatchTrace = trace;
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      if (String(args[0]).includes('runwatch/api/watch')) {
        this.addEventListener('message', event => {
          const data = String(event.data);
          if (data.includes('"grew"') && data.includes('"logs.')) {
            trace.grew.push(Date.now());
          }
        });
      }
    }
  };
  const nativeFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input && input.url;
    const promise = nativeFetch.call(this, input, init);
    if (url && url.includes('/files/logs.')) {
      const read = { start: Date.now(), end: NaN };
      trace.reads.push(read);
      promise.then(
        () => (read.end = Date.now()),
        () => undefined
      );
    }
    return promise;
  };
}

/** Medians of a log line's two stages: writer -> `grew` arrives, `grew` -> DOM. */
function breakdown(lines, trace) {
  const firstAtOrAfter = (times, t) => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < times.length ? lo : -1;
  };
  const toGrew = [];
  const toDom = [];
  for (const { sent, shown } of lines) {
    const g = firstAtOrAfter(trace.grew, sent);
    if (g >= 0 && trace.grew[g] <= shown) {
      toGrew.push(trace.grew[g] - sent);
      toDom.push(shown - trace.grew[g]);
    }
  }
  const median = xs =>
    quantile(
      [...xs].sort((a, b) => a - b),
      0.5
    );
  const reads = trace.reads.filter(r => Number.isFinite(r.end));
  return {
    toGrew: median(toGrew),
    toDom: median(toDom),
    reads: reads.length,
    read: median(reads.map(r => r.end - r.start))
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const hardTimeoutMs = (options.seconds + options.warmup * 2 + 150) * 1000;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runwatch-latency-'));
  const store = path.join(tmp, 'runs');
  fs.mkdirSync(store);
  const port = await freePort();
  const token = crypto.randomBytes(24).toString('hex');
  const base = `http://127.0.0.1:${port}`;
  const children = [];
  let browser;
  const hardTimer = setTimeout(() => {
    console.error(
      `latency_bench: hard timeout after ${hardTimeoutMs / 1000} s`
    );
    children.forEach(child => killGroup(child, 'SIGKILL'));
    process.exit(2);
  }, hardTimeoutMs);
  const onSignal = () => {
    children.forEach(child => killGroup(child, 'SIGKILL'));
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const env = {
      ...process.env,
      RUNWATCH_ROOT: store,
      JUPYTER_CONFIG_DIR: path.join(tmp, '.jupyter-config'),
      PATH: `${VENV_BIN}:${process.env.PATH}`
    };
    const { child: server } = spawnLab({ port, token, root: tmp, env });
    children.push(server);
    await waitForServer(
      `${base}/api/status?token=${token}`,
      Date.now() + 90000,
      server
    );

    const writerSeconds = options.seconds + options.warmup * 2 + 40;
    const writer = spawn(
      PYTHON,
      [
        path.join(__dirname, 'latency_writer.py'),
        '--seconds',
        String(writerSeconds),
        '--channels',
        String(options.channels),
        '--rate',
        String(options.rate)
      ],
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }
    );
    children.push(writer);
    const run = await firstLine(writer, 'writer');

    browser = await launchChromium();
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 }
    });
    let fileReads = 0;
    page.on('request', request => {
      if (request.url().includes('/runwatch/api/runs/')) {
        fileReads++;
      }
    });
    await page.addInitScript(installTrace);
    await page.goto(`${base}/lab?token=${token}`);
    await page.waitForFunction(
      () =>
        window.jupyterapp &&
        window.jupyterapp.commands.hasCommand('runwatch:monitor-run'),
      null,
      { timeout: 60000 }
    );
    await page.evaluate(() => window.jupyterapp.restored);
    await page.evaluate(installObserver, MODULUS);
    await page.evaluate(async run => {
      window.__benchMonitor = await window.jupyterapp.commands.execute(
        'runwatch:monitor-run',
        { run }
      );
    }, run);
    await page
      .locator('.jp-runwatch-monitor .jp-runwatch-stat-partial')
      .first()
      .waitFor({ timeout: 30000 });

    const ticks = clockTicksPerSecond();
    const setPhase = phase =>
      page.evaluate(phase => (window.__runwatchLatency.phase = phase), phase);
    const half = (options.seconds * 1000) / 2;

    await sleep(options.warmup * 1000); // the first fetches bring history
    // Chromium: this process's descendants but the server's and the writer's.
    const browserTree = () => {
      const others = new Set([
        ...descendants(server.pid),
        ...descendants(writer.pid),
        process.pid
      ]);
      const ticks = treeTicks(process.pid);
      others.forEach(pid => ticks.delete(pid));
      return ticks;
    };
    const browser0 = browserTree();
    const cpu0 = { server: cpuTicks(server.pid), writer: cpuTicks(writer.pid) };
    const reads0 = fileReads;
    const t0 = Date.now();
    await setPhase('partial');
    await sleep(half);
    await setPhase('off');
    await page.click(
      '.jp-runwatch-monitor .jp-runwatch-rule-button[data-rule="raw"]'
    );
    await sleep(1000);
    await setPhase('raw');
    await sleep(half);
    await setPhase('off');
    const wallS = (Date.now() - t0) / 1000;

    // %view at the raw rule, alone: when each new value first shows as the
    // last point of its trace in the plot's data, at an animation frame.
    const viewLatency = await page.evaluate(
      async ({ run, modulus, seconds }) => {
        window.__benchMonitor.dispose();
        const panel = await window.jupyterapp.commands.execute(
          'runwatch:view-run',
          { run }
        );
        await panel.content.ready;
        panel.content.rule = 'raw';
        await new Promise(r => setTimeout(r, 3000));
        const latencies = [];
        const last = new Map();
        const end = performance.now() + seconds * 1000;
        await new Promise(resolve => {
          const frame = () => {
            const now = Date.now();
            for (const cell of panel.content.cells.values()) {
              (cell.area.data || []).forEach((trace, i) => {
                const y = trace.y;
                const value = y && y.length ? y[y.length - 1] : undefined;
                const key = `${cell.group}/${i}`;
                if (value === undefined || last.get(key) === value) {
                  return;
                }
                if (last.has(key)) {
                  latencies.push(
                    ((((now % modulus) - value) % modulus) + modulus) % modulus
                  );
                }
                last.set(key, value);
              });
            }
            if (performance.now() < end) {
              requestAnimationFrame(frame);
            } else {
              resolve();
            }
          };
          requestAnimationFrame(frame);
        });
        panel.dispose();
        return latencies;
      },
      { run, modulus: MODULUS, seconds: options.seconds / 2 }
    );
    const cpu1 = { server: cpuTicks(server.pid), writer: cpuTicks(writer.pid) };
    const browserTicks = treeDelta(browser0, browserTree());
    const reads = fileReads - reads0;
    const record = await page.evaluate(() => {
      const r = window.__runwatchLatency;
      return {
        log: r.log,
        logLines: r.logLines,
        partial: r.partial,
        raw: r.raw,
        trace: window.__runwatchTrace
      };
    });
    const share = key =>
      `${((100 * (cpu1[key] - cpu0[key])) / ticks / wallS).toFixed(1)} %`;

    console.log(
      'runwatch live latency: writer call -> value in the monitor DOM'
    );
    console.log(
      `  ${options.channels} last channels x ${options.rate} rows/s + a log line every 100 ms; ` +
        `${options.seconds} s measured (half at the 60 s rule's partial bucket, half raw); ` +
        `${os.cpus().length} cores`
    );
    console.log(summarize('log lines', record.log));
    const stages = breakdown(record.logLines, record.trace);
    const ms = x => (Number.isFinite(x) ? `${x.toFixed(0)}` : 'n/a');
    console.log(
      `    log line stages (medians): writer -> grew message ${ms(stages.toGrew)} ms, ` +
        `grew -> DOM ${ms(stages.toDom)} ms; ${stages.reads} HTTP reads of the log ` +
        `(median ${ms(stages.read)} ms)`
    );
    console.log(summarize('stat value, 60 s rule (partial)', record.partial));
    console.log(summarize('stat value, raw rule', record.raw));
    console.log(summarize('raw point in %view (plot data)', viewLatency));
    console.log(
      `  targets: p50 <= ${TARGET_P50_MS} ms, p95 <= ${TARGET_P95_MS} ms. ` +
        'For comparison, refresh intervals: pavlov ~1 s, Aim ~2 s, TensorBoard 5-30 s.'
    );
    console.log(
      `  CPU share over the measurement: jupyter server ${share('server')} of a core, ` +
        `writer ${share('writer')}, Chromium (all processes) ` +
        `${((100 * browserTicks) / ticks / wallS).toFixed(1)} %; the page made ${reads} file reads ` +
        `(${(reads / wallS).toFixed(0)}/s)`
    );
  } catch (error) {
    console.error(String(error && error.stack ? error.stack : error));
    process.exitCode = 1;
  } finally {
    if (browser) {
      await browser.close().catch(() => undefined);
    }
    for (const child of children.reverse()) {
      killGroup(child, 'SIGTERM');
      await waitExit(child, 5000);
      killGroup(child, 'SIGKILL');
    }
    clearTimeout(hardTimer);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
