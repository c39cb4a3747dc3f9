/**
 * What the browser benches (latency_bench.js, review_bench.js) share: the
 * venv's Python and Jupyter, Debian's headless Chromium, a free loopback
 * port, a `jupyter lab` of their own, and stopping detached children.
 */
'use strict';

const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { chromium } = require('@playwright/test');
const { CHROMIUM_FLAGS, CHROMIUM_PATH } = require('../ui-tests/chromium');

const REPO = path.resolve(__dirname, '..');
const VENV_BIN = path.join(REPO, '.venv', 'bin');
const PYTHON = fs.existsSync(path.join(VENV_BIN, 'python'))
  ? path.join(VENV_BIN, 'python')
  : 'python3';
const JUPYTER = fs.existsSync(path.join(VENV_BIN, 'jupyter'))
  ? path.join(VENV_BIN, 'jupyter')
  : 'jupyter';
const CHROMIUM = CHROMIUM_PATH;

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Poll `url` until it answers 2xx; fail if `server` exits or at the deadline. */
async function waitForServer(url, deadlineMs, server) {
  for (;;) {
    if (server.exitCode !== null) {
      throw new Error(`jupyter lab exited with ${server.exitCode}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        return;
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadlineMs) {
      throw new Error(`no answer from ${url}`);
    }
    await sleep(250);
  }
}

/**
 * Spawn `jupyter lab` on 127.0.0.1:`port` (detached, in its own process
 * group) with `root` as its root and working directory, `token`, no news or
 * update checks and the app exposed to the page as `window.jupyterapp`;
 * the server's background summaries only with `ahead`. The caller waits for it (`waitForServer`) and stops it (`killGroup`).
 * Returns the child and the tail of its stderr.
 */
function spawnLab({ port, token, root, env, ahead = false }) {
  const child = spawn(
    JUPYTER,
    [
      'lab',
      '--no-browser',
      '--allow-root',
      '--ServerApp.ip=127.0.0.1',
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0',
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${root}`,
      '--LabApp.news_url=None',
      '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
      '--LabApp.expose_app_in_browser=True',
      // The background summaries (docs/server-api.md) off unless asked for:
      // the benches' "first review" figures are of a cold server.
      ...(ahead ? [] : ['--Runwatch.lod_warm_runs=0'])
    ],
    { cwd: root, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] }
  );
  let log = '';
  child.stderr.on('data', chunk => {
    log = (log + String(chunk)).slice(-20000);
  });
  return { child, log: () => log };
}

/** Wait for the server's log line of its first background pass; its seconds. */
async function summarisedAhead(log, deadline) {
  const line = /summarised (\d+) channels of (\d+) runs ahead .* in ([\d.]+) s/;
  while (Date.now() < deadline) {
    const found = log().match(line);
    if (found) {
      return Number(found[3]);
    }
    await sleep(250);
  }
  throw new Error('the server logged no background pass in 5 minutes');
}

/** Debian's Chromium, headless, with the Galata config's flags. */
function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/**
 * The first line a child prints on stdout (a writer's run name); rejects if
 * the child exits first, with `what` and its stderr if that is piped.
 */
function firstLine(child, what) {
  let stderr = '';
  child.stderr?.on('data', chunk => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', chunk => {
      out += String(chunk);
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        resolve(out.slice(0, newline));
      }
    });
    child.once('exit', code =>
      reject(new Error(`${what} exited with ${code}: ${stderr}`))
    );
  });
}

/** Kill a detached child's whole process group (it may have children). */
function killGroup(child, signal = 'SIGTERM') {
  if (child && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}

function waitExit(child, ms) {
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return Promise.race([
    new Promise(resolve => child.once('exit', resolve)),
    sleep(ms)
  ]);
}

/** utime + stime of `pid` in clock ticks (fields 14 and 15 of /proc/pid/stat). */
function cpuTicks(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return NaN;
  }
}

/** Clock ticks per second for /proc CPU times (`getconf CLK_TCK`). */
function clockTicksPerSecond() {
  try {
    return (
      Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
    );
  } catch {
    return 100;
  }
}

/** The `q` quantile of sorted samples, interpolated between neighbours. */
function quantile(sorted, q) {
  if (sorted.length === 0) {
    return NaN;
  }
  const position = (sorted.length - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
}

module.exports = {
  REPO,
  VENV_BIN,
  PYTHON,
  JUPYTER,
  CHROMIUM,
  CHROMIUM_FLAGS,
  sleep,
  freePort,
  waitForServer,
  spawnLab,
  summarisedAhead,
  launchChromium,
  firstLine,
  killGroup,
  waitExit,
  cpuTicks,
  clockTicksPerSecond,
  quantile
};
