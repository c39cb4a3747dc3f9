/**
 * The plots' own controls: the channel search, and each plot's toolbar
 * (log y remembered per group, wide, reset zoom), and the one tooltip for
 * the x under the cursor.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { allBuilt, makeRun, runMagic } from './plotRuns';

const PLOTS = '.jp-OutputArea-output .jp-runwatch-plots';
const SCREENSHOTS = path.resolve(__dirname, '..', 'screenshots');

// Wide enough for several plots a row (so "wide" has a row to span).
test.use({ viewport: { width: 1900, height: 1000 } });

const groupsShown = (page: IJupyterLabPageFixture) =>
  page
    .locator(`${PLOTS} .jp-runwatch-plot`)
    .evaluateAll(nodes => nodes.map(n => (n as HTMLElement).dataset.group));

/** plotly's layout of a group's plot, as drawn. */
const layoutOf = (page: IJupyterLabPageFixture, group: string) =>
  page.evaluate(g => {
    const area = document.querySelector(
      `.jp-runwatch-plot[data-group="${g}"] .jp-runwatch-plot-area`
    ) as any;
    return area?._fullLayout
      ? {
          yType: area._fullLayout.yaxis.type as string,
          hovermode: area._fullLayout.hovermode as string,
          width: area._fullLayout.width as number,
          xRange: [...area._fullLayout.xaxis.range] as number[]
        }
      : null;
  }, group);

test('search, log y, wide, reset zoom and a unified hover', async ({
  page,
  request,
  tmpPath
}) => {
  makeRun([
    { name: 'loss.train', kind: 'mean', rows: 3000 },
    { name: 'loss.val', kind: 'mean', rows: 300 },
    { name: 'acc.val', kind: 'last', rows: 300 },
    { name: 'opt.lr', kind: 'last', rows: 100 },
    { name: 'gpu.util', kind: 'mean_percent', rows: 1000 }
  ]);
  await runMagic(page, request, `${tmpPath}/tools.ipynb`, '%review -1');
  const plots = page.locator(PLOTS);
  await expect(
    plots.locator('.jp-runwatch-plot-area .main-svg').first()
  ).toBeVisible({ timeout: 30000 });
  await expect
    .poll(() => groupsShown(page))
    .toEqual(['acc', 'gpu', 'loss', 'opt']);
  // plotly builds each sketched plot when the page is idle.
  await expect.poll(() => allBuilt(page)).toBe(true);
  expect((await layoutOf(page, 'loss'))!.hovermode).toBe('x unified');

  // The search keeps the plots of matching channels: a word, then a glob.
  const search = plots.locator('.jp-runwatch-plots-search');
  await search.fill('val');
  await expect.poll(() => groupsShown(page)).toEqual(['acc', 'loss']);
  await search.fill('*.train');
  await expect.poll(() => groupsShown(page)).toEqual(['loss']);
  await search.fill('nothing-like-this');
  await expect.poll(() => groupsShown(page)).toEqual([]);
  await expect(plots.locator('.jp-runwatch-plots-status')).toContainText(
    'no channel matches nothing-like-this'
  );
  await search.fill('');
  await expect.poll(() => groupsShown(page)).toHaveLength(4);
  // The plots shown again are new: sketched, then built by plotly.
  await expect.poll(() => allBuilt(page)).toBe(true);

  // Smoothing: each line gets its EMA on top, the line as it is faint below.
  const traces = () =>
    page.evaluate((): { faint: boolean; n: number }[] => {
      const area = document.querySelector(
        '.jp-runwatch-plot[data-group="acc"] .jp-runwatch-plot-area'
      ) as any;
      return (area?.data ?? [])
        .filter((t: any) => (t.meta?.drawn ?? t).fill === undefined)
        .map((t: any) => ({ faint: (t.opacity ?? 1) < 1, n: t.y.length }));
    });
  expect(await traces()).toEqual([{ faint: false, n: expect.any(Number) }]);
  const smooth = plots.locator('.jp-runwatch-plots-smoothing-input');
  await smooth.fill('0.9');
  await smooth.press('Enter');
  await expect
    .poll(async () => (await traces()).map(t => t.faint))
    .toEqual([true, false]);
  await smooth.fill('0');
  await smooth.press('Enter');
  await expect.poll(async () => (await traces()).length).toBe(1);

  // Log y on `loss`, from its toolbar.
  const loss = plots.locator('.jp-runwatch-plot[data-group="loss"]');
  await loss.hover();
  await loss.getByRole('button', { name: 'log' }).click();
  await expect
    .poll(async () => (await layoutOf(page, 'loss'))?.yType)
    .toBe('log');
  expect((await layoutOf(page, 'acc'))!.yType).toBe('linear');

  // Wide: the plot spans the row, drawn at the new width.
  const narrow = (await layoutOf(page, 'loss'))!.width;
  await loss.getByRole('button', { name: 'wide' }).click();
  await expect
    .poll(async () => (await layoutOf(page, 'loss'))!.width)
    .toBeGreaterThan(narrow * 1.5);

  // Zoom, then reset.
  const span = (await layoutOf(page, 'loss'))!.xRange;
  const box = (await loss.locator('.nsewdrag').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, {
    steps: 5
  });
  await page.mouse.up();
  // Zoomed: a narrower x range than the run's span.
  await expect
    .poll(async () => {
      const [lo, hi] = (await layoutOf(page, 'loss'))!.xRange;
      return hi - lo < (span[1] - span[0]) * 0.5;
    })
    .toBe(true);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await plots.screenshot({ path: path.join(SCREENSHOTS, 'plot-tools.png') });
  await loss.hover();
  await loss.getByRole('button', { name: 'reset' }).click();
  // Back to the run's span, which every plot of the grid shares.
  await expect
    .poll(async () => (await layoutOf(page, 'loss'))!.xRange)
    .toEqual(span);
  expect((await layoutOf(page, 'acc'))!.xRange).toEqual(span);

  // The log axis is remembered for the group: a new review opens with it.
  await page.notebook.close(true);
  await runMagic(page, request, `${tmpPath}/again.ipynb`, '%review -1');
  await expect(
    page
      .locator(`${PLOTS} .jp-runwatch-plot[data-group="loss"] .main-svg`)
      .first()
  ).toBeVisible({ timeout: 30000 });
  await expect
    .poll(async () => (await layoutOf(page, 'loss'))?.yType)
    .toBe('log');
});
