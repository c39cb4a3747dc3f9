/**
 * A review paints each plot as a sketch first (src/plots/view/plotSketch.ts)
 * and plotly builds it when the page is idle, or at once when the pointer
 * reaches it: the user sees every plot before plotly has laid one out, and
 * hovering one still shows its values.
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';
import { makeRun, paintedBy, runMagic } from './plotRuns';

const SCREENSHOTS = path.resolve(__dirname, '..', 'screenshots');
const PLOTS = '.jp-OutputArea-output .jp-runwatch-plots';

test('plots are painted before plotly builds them, and the pointer builds one at once', async ({
  page,
  request,
  tmpPath
}) => {
  makeRun([
    { name: 'loss.train', kind: 'mean', rows: 4000 },
    { name: 'loss.eval', kind: 'mean', rows: 400 },
    { name: 'lr', kind: 'last', rows: 50 }
  ]);
  // Hold the page's idle moments, so plotly's builds wait for the test.
  await page.evaluate(() => {
    const w = window as any;
    w.heldIdle = [];
    w.realIdle = w.requestIdleCallback;
    w.requestIdleCallback = (callback: (deadline: object) => void) => {
      w.heldIdle.push(callback);
      return 0;
    };
  });
  await runMagic(page, request, `${tmpPath}/sketch.ipynb`, '%review -1');
  const cells = page.locator(`${PLOTS} .jp-runwatch-plot`);
  await expect(cells).toHaveCount(2);
  const painted = () => paintedBy(page);
  await expect.poll(painted).toEqual(['sketch', 'sketch']);

  // What the sketch shows: the lines in their colours, the title and legend
  // text, and no plotly yet.
  const loss = page.locator(`${PLOTS} .jp-runwatch-plot[data-group="loss"]`);
  const sketch = await loss.evaluate(cell => {
    const area = cell.querySelector('.jp-runwatch-plot-area') as any;
    const canvas = area.querySelector(
      'canvas.jp-runwatch-plot-sketch'
    ) as HTMLCanvasElement;
    // The sketch worker paints it (its control went to an OffscreenCanvas):
    // read what it shows through a copy.
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const context = copy.getContext('2d')!;
    context.drawImage(canvas, 0, 0);
    const { data } = context.getImageData(0, 0, copy.width, copy.height);
    let blue = 0;
    let orange = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      // plotly's first two colours, #1f77b4 and #ff7f0e, drawn solid.
      blue += +(
        Math.abs(r - 31) < 12 &&
        Math.abs(g - 119) < 12 &&
        Math.abs(b - 180) < 12
      );
      orange += +(
        Math.abs(r - 255) < 12 &&
        Math.abs(g - 127) < 12 &&
        Math.abs(b - 14) < 12
      );
    }
    return {
      plotly: !!area._fullLayout,
      svg: !!area.querySelector('.main-svg'),
      height: canvas.clientHeight,
      blue,
      orange
    };
  });
  expect(sketch).toMatchObject({ plotly: false, svg: false, height: 250 });
  expect(sketch.blue).toBeGreaterThan(200);
  expect(sketch.orange).toBeGreaterThan(200);
  await loss.screenshot({ path: path.join(SCREENSHOTS, 'plot-sketch.png') });

  // The pointer over the sketch: plotly builds that plot, and its hover
  // shows the values under the pointer.
  const box = (await loss.locator('.jp-runwatch-plot-area').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect.poll(painted).toEqual(['plotly', 'sketch']);
  await page.mouse.move(box.x + box.width / 2 + 4, box.y + box.height / 2);
  await expect(loss.locator('.hoverlayer .legend')).toBeVisible();
  await expect(loss.locator('.hoverlayer')).toContainText('train');
  expect(await loss.locator('canvas.jp-runwatch-plot-sketch').count()).toBe(0);

  // The page idle again: plotly builds the rest.
  await page.evaluate(() => {
    const w = window as any;
    w.requestIdleCallback = w.realIdle;
    for (const callback of w.heldIdle) {
      callback({ didTimeout: true, timeRemaining: () => 0 });
    }
  });
  await expect.poll(painted).toEqual(['plotly', 'plotly']);
});
