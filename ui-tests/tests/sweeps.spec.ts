/**
 * A sweep launched from a notebook: 3 lr × 2 seeds of a small training
 * script, shown by `%sweep`; a variant killed with `kill -9` shows crashed
 * and is relaunched from its row into a new run; launching the same sweep
 * again starts nothing new; Stop all ends it.
 */
import { expect, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { onDisk, PYTHON } from './helpers';
import { runMagic } from './plotRuns';
import { STORE_ROOT } from './writer';

const SCREENSHOTS = path.resolve(__dirname, '..', 'screenshots');
const SWEEP = 'gal-sweep';

/**
 * The training script. It opens no run: the launcher gives each variant
 * one. 4000 steps of 50 ms (over 3 min), so no variant finishes while the
 * test, on a slow machine, still waits for all six to run.
 */
const TRAIN = `
import time
import runwatch
args = runwatch.params({"lr": 1e-3, "seed": 0, "steps": 4000})
for step in range(args.steps):
    runwatch.stats.mean("loss.train", args.lr * 1000 / (1 + step) + 0.01 * args.seed)
    time.sleep(0.05)
`;

/** The notebook's launch (a heartbeat of 1 s, inherited by the variants). */
const launchCode = (script: string) =>
  [
    'import os, runwatch',
    "os.environ['RUNWATCH_HEARTBEAT_S'] = '1'",
    `s = runwatch.launch(${JSON.stringify(script)}, ` +
      'runwatch.variants(lr=[1e-3, 3e-4, 1e-4], seed=[0, 1]), ' +
      `parallel=6, name='${SWEEP}')`
  ].join('\n');

/** Stop the sweep from outside the browser, whatever state the test left. */
function stopSweep(): void {
  try {
    execFileSync(
      PYTHON,
      ['-c', `import runwatch; runwatch.sweep('${SWEEP}').stop()`],
      { env: { ...process.env, RUNWATCH_ROOT: STORE_ROOT }, stdio: 'ignore' }
    );
  } catch {
    // No such sweep (the launch never ran): nothing to stop.
  }
}

test.afterEach(() => stopSweep());

test('a sweep: kill -9 shows crashed, relaunch from the row, launching again starts nothing', async ({
  page,
  request,
  tmpPath
}) => {
  test.setTimeout(300000);
  const script = onDisk(`${tmpPath}/train_sweep.py`);
  fs.mkdirSync(path.dirname(script), { recursive: true });
  fs.writeFileSync(script, TRAIN);

  await runMagic(
    page,
    request,
    `${tmpPath}/sweeps.ipynb`,
    `${launchCode(script)}\n%sweep ${SWEEP}`
  );
  const sweep = page
    .locator(`.jp-OutputArea-output .jp-runwatch-sweep[data-sweep="${SWEEP}"]`)
    .first();
  const rows = sweep.locator('tr[data-variant]');
  await expect(rows).toHaveCount(6, { timeout: 30000 });
  await expect(sweep.locator('tr[data-status="running"]')).toHaveCount(6, {
    timeout: 90000
  });
  await expect(sweep.locator('.jp-runwatch-sweep-counts')).toHaveText(
    '6 variants: 6 running'
  );
  // Each row shows its params and, once logged, its last loss.
  const first = rows.first();
  await expect(first.locator('.jp-runwatch-sweep-params')).toHaveText(
    'lr=0.001 seed=0'
  );
  await expect(first.locator('.jp-runwatch-sweep-metrics')).toContainText(
    'loss.train',
    { timeout: 20000 }
  );

  // kill -9 one variant's process: no exit hook runs.
  const variant = (await first.getAttribute('data-variant'))!;
  const crashedRun = (await first.getAttribute('data-run'))!;
  const pid = Number(await first.getAttribute('data-pid'));
  expect(pid).toBeGreaterThan(0);
  process.kill(pid, 'SIGKILL');
  const killed = sweep.locator(`tr[data-variant="${variant}"]`);
  await expect(killed).toHaveAttribute('data-status', 'crashed', {
    timeout: 30000
  });
  await expect(killed.locator('.jp-runwatch-sweep-reason')).toBeVisible();
  expect(JSON.parse((await sweep.getAttribute('data-counts'))!)).toEqual({
    crashed: 1,
    running: 5
  });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await sweep.screenshot({ path: path.join(SCREENSHOTS, 'sweep-crashed.png') });

  // Relaunch it from its row: it runs again, in a new run.
  await killed.locator('[data-action="relaunch"]').click();
  await expect
    .poll(
      async () => [
        await killed.getAttribute('data-status'),
        (await killed.getAttribute('data-run')) !== crashedRun
      ],
      { timeout: 60000 }
    )
    .toEqual(['running', true]);
  await expect(sweep.locator('tr[data-status="running"]')).toHaveCount(6);
  const runsBefore = await rows.evaluateAll(trs =>
    trs.map(tr => (tr as HTMLElement).dataset.run)
  );
  expect(new Set(runsBefore).size).toBe(6);

  // Launch the same sweep again, from a second cell: nothing new starts.
  // Shift+Enter on cell 0 left an empty cell 1 below it.
  if ((await page.notebook.getCellCount()) < 2) {
    await page.notebook.addCell('code', '');
  }
  await page.notebook.setCell(
    1,
    'code',
    `${launchCode(script)}\nprint('launched', len(s.status()))`
  );
  await page.notebook.runCell(1);
  const cell = await page.notebook.getCellLocator(1);
  await expect(cell!.locator('.jp-OutputArea-output')).toHaveText(
    'launched 6',
    { timeout: 30000 }
  );
  // The launch queues under the record's lock before it returns, so the
  // server's answer now shows anything it queued.
  const reply = await request.get(`/runwatch/api/sweeps/${SWEEP}`);
  expect(reply.ok()).toBe(true);
  const status = (await reply.json()) as {
    rows: { run: string; status: string }[];
  };
  expect(status.rows.map(r => r.status)).toEqual(Array(6).fill('running'));
  expect(status.rows.map(r => r.run)).toEqual(runsBefore);
  // And the widget, refreshed since (its elapsed times moved), agrees.
  const elapsed = killed.locator('.jp-runwatch-sweep-elapsed');
  const elapsedBefore = (await elapsed.textContent()) ?? '';
  await expect(elapsed).not.toHaveText(elapsedBefore, { timeout: 20000 });
  await expect(rows).toHaveCount(6);
  await expect(sweep.locator('tr[data-status="queued"]')).toHaveCount(0);
  expect(
    await rows.evaluateAll(trs =>
      trs.map(tr => (tr as HTMLElement).dataset.run)
    )
  ).toEqual(runsBefore);

  // Stop all: every variant ends (SIGTERM reads failed, "stopped").
  await sweep.locator('[data-action="stop-all"]').click();
  await expect(sweep.locator('tr[data-status="running"]')).toHaveCount(0, {
    timeout: 30000
  });
  await expect(sweep.locator('[data-action="stop-all"]')).toBeDisabled();
});
