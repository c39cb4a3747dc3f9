/**
 * `%view` at the raw rule across writer pauses, end to end: from the writer's
 * call to the value being the last point of its trace in plotly's data.
 *
 *     node bench/view_pause_bench.js
 *
 * A real `jupyter lab`, Debian's Chromium and `bench/pause_writer.py`, which
 * writes one `last` channel at 4, 100, 1,000 and 10,000 rows/s with a 4 s
 * pause before each rate. Every animation frame the page reads the trace's
 * last value (the writer's ms clock) and records `now - value` whenever it
 * changes. The first new value after each pause is reported apart from the
 * rest: the baseline is the same view's latency while rows flow steadily, in
 * the same run. Nothing is asserted; the figures are printed.
 */
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const {
  PYTHON,
  VENV_BIN,
  firstLine,
  freePort,
  killGroup,
  launchChromium,
  quantile,
  sleep,
  spawnLab,
  waitExit,
  waitForServer
} = require('./harness');

const MODULUS = 100000;
const PAUSE_S = 4;
const RATES = [4, 100, 1000, 10000];
const PHASE_S = 5;

function line(label, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const ms = x => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : 'n/a');
  return (
    `  ${label.padEnd(34)} n=${String(sorted.length).padStart(4)}  ` +
    `p50 ${ms(quantile(sorted, 0.5))}  p95 ${ms(quantile(sorted, 0.95))}  ` +
    `max ${ms(sorted[sorted.length - 1])}`
  );
}

/** In the page: watch the view's traces until `seconds` pass. */
async function recordLatencies({ run, modulus, seconds, pauseMs }) {
  const panel = await window.jupyterapp.commands.execute('runwatch:view-run', {
    run
  });
  await panel.content.ready;
  panel.content.rule = 'raw';
  const afterPause = [];
  const steady = [];
  let previous;
  const end = performance.now() + seconds * 1000;
  await new Promise(resolve => {
    const frame = () => {
      const now = Date.now();
      for (const cell of panel.content.cells.values()) {
        const trace = (cell.area.data || []).find(t => t.hoverinfo !== 'skip');
        const y = trace && trace.y;
        const value = y && y.length ? y[y.length - 1] : undefined;
        if (value !== undefined && value !== previous) {
          const latency =
            ((((now % modulus) - value) % modulus) + modulus) % modulus;
          const gap =
            previous === undefined
              ? 0
              : (((value - previous) % modulus) + modulus) % modulus;
          if (previous !== undefined) {
            (gap >= pauseMs ? afterPause : steady).push(latency);
          }
          previous = value;
        }
      }
      if (performance.now() < end) {
        requestAnimationFrame(frame);
      } else {
        resolve();
      }
    };
    requestAnimationFrame(frame);
  });
  const points = [...panel.content.cells.values()].map(
    cell => (cell.area.data || [])[0].x.length
  );
  panel.dispose();
  return { afterPause, steady, points };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runwatch-pause-'));
  const store = path.join(tmp, 'runs');
  fs.mkdirSync(store);
  const port = await freePort();
  const token = crypto.randomBytes(24).toString('hex');
  const base = `http://127.0.0.1:${port}`;
  const children = [];
  let browser;
  const phases = RATES.flatMap(rate => [
    `pause:${PAUSE_S}`,
    `${rate}:${PHASE_S}`
  ]);
  const totalS = 3 + RATES.length * (PAUSE_S + PHASE_S) + 2;
  const hardTimer = setTimeout(
    () => {
      console.error('view_pause_bench: hard timeout');
      children.forEach(child => killGroup(child, 'SIGKILL'));
      process.exit(2);
    },
    (totalS + 180) * 1000
  );
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
    browser = await launchChromium();
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 }
    });
    await page.goto(`${base}/lab?token=${token}`);
    await page.waitForFunction(
      () =>
        window.jupyterapp &&
        window.jupyterapp.commands.hasCommand('runwatch:view-run'),
      null,
      { timeout: 60000 }
    );
    await page.evaluate(() => window.jupyterapp.restored);
    const writer = spawn(
      PYTHON,
      [path.join(__dirname, 'pause_writer.py'), ...phases],
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }
    );
    children.push(writer);
    const run = await firstLine(writer, 'writer');
    const result = await page.evaluate(recordLatencies, {
      run,
      modulus: MODULUS,
      seconds: totalS,
      pauseMs: (PAUSE_S - 1) * 1000
    });
    console.log(
      "runwatch %view raw-point latency across writer pauses: writer call -> last point of the trace's data"
    );
    console.log(
      `  one last channel; phases: ${phases.join(' ')} (rows/s:seconds); ${os.cpus().length} cores`
    );
    console.log(line('first point after a 4 s pause', result.afterPause));
    console.log(line('baseline: steady rows, same view', result.steady));
    console.log(
      `  points in the trace at the end: ${result.points.join(', ')}; ` +
        'targets p50 <= 150 ms, p95 <= 400 ms'
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
