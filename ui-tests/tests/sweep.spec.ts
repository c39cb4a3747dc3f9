/**
 * A learning-rate sweep as a researcher reviews it: 3 lr × 3 seeds, one
 * shared legend (the params table) whose rows hide a run in every plot,
 * a dash key for the labels, and a PNG with the whole legend at 2×.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { allBuilt, makeRun, runMagic } from './plotRuns';

const PLOTS = '.jp-OutputArea-output .jp-runwatch-plots';
const SCREENSHOTS = path.resolve(__dirname, '..', 'screenshots');

test.use({ viewport: { width: 1700, height: 1100 } });

/** Per plot: how many of its line traces are drawn (visible). */
const visibleLines = (page: IJupyterLabPageFixture, group: string) =>
  page.evaluate(g => {
    const area = document.querySelector(
      `${'.jp-runwatch-plot'}[data-group="${g}"] .jp-runwatch-plot-area`
    ) as any;
    return (area?.data ?? []).filter(
      (t: any) => t.hoverinfo !== 'skip' && t.visible !== false
    ).length;
  }, group);

/** Width and height of a PNG file, from its IHDR chunk. */
function pngSize(file: string): [number, number] {
  const bytes = fs.readFileSync(file);
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test('a 9-run sweep: one legend that hides a run everywhere, and a full PNG', async ({
  page,
  request,
  tmpPath
}) => {
  test.setTimeout(180000);
  for (const lr of [0.1, 0.01, 0.001]) {
    for (const seed of [0, 1, 2]) {
      makeRun(
        [
          { name: 'loss.train', kind: 'mean', rows: 2000 },
          { name: 'loss.val', kind: 'mean', rows: 200 },
          { name: 'acc.val', kind: 'last', rows: 200 }
        ],
        { lr, seed, batch: 256 },
        'lr-sweep',
        Math.round(-Math.log10(lr)) * 3 + seed
      );
    }
  }
  await runMagic(
    page,
    request,
    `${tmpPath}/sweep.ipynb`,
    "%review '*lr-sweep*' --group none"
  );
  const plots = page.locator(PLOTS);
  await expect
    .poll(() => visibleLines(page, 'loss'), { timeout: 60000 })
    .toBe(18); // 9 runs × train, val
  await expect.poll(() => allBuilt(page)).toBe(true);

  // The params table is the legend: lr and seed differ, batch doesn't.
  const table = plots.locator('table.jp-runwatch-plots-params');
  await expect(table.locator('thead th')).toHaveText(['run', 'lr', 'seed']);
  await expect(table.locator('tbody tr')).toHaveCount(9);
  // plotly's own legends are off; the dash key explains train and val once.
  expect(
    await page.evaluate(
      () =>
        (document.querySelector('.jp-runwatch-plot-area') as any)._fullLayout
          .showlegend
    )
  ).toBe(false);
  await expect(plots.locator('.jp-runwatch-dash-item')).toHaveText([
    'train',
    'val'
  ]);

  // A row's click hides that run in every plot; again shows it.
  const row = table.locator('tbody tr').first();
  await row.click();
  await expect(row).toHaveClass(/jp-runwatch-run-off/);
  await expect.poll(() => visibleLines(page, 'loss')).toBe(16);
  await expect.poll(() => visibleLines(page, 'acc')).toBe(8);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await plots.screenshot({ path: path.join(SCREENSHOTS, 'sweep.png') });
  await row.click();
  await expect.poll(() => visibleLines(page, 'acc')).toBe(9);

  // PNG: the plot with the whole legend (every run) and the params table, 2×.
  const acc = plots.locator('.jp-runwatch-plot[data-group="acc"]');
  const shown = await acc.locator('.jp-runwatch-plot-area').boundingBox();
  await acc.hover();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    acc.getByRole('button', { name: 'PNG' }).click()
  ]);
  expect(download.suggestedFilename()).toMatch(/lr-sweep.*acc\.png$/);
  const file = path.join(SCREENSHOTS, 'sweep-acc-export.png');
  await download.saveAs(file);
  const [width, height] = pngSize(file);
  expect(width).toBeGreaterThanOrEqual(2 * Math.floor(shown!.width) - 2);
  // Taller than the plot alone at 2×: the params table and the legend.
  expect(height).toBeGreaterThan(2 * shown!.height + 100);

  // With 2 of the 9 runs hidden, the picture's legend lists 7: a row less.
  await table.locator('tbody tr').nth(0).click();
  await table.locator('tbody tr').nth(1).click();
  await expect.poll(() => visibleLines(page, 'acc')).toBe(7);
  await acc.hover();
  const [fewer] = await Promise.all([
    page.waitForEvent('download'),
    acc.getByRole('button', { name: 'PNG' }).click()
  ]);
  const fewerFile = path.join(SCREENSHOTS, 'sweep-acc-export-hidden.png');
  await fewer.saveAs(fewerFile);
  expect(pngSize(fewerFile)[1]).toBeLessThan(height);
});

test('with 20 runs: one hover lists every run, the legend still hides one everywhere', async ({
  page,
  request,
  tmpPath
}) => {
  test.setTimeout(240000);
  for (let i = 0; i < 20; i++) {
    makeRun(
      [
        { name: 'acc.val', kind: 'last', rows: 200 },
        { name: 'loss.train', kind: 'mean', rows: 400 }
      ],
      { lr: [0.1, 0.03, 0.01, 0.003, 0.001][i % 5], seed: Math.floor(i / 5) },
      'wide-sweep',
      i
    );
  }
  await runMagic(
    page,
    request,
    `${tmpPath}/wide.ipynb`,
    "%review '*wide-sweep*' --group none"
  );
  const plots = page.locator(PLOTS);
  await expect
    .poll(() => visibleLines(page, 'acc'), { timeout: 90000 })
    .toBe(20);
  await expect(
    plots.locator('table.jp-runwatch-plots-params tbody tr')
  ).toHaveCount(20);

  // Hover the middle of acc: one list with a row for each of the 20 runs,
  // all of it on screen (plotly's own tooltip was cut off by the plot).
  const acc = plots.locator('.jp-runwatch-plot[data-group="acc"]');
  const box = (await acc.locator('.nsewdrag').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = page.locator('.jp-runwatch-hover');
  await expect(hover).toBeVisible();
  await expect(hover.locator('.jp-runwatch-hover-row')).toHaveCount(20);
  const list = (await hover.boundingBox())!;
  const viewport = page.viewportSize()!;
  expect(list.y).toBeGreaterThanOrEqual(0);
  expect(list.y + list.height).toBeLessThanOrEqual(viewport.height);
  // Highest value first, each row naming its run and label.
  const values = await hover
    .locator('.jp-runwatch-hover-value')
    .allTextContents();
  const numbers = values.map(Number);
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  await expect(hover.locator('.jp-runwatch-hover-row').first()).toContainText(
    'wide-sweep · val'
  );
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'sweep-20-hover.png') });
  await page.mouse.move(0, 0);
  await expect(hover).toBeHidden();

  // The last run's row hides it in both plots.
  await plots.locator('table.jp-runwatch-plots-params tbody tr').last().click();
  await expect.poll(() => visibleLines(page, 'acc')).toBe(19);
  await expect.poll(() => visibleLines(page, 'loss')).toBe(19);
});
