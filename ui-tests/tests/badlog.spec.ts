/**
 * A 10 MB log line under a live monitor: shown truncated between the normal
 * lines around it, and the page stays responsive.
 */
import { expect, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PYTHON } from './helpers';
import { STORE_ROOT } from './writer';

const MONITOR = '.jp-runwatch-monitor-panel .jp-runwatch-monitor';
const BIG = 10 * 1024 * 1024;

/** A run whose `logs.0.txt` holds one normal line; prints its name. */
const MAKE_RUN = `
import logging
import runwatch
run = runwatch.new_run('badlog', description='badlog.spec.ts')
with runwatch.to_run(run):
    logging.getLogger('test').info('first normal line')
print(run)
`;

test('a 10 MB log line shows truncated and the page stays responsive', async ({
  page
}) => {
  const run = execFileSync(PYTHON, ['-c', MAKE_RUN], {
    env: { ...process.env, RUNWATCH_ROOT: STORE_ROOT }
  })
    .toString()
    .trim();
  const logFile = path.join(STORE_ROOT, run, 'logs.0.txt');
  expect(fs.existsSync(logFile)).toBe(true);

  await page.evaluate(async run => {
    await window.jupyterapp.commands.execute('runwatch:monitor-run', { run });
  }, run);
  const monitor = page.locator(MONITOR);
  const lines = monitor.locator('.jp-runwatch-log-line');
  await expect(lines.filter({ hasText: 'first normal line' })).toHaveCount(1);

  // The big line, then a normal one, appended while the monitor follows.
  fs.appendFileSync(logFile, 'x'.repeat(BIG) + '\n');
  fs.appendFileSync(logFile, 'second normal line\n');

  await expect(lines.filter({ hasText: 'second normal line' })).toHaveCount(1, {
    timeout: 20000
  });
  const texts = await lines.allTextContents();
  expect(texts).toHaveLength(3);
  expect(texts[0]).toContain('first normal line');
  expect(texts[1]).toMatch(/^x+ … \[truncated, 10485760 chars\]$/);
  expect(texts[1].length).toBeLessThan(20000);
  expect(texts[2]).toBe('second normal line');

  // Responsive: a command runs and its UI shows promptly.
  const start = Date.now();
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute(
      'apputils:activate-command-palette'
    );
  });
  await expect(page.locator('#modal-command-palette')).toBeVisible({
    timeout: 2000
  });
  expect(Date.now() - start).toBeLessThan(2000);
  await page.keyboard.press('Escape');
  const roundTrip = Date.now();
  await page.evaluate(() => 1 + 1);
  expect(Date.now() - roundTrip).toBeLessThan(500);

  // A monitor opened afterwards reads only the log's tail, which starts
  // inside the big line: that line still shows, marked as cut off.
  await page.reload();
  await page.evaluate(async run => {
    await window.jupyterapp.commands.execute('runwatch:monitor-run', { run });
  }, run);
  await expect(lines.filter({ hasText: 'second normal line' })).toHaveCount(1, {
    timeout: 20000
  });
  const tail = await lines.allTextContents();
  expect(tail).toHaveLength(2);
  expect(tail[0]).toMatch(/^… x+ … \[truncated, at least \d+ chars\]$/);
  expect(tail[0].length).toBeLessThan(20000);
  expect(tail[1]).toBe('second normal line');
});
