/**
 * The runs table as a researcher uses it after a sweep: `%runs` shows it,
 * a header click sorts by final loss, a filter of the query language keeps
 * the runs it names, and the selected rows open a comparison. What it shows
 * is checked against `runwatch.table()` in Python: one source of truth.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PYTHON } from './helpers';
import { makeRun, runMagic } from './plotRuns';
import { STORE_ROOT } from './writer';

const TABLE = '.jp-OutputArea-output .jp-runwatch-table';
const SCREENSHOTS = path.resolve(__dirname, '..', 'screenshots');

test.use({ viewport: { width: 1500, height: 900 } });

/** `runwatch.table(query)` in Python: run name → final val loss. */
function pythonTable(query: string): Record<string, number> {
  const code = `
import json, sys, runwatch
t = runwatch.table(sys.argv[1])
rows = t.reset_index().to_dict('records') if hasattr(t, 'reset_index') else t
loss = lambda v: None if v is None or v != v else v  # NaN: no loss.val
print(json.dumps({r['name']: loss(r.get('loss.val.last')) for r in rows}))
`;
  return JSON.parse(
    execFileSync(PYTHON, ['-c', code, query], {
      env: { ...process.env, RUNWATCH_ROOT: STORE_ROOT },
      encoding: 'utf-8'
    })
  );
}

/** Click the header of column `key` on the grid's canvas. */
async function clickHeader(page: IJupyterLabPageFixture, key: string) {
  const table = page.locator(TABLE);
  await expect
    .poll(async () => {
      const widths = JSON.parse(
        (await table.getAttribute('data-column-widths')) ?? '[]'
      );
      const keys = JSON.parse(
        (await table.getAttribute('data-columns')) ?? '[]'
      );
      return widths.length > 0 && widths.length === keys.length;
    })
    .toBe(true);
  const keys: string[] = JSON.parse(
    (await table.getAttribute('data-columns'))!
  );
  const widths: number[] = JSON.parse(
    (await table.getAttribute('data-column-widths'))!
  );
  const index = keys.indexOf(key);
  expect(index).toBeGreaterThanOrEqual(0);
  const left = widths.slice(0, index).reduce((a, b) => a + b, 0);
  await table
    .locator('.jp-runwatch-table-grid')
    .click({ position: { x: left + widths[index] / 2, y: 14 } });
}

test('sort by final loss, filter with a query, compare the selection', async ({
  page,
  request,
  tmpPath
}) => {
  test.setTimeout(180000);
  for (const lr of [0.01, 0.001, 0.0001]) {
    for (const seed of [0, 1, 2]) {
      makeRun(
        [{ name: 'loss.val', kind: 'mean', rows: 200 }],
        { lr, seed },
        'table-sweep',
        Math.round(-Math.log10(lr)) * 3 + seed
      );
    }
  }
  const losses = pythonTable('*table-sweep*');
  expect(Object.keys(losses)).toHaveLength(9);

  await runMagic(
    page,
    request,
    `${tmpPath}/table.ipynb`,
    "%runs '*table-sweep*'"
  );
  const table = page.locator(TABLE);
  await expect(table).toHaveAttribute('data-state', 'ready', {
    timeout: 60000
  });
  await expect(table).toHaveAttribute('data-visible-count', '9');
  // Of every run in the store (other specs' too): the query keeps 9.
  await expect(table.locator('.jp-runwatch-table-count')).toHaveText(
    /^9 of \d+ runs$/
  );

  // A header click sorts by final val loss: the lowest first, as Python says.
  await clickHeader(page, 'loss.val.last');
  await expect(table).toHaveAttribute('data-sort', 'loss.val.last asc');
  const best = Object.entries(losses).sort((a, b) => a[1] - b[1])[0][0];
  await expect(table).toHaveAttribute('data-first-run', best);
  const first = JSON.parse((await table.getAttribute('data-first-row'))!);
  expect(first.status).toBe('finished');
  await clickHeader(page, 'loss.val.last');
  await expect(table).toHaveAttribute('data-sort', 'loss.val.last desc');
  const worst = Object.entries(losses).sort((a, b) => b[1] - a[1])[0][0];
  await expect(table).toHaveAttribute('data-first-run', worst);

  // The filter, with a threshold that keeps 2 of the small-lr runs.
  const small = Object.entries(
    pythonTable('name ~ "*table-sweep*" and lr < 1e-3 and status == "finished"')
  )
    .map(([, loss]) => loss)
    .sort((a, b) => a - b);
  expect(small).toHaveLength(3);
  const threshold = (small[1] + small[2]) / 2;
  const query = `lr < 1e-3 and status == "finished" and loss.val.last < ${threshold}`;
  const input = table.locator('.jp-runwatch-table-query');
  await input.fill(query);
  await input.press('Enter');
  await expect(table).toHaveAttribute('data-visible-count', '2');
  await expect(table.locator('.jp-runwatch-table-count')).toHaveText(
    /^2 of \d+ runs$/
  );
  expect(Object.keys(pythonTable(query))).toHaveLength(2);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await table.screenshot({ path: path.join(SCREENSHOTS, 'runs-table.png') });

  // A broken query says why, and keeps the rows it had.
  await input.fill('lr < and');
  await input.press('Enter');
  await expect(table.locator('.jp-runwatch-table-error')).toContainText(
    'column'
  );
  await input.fill(query);
  await input.press('Enter');

  // Select both rows, then Compare: a review of those 2 runs opens.
  const grid = table.locator('.jp-runwatch-table-grid');
  await grid.click({ position: { x: 150, y: 28 + 12 } });
  await grid.click({
    position: { x: 150, y: 28 + 24 + 12 },
    modifiers: ['Shift']
  });
  await expect(table).toHaveAttribute('data-selected-count', '2');
  await table.locator('[data-action="compare"]').click();
  const review = page.locator('.jp-runwatch-plots-panel');
  await expect(review).toBeVisible({ timeout: 30000 });
  await expect(
    page.locator(
      '#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel'
    )
  ).toHaveText('Review: 2 runs');
  // Those two: the review draws the runs the table had selected.
  await expect(review.locator('.jp-runwatch-plots-title')).toContainText(
    '2 runs'
  );
});
