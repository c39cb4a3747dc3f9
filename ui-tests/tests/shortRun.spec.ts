/**
 * A run killed after 25 s, with a channel logged once: every plot draws
 * (a fine rule, not six empty 60 s plots), the lone value is a marker, and
 * the plots share one x range and one tick style.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { allBuilt, makeRun, runMagic } from './plotRuns';

const PLOTS = '.jp-OutputArea-output .jp-runwatch-plots';
const SCREENSHOTS = path.resolve(__dirname, '..', 'screenshots');

/** Each plot's x range, x tick texts, points drawn and marker modes. */
const plotsDrawn = (page: IJupyterLabPageFixture) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll('.jp-runwatch-plot')).map(node => {
      const area = node.querySelector('.jp-runwatch-plot-area') as any;
      const lines = (area?.data ?? []).filter(
        (t: any) => t.hoverinfo !== 'skip'
      );
      return {
        group: (node as HTMLElement).dataset.group!,
        xRange: (area?._fullLayout?.xaxis.range ?? []) as number[],
        ticks: (area?.layout?.xaxis.ticktext ?? []) as string[],
        points: lines.reduce((n: number, t: any) => n + t.x.length, 0),
        markers: lines.some((t: any) => String(t.mode).includes('markers'))
      };
    })
  );

test('a 25 s run and a value logged once are drawn, on one x axis', async ({
  page,
  request,
  tmpPath
}) => {
  makeRun(
    [
      { name: 'loss.train', kind: 'mean', rows: 250 },
      { name: 'acc.train', kind: 'last', rows: 120 },
      { name: 'acc.test', kind: 'last', rows: 1 },
      { name: 'lr', kind: 'last', rows: 50 }
    ],
    {},
    'killed-early',
    0,
    { spanS: 25, agoS: 60 }
  );
  await runMagic(page, request, `${tmpPath}/short.ipynb`, '%review -1');
  await expect
    .poll(async () => (await plotsDrawn(page)).map(p => p.group), {
      timeout: 30000
    })
    .toEqual(['acc', 'loss', 'lr']);
  // Not 60 s (one bucket, nearly empty plots): a rule with many buckets.
  await expect(
    page.locator(`${PLOTS} .jp-runwatch-plots-rule select`)
  ).not.toHaveValue('60');
  // plotly builds each sketched plot when the page is idle.
  await expect.poll(() => allBuilt(page)).toBe(true);
  const drawn = await plotsDrawn(page);
  for (const plot of drawn) {
    expect(plot.points, plot.group).toBeGreaterThan(5);
  }
  // acc.test's one value is a marker: a line of one point draws nothing.
  expect(drawn.find(p => p.group === 'acc')!.markers).toBe(true);
  // One x range and one tick style across the grid: the run's span.
  const [first, ...rest] = drawn;
  for (const plot of rest) {
    expect(plot.xRange).toEqual(first.xRange);
    expect(plot.ticks).toEqual(first.ticks);
  }
  expect(first.xRange[1]).toBeGreaterThan(20);
  expect(first.xRange[1]).toBeLessThan(40);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page
    .locator(PLOTS)
    .screenshot({ path: path.join(SCREENSHOTS, 'short-run.png') });
});
