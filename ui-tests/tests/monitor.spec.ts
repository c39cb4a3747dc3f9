/**
 * The live monitor: in a notebook output (`%monitor -1`) and from the runs
 * panel, against the real server extension and a background writer.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { openNewNotebook, waitForIdleKernel } from './helpers';
import { IWriter, startWriter, STORE_ROOT } from './writer';

const MONITOR = '.jp-OutputArea-output .jp-runwatch-monitor';
const SCREENSHOTS = path.resolve(__dirname, '..', 'screenshots');

/** The number in the last `tick N` log line shown in `scope`. */
async function lastTick(page: IJupyterLabPageFixture, scope: string) {
  const lines = await page
    .locator(`${scope} .jp-runwatch-log-line`)
    .allTextContents();
  const ticks = lines
    .map(line => /tick (\d+)/.exec(line)?.[1])
    .filter(Boolean)
    .map(Number);
  return ticks.length ? ticks[ticks.length - 1] : -1;
}

/** The text shown for `channel`: its complete and partial values. */
async function statText(
  page: IJupyterLabPageFixture,
  scope: string,
  channel: string
) {
  const label = `${scope} .jp-runwatch-stat-label[title^="${channel} "]`;
  const value = page.locator(`${label} + .jp-runwatch-stat-value`);
  const partial = page.locator(
    `${label} + .jp-runwatch-stat-value + .jp-runwatch-stat-partial`
  );
  return `${await value.textContent()} ${await partial.textContent()}`;
}

/** Wait until new ticks show in `scope`, without touching the notebook. */
async function expectTicksAdvance(page: IJupyterLabPageFixture, scope: string) {
  await expect
    .poll(() => lastTick(page, scope), { timeout: 10000 })
    .toBeGreaterThan(0);
  const before = await lastTick(page, scope);
  await expect
    .poll(() => lastTick(page, scope), { timeout: 10000 })
    .toBeGreaterThan(before + 2);
}

let writer: IWriter | undefined;

test.afterEach(() => {
  writer?.stop();
  writer = undefined;
});

test.describe('monitor output', () => {
  test('follows a live run, stays live across a kernel restart, reports deletion', async ({
    page,
    request,
    tmpPath
  }) => {
    writer = await startWriter();
    const notebook = `${tmpPath}/monitor.ipynb`;
    await openNewNotebook(page, request, notebook);
    // The start-up code has loaded runwatch's magics in the kernel.
    await page.notebook.setCell(0, 'code', '%monitor -1');
    await page.notebook.runCell(0);
    const monitor = page.locator(MONITOR);
    await expect(monitor).toBeVisible();
    await expect(monitor.locator('.jp-runwatch-run-name')).toHaveText(
      writer.run
    );

    // New log lines and stat values arrive without re-running the cell.
    await expectTicksAdvance(page, MONITOR);
    const step = await statText(page, MONITOR, 'train.step');
    await expect
      .poll(() => statText(page, MONITOR, 'train.step'))
      .not.toBe(step);
    await expect(monitor.locator('.jp-runwatch-badge')).toHaveText('running');
    await expect(monitor.locator('.jp-runwatch-facts')).toContainText(
      /last write \ds ago/
    );

    // The kernel is idle: a following cell runs at once.
    await waitForIdleKernel(request, notebook, 5000);
    // Running the monitor cell left an empty cell below it: use that.
    const last = (await page.notebook.getCellCount()) - 1;
    await page.notebook.setCell(last, 'code', '6 * 7');
    const started = Date.now();
    await page.notebook.runCell(last);
    const cell = await page.notebook.getCellLocator(last);
    await expect(cell!.locator('.jp-OutputArea-output')).toHaveText('42');
    expect(Date.now() - started).toBeLessThan(5000);

    // A bad header is flagged on its own channel; invalid UTF-8 shows U+FFFD.
    await expect(monitor.locator('.jp-runwatch-stat-error')).toContainText(
      'stats.broken.0.npr'
    );
    await expect(
      monitor.locator('.jp-runwatch-log-line', { hasText: 'bad bytes' })
    ).toHaveText('bad bytes \ufffd\ufffd here');

    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.sidebar.close('left');
    await monitor.screenshot({ path: path.join(SCREENSHOTS, 'monitor.png') });

    // Restart the kernel: the widget talks to the server, so it keeps going.
    const session = await waitForIdleKernel(request, notebook);
    const restart = await request.post(
      `/api/kernels/${session.kernel!.id}/restart`
    );
    expect(restart.ok()).toBe(true);
    await waitForIdleKernel(request, notebook);
    await expectTicksAdvance(page, MONITOR);

    // Delete the run underneath the monitor.
    writer.stop();
    fs.rmSync(path.join(STORE_ROOT, writer.run), {
      recursive: true,
      force: true
    });
    await expect(monitor.locator('.jp-runwatch-message')).toHaveText(
      'run deleted',
      { timeout: 10000 }
    );
    await expect(monitor.locator('.jp-runwatch-badge')).toHaveText('deleted');
  });
});

test.describe('runs panel', () => {
  test('lists the run and opens its monitor on click', async ({ page }) => {
    writer = await startWriter();
    await page.sidebar.openTab('runwatch-runs-panel');
    const item = page.locator('.jp-runwatch-run', { hasText: writer.run });
    await expect(item).toBeVisible({ timeout: 10000 });
    await expect(item.locator('.jp-runwatch-badge')).toHaveText('running');
    // The run grows without any new run folder: the row keeps up.
    const facts = item.locator('.jp-runwatch-run-facts > span').nth(1);
    const before = await facts.textContent();
    await expect(facts).not.toHaveText(before!, { timeout: 15000 });
    // The row's buttons open plots; its name opens the monitor.
    await expect(item.locator('.jp-runwatch-run-action')).toHaveText([
      'review',
      'view',
      'monitor'
    ]);
    await item.locator('.jp-runwatch-run-name').click();
    const tab = page.locator('#jp-main-dock-panel .lm-TabBar-tabLabel', {
      hasText: writer.run
    });
    await expect(tab).toBeVisible();
    const scope = '.jp-runwatch-monitor-panel .jp-runwatch-monitor';
    await expectTicksAdvance(page, scope);
    await expect(page.locator(scope)).toBeVisible();
    await page.locator(scope).screenshot({
      path: path.join(SCREENSHOTS, 'monitor-panel.png')
    });
  });
});
