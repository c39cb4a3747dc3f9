/**
 * A group whose channels differ in scale by far more than 30×, or mix a
 * percent with plain values, draws them on their own y axes (stacked
 * sub-plots sharing x), so none lies flat under another's axis.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { allBuilt, makeRun, runMagic } from './plotRuns';

const PLOTS = '.jp-OutputArea-output .jp-runwatch-plots';
const SCREENSHOTS = path.resolve(__dirname, '..', 'screenshots');

test.use({ viewport: { width: 1700, height: 1200 } });

/** Each y axis of a group's plot: which channels' traces it holds. */
const axesOf = (page: IJupyterLabPageFixture, group: string) =>
  page.evaluate(g => {
    const area = document.querySelector(
      `.jp-runwatch-plot[data-group="${g}"] .jp-runwatch-plot-area`
    ) as any;
    if (!area?._fullLayout) {
      return null;
    }
    const byAxis: Record<string, string[]> = {};
    for (const t of area.data) {
      if (t.hoverinfo === 'skip') {
        continue;
      }
      const axis = t.yaxis ?? 'y';
      (byAxis[axis] ??= []).push(t.meta.channel);
    }
    return Object.keys(byAxis)
      .sort()
      .map(axis => byAxis[axis].sort().join(' '));
  }, group);

test('unrelated scales in one group get their own y axes', async ({
  page,
  request,
  tmpPath
}) => {
  makeRun([
    { name: 'perf.samples', kind: 'last', rows: 500, scale: 250_000 },
    { name: 'perf.steps', kind: 'last', rows: 500, scale: 100 },
    { name: 'perf.latency', kind: 'mean', rows: 500 },
    { name: 'gpu.mem', kind: 'last', rows: 500, scale: 2e10 },
    { name: 'gpu.util', kind: 'mean_percent', rows: 500 },
    { name: 'loss.train', kind: 'mean', rows: 500 },
    { name: 'loss.val', kind: 'mean', rows: 500 }
  ]);
  await runMagic(page, request, `${tmpPath}/scales.ipynb`, '%review -1');
  await expect
    .poll(async () => (await axesOf(page, 'perf'))?.length, { timeout: 30000 })
    .toBe(3);
  const perf = (await axesOf(page, 'perf'))!;
  // Three scales (≈1, ≈100, ≈250 k): three axes, one channel each.
  expect(perf).toHaveLength(3);
  expect(perf.every(channels => channels.split(' ').length === 1)).toBe(true);
  // plotly builds each sketched plot (one axis) when the page is idle.
  await expect.poll(() => allBuilt(page)).toBe(true);
  // A percent never shares an axis with bytes.
  expect(await axesOf(page, 'gpu')).toHaveLength(2);
  // Same scale: one axis, as before.
  expect(await axesOf(page, 'loss')).toEqual(['loss.train loss.val']);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page
    .locator(PLOTS)
    .screenshot({ path: path.join(SCREENSHOTS, 'scales.png') });

  // Its PNG keeps the stacked plot's height (at 2×), not a 250 px tile.
  const perfPlot = page.locator(
    `${PLOTS} .jp-runwatch-plot[data-group="perf"]`
  );
  const tall = (await perfPlot
    .locator('.jp-runwatch-plot-area')
    .boundingBox())!;
  expect(tall.height).toBeGreaterThan(500);
  await perfPlot.hover();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    perfPlot.getByRole('button', { name: 'PNG' }).click()
  ]);
  const file = path.join(SCREENSHOTS, 'scales-perf-export.png');
  await download.saveAs(file);
  const bytes = fs.readFileSync(file);
  expect(bytes.readUInt32BE(20)).toBeGreaterThanOrEqual(
    2 * Math.floor(tall.height)
  );
});
