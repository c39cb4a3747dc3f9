/**
 * A sweep reviewed as groups: 3 lr × 3 seeds, one seed of one lr shorter.
 * `--group auto` draws one line per lr with a band and n = 3 (2 where the
 * short run has ended), from the server's aggregation; the grouping bar
 * switches median, the faint runs, and back to one line per run.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { makeRun, runMagic } from './plotRuns';

const OUTPUT = '.jp-OutputArea-output .jp-runwatch-grouped';
const SCREENSHOTS = path.resolve(__dirname, '..', 'screenshots');

test.use({ viewport: { width: 1500, height: 1000 } });

interface ITraceFacts {
  name: string;
  lines: number;
  fill: boolean;
  faint: boolean;
  markers: boolean;
  n: number[];
  y: number[];
}

/** What plot `group` draws: each trace's kind, n (customdata) and y. */
const traces = (
  page: IJupyterLabPageFixture,
  group: string
): Promise<ITraceFacts[]> =>
  page.evaluate(
    ([output, g]) => {
      const area = document.querySelector(
        `${output} .jp-runwatch-plot[data-group="${g}"] .jp-runwatch-plot-area`
      ) as any;
      // Lines and bands are drawn on the plot's canvas: their style is kept
      // in meta.drawn (plotly has them in mode 'none').
      return (area?.data ?? []).map((t: any): ITraceFacts => ({
        name: String(t.name ?? ''),
        lines: (t.meta?.drawn ?? t).mode?.includes('lines') ? 1 : 0,
        fill: (t.meta?.drawn ?? t).fill === 'toself',
        faint: t.opacity === 0.25,
        markers: t.mode === 'markers',
        n: Array.from(t.customdata ?? [], Number),
        y: Array.from(t.y ?? [], Number)
      }));
    },
    [OUTPUT, group]
  );

/** The group lines (with n in their hover) of plot `group`. */
async function groupLines(page: IJupyterLabPageFixture, group: string) {
  return (await traces(page, group)).filter(
    t => t.lines && !t.fill && !t.faint && t.n.length > 0
  );
}

function makeSweep(): void {
  for (const lr of [0.01, 0.001, 0.0001]) {
    for (const seed of [0, 1, 2]) {
      const short = lr === 0.001 && seed === 2;
      makeRun(
        [
          { name: 'loss.train', kind: 'mean', rows: 3000 },
          { name: 'acc.val', kind: 'last', rows: 300 }
        ],
        { lr, seed, batch: 256 },
        'group-sweep',
        Math.round(-Math.log10(lr)) * 3 + seed,
        { spanS: short ? 2000 : 3900, agoS: 3960 }
      );
    }
  }
}

test('--group auto: one line per lr with a band and n, from the server', async ({
  page,
  request,
  tmpPath
}) => {
  test.setTimeout(180000);
  makeSweep();
  const asked: string[] = [];
  page.on('request', r => {
    if (r.url().includes('/runwatch/api/group?')) {
      asked.push(r.url());
    }
  });
  await runMagic(
    page,
    request,
    `${tmpPath}/grouped.ipynb`,
    "%review '*group-sweep*' --group auto"
  );
  const output = page.locator(OUTPUT);
  await expect
    .poll(async () => (await groupLines(page, 'acc')).length, {
      timeout: 60000
    })
    .toBe(3);
  const acc = await groupLines(page, 'acc');
  expect(acc.map(t => t.name).sort()).toEqual([
    'lr=0.0001',
    'lr=0.001',
    'lr=0.01'
  ]);
  // n = 3 wherever every seed has data; the short seed's group drops to 2.
  for (const line of acc) {
    expect(Math.max(...line.n)).toBe(3);
  }
  const short = acc.find(t => t.name === 'lr=0.001')!;
  expect(short.n).toContain(2);
  expect(acc.find(t => t.name === 'lr=0.01')!.n).not.toContain(2);
  const all = await traces(page, 'acc');
  expect(all.filter(t => t.fill).length).toBeGreaterThanOrEqual(3);
  expect(all.filter(t => t.markers).length).toBe(1); // where n drops
  // The series came aggregated by the server, one request per group.
  expect(asked.length).toBeGreaterThanOrEqual(3);
  expect(asked.some(u => u.includes('center=mean'))).toBe(true);

  await expect(output.locator('.jp-runwatch-plots-title')).toHaveText(
    '3 groups of 9 runs · *group-sweep*'
  );
  // The legend is the groups' table: lr differs between them.
  const table = output.locator('table.jp-runwatch-plots-params');
  await expect(table.locator('thead th')).toHaveText(['run', 'lr']);
  await expect(table.locator('tbody tr')).toHaveCount(3);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await output.screenshot({ path: path.join(SCREENSHOTS, 'grouped.png') });

  // Median instead of mean: the lines move.
  const meanY = short.y;
  await output.locator('select[data-control="center"]').selectOption('median');
  await expect
    .poll(async () => {
      const line = (await groupLines(page, 'acc')).find(
        t => t.name === 'lr=0.001'
      );
      return line ? JSON.stringify(line.y) !== JSON.stringify(meanY) : false;
    })
    .toBe(true);
  expect(asked.some(u => u.includes('center=median'))).toBe(true);

  // Each group's runs, faintly: 9 runs' lines behind the 3.
  await output.locator('input[data-control="runs"]').check();
  await expect
    .poll(async () => (await traces(page, 'acc')).filter(t => t.faint).length)
    .toBeGreaterThanOrEqual(3);
  await output.screenshot({
    path: path.join(SCREENSHOTS, 'grouped-runs.png')
  });

  // No grouping: one line per run again, 9 of them.
  await output.locator('select[data-control="by"]').selectOption('\u0000none');
  await expect
    .poll(async () => {
      const t = await traces(page, 'acc');
      return t.filter(x => x.lines && !x.fill && !x.faint).length;
    })
    .toBe(9);
});

test('seeds of a sweep are grouped by default', async ({
  page,
  request,
  tmpPath
}) => {
  test.setTimeout(180000);
  makeSweep();
  await runMagic(
    page,
    request,
    `${tmpPath}/default.ipynb`,
    "%review '*group-sweep*'"
  );
  await expect
    .poll(async () => (await groupLines(page, 'acc')).length, {
      timeout: 60000
    })
    .toBe(3);
  await expect(page.locator(`${OUTPUT} select[data-control="by"]`)).toHaveValue(
    '\u0000auto'
  );

  // Split by lr: one column of plots per lr, each its seeds' one group.
  await page
    .locator(`${OUTPUT} select[data-control="split"]`)
    .selectOption('lr');
  const columns = page.locator(`${OUTPUT} .jp-runwatch-plots[data-split]`);
  await expect(columns).toHaveCount(3);
  await expect(columns.first()).toHaveAttribute('data-split', 'lr=0.01');
  await expect(columns.first()).toHaveAttribute('data-groups', '1');
  await expect
    .poll(
      () =>
        page.evaluate(
          o =>
            document.querySelectorAll(
              `${o} .jp-runwatch-plots[data-split] .jp-runwatch-plot[data-group="acc"]`
            ).length,
          OUTPUT
        ),
      { timeout: 30000 }
    )
    .toBe(3);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page
    .locator(OUTPUT)
    .screenshot({ path: path.join(SCREENSHOTS, 'grouped-split.png') });
});
