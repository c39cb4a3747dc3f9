/**
 * Steering a running job from the monitor: the job declares lr steerable
 * with bounds and calls `update()` every 100 ms; the Params panel shows it,
 * a new lr is applied by the job and answered; a value out of bounds is
 * refused before the server is asked; an undeclared key is refused by the
 * server with its reason; and stop ends the job gracefully.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { IWriter, startWriter } from './writer';

const SCREENSHOTS = path.resolve(__dirname, '..', 'screenshots');

const JOB = `
import time
import runwatch
run = runwatch.new_run('steered', description='steered by the Galata test')
print(run, flush=True)
with runwatch.to_run(run):
    p = runwatch.steerable(lr=3e-4, ent_coef=0.01, bounds={'lr': (1e-6, 1e-2)})
    step = 0
    while not p.should_stop and step < 100000:
        p.update()
        runwatch.stats.step(step)
        runwatch.stats.mean('loss.train', 1.0 / (1 + step * p.lr))
        step += 1
        time.sleep(0.1)
`;

let writer: IWriter | undefined;

test.afterEach(() => {
  writer?.stop();
  writer = undefined;
});

/**
 * Run `command` (a plots command) on `run`, which opens a plots panel; a
 * poll of that panel's `loss` plot's marks: its dotted lines and labels.
 */
async function openedPlotsMarks(
  page: IJupyterLabPageFixture,
  command: string,
  run: string
): Promise<() => Promise<{ lines: number; labels: string[] }>> {
  const before = await page.locator('.jp-runwatch-plots-panel').count();
  await page.evaluate(
    async ({ command, run }) => {
      await window.jupyterapp.commands.execute(command, { run });
    },
    { command, run }
  );
  return () =>
    page.evaluate(before => {
      const panel = document.querySelectorAll('.jp-runwatch-plots-panel')[
        before
      ];
      const area = panel?.querySelector(
        '.jp-runwatch-plot[data-group="loss"] .jp-runwatch-plot-area'
      ) as any;
      const layout = area?.layout ?? {};
      return {
        lines: (layout.shapes ?? []).length,
        labels: (layout.annotations ?? []).map((a: any) => a.text)
      };
    }, before);
}

test('a running job takes a new lr from the monitor, and refuses what it must', async ({
  page
}) => {
  test.setTimeout(120000);
  writer = await startWriter({ source: JOB });
  const run = writer.run;
  await page.evaluate(async run => {
    await window.jupyterapp.commands.execute('runwatch:monitor-run', { run });
  }, run);
  const params = page.locator(
    '.jp-runwatch-monitor-panel .jp-runwatch-monitor .jp-runwatch-params'
  );
  const lr = params.locator('tr[data-key="lr"]');
  await expect(lr).toHaveAttribute('data-value', '0.0003', { timeout: 20000 });
  await expect(params.locator('tr[data-key="ent_coef"]')).toHaveCount(1);

  // Out of bounds: said at once, nothing sent.
  const input = lr.locator('input');
  await input.fill('1');
  await params.locator('[data-action="apply"]').click();
  await expect(params.locator('.jp-runwatch-params-message')).toContainText(
    'outside'
  );

  // A new lr: the job applies it at its next update and answers.
  await input.fill('1e-4');
  await input.press('Enter');
  const applied = params.locator(
    '.jp-runwatch-params-log li[data-status="applied"]'
  );
  await expect(applied.first()).toContainText('lr 0.0003 → 0.0001 applied at', {
    timeout: 15000
  });
  await expect(lr).toHaveAttribute('data-value', '0.0001');
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page
    .locator('.jp-runwatch-monitor-panel')
    .screenshot({ path: path.join(SCREENSHOTS, 'steering.png') });

  // The change is marked on the run's live plots: a dotted line, labelled.
  await expect
    .poll(await openedPlotsMarks(page, 'runwatch:view-run', run), {
      timeout: 20000
    })
    .toEqual({ lines: 1, labels: ['lr=0.0001'] });
  await page
    .locator('.jp-runwatch-plots-panel')
    .screenshot({ path: path.join(SCREENSHOTS, 'steering-view.png') });

  // A review of the run marks it too (its listing says it has steering).
  await expect
    .poll(await openedPlotsMarks(page, 'runwatch:review-run', run), {
      timeout: 20000
    })
    .toEqual({ lines: 1, labels: ['lr=0.0001'] });

  // An undeclared key, straight to the server: refused with the reason.
  const refusal = await page.evaluate(async run => {
    const settings = window.jupyterapp.serviceManager.serverSettings;
    const xsrf = document.cookie.match(/_xsrf=([^;]*)/)?.[1] ?? '';
    const response = await fetch(
      `${settings.baseUrl}runwatch/api/runs/${encodeURIComponent(run)}/steer`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-XSRFToken': decodeURIComponent(xsrf),
          ...(settings.token
            ? { Authorization: `token ${settings.token}` }
            : {})
        },
        body: JSON.stringify({ changes: { momentum: 0.9 } })
      }
    );
    return { status: response.status, body: await response.json() };
  }, run);
  expect(refusal.status).toBe(400);
  expect(refusal.body.message).toContain('momentum');

  // Stop: the job reads should_stop and ends cleanly.
  await page
    .locator('.lm-TabBar-tab', { hasText: run })
    .filter({ hasNotText: 'View' })
    .first()
    .click();
  await params.locator('[data-action="stop"]').click();
  const badge = page.locator(
    '.jp-runwatch-monitor-panel .jp-runwatch-monitor .jp-runwatch-badge'
  );
  await expect(badge).toHaveText('finished', { timeout: 20000 });
});
