/**
 * A server restart under an open monitor: the widget reconnects by itself
 * and resumes its log tail with no duplicate and no missing line.
 *
 * The config's webServer can't be restarted inside a test, so this spec
 * runs its own JupyterLab on port 8893 (start-server.sh, same config) and
 * points the page there with `baseURL`.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { VENV_BIN } from './helpers';
import { startWriter } from './writer';

const PORT = 8893;
const BASE_URL = `http://127.0.0.1:${PORT}`;
const UI_TESTS = path.resolve(__dirname, '..');
const ROOT = path.join(UI_TESTS, `.jupyter-root-${PORT}`);
const STORE_ROOT = path.join(ROOT, 'runs');
const MONITOR = '.jp-runwatch-monitor-panel .jp-runwatch-monitor';

/** Writes `line 0001`, `line 0002`, … every 100 ms (at most 120 s). */
const WRITER_SOURCE = `
import logging, time
import runwatch
run = runwatch.new_run('reconnect', description='reconnect.spec.ts writer')
print(run, flush=True)
log = logging.getLogger('writer')
with runwatch.to_run(run):
    for i in range(1, 1201):
        log.info('line %04d', i)
        time.sleep(0.1)
`;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function alive(child: ChildProcess | undefined): child is ChildProcess {
  return !!child && child.exitCode === null && child.signalCode === null;
}

/** SIGTERM a detached child's process group, then SIGKILL if it lingers. */
async function stopGroup(child: ChildProcess | undefined): Promise<void> {
  if (!alive(child)) {
    return;
  }
  const exited = new Promise(resolve => child.once('exit', resolve));
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    return;
  }
  await Promise.race([exited, sleep(15000)]);
  if (alive(child)) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
    await Promise.race([exited, sleep(5000)]);
  }
}

/** Start (or restart, keeping its root) the spec's own JupyterLab. */
async function startServer(keepRoot: boolean): Promise<ChildProcess> {
  const child = spawn(
    'bash',
    [path.join(UI_TESTS, 'start-server.sh'), `${PORT}`],
    {
      env: {
        ...process.env,
        PATH: `${VENV_BIN}:${process.env.PATH}`,
        RUNWATCH_KEEP_ROOT: keepRoot ? '1' : ''
      },
      detached: true,
      stdio: 'ignore'
    }
  );
  const deadline = Date.now() + 90000;
  for (;;) {
    if (!alive(child)) {
      throw new Error(
        `jupyter lab on ${PORT} exited early (${(child as ChildProcess).exitCode})`
      );
    }
    try {
      const response = await fetch(`${BASE_URL}/lab`, {
        signal: AbortSignal.timeout(2000)
      });
      if (response.ok) {
        return child;
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stopGroup(child);
      throw new Error(`jupyter lab on ${PORT} did not answer`);
    }
    await sleep(250);
  }
}

/** The numbers of the `line NNNN` log lines the monitor shows, in order. */
async function shownNumbers(page: IJupyterLabPageFixture): Promise<number[]> {
  const lines = await page
    .locator(`${MONITOR} .jp-runwatch-log-line`)
    .allTextContents();
  return lines
    .map(line => /line (\d{4})/.exec(line)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
}

async function lastShown(page: IJupyterLabPageFixture): Promise<number> {
  const numbers = await shownNumbers(page);
  return numbers.length ? numbers[numbers.length - 1] : 0;
}

/** The last number the writer has put in the log file. */
function lastWritten(run: string): number {
  const text = fs.readFileSync(
    path.join(STORE_ROOT, run, 'logs.0.txt'),
    'utf8'
  );
  const all = [...text.matchAll(/line (\d{4})/g)];
  return all.length ? Number(all[all.length - 1][1]) : 0;
}

let server: ChildProcess | undefined;
let writer: ChildProcess | undefined;

// Galata proxies the kernels/sessions/terminals listings through its own
// route handlers; while this spec's server is down those proxies throw and
// fail the test. Nothing here starts a kernel, so leave the listings alone.
test.use({
  baseURL: BASE_URL,
  kernels: null,
  sessions: null,
  terminals: null
});

test.beforeAll(async () => {
  test.setTimeout(120000);
  server = await startServer(false);
});

test.afterAll(async () => {
  await stopGroup(writer);
  await stopGroup(server);
  writer = server = undefined;
});

test('the monitor resumes after a server restart with no duplicate or missing line', async ({
  page
}) => {
  test.setTimeout(180000);
  const started = await startWriter({
    source: WRITER_SOURCE,
    storeRoot: STORE_ROOT,
    detached: true
  });
  writer = started.process;
  const run = started.run;

  await page.evaluate(async run => {
    await window.jupyterapp.commands.execute('runwatch:monitor-run', { run });
  }, run);
  const monitor = page.locator(MONITOR);
  await expect(monitor.locator('.jp-runwatch-run-name')).toHaveText(run);
  await expect
    .poll(() => lastShown(page), { timeout: 15000 })
    .toBeGreaterThan(10);
  await expect(monitor.locator('.jp-runwatch-badge')).toHaveText('running');

  // Kill the server; the writer goes on.
  await stopGroup(server);
  const atKill = lastWritten(run);
  await expect(monitor.locator('.jp-runwatch-badge')).toHaveText(
    'reconnecting',
    { timeout: 10000 }
  );
  await sleep(2000);
  expect(lastWritten(run)).toBeGreaterThan(atKill + 10);

  // Same port, same root: the widget reconnects by itself.
  server = await startServer(true);
  await expect(monitor.locator('.jp-runwatch-badge')).toHaveText('running', {
    timeout: 30000
  });
  const afterRestart = lastWritten(run);
  await expect
    .poll(() => lastShown(page), { timeout: 20000 })
    .toBeGreaterThan(afterRestart + 10);

  // Every line from the first shown on: consecutive, each exactly once.
  const numbers = await shownNumbers(page);
  expect(numbers.length).toBeGreaterThan(afterRestart - numbers[0]);
  expect(numbers[0]).toBeLessThan(atKill);
  const expected = numbers.map((_, i) => numbers[0] + i);
  expect(numbers).toEqual(expected);
});
