/**
 * A run's status from evidence: a writer killed with SIGKILL (no exit hook
 * runs, no file changes) reads "crashed", with its reason, in the runs
 * panel, the monitor and the runs table; one that raises reads "failed"
 * with the exception.
 */
import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { IWriter, startWriter } from './writer';

const SCREENSHOTS = path.resolve(__dirname, '..', 'screenshots');

/** Declared heartbeat: short, so "crashed" comes within seconds. */
const HEARTBEAT_S = '1';

const TRAINING = `
import logging, time
import runwatch
run = runwatch.new_run('lifecycle', description='killed by the Galata test')
print(run, flush=True)
with runwatch.to_run(run):
    for step in range(100000):
        logging.getLogger('train').info('step %d', step)
        runwatch.stats.last('train.step', step)
        time.sleep(0.2)
`;

const FAILING = `
import time
import runwatch
run = runwatch.new_run('failing', description='raises on purpose')
print(run, flush=True)
with runwatch.to_run(run):
    runwatch.stats.last('train.step', 1)
    time.sleep(1)
    raise ValueError('loss went NaN at step 1')
`;

let writer: IWriter | undefined;

test.afterEach(() => {
  writer?.stop();
  writer = undefined;
});

test('a kill -9ed run shows crashed, and why, in the panel, the monitor and the table', async ({
  page
}) => {
  writer = await startWriter({
    source: TRAINING,
    env: { RUNWATCH_HEARTBEAT_S: HEARTBEAT_S }
  });
  const run = writer.run;
  await page.sidebar.openTab('runwatch-runs-panel');
  const item = page.locator('.jp-runwatch-run', { hasText: run });
  await expect(item.locator('.jp-runwatch-badge')).toHaveText('running', {
    timeout: 15000
  });
  await page.evaluate(async run => {
    await window.jupyterapp.commands.execute('runwatch:monitor-run', { run });
  }, run);
  const monitor = page.locator(
    '.jp-runwatch-monitor-panel .jp-runwatch-monitor'
  );
  const badge = monitor.locator('.jp-runwatch-badge');
  await expect(badge).toHaveText('running', { timeout: 15000 });

  writer.process.kill('SIGKILL');

  // No exit hook ran and no file changes: only the missed heartbeat tells.
  await expect(badge).toHaveText('crashed', { timeout: 20000 });
  const message = monitor.locator('.jp-runwatch-message');
  await expect(message).toContainText(`pid ${writer.process.pid}`);
  await expect(message).toContainText('gone');
  expect(await badge.getAttribute('title')).toContain('gone');
  await expect(item.locator('.jp-runwatch-badge')).toHaveText('crashed', {
    timeout: 20000
  });
  await expect(item.locator('.jp-runwatch-run-reason')).toContainText(
    `pid ${writer.process.pid}`
  );
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'lifecycle-crashed.png')
  });

  // The runs table says the same, status and reason.
  await page.evaluate(async query => {
    await window.jupyterapp.commands.execute('runwatch:open-runs-table', {
      query
    });
  }, run);
  const table = page.locator('.jp-runwatch-table');
  await expect(table).toHaveAttribute('data-first-run', run, {
    timeout: 20000
  });
  const first = JSON.parse((await table.getAttribute('data-first-row'))!);
  expect(first.status).toBe('crashed');
  expect(first.reason).toContain(`pid ${writer.process.pid}`);
  expect(first.reason).toContain('gone');
});

test('a run whose code raised shows failed with the exception', async ({
  page
}) => {
  writer = await startWriter({
    source: FAILING,
    env: { RUNWATCH_HEARTBEAT_S: HEARTBEAT_S }
  });
  const run = writer.run;
  await page.sidebar.openTab('runwatch-runs-panel');
  const item = page.locator('.jp-runwatch-run', { hasText: run });
  await expect(item.locator('.jp-runwatch-badge')).toHaveText('failed', {
    timeout: 20000
  });
  await expect(item.locator('.jp-runwatch-run-reason')).toContainText(
    'ValueError: loss went NaN at step 1'
  );
});
